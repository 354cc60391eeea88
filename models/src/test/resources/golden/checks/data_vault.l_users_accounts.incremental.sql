-- checks of data_vault.l_users_accounts (rows of the batch {"0":[41,97],"1":[-1,12]})
--   unique l_users_accounts_hk [error]
--   relationships h_users_hk → h_users [warn]
--   relationships h_accounts_hk → h_accounts [error]

WITH scoped AS (
  SELECT * FROM iceberg.data_vault.l_users_accounts
  WHERE "l_users_accounts_hk" IN (
    SELECT lower(to_hex(md5(to_utf8(coalesce(nullif(upper(trim(cast("user_id" AS varchar))), ''), '^^') || '||' || coalesce(nullif(upper(trim(cast("id" AS varchar))), ''), '^^')))))
    FROM iceberg.parsed_data.parsed_accounts
    WHERE ((kafka_partition = 0 AND kafka_offset > 41 AND kafka_offset <= 97)
        OR (kafka_partition = 1 AND kafka_offset > -1 AND kafka_offset <= 12))
  )
),
c0 AS (
  -- unique l_users_accounts_hk
  SELECT coalesce(CAST(t."l_users_accounts_hk" AS varchar), 'NULL') AS failing_key
  FROM iceberg.data_vault.l_users_accounts t
  JOIN (SELECT DISTINCT "l_users_accounts_hk" FROM scoped) k
    ON t."l_users_accounts_hk" = k."l_users_accounts_hk"
  GROUP BY t."l_users_accounts_hk"
  HAVING count(*) > 1
),
c1 AS (
  -- relationships h_users_hk → h_users
  SELECT CAST(s."h_users_hk" AS varchar) AS failing_key
  FROM scoped s
  LEFT JOIN (SELECT DISTINCT "h_users_hk" AS k FROM iceberg.data_vault.h_users) p ON p.k = s."h_users_hk"
  WHERE s."h_users_hk" IS NOT NULL AND p.k IS NULL
),
c2 AS (
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
  UNION ALL
  SELECT 2 AS check_index, failing_key, count(*) OVER () AS failing_rows, row_number() OVER (ORDER BY failing_key) AS n FROM c2
)
WHERE n <= 5
ORDER BY check_index, failing_key;
