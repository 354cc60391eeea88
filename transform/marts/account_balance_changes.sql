{{ config(materialized='incremental', unique_key=['h_accounts_hk', 'source_lsn'], incremental_strategy='merge') }}
-- One row per change of an account's balance (the first row of an account is its opening balance), with the
-- delta to the previous balance. Incremental and exact: a run recomputes the whole history of the accounts that
-- got rows in s_accounts since this model's last run (new_rows: the satellite's load watermark, never
-- max(source_lsn), which would lose a transaction that commits late), and MERGEs on (account, LSN). Within one
-- account LSN order is commit order, so a recomputed row equals the one stored before.
WITH changed AS (
  SELECT DISTINCT s.h_accounts_hk
  FROM {{ ref('data_vault.s_accounts') }} s
{% if is_incremental() %}
  WHERE {{ new_rows('data_vault.s_accounts', 's') }}
{% endif %}
), history AS (
  SELECT s.h_accounts_hk, s.currency, s.balance, s.effective_from, s.source_lsn,
    lag(s.balance) OVER (PARTITION BY s.h_accounts_hk ORDER BY s.source_lsn) AS previous_balance
  FROM {{ ref('data_vault.s_accounts') }} s
  JOIN changed c ON c.h_accounts_hk = s.h_accounts_hk
  WHERE NOT s.is_deleted
)
SELECT h_accounts_hk, currency, previous_balance, balance, balance - coalesce(previous_balance, 0) AS delta,
  effective_from AS changed_at, source_lsn
FROM history
WHERE previous_balance IS NULL OR previous_balance <> balance
