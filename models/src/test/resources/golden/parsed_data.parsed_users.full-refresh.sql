-- model parsed_data.parsed_users (full refresh), input iceberg.raw_data.users
-- input rows: every row (printed offline; a run reads the Kafka offsets above its watermark, see ops.materializations)

-- [reset]
-- INSERT INTO iceberg.ops.materializations ... status 'reset' (watermark forgotten), only when the rebuild reads less than the watermark covers (a bounded batch, a recreated topic)

-- [rejects]
CREATE OR REPLACE TABLE iceberg.parsed_data.rejected_users
WITH (format_version = 2, partitioning = ARRAY['kafka_partition'])
AS
SELECT CAST(reason AS varchar) AS reason,
  CAST(payload AS varchar) AS payload,
  CAST(op AS varchar) AS op,
  CAST(source_lsn AS bigint) AS source_lsn,
  CAST(kafka_partition AS integer) AS kafka_partition,
  CAST(kafka_offset AS bigint) AS kafka_offset,
  CAST(kafka_timestamp AS timestamp(6) with time zone) AS kafka_timestamp,
  CAST(load_ts AS timestamp(6) with time zone) AS load_ts
FROM (
  WITH src AS (
    SELECT data, op, source_ts_ms, source_tx_id, CASE WHEN source_lsn IS NULL AND op = 'r' THEN 0 ELSE source_lsn END AS source_lsn,
      kafka_partition, kafka_offset, kafka_timestamp, ingested_at,
      try(json_parse(data)) AS j
    FROM iceberg.raw_data.users
    WHERE TRUE
  ), fields AS (
    SELECT src.*,
      json_extract_scalar(j, '$.id') AS "id__raw",
      json_extract_scalar(j, '$.email') AS "email__raw",
      json_extract_scalar(j, '$.name') AS "name__raw",
      json_extract_scalar(j, '$.created_at') AS "created_at__raw"
    FROM src
  ), typed AS (
    SELECT fields.*,
      try(CAST(CAST("id__raw" AS uuid) AS varchar)) AS "id",
      "email__raw" AS "email",
      "name__raw" AS "name",
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
        WHEN "email__raw" IS NOT NULL AND "email" IS NULL THEN 'bad value for email (varchar)'
        WHEN "name__raw" IS NOT NULL AND "name" IS NULL THEN 'bad value for name (varchar)'
        WHEN "created_at__raw" IS NOT NULL AND "created_at" IS NULL THEN 'bad value for created_at (date)'
      END AS reject_reason
    FROM typed
  )
  SELECT reject_reason AS reason, data AS payload, op, source_lsn, kafka_partition, kafka_offset, kafka_timestamp, ingested_at AS load_ts
  FROM checked
  WHERE reject_reason IS NOT NULL
);

-- [model]
CREATE OR REPLACE TABLE iceberg.parsed_data.parsed_users
WITH (format_version = 2, partitioning = ARRAY['kafka_partition'])
AS
SELECT CAST("id" AS varchar) AS "id",
  CAST("email" AS varchar) AS "email",
  CAST("name" AS varchar) AS "name",
  CAST("created_at" AS date) AS "created_at",
  CAST(op AS varchar) AS op,
  CAST(is_deleted AS boolean) AS is_deleted,
  CAST(source_lsn AS bigint) AS source_lsn,
  CAST(source_tx_id AS bigint) AS source_tx_id,
  CAST(effective_from AS timestamp(6) with time zone) AS effective_from,
  CAST(kafka_partition AS integer) AS kafka_partition,
  CAST(kafka_offset AS bigint) AS kafka_offset,
  CAST(load_ts AS timestamp(6) with time zone) AS load_ts
FROM (
  WITH src AS (
    SELECT data, op, source_ts_ms, source_tx_id, CASE WHEN source_lsn IS NULL AND op = 'r' THEN 0 ELSE source_lsn END AS source_lsn,
      kafka_partition, kafka_offset, kafka_timestamp, ingested_at,
      try(json_parse(data)) AS j
    FROM iceberg.raw_data.users
    WHERE TRUE
  ), fields AS (
    SELECT src.*,
      json_extract_scalar(j, '$.id') AS "id__raw",
      json_extract_scalar(j, '$.email') AS "email__raw",
      json_extract_scalar(j, '$.name') AS "name__raw",
      json_extract_scalar(j, '$.created_at') AS "created_at__raw"
    FROM src
  ), typed AS (
    SELECT fields.*,
      try(CAST(CAST("id__raw" AS uuid) AS varchar)) AS "id",
      "email__raw" AS "email",
      "name__raw" AS "name",
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
        WHEN "email__raw" IS NOT NULL AND "email" IS NULL THEN 'bad value for email (varchar)'
        WHEN "name__raw" IS NOT NULL AND "name" IS NULL THEN 'bad value for name (varchar)'
        WHEN "created_at__raw" IS NOT NULL AND "created_at" IS NULL THEN 'bad value for created_at (date)'
      END AS reject_reason
    FROM typed
  )
  SELECT "id", "email", "name", "created_at",
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
);

-- [record]
-- INSERT INTO iceberg.ops.materializations ... status 'succeeded', input_ranges = the batch's offsets (the new watermark), row counts
