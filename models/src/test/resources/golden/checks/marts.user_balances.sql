-- checks of marts.user_balances (whole table)
--   unique user_id, currency [error]
--   not_null user_id [error]
--   relationships user_id → h_users [error]
--   not_null currency [error]
--   accepted_values currency [error]
--   not_null balance [error]
--   expression_is_true accounts > 0 [error]

WITH scoped AS (
  SELECT * FROM iceberg.marts.user_balances
),
c0 AS (
  -- unique user_id, currency
  SELECT coalesce(CAST(t."user_id" AS varchar), 'NULL') || '|' || coalesce(CAST(t."currency" AS varchar), 'NULL') AS failing_key
  FROM iceberg.marts.user_balances t
  WHERE t."user_id" IS NOT NULL AND t."currency" IS NOT NULL
  GROUP BY t."user_id", t."currency"
  HAVING count(*) > 1
),
c1 AS (
  -- not_null user_id
  SELECT coalesce(CAST("user_id" AS varchar), 'NULL') || '|' || coalesce(CAST("currency" AS varchar), 'NULL') AS failing_key FROM scoped WHERE "user_id" IS NULL
),
c2 AS (
  -- relationships user_id → h_users
  SELECT CAST(s."user_id" AS varchar) AS failing_key
  FROM scoped s
  LEFT JOIN (SELECT DISTINCT "id" AS k FROM iceberg.data_vault.h_users) p ON p.k = s."user_id"
  WHERE s."user_id" IS NOT NULL AND p.k IS NULL
),
c3 AS (
  -- not_null currency
  SELECT coalesce(CAST("user_id" AS varchar), 'NULL') || '|' || coalesce(CAST("currency" AS varchar), 'NULL') AS failing_key FROM scoped WHERE "currency" IS NULL
),
c4 AS (
  -- accepted_values currency
  SELECT CAST("currency" AS varchar) AS failing_key FROM scoped
  WHERE "currency" IS NOT NULL AND CAST("currency" AS varchar) NOT IN ('EUR', 'USD')
),
c5 AS (
  -- not_null balance
  SELECT coalesce(CAST("user_id" AS varchar), 'NULL') || '|' || coalesce(CAST("currency" AS varchar), 'NULL') AS failing_key FROM scoped WHERE "balance" IS NULL
)
SELECT check_index, failing_rows, failing_key
FROM (
  SELECT 0 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c0
  UNION ALL
  SELECT 1 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c1
  UNION ALL
  SELECT 2 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c2
  UNION ALL
  SELECT 3 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c3
  UNION ALL
  SELECT 4 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c4
  UNION ALL
  SELECT 5 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c5
)
WHERE n <= 5
ORDER BY check_index, failing_key;

-- expression_is_true accounts > 0
SELECT f.*, count(*) OVER () AS failing_rows
FROM (
  SELECT * FROM iceberg.marts.user_balances WHERE NOT (accounts > 0)
) f
LIMIT 5;
