-- Intake (R-1..R-7, R-45, R-46). A case's personal data (card/account number, ID number, phones
-- with their contact persons, addresses) is stored as ONE AES-GCM encrypted blob per case
-- (`personal_enc`, recoup_shared.crypto.FieldCipher, the case id as associated data), with keyed
-- hashes (`*_hash`, blind index) for exact-match lookups and masked forms for lists. One blob and
-- one row per case: a 100,000-case placement is 100,000 cipher calls and rows, not 800,000.
--
-- Bulk tables (cases, phone_lookup, rejected_rows, repayments) carry no foreign
-- keys: their rows are written only in the same transaction as their parent, by COPY, and a
-- per-row FK trigger would double the time of a 100,000-case placement. Case, event and repayment
-- ids are time-ordered (UUID v7 layout) so primary-key inserts stay append-only.

-- Per-client import templates (R-3). A version is immutable once written: a change is a new version.
CREATE TABLE import_templates (
    client_id    text        NOT NULL,
    name         text        NOT NULL,
    version      integer     NOT NULL CHECK (version > 0),
    definition   jsonb       NOT NULL,
    description  text,
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, name, version)
);

CREATE FUNCTION intake_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END $$;

CREATE TRIGGER import_templates_immutable BEFORE UPDATE OR DELETE ON import_templates
    FOR EACH ROW EXECUTE FUNCTION intake_refuse_change();

-- One row per placement (委案批次). Idempotency (R-1): one row per (client_id, placement_ref); the
-- SHA-256 of the canonical request decides between a replay (same answer) and a 409.
CREATE TABLE placements (
    id               uuid        PRIMARY KEY,
    client_id        text        NOT NULL,
    placement_ref    text        NOT NULL,
    product          text        NOT NULL,
    placed_on        date        NOT NULL,
    recall_on        date        NOT NULL,
    source           text        NOT NULL DEFAULT 'json',          -- json | csv | xlsx
    template_name    text,
    template_version integer,
    body_sha256      text        NOT NULL,
    received_count   integer     NOT NULL,
    accepted_count   integer     NOT NULL,
    rejected_count   integer     NOT NULL,
    response         jsonb       NOT NULL,    -- the 202 answer without `errors` (those are rejected_rows)
    received_by      text        NOT NULL,    -- token subject of the client system
    received_at      timestamptz NOT NULL,    -- request arrived (R-6 clock starts)
    imported_at      timestamptz NOT NULL,    -- cases stored, outbox written (same transaction)
    published_at     timestamptz,             -- every case.received acknowledged by the broker
    outbox_after     bigint,                  -- this placement's outbox rows have ids in
    outbox_upto      bigint,                  --   (outbox_after, outbox_upto]
    CONSTRAINT placements_ref_unique UNIQUE (client_id, placement_ref)
);
CREATE INDEX placements_client_received ON placements (client_id, received_at DESC);
CREATE INDEX placements_unpublished ON placements (received_at) WHERE published_at IS NULL;

-- Rows rejected by validation (R-4): row number (0-based index into `cases`, or the file's row
-- number for uploads), field and reason. `ordinal` keeps the order of the original answer.
CREATE TABLE rejected_rows (
    placement_id uuid    NOT NULL,
    ordinal      integer NOT NULL,
    row_no       integer,
    field        text    NOT NULL,
    reason       text    NOT NULL,
    PRIMARY KEY (placement_id, ordinal)
);

