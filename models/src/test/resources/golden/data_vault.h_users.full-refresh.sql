-- model data_vault.h_users (full refresh), input iceberg.parsed_data.parsed_users
-- input rows: every row (printed offline; a run reads the Kafka offsets above its watermark, see ops.materializations)

-- [reset]
-- INSERT INTO iceberg.ops.materializations ... status 'reset' (watermark forgotten), only when the rebuild reads less than the watermark covers (a bounded batch, a recreated topic)

-- [model]
CREATE OR REPLACE TABLE iceberg.data_vault.h_users
WITH (format_version = 2)
AS
SELECT CAST("h_users_hk" AS varchar) AS "h_users_hk",
  CAST("id" AS varchar) AS "id",
  CAST(load_ts AS timestamp(6) with time zone) AS load_ts,
  CAST(record_source AS varchar) AS record_source
FROM (
  SELECT "h_users_hk", "id", "load_ts", "record_source"
  FROM (
    SELECT k.*, row_number() OVER (PARTITION BY "h_users_hk" ORDER BY source_lsn, kafka_partition, kafka_offset) AS sighting
    FROM (
      SELECT k.*, min(CASE WHEN source_lsn > 0 THEN kafka_offset END) OVER (PARTITION BY "h_users_hk", kafka_partition) AS first_streamed_offset
      FROM (
        SELECT lower(to_hex(md5(to_utf8(coalesce(nullif(upper(trim(cast("id" AS varchar))), ''), '^^'))))) AS "h_users_hk",
          "id", source_lsn, kafka_partition, kafka_offset, load_ts,
          'bank.public.users' AS record_source
        FROM iceberg.parsed_data.parsed_users
        WHERE TRUE
      ) k
    ) k
    -- a snapshot read (LSN 0) after a streamed change of its key restates it: not a sighting of its own
    WHERE (source_lsn > 0 OR first_streamed_offset IS NULL OR first_streamed_offset > kafka_offset)
  )
  WHERE sighting = 1
);

-- [record]
-- INSERT INTO iceberg.ops.materializations ... status 'succeeded', input_ranges = the batch's offsets (the new watermark), row counts
