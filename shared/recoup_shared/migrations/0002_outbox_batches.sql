-- The relay now deletes rows as it publishes them (one write per row instead of a lock plus a
-- second 2 KB copy); what was published when is kept per batch, by outbox id range.
CREATE TABLE outbox_batches (
    id            bigserial   PRIMARY KEY,
    first_id      bigint      NOT NULL,
    last_id       bigint      NOT NULL,
    events        integer     NOT NULL,
    published_at  timestamptz NOT NULL
);
CREATE INDEX outbox_batches_last_id ON outbox_batches (last_id);
CREATE INDEX outbox_batches_published_at ON outbox_batches (published_at);
-- Every row in the outbox is pending now.
DROP INDEX IF EXISTS outbox_pending;
DROP INDEX IF EXISTS outbox_published_at;
