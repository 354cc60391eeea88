-- checks of data_vault.s_accounts (whole table)
--   unique h_accounts_hk, source_lsn [error]
--   relationships h_accounts_hk → h_accounts [error]

WITH scoped AS (
  SELECT * FROM iceberg.data_vault.s_accounts
),
c0 AS (
  -- unique h_accounts_hk, source_lsn
  SELECT coalesce(CAST(t."h_accounts_hk" AS varchar), 'NULL') || '|' || coalesce(CAST(t."source_lsn" AS varchar), 'NULL') AS failing_key
  FROM iceberg.data_vault.s_accounts t
  WHERE t."h_accounts_hk" IS NOT NULL AND t."source_lsn" IS NOT NULL
  GROUP BY t."h_accounts_hk", t."source_lsn"
  HAVING count(*) > 1
),
c1 AS (
  -- relationships h_accounts_hk → h_accounts
  SELECT CAST(s."h_accounts_hk" AS varchar) AS failing_key
  FROM scoped s
  LEFT JOIN (SELECT DISTINCT "h_accounts_hk" AS k FROM iceberg.data_vault.h_accounts) p ON p.k = s."h_accounts_hk"
  WHERE s."h_accounts_hk" IS NOT NULL AND p.k IS NULL
)
SELECT check_index, failing_rows, failing_key
FROM (
  SELECT 0 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c0
  UNION ALL
  SELECT 1 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c1
)
WHERE n <= 5
ORDER BY check_index, failing_key;
