-- checks of parsed_data.parsed_accounts (rows of the batch {"0":[41,97],"1":[-1,12]})
--   unique id, source_lsn [error]

WITH scoped AS (
  SELECT * FROM iceberg.parsed_data.parsed_accounts
  WHERE ((kafka_partition = 0 AND kafka_offset > 41 AND kafka_offset <= 97)
        OR (kafka_partition = 1 AND kafka_offset > -1 AND kafka_offset <= 12))
),
c0 AS (
  -- unique id, source_lsn
  SELECT coalesce(CAST(t."id" AS varchar), 'NULL') || '|' || coalesce(CAST(t."source_lsn" AS varchar), 'NULL') AS failing_key
  FROM iceberg.parsed_data.parsed_accounts t
  JOIN (SELECT DISTINCT "id", "source_lsn" FROM scoped) k
    ON t."id" = k."id" AND t."source_lsn" = k."source_lsn"
    AND t.source_lsn >= 1000042
  GROUP BY t."id", t."source_lsn"
  HAVING count(*) > 1
)
SELECT check_index, failing_rows, failing_key
FROM (
  SELECT 0 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c0
)
WHERE n <= 5
ORDER BY check_index, failing_key;
