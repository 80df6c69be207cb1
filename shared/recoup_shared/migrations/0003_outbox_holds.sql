-- A bulk writer that hands its rows to its own relay after the commit (OutboxRelay.hand_over)
-- holds their id range in the same transaction: every relay's usual path keeps off the range
-- while the hold lasts — until the hand-over has published the rows and releases it, the writer's
-- database session (owner_pid, owner_start) is gone (the process died: the rows go the usual way
-- at once), or `until` passes. The hand-over can so delete its rows after the broker's acks, off
-- the path to the broker, without racing other replicas for them.
CREATE TABLE outbox_holds (
    id           bigserial   PRIMARY KEY,
    after_id     bigint      NOT NULL,
    upto_id      bigint      NOT NULL,
    owner_pid    integer     NOT NULL,
    owner_start  timestamptz NOT NULL,
    until        timestamptz NOT NULL
);
