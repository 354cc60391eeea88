-- The source side of examples/transactions: run on PostgreSQL `bank` (./lakehouse psql -f ...) before
-- `lakehouse apply --spec examples/transactions/transactions.conf`.
CREATE TABLE IF NOT EXISTS public.transactions (
  id uuid PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES public.accounts (id),
  amount decimal(15,2) NOT NULL,
  kind varchar NOT NULL,
  created_at timestamp NOT NULL DEFAULT now()
);
-- a delete's before-image carries every column, as for users and accounts
ALTER TABLE public.transactions REPLICA IDENTITY FULL;
ALTER TABLE public.users ADD COLUMN IF NOT EXISTS phone varchar;
