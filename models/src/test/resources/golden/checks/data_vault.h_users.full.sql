-- checks of data_vault.h_users (whole table)
--   unique h_users_hk [error]
--   unique id [error]

WITH scoped AS (
  SELECT * FROM iceberg.data_vault.h_users
),
c0 AS (
  -- unique h_users_hk
  SELECT coalesce(CAST(t."h_users_hk" AS varchar), 'NULL') AS failing_key
  FROM iceberg.data_vault.h_users t
  WHERE t."h_users_hk" IS NOT NULL
  GROUP BY t."h_users_hk"
  HAVING count(*) > 1
),
c1 AS (
  -- unique id
  SELECT coalesce(CAST(t."id" AS varchar), 'NULL') AS failing_key
  FROM iceberg.data_vault.h_users t
  WHERE t."id" IS NOT NULL
  GROUP BY t."id"
  HAVING count(*) > 1
)
SELECT check_index, failing_rows, failing_key
FROM (
  SELECT 0 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c0
  UNION ALL
  SELECT 1 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c1
)
WHERE n <= 5
ORDER BY check_index, failing_key;
