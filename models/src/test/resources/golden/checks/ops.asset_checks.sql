CREATE SCHEMA IF NOT EXISTS iceberg.ops;

CREATE TABLE IF NOT EXISTS iceberg.ops.asset_checks (
  asset varchar,
  check_name varchar,
  kind varchar,
  severity varchar,
  passed boolean,
  failing_rows bigint,
  sample array(varchar),
  message varchar,
  run_id varchar,
  full_table boolean,
  checked_at timestamp(6) with time zone
)
WITH (format_version = 2, partitioning = ARRAY['asset']);

INSERT INTO iceberg.ops.asset_checks (asset, check_name, kind, severity, passed, failing_rows, sample, message, run_id, full_table, checked_at)
VALUES ('data_vault.h_users', 'unique id', 'unique', 'error', false, 1, ARRAY['u''1'], NULL, 'materializer-run-1', false, TIMESTAMP '2026-12-06 08:00:00.000000 UTC'),
  ('data_vault.h_users', 'unique h_users_hk', 'unique', 'error', true, 0, CAST(ARRAY[] AS array(varchar)), NULL, 'materializer-run-1', false, TIMESTAMP '2026-12-06 08:00:00.000000 UTC'),
  ('data_vault.s_users', 'unique h_users_hk, source_lsn', 'unique', 'error', true, 0, CAST(ARRAY[] AS array(varchar)), NULL, 'materializer-run-1', false, TIMESTAMP '2026-12-06 08:00:00.001000 UTC');

INSERT INTO iceberg.ops.asset_checks (asset, check_name, kind, severity, passed, failing_rows, sample, message, run_id, full_table, checked_at)
SELECT asset, check_name, kind, severity, passed, failing_rows, sample, message, run_id, full_table, checked_at
FROM (VALUES ('data_vault.h_users', 'unique id', 'unique', 'error', false, 1, ARRAY['u''1'], NULL, 'materializer-run-1', false, TIMESTAMP '2026-12-06 08:00:00.000000 UTC'),
  ('data_vault.h_users', 'unique h_users_hk', 'unique', 'error', true, 0, CAST(ARRAY[] AS array(varchar)), NULL, 'materializer-run-1', false, TIMESTAMP '2026-12-06 08:00:00.000000 UTC'),
  ('data_vault.s_users', 'unique h_users_hk, source_lsn', 'unique', 'error', true, 0, CAST(ARRAY[] AS array(varchar)), NULL, 'materializer-run-1', false, TIMESTAMP '2026-12-06 08:00:00.001000 UTC'))
  AS s (asset, check_name, kind, severity, passed, failing_rows, sample, message, run_id, full_table, checked_at)
WHERE NOT EXISTS (SELECT 1 FROM iceberg.ops.asset_checks t WHERE t.run_id = s.run_id AND t.asset = s.asset AND t.check_name = s.check_name AND t.checked_at = s.checked_at);

SELECT asset, check_name, kind, severity, passed, failing_rows, array_join(sample, ', '), message, run_id, checked_at
FROM (
  SELECT c.*, max(checked_at) OVER (PARTITION BY asset) AS latest
  FROM iceberg.ops.asset_checks c
)
WHERE checked_at = latest
ORDER BY asset, check_name;
