SET 'pipeline.name' = 'lakehouse-ingest';

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
  TRY_CAST(JSON_VALUE(e.`message`, '$.payload.ts_ms') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`message`, '$.payload.source.ts_ms') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`message`, '$.payload.source.txId') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`message`, '$.payload.source.lsn') AS BIGINT),
  JSON_VALUE(e.`message`, '$.payload.source.connector'),
  JSON_VALUE(e.`message`, '$.payload.source.db'),
  JSON_VALUE(e.`message`, '$.payload.source.schema'),
  JSON_VALUE(e.`message`, '$.payload.source.table'),
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
      k.`message`, k.`kafka_partition`, k.`kafka_offset`, k.`kafka_timestamp`,
      JSON_VALUE(k.`message`, '$.payload.op') AS `raw_op`,
      JSON_QUERY(k.`message`, '$.payload.before') AS `before_image`,
      JSON_QUERY(k.`message`, '$.payload.after') AS `after_image`
    FROM `kafka_accounts` AS k
    -- a null value is a Kafka tombstone, not a change: skipped on purpose
    WHERE k.`message` IS NOT NULL
  ) AS m
) AS e;
INSERT INTO `iceberg`.`raw_data`.`users` (`data`, `op`, `ts_ms`, `source_ts_ms`, `source_tx_id`, `source_lsn`, `source_connector`, `source_db`, `source_schema`, `source_table`, `kafka_partition`, `kafka_offset`, `kafka_timestamp`, `ingested_at`)
SELECT
  CASE WHEN e.`op` IS NULL THEN e.`message` WHEN e.`op` = 'd' THEN e.`before_image` ELSE e.`after_image` END,
  e.`op`,
  TRY_CAST(JSON_VALUE(e.`message`, '$.payload.ts_ms') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`message`, '$.payload.source.ts_ms') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`message`, '$.payload.source.txId') AS BIGINT),
  TRY_CAST(JSON_VALUE(e.`message`, '$.payload.source.lsn') AS BIGINT),
  JSON_VALUE(e.`message`, '$.payload.source.connector'),
  JSON_VALUE(e.`message`, '$.payload.source.db'),
  JSON_VALUE(e.`message`, '$.payload.source.schema'),
  JSON_VALUE(e.`message`, '$.payload.source.table'),
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
      k.`message`, k.`kafka_partition`, k.`kafka_offset`, k.`kafka_timestamp`,
      JSON_VALUE(k.`message`, '$.payload.op') AS `raw_op`,
      JSON_QUERY(k.`message`, '$.payload.before') AS `before_image`,
      JSON_QUERY(k.`message`, '$.payload.after') AS `after_image`
    FROM `kafka_users` AS k
    -- a null value is a Kafka tombstone, not a change: skipped on purpose
    WHERE k.`message` IS NOT NULL
  ) AS m
) AS e;
END;
