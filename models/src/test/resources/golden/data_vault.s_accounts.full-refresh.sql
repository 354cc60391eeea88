-- model data_vault.s_accounts (full refresh), input iceberg.parsed_data.parsed_accounts
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

-- [ddl]
CREATE TABLE IF NOT EXISTS iceberg.data_vault.h_accounts (
  "h_accounts_hk" varchar,
  "id" varchar,
  load_ts timestamp(6) with time zone,
  record_source varchar
)
WITH (format_version = 2);

-- [reset]
CREATE OR REPLACE TABLE iceberg.data_vault.s_accounts (
  "h_accounts_hk" varchar,
  hashdiff varchar,
  "currency" varchar,
  "balance" decimal(15,2),
  "created_at" date,
  is_deleted boolean,
  effective_from timestamp(6) with time zone,
  source_lsn bigint,
  load_ts timestamp(6) with time zone,
  record_source varchar
)
WITH (format_version = 2);

-- [reset]
CREATE OR REPLACE TABLE iceberg.data_vault.s_accounts_state (
  "h_accounts_hk" varchar,
  hashdiff varchar,
  source_lsn bigint
)
WITH (format_version = 2);

-- [ddl]
CREATE OR REPLACE VIEW iceberg.data_vault.v_accounts_current AS
SELECT h."id", s."currency", s."balance", s."created_at", s.effective_from, s.source_lsn, s.load_ts, s."h_accounts_hk"
FROM (
  SELECT x.*, row_number() OVER (PARTITION BY "h_accounts_hk" ORDER BY source_lsn DESC) AS recency
  FROM iceberg.data_vault.s_accounts x
) s
JOIN iceberg.data_vault.h_accounts h ON h."h_accounts_hk" = s."h_accounts_hk"
WHERE s.recency = 1 AND NOT s.is_deleted;

-- [model]
MERGE INTO iceberg.data_vault.s_accounts t
USING (
  WITH batch AS (
    SELECT lower(to_hex(md5(to_utf8(coalesce(nullif(upper(trim(cast("id" AS varchar))), ''), '^^'))))) AS "h_accounts_hk",
      lower(to_hex(md5(to_utf8(regexp_replace(coalesce(nullif(trim(cast("currency" AS varchar)), ''), '^^') || '||' || coalesce(nullif(trim(cast("balance" AS varchar)), ''), '^^') || '||' || coalesce(nullif(trim(cast("created_at" AS varchar)), ''), '^^'), '(\|\|\^\^)+$', '') || '||' || coalesce(nullif(trim(cast(is_deleted AS varchar)), ''), '^^'))))) AS hashdiff,
      "currency", "balance", "created_at", is_deleted, effective_from, source_lsn, load_ts,
      'bank.public.accounts' AS record_source, kafka_partition, kafka_offset
    FROM iceberg.parsed_data.parsed_accounts
    WHERE TRUE
  ), fresh AS (
    -- one row per key and LSN, newer than the latest stored row of the key
    SELECT b.*, st.hashdiff AS stored_hashdiff,
      row_number() OVER (PARTITION BY b."h_accounts_hk", b.source_lsn ORDER BY b.kafka_partition, b.kafka_offset) AS copy,
      -- the key's first streamed change in this Kafka partition: a snapshot read (LSN 0) after it restates it
      min(CASE WHEN b.source_lsn > 0 THEN b.kafka_offset END) OVER (PARTITION BY b."h_accounts_hk", b.kafka_partition) AS first_streamed_offset
    FROM batch b
    LEFT JOIN iceberg.data_vault.s_accounts_state st ON st."h_accounts_hk" = b."h_accounts_hk"
    WHERE st."h_accounts_hk" IS NULL OR b.source_lsn > st.source_lsn
  ), compared AS (
    SELECT f.*,
      coalesce(lag(hashdiff) OVER (PARTITION BY "h_accounts_hk" ORDER BY source_lsn), stored_hashdiff) AS previous_hashdiff
    FROM fresh f
    WHERE copy = 1 AND (source_lsn > 0 OR first_streamed_offset IS NULL OR first_streamed_offset > kafka_offset)
  )
  SELECT "h_accounts_hk", "hashdiff", "currency", "balance", "created_at", "is_deleted", "effective_from", "source_lsn", "load_ts", "record_source"
  FROM compared
  WHERE previous_hashdiff IS NULL OR previous_hashdiff <> hashdiff
) s
ON t."h_accounts_hk" = s."h_accounts_hk" AND t.source_lsn = s.source_lsn
WHEN NOT MATCHED THEN INSERT ("h_accounts_hk", "hashdiff", "currency", "balance", "created_at", "is_deleted", "effective_from", "source_lsn", "load_ts", "record_source")
VALUES (s."h_accounts_hk", s."hashdiff", s."currency", s."balance", s."created_at", s."is_deleted", s."effective_from", s."source_lsn", s."load_ts", s."record_source");

-- [state]
MERGE INTO iceberg.data_vault.s_accounts_state t
USING (
  SELECT "h_accounts_hk", max_by(hashdiff, source_lsn) AS hashdiff, max(source_lsn) AS source_lsn
  FROM iceberg.data_vault.s_accounts
  GROUP BY "h_accounts_hk"
) s
ON t."h_accounts_hk" = s."h_accounts_hk"
WHEN MATCHED AND s.source_lsn > t.source_lsn THEN UPDATE SET hashdiff = s.hashdiff, source_lsn = s.source_lsn
WHEN NOT MATCHED THEN INSERT ("h_accounts_hk", hashdiff, source_lsn)
VALUES (s."h_accounts_hk", s.hashdiff, s.source_lsn);

-- [record]
-- INSERT INTO iceberg.ops.materializations ... status 'succeeded', input_ranges = the batch's offsets (the new watermark), row counts
