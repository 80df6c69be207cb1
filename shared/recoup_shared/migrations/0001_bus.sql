-- Transactional outbox: written in the same transaction as the state change it announces.
CREATE TABLE outbox (
    id            bigserial PRIMARY KEY,
    event_id      uuid        NOT NULL UNIQUE,
    topic         text        NOT NULL,
    key           text        NOT NULL,
    value         bytea       NOT NULL,           -- the serialised envelope, published as is
    created_at    timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text
);
CREATE INDEX outbox_pending ON outbox (id) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Inbox: one row per handled event_id, written in the handler's transaction (exactly-once effects).
CREATE TABLE processed_events (
    event_id      uuid        PRIMARY KEY,
    topic         text        NOT NULL,
    event_type    text        NOT NULL,
    outcome       text        NOT NULL DEFAULT 'applied',   -- applied | dead_lettered
    processed_at  timestamptz NOT NULL DEFAULT now()
);

-- Poison events this service sent to <topic>.dlq, so operators can see and replay them.
CREATE TABLE dead_letters (
    id            bigserial PRIMARY KEY,
    topic         text        NOT NULL,
    partition     integer     NOT NULL,
    "offset"      bigint      NOT NULL,
    event_id      uuid,
    error         text        NOT NULL,
    attempts      integer     NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
