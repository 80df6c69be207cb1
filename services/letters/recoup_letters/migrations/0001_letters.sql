-- The letters service (R-26..R-33). Cases, addresses and phones are built from events (intake,
-- contact, fieldops); letters, batches, templates, QC scans and text messages are its own.

-- What the letters need to know about a case (case.received / case.updated / payment.posted /
-- case.paused). Only masked ID and card numbers ever arrive here (R-30, R-46).
CREATE TABLE cases (
    case_id           text          PRIMARY KEY,
    client_id         text          NOT NULL,
    placement_id      text          NOT NULL,
    placement_ref     text,
    product           text          NOT NULL DEFAULT '',
    placed_on         date          NOT NULL,
    recall_on         date,
    dpd_at_placement  integer       NOT NULL,
    overdue_since     date,
    currency          text          NOT NULL DEFAULT 'CNY',
    principal         numeric(18,2),
    interest          numeric(18,2),
    fees              numeric(18,2),
    placed_amount     numeric(18,2) NOT NULL,
    outstanding       numeric(18,2) NOT NULL,
    status            text          NOT NULL DEFAULT 'open',
    flags             text[]        NOT NULL DEFAULT '{}',
    paused            boolean       NOT NULL DEFAULT false,
    debtor_name       text          NOT NULL,
    debtor_gender     text,
    id_number_masked  text,
    account_masked    text,
    region            text,
    instalment_plan   jsonb,                     -- {plan_id, agreed_on, instalments: [{no, due_on, amount}]}
    received_at       timestamptz   NOT NULL,
    updated_at        timestamptz   NOT NULL
);
CREATE INDEX cases_client ON cases (client_id, case_id);

-- Addresses of a case's parties. The id is a digest of (case, owner, normalised address): the same
-- address arriving again (client update, skip tracing, visit) is one row whose facts accumulate.
CREATE TABLE addresses (
    address_id        text          PRIMARY KEY,
    case_id           text          NOT NULL,    -- no FK: a collector's find may arrive before the case
    party_id          text          NOT NULL,    -- 'debtor', or 'contact' (a third party: never a recipient, R-30)
    kind              text          NOT NULL,    -- household_registration | home | work | other
    province          text,
    city              text,
    district          text,
    line              text          NOT NULL,
    postcode          text,
    employer          text,
    source            text          NOT NULL CHECK (source IN ('client', 'skip_trace', 'visit')),
    found_on          date          NOT NULL,
    verified_on       date,                      -- verified during collection (R-29)
    invalid_since     date,                      -- a return said it does not reach the debtor (R-31)
    invalid_reason    text,
    delivered_on      date,                      -- a letter went there and did not come back
    added_at          timestamptz   NOT NULL
);
CREATE INDEX addresses_case ON addresses (case_id);

