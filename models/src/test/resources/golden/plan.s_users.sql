SELECT 'pending' AS kind, kafka_partition, max(kafka_offset), count(*), min(ordering_lsn), CAST(NULL AS varchar)
FROM (
  SELECT kafka_partition, kafka_offset, CASE WHEN source_lsn IS NULL AND op = 'r' THEN 0 ELSE source_lsn END AS ordering_lsn FROM iceberg.parsed_data.parsed_users WHERE ((kafka_partition = 0 AND kafka_offset > 97)
      OR (kafka_partition = 1 AND kafka_offset > 12))
  UNION ALL
  SELECT kafka_partition, kafka_offset, CASE WHEN source_lsn IS NULL AND op = 'r' THEN 0 ELSE source_lsn END AS ordering_lsn FROM iceberg.parsed_data.parsed_users WHERE kafka_partition NOT IN (0, 1)
)
GROUP BY kafka_partition
UNION ALL
SELECT 'watermark', NULL, NULL, NULL, NULL, input_ranges
FROM (
  SELECT input_ranges FROM iceberg.ops.materializations
  WHERE asset = 'data_vault.s_users' AND status IN ('succeeded', 'reset')
  ORDER BY finished_at DESC
  LIMIT 1
)
