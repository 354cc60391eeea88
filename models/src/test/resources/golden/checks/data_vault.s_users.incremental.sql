-- checks of data_vault.s_users (rows of the batch {"0":[41,97],"1":[-1,12]})
--   unique h_users_hk, source_lsn [error]
--   relationships h_users_hk → h_users [error]

WITH scoped AS (
  SELECT * FROM iceberg.data_vault.s_users
  WHERE source_lsn >= 1000042
),
c0 AS (
  -- unique h_users_hk, source_lsn
  SELECT coalesce(CAST(t."h_users_hk" AS varchar), 'NULL') || '|' || coalesce(CAST(t."source_lsn" AS varchar), 'NULL') AS failing_key
  FROM iceberg.data_vault.s_users t
  JOIN (SELECT DISTINCT "h_users_hk", "source_lsn" FROM scoped) k
    ON t."h_users_hk" = k."h_users_hk" AND t."source_lsn" = k."source_lsn"
    AND t.source_lsn >= 1000042
  GROUP BY t."h_users_hk", t."source_lsn"
  HAVING count(*) > 1
),
c1 AS (
  -- relationships h_users_hk → h_users
  SELECT CAST(s."h_users_hk" AS varchar) AS failing_key
  FROM scoped s
  LEFT JOIN (SELECT DISTINCT "h_users_hk" AS k FROM iceberg.data_vault.h_users) p ON p.k = s."h_users_hk"
  WHERE s."h_users_hk" IS NOT NULL AND p.k IS NULL
)
SELECT check_index, failing_rows, failing_key
FROM (
  SELECT 0 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c0
  UNION ALL
  SELECT 1 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c1
)
WHERE n <= 5
ORDER BY check_index, failing_key;