-- Mobile numbers the SMS channel may use (the debtor's own only; R-18, R-46).
CREATE TABLE phones (
    case_id           text          NOT NULL,
    number_hash       text          NOT NULL,
    number            text          NOT NULL,
    number_masked     text          NOT NULL,
    kind              text          NOT NULL,
    owner             text          NOT NULL,
    added_at          timestamptz   NOT NULL,
    PRIMARY KEY (case_id, number_hash)
);

-- R-27: templates per client and letter type (or SMS purpose), versioned; each version carries the
-- client's approval; one approved (current) version at most; retired versions stay readable.
CREATE TABLE templates (
    template_id       text          PRIMARY KEY,
    client_id         text          NOT NULL,
    channel           text          NOT NULL CHECK (channel IN ('letter', 'sms')),
    name              text          NOT NULL,    -- the letter type, or the SMS template's purpose
    created_by        text          NOT NULL,
    created_at        timestamptz   NOT NULL,
    UNIQUE (client_id, channel, name)
);

CREATE TABLE template_versions (
    template_id               text          NOT NULL REFERENCES templates (template_id),
    version                   integer       NOT NULL CHECK (version >= 1),
    status                    text          NOT NULL CHECK (status IN ('draft', 'approved', 'retired')),
    source                    text          NOT NULL,  -- letter: template text; SMS: the approved wording
    sms                       jsonb,                   -- SMS: provider, sign_name, template_code, params
    sha256                    text          NOT NULL,  -- of the source (and SMS binding)
    variables                 text[]        NOT NULL,
    note                      text,
    uploaded_by               text          NOT NULL,
    uploaded_at               timestamptz   NOT NULL,
    approved_by               text,                    -- the client's person who approved it
    approved_at               timestamptz,
    approval_reference        text,
    approval_document_sha256  text,
    approval_document_stored  boolean       NOT NULL DEFAULT false,
    approval_recorded_by      text,
    approval_recorded_at      timestamptz,
    retired_by                text,
    retired_at                timestamptz,
    retire_reason             text,
    PRIMARY KEY (template_id, version),
    CHECK (status = 'draft' OR (approved_by IS NOT NULL AND approved_at IS NOT NULL
                                AND approval_reference IS NOT NULL AND approval_document_sha256 IS NOT NULL))
);
CREATE UNIQUE INDEX template_versions_current ON template_versions (template_id) WHERE status = 'approved';

-- Per-client letter rules (R-28..R-31), rules.config.ClientLetterConfig as JSON.
CREATE TABLE client_configs (
    client_id         text          PRIMARY KEY,
    config            jsonb         NOT NULL,
    version           integer       NOT NULL,
    updated_by        text          NOT NULL,
    updated_at        timestamptz   NOT NULL
);

-- Batches (R-33): queued -> rendering -> generated | failed; generated -> approved -> dispatched;
-- anything before dispatch -> revoked.
CREATE TABLE batches (
    batch_id          text          PRIMARY KEY,
    label             text          NOT NULL,
    client_id         text,
    letter_types      text[],
    status            text          NOT NULL CHECK (status IN ('queued', 'rendering', 'generated', 'failed',
                                                               'approved', 'dispatched', 'revoked')),
    letters           integer       NOT NULL,
    pages             integer,
    bytes             bigint,
    preview           jsonb         NOT NULL,
    error             text,
    attempts          integer       NOT NULL DEFAULT 0,
    created_by        text          NOT NULL,
    created_at        timestamptz   NOT NULL,
    render_started_at timestamptz,
    generated_at      timestamptz,
    approved_by       text,
    approved_at       timestamptz,
    revoked_by        text,
    revoked_at        timestamptz,
    revoke_reason     text,
    dispatched_by     text,
    dispatched_at     timestamptz,
    updated_at        timestamptz   NOT NULL
);
CREATE INDEX batches_created ON batches (created_at DESC, batch_id);
CREATE INDEX batches_queued ON batches (created_at) WHERE status IN ('queued', 'rendering');

CREATE TABLE batch_files (
    batch_id          text          NOT NULL REFERENCES batches (batch_id),
    name              text          NOT NULL,
    kind              text          NOT NULL,    -- letters | envelopes | manifest
    first_sequence    integer,
    last_sequence     integer,
    letters           integer       NOT NULL,
    pages             integer,
    size              bigint        NOT NULL,
    sha256            text          NOT NULL,
    PRIMARY KEY (batch_id, name)
);

-- Who did what to a batch, when (R-26 registration; R-46: downloads of files with addresses).
CREATE TABLE batch_log (
    id                bigserial     PRIMARY KEY,
    batch_id          text          NOT NULL REFERENCES batches (batch_id),
    at                timestamptz   NOT NULL,
    actor             text          NOT NULL,
    action            text          NOT NULL,
    detail            jsonb
);
CREATE INDEX batch_log_batch ON batch_log (batch_id, id);

CREATE SEQUENCE letter_serial;   -- check codes: code_for_serial(nextval) is unique without a lookup (R-32)

CREATE TABLE letters (
    letter_id         text          PRIMARY KEY,
    case_id           text          NOT NULL REFERENCES cases (case_id),
    client_id         text          NOT NULL,
    cycle             text          NOT NULL,    -- the placement (one letter of a type per recipient per cycle)
    letter_type       text          NOT NULL,
    recipient_id      text          NOT NULL,
    recipient_role    text          NOT NULL CHECK (recipient_role IN ('debtor', 'guarantor')),   -- R-30
    address_id        text          NOT NULL REFERENCES addresses (address_id),
    mail_class        text          NOT NULL CHECK (mail_class IN ('registered', 'express')),
    status            text          NOT NULL CHECK (status IN ('planned', 'generated', 'approved', 'dispatched',
                                                               'returned', 'cancelled')),
    origin            text          NOT NULL CHECK (origin IN ('planned', 'requested', 'resend')),
    why               text          NOT NULL,
    due_type          text,                      -- what was due when a call-back notice replaced it
    resend_of         text          REFERENCES letters (letter_id),
    subject           text          NOT NULL DEFAULT '',
    requested_by      text,
    created_on        date          NOT NULL,
    created_at        timestamptz   NOT NULL,
    batch_id          text          REFERENCES batches (batch_id),
    sequence          integer,
    check_code        text          UNIQUE,
    template_id       text,
    template_version  integer,
    tracking_no       text,
    dispatched_at     timestamptz,
    returned_at       timestamptz,
    return_reason     text,
    return_note       text,
    return_recorded_by text,
    cancelled_at      timestamptz,
    cancel_reason     text,
    cancel_detail     text,
    updated_at        timestamptz   NOT NULL,
    CHECK ((batch_id IS NULL) = (sequence IS NULL))
);
-- R-28..R-31 as constraints, so concurrent planners cannot break them: one letter in flight per
-- recipient; one letter of a type (and subject) per recipient per cycle, re-sends aside.
CREATE UNIQUE INDEX letters_in_flight ON letters (case_id, recipient_id)
    WHERE status IN ('planned', 'generated', 'approved');
CREATE UNIQUE INDEX letters_once_per_cycle ON letters (case_id, cycle, recipient_id, letter_type, subject)
    WHERE status <> 'cancelled' AND resend_of IS NULL;
CREATE UNIQUE INDEX letters_batch_sequence ON letters (batch_id, sequence) WHERE batch_id IS NOT NULL;
CREATE UNIQUE INDEX letters_tracking ON letters (tracking_no) WHERE tracking_no IS NOT NULL;
CREATE INDEX letters_case ON letters (case_id);
CREATE INDEX letters_unbatched ON letters (client_id, letter_type) WHERE status = 'planned' AND batch_id IS NULL;
CREATE INDEX letters_returned ON letters (returned_at) WHERE status = 'returned';
CREATE INDEX letters_created ON letters (created_at DESC, letter_id);

-- Every check code ever printed, with the batch it was printed for: a code of a revoked batch is
-- known to be void (its sheets must be destroyed), not taken for an unknown one.
CREATE TABLE check_codes (
    code              text          PRIMARY KEY,
    letter_id         text          NOT NULL REFERENCES letters (letter_id),
    batch_id          text          NOT NULL REFERENCES batches (batch_id),
    sequence          integer       NOT NULL,
    issued_at         timestamptz   NOT NULL,
    void_at           timestamptz
);
CREATE INDEX check_codes_batch ON check_codes (batch_id);

-- R-32: every QC scan of a letter and its envelope. A mismatch blocks the batches involved until
-- a resolver clears it (after both letters were re-scanned as matches).
CREATE TABLE qc_scans (
    scan_id           bigserial     PRIMARY KEY,
    batch_id          text          REFERENCES batches (batch_id),
    other_batch_id    text          REFERENCES batches (batch_id),
    letter_id         text          REFERENCES letters (letter_id),
    envelope_letter_id text         REFERENCES letters (letter_id),
    letter_code       text,
    envelope_code     text,
    outcome           text          NOT NULL CHECK (outcome IN ('match', 'mismatch', 'same_sheet')),
    detail            text          NOT NULL,
    scanned_by        text          NOT NULL,
    scanned_at        timestamptz   NOT NULL,
    resolved_by       text,
    resolved_at       timestamptz,
    resolution        text
);
CREATE INDEX qc_scans_batch ON qc_scans (batch_id, scan_id);
CREATE INDEX qc_scans_other ON qc_scans (other_batch_id) WHERE other_batch_id IS NOT NULL;
CREATE INDEX qc_scans_letter ON qc_scans (letter_id, outcome);
CREATE INDEX qc_open_mismatches ON qc_scans (batch_id) WHERE outcome = 'mismatch' AND resolved_at IS NULL;

-- Daily planning (R-28..R-31), one scheduled run per business day, manual runs on request.
CREATE TABLE planning_runs (
    run_id            bigserial     PRIMARY KEY,
    day               date          NOT NULL,
    kind              text          NOT NULL CHECK (kind IN ('scheduled', 'manual')),
    status            text          NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    requested_by      text,
    created_at        timestamptz   NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    cases             integer       NOT NULL DEFAULT 0,
    planned           integer       NOT NULL DEFAULT 0,
    cancelled         integer       NOT NULL DEFAULT 0,
    resends           integer       NOT NULL DEFAULT 0,
    planned_by_type   jsonb         NOT NULL DEFAULT '{}',
    skipped           jsonb         NOT NULL DEFAULT '{}',
    error             text
);
CREATE UNIQUE INDEX planning_runs_scheduled ON planning_runs (day) WHERE kind = 'scheduled';
CREATE INDEX planning_runs_queued ON planning_runs (run_id) WHERE status IN ('queued', 'running');

-- Text messages (R-27), each through the compliance gate (issue 10) before it is sent.
CREATE TABLE sms_messages (
    sms_id            text          PRIMARY KEY,
    case_id           text          NOT NULL REFERENCES cases (case_id),
    client_id         text          NOT NULL,
    template_id       text          NOT NULL,
    template_version  integer       NOT NULL,
    phone_hash        text          NOT NULL,
    phone_masked      text          NOT NULL,
    params            jsonb         NOT NULL,
    text              text          NOT NULL,
    status            text          NOT NULL CHECK (status IN ('refused', 'queued', 'sending', 'sent', 'failed',
                                                               'delivered', 'undelivered')),
    decision          jsonb,
    attempts          integer       NOT NULL DEFAULT 0,
    next_attempt_at   timestamptz,               -- a retry after a provider's temporary failure
    requested_by      text          NOT NULL,
    requested_at      timestamptz   NOT NULL,
    attempt_at        timestamptz,               -- the moment the gate counted (a reservation)
    sent_at           timestamptz,
    provider          text,
    provider_message_id text,
    provider_code     text,
    provider_message  text,
    delivered_at      timestamptz,
    receipt_code      text,
    receipt_at        timestamptz,
    updated_at        timestamptz   NOT NULL
);
CREATE INDEX sms_case_attempts ON sms_messages (case_id, attempt_at) WHERE attempt_at IS NOT NULL;
CREATE INDEX sms_queued ON sms_messages (requested_at) WHERE status = 'queued';
CREATE INDEX sms_requested ON sms_messages (requested_at DESC, sms_id);
CREATE UNIQUE INDEX sms_provider_id ON sms_messages (provider, provider_message_id)
    WHERE provider_message_id IS NOT NULL;

-- Text messages sent elsewhere (contact.logged channel sms): they count toward the same caps.
CREATE TABLE external_sms (
    contact_id        text          PRIMARY KEY,
    case_id           text          NOT NULL,
    at                timestamptz   NOT NULL
);
CREATE INDEX external_sms_case ON external_sms (case_id, at);

-- Compliance policy levels as contact publishes them (policy.changed): the newest version per
-- (level, scope). The system level has scope ''.
CREATE TABLE policy_levels (
    level             text          NOT NULL CHECK (level IN ('system', 'client', 'placement', 'case')),
    scope_id          text          NOT NULL,
    version           integer       NOT NULL,
    "values"          jsonb         NOT NULL,
    changed_by        text          NOT NULL,
    changed_at        timestamptz   NOT NULL,
    PRIMARY KEY (level, scope_id)
);
