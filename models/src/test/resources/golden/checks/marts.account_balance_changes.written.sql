-- checks of marts.account_balance_changes (rows written by snapshot 4242)
--   not_null h_accounts_hk [error]
--   relationships h_accounts_hk → h_accounts [error]
--   accepted_values currency [warn]
--   not_null source_lsn [error]
--   unique source_lsn [error]

WITH scoped AS (
  SELECT * FROM iceberg.marts.account_balance_changes
  WHERE "$path" IN (
    's3://warehouse/marts/a/data/x-1.parquet',
    's3://warehouse/marts/a/data/x-2.parquet'
  )
),
c0 AS (
  -- not_null h_accounts_hk
  SELECT coalesce(CAST("h_accounts_hk" AS varchar), 'NULL') || '|' || coalesce(CAST("source_lsn" AS varchar), 'NULL') AS failing_key FROM scoped WHERE "h_accounts_hk" IS NULL
),
c1 AS (
  -- relationships h_accounts_hk → h_accounts
  SELECT CAST(s."h_accounts_hk" AS varchar) AS failing_key
  FROM scoped s
  LEFT JOIN (SELECT DISTINCT "h_accounts_hk" AS k FROM iceberg.data_vault.h_accounts) p ON p.k = s."h_accounts_hk"
  WHERE s."h_accounts_hk" IS NOT NULL AND p.k IS NULL
),
c2 AS (
  -- accepted_values currency
  SELECT CAST("currency" AS varchar) AS failing_key FROM scoped
  WHERE "currency" IS NOT NULL AND CAST("currency" AS varchar) NOT IN ('EUR', 'USD')
),
c3 AS (
  -- not_null source_lsn
  SELECT coalesce(CAST("h_accounts_hk" AS varchar), 'NULL') || '|' || coalesce(CAST("source_lsn" AS varchar), 'NULL') AS failing_key FROM scoped WHERE "source_lsn" IS NULL
),
c4 AS (
  -- unique source_lsn
  SELECT coalesce(CAST(t."source_lsn" AS varchar), 'NULL') AS failing_key
  FROM iceberg.marts.account_balance_changes t
  JOIN (SELECT DISTINCT "source_lsn" FROM scoped) k
    ON t."source_lsn" = k."source_lsn"
  GROUP BY t."source_lsn"
  HAVING count(*) > 1
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
  SELECT -2 AS check_index, CAST(snapshot_id AS varchar) AS failing_key, CAST(0 AS bigint) AS failing_rows, CAST(1 AS bigint) AS n FROM (
    SELECT snapshot_id FROM iceberg."marts"."account_balance_changes$refs" WHERE name = 'main'
  )
)
WHERE n <= 5
ORDER BY check_index, failing_key;
