SET 'pipeline.name' = 'lakehouse-ingest-6b242c75';

SET 'execution.runtime-mode' = 'streaming';

SET 'execution.checkpointing.interval' = '10000 ms';

SET 'execution.checkpointing.mode' = 'EXACTLY_ONCE';

SET 'execution.checkpointing.externalized-checkpoint-retention' = 'RETAIN_ON_CANCELLATION';

CREATE CATALOG `iceberg` WITH (
  'type' = 'iceberg',
  'catalog-type' = 'rest',
  'uri' = 'http://127.0.0.1:8181',
  'warehouse' = 's3://warehouse',
  'io-impl' = 'org.apache.iceberg.aws.s3.S3FileIO',
  's3.endpoint' = 'http://127.0.0.1:9000',
  's3.path-style-access' = 'true',
  's3.access-key-id' = 'admin',
  's3.secret-access-key' = 'password',
  'client.region' = 'us-east-1'
);

CREATE TEMPORARY TABLE `kafka_accounts` (
  `message` STRING,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'bank.public.accounts',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'properties.group.id' = 'lakehouse-ingest',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'properties.commit.offsets.on.checkpoint' = 'true',
  'value.format' = 'raw'
);

CREATE TEMPORARY TABLE `kafka_users` (
  `message` STRING,
  `kafka_partition` INT METADATA FROM 'partition' VIRTUAL,
  `kafka_offset` BIGINT METADATA FROM 'offset' VIRTUAL,
  `kafka_timestamp` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL
) WITH (
  'connector' = 'kafka',
  'topic' = 'bank.public.users',
  'properties.bootstrap.servers' = '127.0.0.1:9092',
  'properties.group.id' = 'lakehouse-ingest',
  'scan.startup.mode' = 'group-offsets',
  'properties.auto.offset.reset' = 'earliest',
  'properties.commit.offsets.on.checkpoint' = 'true',
  'value.format' = 'raw'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `iceberg`.`raw_data`.`accounts` (`data`, `op`, `ts_ms`, `source_ts_ms`, `source_tx_id`, `source_lsn`, `source_connector`, `source_db`, `source_schema`, `source_table`, `kafka_partition`, `kafka_offset`, `kafka_timestamp`, `ingested_at`)
SELECT
  CASE WHEN e.`op` IS NULL THEN e.`message` WHEN e.`op` = 'd' THEN e.`before_image` ELSE e.`after_image` END,
  e.`op`,
  TRY_CAST(JSON_VALUE(e.`envelope`, '$.ts_ms') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`envelope`, '$.source.ts_ms') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`envelope`, '$.source.txId') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`envelope`, '$.source.lsn') AS BIGINT),
  JSON_VALUE(e.`envelope`, '$.source.connector'),
  JSON_VALUE(e.`envelope`, '$.source.db'),
  JSON_VALUE(e.`envelope`, '$.source.schema'),
  JSON_VALUE(e.`envelope`, '$.source.table'),
  e.`kafka_partition`,
  e.`kafka_offset`,
  e.`kafka_timestamp`,
  CURRENT_TIMESTAMP
FROM (
  SELECT
    m.*,
    CASE
      WHEN m.`raw_op` = 'd' AND m.`before_image` IS NOT NULL THEN 'd'
      WHEN m.`raw_op` IN ('c', 'r', 'u') AND m.`after_image` IS NOT NULL THEN m.`raw_op`
    END AS `op`
  FROM (
    SELECT
      v.*,
      JSON_VALUE(v.`envelope`, '$.op') AS `raw_op`,
      JSON_QUERY(v.`envelope`, '$.before') AS `before_image`,
      JSON_QUERY(v.`envelope`, '$.after') AS `after_image`
    FROM (
      SELECT
        k.`message`, k.`kafka_partition`, k.`kafka_offset`, k.`kafka_timestamp`,
        -- written with schemas (before 2026-11-26): the change is under payload
        CASE WHEN k.`message` LIKE '{"schema":%' THEN JSON_QUERY(k.`message`, '$.payload')
          ELSE k.`message` END AS `envelope`
      FROM `kafka_accounts` AS k
      -- a null value is a Kafka tombstone, not a change: skipped on purpose
      WHERE k.`message` IS NOT NULL
    ) AS v
  ) AS m
) AS e;
INSERT INTO `iceberg`.`raw_data`.`users` (`data`, `op`, `ts_ms`, `source_ts_ms`, `source_tx_id`, `source_lsn`, `source_connector`, `source_db`, `source_schema`, `source_table`, `kafka_partition`, `kafka_offset`, `kafka_timestamp`, `ingested_at`)
SELECT
  CASE WHEN e.`op` IS NULL THEN e.`message` WHEN e.`op` = 'd' THEN e.`before_image` ELSE e.`after_image` END,
  e.`op`,
  TRY_CAST(JSON_VALUE(e.`envelope`, '$.ts_ms') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`envelope`, '$.source.ts_ms') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`envelope`, '$.source.txId') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`envelope`, '$.source.lsn') AS BIGINT),
  JSON_VALUE(e.`envelope`, '$.source.connector'),
  JSON_VALUE(e.`envelope`, '$.source.db'),
  JSON_VALUE(e.`envelope`, '$.source.schema'),
  JSON_VALUE(e.`envelope`, '$.source.table'),
  e.`kafka_partition`,
  e.`kafka_offset`,
  e.`kafka_timestamp`,
  CURRENT_TIMESTAMP
FROM (
  SELECT
    m.*,
    CASE
      WHEN m.`raw_op` = 'd' AND m.`before_image` IS NOT NULL THEN 'd'
      WHEN m.`raw_op` IN ('c', 'r', 'u') AND m.`after_image` IS NOT NULL THEN m.`raw_op`
    END AS `op`
  FROM (
    SELECT
      v.*,
      JSON_VALUE(v.`envelope`, '$.op') AS `raw_op`,
      JSON_QUERY(v.`envelope`, '$.before') AS `before_image`,
      JSON_QUERY(v.`envelope`, '$.after') AS `after_image`
    FROM (
      SELECT
        k.`message`, k.`kafka_partition`, k.`kafka_offset`, k.`kafka_timestamp`,
        -- written with schemas (before 2026-11-26): the change is under payload
        CASE WHEN k.`message` LIKE '{"schema":%' THEN JSON_QUERY(k.`message`, '$.payload')
          ELSE k.`message` END AS `envelope`
      FROM `kafka_users` AS k
      -- a null value is a Kafka tombstone, not a change: skipped on purpose
      WHERE k.`message` IS NOT NULL
    ) AS v
  ) AS m
) AS e;
END;
