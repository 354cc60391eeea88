-- model parsed_data.parsed_accounts (full refresh), input iceberg.raw_data.accounts
-- input rows: every row (printed offline; a run reads the Kafka offsets above its watermark, see ops.materializations)

-- [ddl]
CREATE SCHEMA IF NOT EXISTS iceberg.ops;

-- [ddl]
CREATE TABLE IF NOT EXISTS iceberg.ops.materializations (
  asset varchar,
  run_id varchar,
  status varchar,
  full_refresh boolean,
  input_ranges varchar,
  rows_in bigint,
  rows_out bigint,
  rows_rejected bigint,
  started_at timestamp(6) with time zone,
  finished_at timestamp(6) with time zone
)
WITH (format_version = 2, partitioning = ARRAY['asset']);

-- [reset]
-- INSERT INTO iceberg.ops.materializations ... status 'reset' (watermark forgotten)

-- [ddl]
CREATE SCHEMA IF NOT EXISTS iceberg.parsed_data;

-- [reset]
CREATE OR REPLACE TABLE iceberg.parsed_data.parsed_accounts (
  "id" varchar,
  "user_id" varchar,
  "currency" varchar,
  "balance" decimal(15,2),
  "created_at" date,
  op varchar,
  is_deleted boolean,
  source_lsn bigint,
  source_tx_id bigint,
  effective_from timestamp(6) with time zone,
  kafka_partition integer,
  kafka_offset bigint,
  load_ts timestamp(6) with time zone
)
WITH (format_version = 2, partitioning = ARRAY['kafka_partition']);

-- [reset]
CREATE OR REPLACE TABLE iceberg.parsed_data.rejected_accounts (
  reason varchar,
  payload varchar,
  op varchar,
  source_lsn bigint,
  kafka_partition integer,
  kafka_offset bigint,
  kafka_timestamp timestamp(6) with time zone,
  load_ts timestamp(6) with time zone
)
WITH (format_version = 2, partitioning = ARRAY['kafka_partition']);

-- [rejects]
MERGE INTO iceberg.parsed_data.rejected_accounts t
USING (
  WITH src AS (
    SELECT data, op, source_ts_ms, source_tx_id, CASE WHEN source_lsn IS NULL AND op = 'r' THEN 0 ELSE source_lsn END AS source_lsn,
      kafka_partition, kafka_offset, kafka_timestamp, ingested_at,
      try(json_parse(data)) AS j
    FROM iceberg.raw_data.accounts
    WHERE TRUE
  ), fields AS (
    SELECT src.*,
      json_extract_scalar(j, '$.id') AS "id__raw",
      json_extract_scalar(j, '$.user_id') AS "user_id__raw",
      json_extract_scalar(j, '$.currency') AS "currency__raw",
      json_extract_scalar(j, '$.balance') AS "balance__raw",
      json_extract_scalar(j, '$.created_at') AS "created_at__raw"
    FROM src
  ), typed AS (
    SELECT fields.*,
      try(CAST(CAST("id__raw" AS uuid) AS varchar)) AS "id",
      try(CAST(CAST("user_id__raw" AS uuid) AS varchar)) AS "user_id",
      "currency__raw" AS "currency",
      CASE WHEN try(CAST("balance__raw" AS decimal(38, 25))) = try(CAST("balance__raw" AS decimal(15,2))) THEN try(CAST("balance__raw" AS decimal(15,2))) END AS "balance",
      coalesce(try(date_add('day', CAST("created_at__raw" AS integer), DATE '1970-01-01')), try(CAST("created_at__raw" AS date))) AS "created_at"
    FROM fields
  ), checked AS (
    SELECT typed.*,
      CASE
        WHEN data IS NULL THEN 'empty message'
        WHEN op IS NULL THEN 'not a Debezium change event (no op)'
        WHEN op NOT IN ('c', 'r', 'u', 'd') THEN 'unknown op: ' || op
        WHEN j IS NULL THEN 'malformed JSON'
        WHEN source_lsn IS NULL THEN 'missing source LSN'
        WHEN "id__raw" IS NULL THEN 'missing key: id'
        WHEN "id__raw" IS NOT NULL AND "id" IS NULL THEN 'bad value for id (uuid)'
        WHEN "user_id__raw" IS NOT NULL AND "user_id" IS NULL THEN 'bad value for user_id (uuid)'
        WHEN "currency__raw" IS NOT NULL AND "currency" IS NULL THEN 'bad value for currency (varchar)'
        WHEN "balance__raw" IS NOT NULL AND "balance" IS NULL THEN 'bad value for balance (decimal(15,2))'
        WHEN "created_at__raw" IS NOT NULL AND "created_at" IS NULL THEN 'bad value for created_at (date)'
      END AS reject_reason
    FROM typed
  )
  SELECT reject_reason AS reason, data AS payload, op, source_lsn, kafka_partition, kafka_offset, kafka_timestamp, ingested_at AS load_ts
  FROM checked
  WHERE reject_reason IS NOT NULL
) s
ON t.kafka_partition = s.kafka_partition AND t.kafka_offset = s.kafka_offset
  AND TRUE
