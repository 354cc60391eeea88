-- checks of parsed_data.parsed_accounts (whole table)
--   unique id, source_lsn [error]

WITH scoped AS (
  SELECT * FROM iceberg.parsed_data.parsed_accounts
),
c0 AS (
  -- unique id, source_lsn
  SELECT coalesce(CAST(t."id" AS varchar), 'NULL') || '|' || coalesce(CAST(t."source_lsn" AS varchar), 'NULL') AS failing_key
  FROM iceberg.parsed_data.parsed_accounts t
  WHERE t."id" IS NOT NULL AND t."source_lsn" IS NOT NULL
  GROUP BY t."id", t."source_lsn"
  HAVING count(*) > 1
)
SELECT check_index, failing_rows, failing_key
FROM (
  SELECT 0 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c0
)
WHERE n <= 5
ORDER BY check_index, failing_key;
