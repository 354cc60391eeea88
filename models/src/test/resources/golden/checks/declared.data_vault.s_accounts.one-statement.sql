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
),
c2 AS (
  -- not_null currency
  SELECT coalesce(CAST("h_accounts_hk" AS varchar), 'NULL') || '|' || coalesce(CAST("source_lsn" AS varchar), 'NULL') AS failing_key FROM scoped WHERE "currency" IS NULL
),
c3 AS (
  -- accepted_values currency
  SELECT CAST("currency" AS varchar) AS failing_key FROM scoped
  WHERE "currency" IS NOT NULL AND CAST("currency" AS varchar) NOT IN ('EUR', 'USD', 'O''Neil')
),
c4 AS (
  -- one balance per currency
  SELECT coalesce(CAST(t."currency" AS varchar), 'NULL') || '|' || coalesce(CAST(t."balance" AS varchar), 'NULL') AS failing_key
  FROM iceberg.data_vault.s_accounts t
  JOIN (SELECT DISTINCT "currency", "balance" FROM scoped) k
    ON t."currency" = k."currency" AND t."balance" = k."balance"
  GROUP BY t."currency", t."balance"
  HAVING count(*) > 1
),
c5 AS (
  -- row_count_min
  SELECT CAST(n_rows AS varchar) || ' rows, fewer than 1' AS failing_key
  FROM (SELECT count(*) AS n_rows FROM iceberg.data_vault.s_accounts)
  WHERE n_rows < 1
),
c6 AS (
  -- freshness effective_from
  SELECT coalesce('newest ' || CAST(max("effective_from") AS varchar), 'no rows') AS failing_key
  FROM iceberg.data_vault.s_accounts
  HAVING max("effective_from") IS NULL OR max("effective_from") < current_timestamp - parse_duration('7200s')
),
c7 AS (
  -- negative balance
  SELECT CAST(k1 AS varchar) AS failing_key
  FROM (
    SELECT h_accounts_hk, balance FROM iceberg.data_vault.s_accounts WHERE balance < 0
  ) AS f (k1, k2)
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
  UNION ALL
  SELECT 6 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c6
  UNION ALL
  SELECT 7 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c7
  UNION ALL
  SELECT -1 AS check_index, input_ranges AS failing_key, CAST(0 AS bigint) AS failing_rows, CAST(1 AS bigint) AS n FROM (
    SELECT input_ranges FROM iceberg.ops.materializations
    WHERE asset = 'data_vault.s_accounts' AND status = 'succeeded'
    ORDER BY finished_at DESC
    LIMIT 1
  )
)
WHERE n <= 5
ORDER BY check_index, failing_key;
