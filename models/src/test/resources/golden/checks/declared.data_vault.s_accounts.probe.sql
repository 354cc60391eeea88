SELECT *
FROM (
  SELECT h_accounts_hk, balance FROM iceberg.data_vault.s_accounts WHERE balance < 0
) f
LIMIT 0;

SELECT *
FROM (SELECT 0) AS p0 ("lakehouse probe"), (
  SELECT h_accounts_hk, balance FROM iceberg.data_vault.s_accounts WHERE balance < 0
) AS c0,
(SELECT 1) AS p1 ("lakehouse probe"), (
  SELECT h_accounts_hk, balance FROM iceberg.data_vault.s_accounts WHERE balance < 0
) AS c1
LIMIT 0;
