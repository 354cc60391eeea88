-- checks of data_vault.h_accounts (rows of the batch {"0":[41,97],"1":[-1,12]})
--   unique h_accounts_hk [error]
--   unique id [error]

WITH scoped AS (
  SELECT * FROM iceberg.data_vault.h_accounts
  WHERE "h_accounts_hk" IN (
    SELECT lower(to_hex(md5(to_utf8(coalesce(nullif(upper(trim(cast("id" AS varchar))), ''), '^^')))))
    FROM iceberg.parsed_data.parsed_accounts
    WHERE ((kafka_partition = 0 AND kafka_offset > 41 AND kafka_offset <= 97)
        OR (kafka_partition = 1 AND kafka_offset > -1 AND kafka_offset <= 12))
  )
),
c0 AS (
  -- unique h_accounts_hk
  SELECT coalesce(CAST(t."h_accounts_hk" AS varchar), 'NULL') AS failing_key
  FROM iceberg.data_vault.h_accounts t
  JOIN (SELECT DISTINCT "h_accounts_hk" FROM scoped) k
    ON t."h_accounts_hk" = k."h_accounts_hk"
  GROUP BY t."h_accounts_hk"
  HAVING count(*) > 1
),
c1 AS (
  -- unique id
  SELECT coalesce(CAST(t."id" AS varchar), 'NULL') AS failing_key
  FROM iceberg.data_vault.h_accounts t
  JOIN (SELECT DISTINCT "id" FROM scoped) k
    ON t."id" = k."id"
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
