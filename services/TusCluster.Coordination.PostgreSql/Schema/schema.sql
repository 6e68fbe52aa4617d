-- The tables of TusCluster's PostgreSQL coordination (Tus:Coordination:PostgreSql), for the default schema "tus".
-- The service runs exactly this text (with its own schema name in place of "tus") when CreateSchema is true, and
-- prints it when the schema is missing. Every statement may run again. Running it needs CREATE on the database. The
-- role of the service then needs USAGE on the schema and SELECT, INSERT, UPDATE, DELETE on both tables.
CREATE SCHEMA IF NOT EXISTS "tus";

-- One row per upload id that was ever locked. The row stays when the record is removed (record NULL), so the fence
-- keeps increasing across removal and re-creation.
CREATE TABLE IF NOT EXISTS "tus".uploads (
    id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
    -- The fencing token of the newest lease: drawn by the acquire, never lowered.
    fence bigint NOT NULL,
    -- The upload record as the coordination kit writes it; NULL before the first commit and after removal.
    record json,
    -- The record's expiry (rounded up to the microsecond): the expiry index the sweeper reads.
    expires_at timestamptz,
    -- The current lease: its holder (one value per acquire) and when it lapses by the server's clock; NULL when free.
    lease_holder uuid,
    lease_expires_at timestamptz
);

CREATE INDEX IF NOT EXISTS uploads_expires_at ON "tus".uploads (expires_at) WHERE expires_at IS NOT NULL;

-- Undelivered events, inserted by the same statement that commits the record they report.
CREATE TABLE IF NOT EXISTS "tus".outbox (
    id text PRIMARY KEY,
    upload_id text NOT NULL,
    due_at timestamptz NOT NULL,
    attempts integer NOT NULL,
    payload text NOT NULL
);

CREATE INDEX IF NOT EXISTS outbox_due_at ON "tus".outbox (due_at);
