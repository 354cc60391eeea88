{{ config(materialized='table', cron='* * * * *') }}
-- Per user and currency, the current total balance: the latest row of each account (s_accounts) and of each user
-- (s_users), deleted ones left out, joined through the latest link of each account (a link has no end date: the
-- newest one names the current owner).
-- On a schedule of its own (cron: every minute), not in each run a sensor starts: a full rebuild per batch of
-- changes would hold up the vault loads of the next batch (docs/models.md#a-models-own-schedule).
WITH accounts AS (
  SELECT h_accounts_hk, currency, balance
  FROM (
    SELECT s.*, row_number() OVER (PARTITION BY h_accounts_hk ORDER BY source_lsn DESC) AS recency
    FROM {{ ref('data_vault.s_accounts') }} s
  )
  WHERE recency = 1 AND NOT is_deleted
), users AS (
  SELECT h_users_hk, email, name
  FROM (
    SELECT s.*, row_number() OVER (PARTITION BY h_users_hk ORDER BY source_lsn DESC) AS recency
    FROM {{ ref('data_vault.s_users') }} s
  )
  WHERE recency = 1 AND NOT is_deleted
), owners AS (
  SELECT h_accounts_hk, h_users_hk
  FROM (
    SELECT l.*, row_number() OVER (PARTITION BY h_accounts_hk ORDER BY load_ts DESC, h_users_hk) AS recency
    FROM {{ ref('data_vault.l_users_accounts') }} l
  )
  WHERE recency = 1
)
SELECT h.id AS user_id, u.email, u.name, a.currency, sum(a.balance) AS balance, count(*) AS accounts
FROM accounts a
JOIN owners o ON o.h_accounts_hk = a.h_accounts_hk
JOIN users u ON u.h_users_hk = o.h_users_hk
JOIN {{ ref('data_vault.h_users') }} h ON h.h_users_hk = u.h_users_hk
GROUP BY h.id, u.email, u.name, a.currency