WHEN NOT MATCHED THEN INSERT (reason, payload, op, source_lsn, kafka_partition, kafka_offset, kafka_timestamp, load_ts)
VALUES (s.reason, s.payload, s.op, s.source_lsn, s.kafka_partition, s.kafka_offset, s.kafka_timestamp, s.load_ts);

-- [model]
MERGE INTO iceberg.parsed_data.parsed_accounts t
USING (
  WITH src AS (
    SELECT data, op, source_ts_ms, source_tx_id, CASE WHEN source_lsn IS NULL AND op = 'r' THEN 0 ELSE source_lsn END AS source_lsn,
      kafka_partition, kafka_offset, kafka_timestamp, ingested_at,
      try(json_parse(data)) AS j
    FROM iceberg.raw_data.accounts
    WHERE TRUE
  ), fields AS (
    SELECT src.*,
      json_extract_scalar(j, '$.id') AS "id__raw",
      json_extract_scalar(j, '$.user_id') AS "user_id__raw",
      json_extract_scalar(j, '$.currency') AS "currency__raw",
      json_extract_scalar(j, '$.balance') AS "balance__raw",
      json_extract_scalar(j, '$.created_at') AS "created_at__raw"
    FROM src
  ), typed AS (
    SELECT fields.*,
      try(CAST(CAST("id__raw" AS uuid) AS varchar)) AS "id",
      try(CAST(CAST("user_id__raw" AS uuid) AS varchar)) AS "user_id",
      "currency__raw" AS "currency",
      CASE WHEN try(CAST("balance__raw" AS decimal(38, 25))) = try(CAST("balance__raw" AS decimal(15,2))) THEN try(CAST("balance__raw" AS decimal(15,2))) END AS "balance",
      coalesce(try(date_add('day', CAST("created_at__raw" AS integer), DATE '1970-01-01')), try(CAST("created_at__raw" AS date))) AS "created_at"
    FROM fields
  ), checked AS (
    SELECT typed.*,
      CASE
        WHEN data IS NULL THEN 'empty message'
        WHEN op IS NULL THEN 'not a Debezium change event (no op)'
        WHEN op NOT IN ('c', 'r', 'u', 'd') THEN 'unknown op: ' || op
        WHEN j IS NULL THEN 'malformed JSON'
        WHEN source_lsn IS NULL THEN 'missing source LSN'
        WHEN "id__raw" IS NULL THEN 'missing key: id'
        WHEN "id__raw" IS NOT NULL AND "id" IS NULL THEN 'bad value for id (uuid)'
        WHEN "user_id__raw" IS NOT NULL AND "user_id" IS NULL THEN 'bad value for user_id (uuid)'
        WHEN "currency__raw" IS NOT NULL AND "currency" IS NULL THEN 'bad value for currency (varchar)'
        WHEN "balance__raw" IS NOT NULL AND "balance" IS NULL THEN 'bad value for balance (decimal(15,2))'
        WHEN "created_at__raw" IS NOT NULL AND "created_at" IS NULL THEN 'bad value for created_at (date)'
      END AS reject_reason
    FROM typed
  )
  SELECT "id", "user_id", "currency", "balance", "created_at",
    op, op = 'd' AS is_deleted, source_lsn, source_tx_id,
    CAST(from_unixtime_nanos(source_ts_ms * 1000000) AS timestamp(6) with time zone) AS effective_from,
    kafka_partition, kafka_offset, ingested_at AS load_ts
  FROM (
    SELECT checked.*,
      row_number() OVER (PARTITION BY "id", source_lsn, op ORDER BY kafka_partition, kafka_offset) AS copy
    FROM checked
    WHERE reject_reason IS NULL
  )
  WHERE copy = 1
) s
ON t."id" = s."id" AND t.source_lsn = s.source_lsn AND t.op = s.op
WHEN NOT MATCHED THEN INSERT ("id", "user_id", "currency", "balance", "created_at", "op", "is_deleted", "source_lsn", "source_tx_id", "effective_from", "kafka_partition", "kafka_offset", "load_ts")
VALUES (s."id", s."user_id", s."currency", s."balance", s."created_at", s."op", s."is_deleted", s."source_lsn", s."source_tx_id", s."effective_from", s."kafka_partition", s."kafka_offset", s."load_ts");

-- [record]
-- INSERT INTO iceberg.ops.materializations ... status 'succeeded', input_ranges = the batch's offsets (the new watermark), row counts
