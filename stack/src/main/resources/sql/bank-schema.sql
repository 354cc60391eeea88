-- The demo source database's tables (the `bank` example the default lakehouse.conf describes). Idempotent:
-- applied at every start of the local stack (into database `bank`); the Docker stack runs the same file from
-- docker-entrypoint-initdb.d. No publication here: it is made from the spec's table list (PublicationSql),
-- by the local stack after this script and by the ingestion setup before it creates the connector.
CREATE TABLE IF NOT EXISTS users (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email      text UNIQUE NOT NULL,
    name       text NOT NULL,
    created_at date DEFAULT current_date
);

CREATE TABLE IF NOT EXISTS accounts (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL REFERENCES users,
    currency   varchar(3) NOT NULL,
    balance    numeric(15,2) NOT NULL,
    created_at date DEFAULT current_date
);

-- Debezium needs the full before-image of updates and deletes. Only when not set yet: ALTER TABLE takes an
-- ACCESS EXCLUSIVE lock, and on a restart under writes it would queue behind an open transaction and block every
-- later write to the table, a client holding two sessions (one waiting on the other) then never commits.
DO $$
BEGIN
  IF (SELECT relreplident FROM pg_class WHERE oid = 'users'::regclass) <> 'f' THEN
    ALTER TABLE users REPLICA IDENTITY FULL;
  END IF;
  IF (SELECT relreplident FROM pg_class WHERE oid = 'accounts'::regclass) <> 'f' THEN
    ALTER TABLE accounts REPLICA IDENTITY FULL;
  END IF;
END
$$;
