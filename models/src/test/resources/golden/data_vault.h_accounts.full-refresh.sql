-- model data_vault.h_accounts (full refresh), input iceberg.parsed_data.parsed_accounts
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
CREATE SCHEMA IF NOT EXISTS iceberg.data_vault;

-- [reset]
CREATE OR REPLACE TABLE iceberg.data_vault.h_accounts (
  "h_accounts_hk" varchar,
  "id" varchar,
  load_ts timestamp(6) with time zone,
  record_source varchar
)
WITH (format_version = 2);

-- [model]
MERGE INTO iceberg.data_vault.h_accounts t
USING (
  SELECT "h_accounts_hk", "id", "load_ts", "record_source"
  FROM (
    SELECT k.*, row_number() OVER (PARTITION BY "h_accounts_hk" ORDER BY source_lsn, kafka_partition, kafka_offset) AS sighting
    FROM (
      SELECT k.*, min(CASE WHEN source_lsn > 0 THEN kafka_offset END) OVER (PARTITION BY "h_accounts_hk", kafka_partition) AS first_streamed_offset
      FROM (
        SELECT lower(to_hex(md5(to_utf8(coalesce(nullif(upper(trim(cast("id" AS varchar))), ''), '^^'))))) AS "h_accounts_hk",
          "id", source_lsn, kafka_partition, kafka_offset, load_ts,
          'bank.public.accounts' AS record_source
        FROM iceberg.parsed_data.parsed_accounts
        WHERE TRUE
      ) k
    ) k
    -- a snapshot read (LSN 0) after a streamed change of its key restates it: not a sighting of its own
    WHERE (source_lsn > 0 OR first_streamed_offset IS NULL OR first_streamed_offset > kafka_offset)
  )
  WHERE sighting = 1
) s
ON t."h_accounts_hk" = s."h_accounts_hk"
WHEN NOT MATCHED THEN INSERT ("h_accounts_hk", "id", "load_ts", "record_source")
VALUES (s."h_accounts_hk", s."id", s."load_ts", s."record_source");

-- [record]
-- INSERT INTO iceberg.ops.materializations ... status 'succeeded', input_ranges = the batch's offsets (the new watermark), row counts
