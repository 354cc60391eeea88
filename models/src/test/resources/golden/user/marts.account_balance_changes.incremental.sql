-- user model marts.account_balance_changes (marts/account_balance_changes.sql, incremental merge on h_accounts_hk, source_lsn, is_incremental() true)
-- One row per balance change of an account, with the delta to the previous balance.

-- [ddl]
CREATE SCHEMA IF NOT EXISTS iceberg.marts;

-- [model]
MERGE INTO iceberg.marts.account_balance_changes t
USING (
  -- One row per change of an account's balance (the first row of an account is its opening balance), with the
  -- delta to the previous balance. Incremental and exact: a run recomputes the whole history of the accounts that
  -- got rows in s_accounts since this model's last run (new_rows: the satellite's load watermark, never
  -- max(source_lsn), which would lose a transaction that commits late), and MERGEs on (account, LSN). Within one
  -- account LSN order is commit order, so a recomputed row equals the one stored before.
  WITH changed AS (
    SELECT DISTINCT s.h_accounts_hk
    FROM iceberg.data_vault.s_accounts s
    WHERE s.source_lsn IN (
      SELECT source_lsn FROM iceberg.parsed_data.parsed_accounts
      WHERE ((kafka_partition = 0 AND kafka_offset > 41 AND kafka_offset <= 97)
      OR (kafka_partition = 1 AND kafka_offset > -1 AND kafka_offset <= 12)))
  ), history AS (
    SELECT s.h_accounts_hk, s.currency, s.balance, s.effective_from, s.source_lsn,
      lag(s.balance) OVER (PARTITION BY s.h_accounts_hk ORDER BY s.source_lsn) AS previous_balance
    FROM iceberg.data_vault.s_accounts s
    JOIN changed c ON c.h_accounts_hk = s.h_accounts_hk
    WHERE NOT s.is_deleted
  )
  SELECT h_accounts_hk, currency, previous_balance, balance, balance - coalesce(previous_balance, 0) AS delta,
    effective_from AS changed_at, source_lsn
  FROM history
  WHERE previous_balance IS NULL OR previous_balance <> balance
) s
ON t."h_accounts_hk" = s."h_accounts_hk" AND t."source_lsn" = s."source_lsn"
WHEN MATCHED THEN UPDATE SET "currency" = s."currency", "previous_balance" = s."previous_balance", "balance" = s."balance", "delta" = s."delta", "changed_at" = s."changed_at"
WHEN NOT MATCHED THEN INSERT ("h_accounts_hk", "currency", "previous_balance", "balance", "delta", "changed_at", "source_lsn")
VALUES (s."h_accounts_hk", s."currency", s."previous_balance", s."balance", s."delta", s."changed_at", s."source_lsn");

-- [record]
-- INSERT INTO iceberg.ops.materializations ... status 'succeeded', input_ranges = the offsets of iceberg.parsed_data.parsed_accounts loaded so far (the watermark of new_rows)