CREATE TABLE cases (
    id                  uuid          PRIMARY KEY,
    client_id           text          NOT NULL,
    placement_id        uuid          NOT NULL,
    row_index           integer       NOT NULL,       -- 0-based index in the JSON body / file row no.
    product             text          NOT NULL,
    -- Encrypted JSON (records.py: seal_personal/open_personal): {"account_ref", "id_number" (as
    -- given: 15 or 18 characters), "phones": [[number, kind, owner, extension, name, relationship,
    -- knows_debt, source, added_at]], "addresses": [[kind, line, province, city, district,
    -- employer, source, added_at]]} — positional, trailing nulls left out; list position = seq.
    personal_enc        bytea         NOT NULL,
    account_hash        text          NOT NULL,       -- blind index 'card'
    account_masked      text          NOT NULL,
    debtor_name         text          NOT NULL,
    id_hash             text          NOT NULL,       -- blind index 'id' of the 18-character form (R-7)
    id_masked           text          NOT NULL,
    gender              text,
    birth_date          date,
    currency            text          NOT NULL DEFAULT 'CNY',
    principal           numeric(18,2) NOT NULL,
    interest            numeric(18,2) NOT NULL,
    fees                numeric(18,2) NOT NULL,
    placed_amount       numeric(18,2) NOT NULL,
    repaid_total        numeric(18,2) NOT NULL DEFAULT 0,
    dpd                 integer       NOT NULL,
    dpd_bucket          text          NOT NULL,
    overdue_since       date,
    last_payment_on     date,
    last_payment_amount numeric(18,2),
    credit_limit        numeric(18,2),
    employer            text,
    region              text,
    flags               text[]        NOT NULL DEFAULT '{}',
    remarks             text,
    warnings            text[]        NOT NULL DEFAULT '{}',
    status              text          NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'recalled', 'closed')),
    status_reason       text,
    recalled_at         timestamptz,
    closed_at           timestamptz,
    received_event_id   uuid          NOT NULL,
    created_at          timestamptz   NOT NULL DEFAULT now(),
    updated_at          timestamptz   NOT NULL DEFAULT now()
);
-- An account is open in at most one placement of its client (R-1 re-placement rule); after a
-- recall or closing it may be placed again.
CREATE UNIQUE INDEX cases_open_account ON cases (client_id, account_hash) WHERE status = 'open';
-- Blind-index hashes are looked up by equality only: hash indexes (half the insert cost of a
-- b-tree on 64-character keys arriving in random order).
CREATE INDEX cases_account ON cases USING hash (account_hash);
CREATE INDEX cases_placement_row ON cases (placement_id, row_index);
CREATE INDEX cases_id_hash ON cases USING hash (id_hash);
CREATE INDEX cases_client ON cases (client_id, id);

-- R-25 inbound-call lookup: which cases hold this phone (blind index 'phone' of each number in
-- the case's personal data). Two narrow columns and a hash index: about half the insert cost of
-- a GIN index over a text[] of the hashes on cases.
CREATE TABLE phone_lookup (
    number_hash text NOT NULL,
    case_id     uuid NOT NULL
);
CREATE INDEX phone_lookup_hash ON phone_lookup USING hash (number_hash);

-- The outbox (recoup_shared) holds ~2 KB case.received envelopes; above ~2 KB PostgreSQL would
-- pglz-compress each one on insert (a 100,000-case placement: +1.6 s of COPY). Rows up to a page
-- stay as they are; bigger ones are still compressed/moved out of line.
ALTER TABLE outbox SET (toast_tuple_target = 8160);

-- Joint debt (R-7): both directions, as known on import (COPY, at most max_joint_links per case).
-- GET /v1/cases/{id}/joint also finds matches live by id_hash.
CREATE TABLE joint_debt_links (
    case_id        uuid        NOT NULL REFERENCES cases (id),
    linked_case_id uuid        NOT NULL REFERENCES cases (id),
    id_hash        text        NOT NULL,
    linked_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, linked_case_id)
);

-- Repayments reported by the client (R-5), idempotent on (client_id, txn_ref).
CREATE TABLE repayments (
    id            uuid          PRIMARY KEY,
    client_id     text          NOT NULL,
    txn_ref       text          NOT NULL,
    case_id       uuid          NOT NULL,
    amount        numeric(18,2) NOT NULL CHECK (amount > 0),
    paid_at       timestamptz   NOT NULL,
    channel       text,
    content_sha256 text         NOT NULL,         -- the normalised row: a reused txn_ref is detected
    case_status   text          NOT NULL,         -- status of the case when the money was reported
    flag          text,                           -- case_recalled | case_closed (money still recorded)
    event_id      uuid          NOT NULL,
    recorded_at   timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT repayments_txn_unique UNIQUE (client_id, txn_ref)
);
CREATE INDEX repayments_case ON repayments (case_id, paid_at);

-- Every read of a full personal value and every identifier lookup (R-46).
CREATE TABLE audit_log (
    id         bigserial   PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    actor      text        NOT NULL,
    roles      text[]      NOT NULL,
    action     text        NOT NULL,              -- reveal | search
    case_id    uuid,
    client_id  text,
    fields     text[]      NOT NULL DEFAULT '{}',
    reason     text,
    correlation_id text,
    detail     jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_case ON audit_log (case_id, at);
CREATE INDEX audit_log_actor ON audit_log (actor, at);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION intake_refuse_change();
