-- model data_vault.s_accounts (full refresh), input iceberg.parsed_data.parsed_accounts
-- input rows: every row (printed offline; a run reads the Kafka offsets above its watermark, see ops.materializations)

-- [reset]
-- INSERT INTO iceberg.ops.materializations ... status 'reset' (watermark forgotten), only when the rebuild reads less than the watermark covers (a bounded batch, a recreated topic)

-- [model]
CREATE OR REPLACE TABLE iceberg.data_vault.s_accounts
WITH (format_version = 2)
AS
SELECT CAST("h_accounts_hk" AS varchar) AS "h_accounts_hk",
  CAST(hashdiff AS varchar) AS hashdiff,
  CAST("currency" AS varchar) AS "currency",
  CAST("balance" AS decimal(15,2)) AS "balance",
  CAST("created_at" AS date) AS "created_at",
  CAST(is_deleted AS boolean) AS is_deleted,
  CAST(effective_from AS timestamp(6) with time zone) AS effective_from,
  CAST(source_lsn AS bigint) AS source_lsn,
  CAST(load_ts AS timestamp(6) with time zone) AS load_ts,
  CAST(record_source AS varchar) AS record_source
FROM (
  WITH batch AS (
    SELECT lower(to_hex(md5(to_utf8(coalesce(nullif(upper(trim(cast("id" AS varchar))), ''), '^^'))))) AS "h_accounts_hk",
      lower(to_hex(md5(to_utf8(regexp_replace(coalesce(nullif(trim(cast("currency" AS varchar)), ''), '^^') || '||' || coalesce(nullif(trim(cast("balance" AS varchar)), ''), '^^') || '||' || coalesce(nullif(trim(cast("created_at" AS varchar)), ''), '^^'), '(\|\|\^\^)+$', '') || '||' || coalesce(nullif(trim(cast(is_deleted AS varchar)), ''), '^^'))))) AS hashdiff,
      "currency", "balance", "created_at", is_deleted, effective_from, source_lsn, load_ts,
      'bank.public.accounts' AS record_source, kafka_partition, kafka_offset
    FROM iceberg.parsed_data.parsed_accounts
    WHERE TRUE
  ), fresh AS (
    -- one row per key and LSN (a rebuild: no stored row)
    SELECT b.*, CAST(NULL AS varchar) AS stored_hashdiff,
      row_number() OVER (PARTITION BY b."h_accounts_hk", b.source_lsn ORDER BY b.kafka_partition, b.kafka_offset) AS copy,
      -- the key's first streamed change in this Kafka partition: a snapshot read (LSN 0) after it restates it
      min(CASE WHEN b.source_lsn > 0 THEN b.kafka_offset END) OVER (PARTITION BY b."h_accounts_hk", b.kafka_partition) AS first_streamed_offset
    FROM batch b
  ), compared AS (
    SELECT f.*,
      coalesce(lag(hashdiff) OVER (PARTITION BY "h_accounts_hk" ORDER BY source_lsn), stored_hashdiff) AS previous_hashdiff
    FROM fresh f
    WHERE copy = 1 AND (source_lsn > 0 OR first_streamed_offset IS NULL OR first_streamed_offset > kafka_offset)
  )
  SELECT "h_accounts_hk", "hashdiff", "currency", "balance", "created_at", "is_deleted", "effective_from", "source_lsn", "load_ts", "record_source"
  FROM compared
  WHERE previous_hashdiff IS NULL OR previous_hashdiff <> hashdiff
);

-- [state]
CREATE OR REPLACE TABLE iceberg.data_vault.s_accounts_state
WITH (format_version = 2)
AS
SELECT CAST("h_accounts_hk" AS varchar) AS "h_accounts_hk",
  CAST(hashdiff AS varchar) AS hashdiff,
  CAST(source_lsn AS bigint) AS source_lsn
FROM (
  SELECT "h_accounts_hk", max_by(hashdiff, source_lsn) AS hashdiff, max(source_lsn) AS source_lsn
  FROM iceberg.data_vault.s_accounts
  GROUP BY "h_accounts_hk"
);

-- [record]
-- INSERT INTO iceberg.ops.materializations ... status 'succeeded', input_ranges = the batch's offsets (the new watermark), row counts
