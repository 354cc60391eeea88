-- checks of data_vault.s_accounts (rows of the batch {"0":[41,97],"1":[-1,12]})
--   unique h_accounts_hk, source_lsn [error]
--   relationships h_accounts_hk → h_accounts [error]

WITH scoped AS (
  SELECT * FROM iceberg.data_vault.s_accounts
  WHERE source_lsn >= 1000042
),
c0 AS (
  -- unique h_accounts_hk, source_lsn
  SELECT coalesce(CAST(t."h_accounts_hk" AS varchar), 'NULL') || '|' || coalesce(CAST(t."source_lsn" AS varchar), 'NULL') AS failing_key
  FROM iceberg.data_vault.s_accounts t
  JOIN (SELECT DISTINCT "h_accounts_hk", "source_lsn" FROM scoped) k
    ON t."h_accounts_hk" = k."h_accounts_hk" AND t."source_lsn" = k."source_lsn"
    AND t.source_lsn >= 1000042
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
