-- The contact service's own tables (R-13..R-25, R-47, R-49). Built from events (cases, repayments,
-- owners) and from the collectors' work (contact points, records, promises, calls).

-- One row per case: what the worklist and the case page read. Kept current by the handlers and
-- by every record; the worklist reads it through the partial indexes below (in_worklist).
CREATE TABLE cases (
    case_id                 text          PRIMARY KEY,
    client_id               text          NOT NULL,
    placement_id            text,
    placement_ref           text,
    product                 text,
    account_masked          text,
    account_hash            text,                 -- blind index of the card/account (R-25 lookup)
    debtor_name             text,
    id_masked               text,
    id_hash                 text,                 -- blind index of the ID number: joint debt (R-7)
    gender                  text,
    currency                text          NOT NULL DEFAULT 'CNY',
    placed_amount           numeric(18,2) NOT NULL DEFAULT 0,
    outstanding             numeric(18,2) NOT NULL DEFAULT 0,
    repaid_total            numeric(18,2) NOT NULL DEFAULT 0,
    dpd                     integer       NOT NULL DEFAULT 0,
    dpd_bucket              text          NOT NULL DEFAULT 'M0',
    placed_on               date,
    recall_on               date,
    flags                   text[]        NOT NULL DEFAULT '{}',
    region                  text,
    zone                    text          NOT NULL DEFAULT 'Asia/Shanghai',   -- the debtor's (primary) zone
    employer                text,
    remarks                 text,
    joint_case_ids          text[]        NOT NULL DEFAULT '{}',
    status                  text          NOT NULL DEFAULT 'open',   -- intake's: open | recalled | closed
    paused                  boolean       NOT NULL DEFAULT false,    -- R-13 (allocation's case.paused)
    withdrawn               boolean       NOT NULL DEFAULT false,    -- R-17 the client withdrew it in a dispute
    owner_id                text,
    team_id                 text,
    allocated_at            timestamptz,
    allocated_on            date,
    first_contact_due       date,
    contact_status          text,                 -- R-22 status (NULL before the first round)
    next_follow_up          date,                 -- R-22 (NULL only for DISPUTE or no owner)
    follow_up_earliest      date,
    follow_up_latest        date,
    follow_up_window        text,                 -- NIGHT_FOLLOW_UP: "18:00-21:00"
    follow_up_avoid         text,                 -- NO_ANSWER: the band of the last attempt
    cadence_due             date,                 -- R-20 (NULL: exempt)
    cadence_rule            text,
    last_contact_at         timestamptz,
    last_effective_on       date,
    last_follow_up_on       date,
    undialled_since         date,                 -- R-20 a registered phone still waits for its first dial
    ptp_due_on              date,                 -- the open promise's next instalment
    ptp_amount              numeric(18,2),
    seen_at                 timestamptz,          -- the owner's last look (R-24 reminders)
    last_repayment_at       timestamptz,
    last_balance_update_at  timestamptz,
    last_visit_outcome_at   timestamptz,
    last_letter_returned_at timestamptz,
    source_occurred_at      timestamptz,          -- the newest intake event applied (ordering guard)
    received_at             timestamptz   NOT NULL,
    updated_at              timestamptz   NOT NULL,
    -- in a worklist: open, not paused or withdrawn, owned, and its data arrived (an allocation can be
    -- consumed before the case.received it follows: the stub waits, R-13)
    in_worklist             boolean       GENERATED ALWAYS AS
                            (status = 'open' AND NOT paused AND NOT withdrawn AND owner_id IS NOT NULL
                             AND placement_id IS NOT NULL) STORED,
    follow_up_key           date          GENERATED ALWAYS AS (coalesce(next_follow_up, 'infinity'::date)) STORED,
    effective_key           date          GENERATED ALWAYS AS (coalesce(last_effective_on, '-infinity'::date)) STORED,
    -- every active case has exactly one next follow-up (R-22): only DISPUTE has none
    CONSTRAINT cases_one_follow_up CHECK (NOT (status = 'open' AND NOT paused AND NOT withdrawn
        AND owner_id IS NOT NULL) OR contact_status IS NOT DISTINCT FROM 'DISPUTE' OR next_follow_up IS NOT NULL)
);
-- R-24 worklist: a collector's own list, a team lead's team, a manager's all; by next follow-up,
-- by amount, by days since the last effective contact. Keyset paging on (key, case_id).
CREATE INDEX cases_owner_due ON cases (owner_id, follow_up_key, case_id) INCLUDE (outstanding) WHERE in_worklist;
CREATE INDEX cases_owner_amount ON cases (owner_id, outstanding DESC, case_id DESC) WHERE in_worklist;
CREATE INDEX cases_owner_effective ON cases (owner_id, effective_key, case_id) WHERE in_worklist;
CREATE INDEX cases_team_due ON cases (team_id, follow_up_key, case_id) INCLUDE (outstanding) WHERE in_worklist;
CREATE INDEX cases_team_amount ON cases (team_id, outstanding DESC, case_id DESC) WHERE in_worklist;
CREATE INDEX cases_all_due ON cases (follow_up_key, case_id) WHERE in_worklist;
-- R-25 inbound lookup and R-7 joint debt
CREATE INDEX cases_account_hash ON cases (account_hash) WHERE account_hash IS NOT NULL;
CREATE INDEX cases_id_hash ON cases (id_hash) WHERE id_hash IS NOT NULL;

-- Every phone and address of a case, with its party, source and state. Phone numbers are stored
-- encrypted (AES-GCM, the row id as associated data) beside their blind index and mask (R-46).
CREATE TABLE contact_points (
    point_id        uuid          PRIMARY KEY,
    case_id         text          NOT NULL REFERENCES cases,
    kind            text          NOT NULL,    -- mobile | home | work | other_phone | address
    party           text          NOT NULL,    -- debtor | contact_person | third_party
    relationship    text,
    name            text,
    knows_debt      boolean,                   -- R-18: NULL/false: tell them nothing
    source          text          NOT NULL,    -- placement | client_update | skip_trace | inbound | visit | collector
    state           text          NOT NULL DEFAULT 'unknown',
    state_at        timestamptz,
    number_enc      bytea,
    number_hash     text,
    number_masked   text,
    extension       text,
    region          text,                      -- 号码归属地 (libphonenumber geocoder)
    carrier         text,
    address_kind    text,                      -- household_registration | home | work | other
    province        text,
    city            text,
    district        text,
    line_enc        bytea,
    line_masked     text,
    address_hash    text,
    employer        text,
    verified        boolean       NOT NULL DEFAULT false,
    last_result     text,
    last_attempt_at timestamptz,
    attempts        integer       NOT NULL DEFAULT 0,
    added_at        timestamptz   NOT NULL,
    added_on        date          NOT NULL,
    added_by        text
);
CREATE INDEX contact_points_case ON contact_points (case_id);
CREATE UNIQUE INDEX contact_points_one_phone ON contact_points (case_id, number_hash) WHERE number_hash IS NOT NULL;
CREATE UNIQUE INDEX contact_points_one_address ON contact_points (case_id, address_hash) WHERE address_hash IS NOT NULL;
CREATE INDEX contact_points_number_hash ON contact_points (number_hash) WHERE number_hash IS NOT NULL;

-- Contact records (催记): append-only; a correction is a new row that references the original.
CREATE TABLE contact_records (
    record_id           uuid          PRIMARY KEY,
    case_id             text          NOT NULL REFERENCES cases,
    client_id           text          NOT NULL,
    collector_id        text          NOT NULL,
    team_id             text,
    channel             text          NOT NULL,
    party               text          NOT NULL,
    point_id            uuid,
    result              text          NOT NULL,
    code                text,
    code_version        integer,
    status_after        text,
    effective           boolean       NOT NULL,
    notes               text,
    callback_at         timestamptz,
    dispute_reason      text,
    promise_id          uuid,
    call_id             uuid,
    attempt_id          uuid,
    requested_by_debtor boolean       NOT NULL DEFAULT false,
    next_follow_up_on   date,
    found               jsonb,                   -- masked summary of what skip tracing found (R-25)
    corrects            uuid          REFERENCES contact_records,
    correction_reason   text,
    source              text          NOT NULL DEFAULT 'collector',   -- collector | visit | letter
    source_ref          text          UNIQUE,    -- the event or letter behind an event-made record
    occurred_at         timestamptz   NOT NULL,
    occurred_on         date          NOT NULL,  -- the debtor's day
    recorded_at         timestamptz   NOT NULL
);
CREATE INDEX contact_records_case ON contact_records (case_id, occurred_at DESC);
CREATE INDEX contact_records_client_day ON contact_records (client_id, occurred_on);
CREATE INDEX contact_records_collector_day ON contact_records (collector_id, occurred_on);
CREATE INDEX contact_records_corrects ON contact_records (corrects) WHERE corrects IS NOT NULL;
CREATE INDEX contact_records_call ON contact_records (call_id) WHERE call_id IS NOT NULL;

CREATE FUNCTION contact_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'contact records are append-only: correct a record with a new one';
END $$;
CREATE TRIGGER contact_records_append_only BEFORE UPDATE OR DELETE ON contact_records
    FOR EACH ROW EXECUTE FUNCTION contact_records_append_only();

-- R-23 promises: a single PTP is a plan of one instalment. `instalments` holds the rules' state
-- ([{seq, due_on, amount, paid, state, settled_on}]); `judge_from` is the first debtor-local day
-- the expiry job must look at it (deadline + 1).
CREATE TABLE promises (
    promise_id           uuid          PRIMARY KEY,
    case_id              text          NOT NULL REFERENCES cases,
    client_id            text          NOT NULL,
    record_id            uuid,
    collector_id         text          NOT NULL,
    made_on              date          NOT NULL,
    zone                 text          NOT NULL,
    state                text          NOT NULL DEFAULT 'open',
    amount               numeric(18,2) NOT NULL,
    instalments          jsonb         NOT NULL,
    settlement           boolean       NOT NULL DEFAULT false,
    waiver_authorisation text,
    judge_from           date,
    settled_on           date,
    created_at           timestamptz   NOT NULL,
    updated_at           timestamptz   NOT NULL
);
CREATE INDEX promises_case ON promises (case_id, made_on);
CREATE INDEX promises_to_judge ON promises (judge_from) WHERE state = 'open';

-- payment.posted: the case's repayments; `unallocated` is what no promise has taken yet.
CREATE TABLE repayments (
    client_id    text          NOT NULL,
    txn_ref      text          NOT NULL,
    case_id      text          NOT NULL,
    amount       numeric(18,2) NOT NULL,
    unallocated  numeric(18,2) NOT NULL,
    paid_at      timestamptz   NOT NULL,
    paid_on      date          NOT NULL,   -- the debtor's day
    channel      text,
    owner_id     text,                     -- the case's owner when it arrived (home: recovered amounts)
    team_id      text,
    event_id     uuid          NOT NULL,
    recorded_at  timestamptz   NOT NULL,
    PRIMARY KEY (client_id, txn_ref)
);
CREATE INDEX repayments_case ON repayments (case_id, paid_on);
CREATE INDEX repayments_owner ON repayments (owner_id, paid_on);

CREATE TABLE promise_allocations (
    promise_id  uuid          NOT NULL REFERENCES promises,
    seq         integer       NOT NULL,
    client_id   text          NOT NULL,
    txn_ref     text          NOT NULL,
    amount      numeric(18,2) NOT NULL,
    PRIMARY KEY (promise_id, seq, client_id, txn_ref)
);

-- The gate's history (R-14..R-18): every attempt reserved or recorded, per case, with the
-- exemption the engine applied. A reservation is 'pending' until the call's outcome is known.
CREATE TABLE attempts (
    attempt_id         uuid        PRIMARY KEY,
    case_id            text        NOT NULL,
    at                 timestamptz NOT NULL,
    channel            text        NOT NULL,   -- the engine's: call | sms | visit
    party              text        NOT NULL,   -- debtor | third_party
    point_id           uuid,
    contact_person     text,
    direction          text        NOT NULL,
    outcome            text        NOT NULL,
    exemption          text,
    agents             integer     NOT NULL DEFAULT 0,
    collector_id       text,
    purpose            text        NOT NULL,   -- dial | log
    call_id            uuid,
    record_id          uuid,
    policy_fingerprint text,
    settled_at         timestamptz
);
CREATE INDEX attempts_case_at ON attempts (case_id, at);
CREATE INDEX attempts_pending ON attempts (at) WHERE outcome = 'pending';

-- Refusals, with their reasons and the next allowed moment (R-48 counts them per collector).
CREATE TABLE gate_refusals (
    refusal_id   uuid        PRIMARY KEY,
    case_id      text        NOT NULL,
    collector_id text,
    at           timestamptz NOT NULL,
    channel      text        NOT NULL,
    party        text        NOT NULL,
    point_id     uuid,
    purpose      text        NOT NULL,
    rules        text[]      NOT NULL,
    next_allowed timestamptz,
    decision     jsonb       NOT NULL
);
CREATE INDEX gate_refusals_case ON gate_refusals (case_id, at);
CREATE INDEX gate_refusals_collector ON gate_refusals (collector_id, at);

-- Telephony (R-19): one row per click-to-dial, completed by the PBX's signed CDR.
CREATE TABLE calls (
    call_id          uuid        PRIMARY KEY,
    case_id          text        NOT NULL,
    point_id         uuid,
    collector_id     text        NOT NULL,
    attempt_id       uuid,
    requested_at     timestamptz NOT NULL,
    state            text        NOT NULL,   -- originated | failed | ended
    pbx_ref          text,
    answered         boolean,
    ring_seconds     integer,
    talk_seconds     integer,
    started_at       timestamptz,
    ended_at         timestamptz,
    hangup_cause     text,
    recording_uri    text,
    recording_sha256 text,
    recording_bytes  bigint,
    retain_until     date,                   -- R-19: recordings kept >= 2 years
    cdr_at           timestamptz,
    cdr_sha256       text,                   -- the webhook body accepted (idempotent repeats compare)
    record_id        uuid,
    no_record_flagged boolean    NOT NULL DEFAULT false
);
CREATE INDEX calls_case ON calls (case_id, requested_at);
CREATE INDEX calls_waiting_for_record ON calls (requested_at) WHERE record_id IS NULL AND NOT no_record_flagged;

CREATE FUNCTION calls_keep_recordings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.retain_until IS NOT NULL AND OLD.retain_until > current_date THEN
        RAISE EXCEPTION 'call % keeps its recording reference until % (R-19)', OLD.call_id, OLD.retain_until;
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER calls_keep_recordings BEFORE DELETE ON calls
    FOR EACH ROW EXECUTE FUNCTION calls_keep_recordings();

-- Mismatches for quality inspection (R-19, R-48): the compliance issue builds its queue on these.
CREATE TABLE quality_flags (
    flag_id      uuid        PRIMARY KEY,
    kind         text        NOT NULL,   -- record_connected_call_unanswered | call_without_record
    case_id      text        NOT NULL,
    call_id      uuid,
    record_id    uuid,
    collector_id text,
    detail       jsonb       NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX quality_flags_once ON quality_flags (kind, call_id);
CREATE INDEX quality_flags_created ON quality_flags (created_at);

-- Per-client configuration, versioned: contact rules (R-20..R-24, R-47), code tables, report layouts.
CREATE TABLE client_configs (
    client_id   text        NOT NULL,
    version     integer     NOT NULL,
    config      jsonb       NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (client_id, version)
);
CREATE TABLE code_tables (
    client_id      text        NOT NULL,
    version        integer     NOT NULL,
    effective_from date        NOT NULL,
    codes          jsonb       NOT NULL,
    created_by     text        NOT NULL,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (client_id, version)
);
CREATE TABLE report_templates (
    client_id   text        NOT NULL,
    version     integer     NOT NULL,
    template    jsonb       NOT NULL,
    created_by  text        NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (client_id, version)
);
-- The collector's PBX line (click-to-dial rings this extension first).
CREATE TABLE agent_lines (
    collector_id text        PRIMARY KEY,
    extension    text        NOT NULL,
    updated_by   text        NOT NULL,
    updated_at   timestamptz NOT NULL
);

-- Holds that stop all contact until lifted by the right role (R-17, R-47).
CREATE TABLE case_holds (
    hold_id    uuid        PRIMARY KEY,
    case_id    text        NOT NULL REFERENCES cases,
    kind       text        NOT NULL,
    since      timestamptz NOT NULL,
    placed_by  text        NOT NULL,
    note       text,
    lifted_at  timestamptz,
    lifted_by  text,
    lift_note  text
);
CREATE UNIQUE INDEX case_holds_active ON case_holds (case_id, kind) WHERE lifted_at IS NULL;

-- R-17 disputes reported to the client, and the client's instruction.
CREATE TABLE disputes (
    dispute_id    uuid        PRIMARY KEY,
    case_id       text        NOT NULL REFERENCES cases,
    client_id     text        NOT NULL,
    reason        text        NOT NULL,
    raised_by     text        NOT NULL,
    raised_at     timestamptz NOT NULL,
    record_id     uuid,
    state         text        NOT NULL DEFAULT 'open',   -- open | resumed | withdrawn
    instructed_at timestamptz,
    instructed_by text,
    instruction_note text
);
CREATE UNIQUE INDEX disputes_one_open ON disputes (case_id) WHERE state = 'open';
CREATE INDEX disputes_client ON disputes (client_id, raised_at);

-- R-47 complaints.
CREATE TABLE complaints (
    complaint_id   uuid        PRIMARY KEY,
    case_id        text        NOT NULL REFERENCES cases,
    client_id      text        NOT NULL,
    channel        text        NOT NULL,
    allegations    text[]      NOT NULL,
    calmed         boolean     NOT NULL,
    client_pursues boolean     NOT NULL,
    grade          text        NOT NULL,
    description    text,
    escalate_to    text,
    escalate_by    timestamptz,
    held           boolean     NOT NULL,
    pause_requested boolean    NOT NULL,
    notify_client  boolean     NOT NULL,
    recorded_by    text        NOT NULL,
    recorded_at    timestamptz NOT NULL,
    resolved_at    timestamptz,
    resolved_by    text,
    resolution     text
);
CREATE INDEX complaints_open ON complaints (escalate_by) WHERE resolved_at IS NULL;
CREATE INDEX complaints_case ON complaints (case_id);

-- 待银行对账: repayments the debtor says were made, until the bank's record arrives or a data
-- specialist decides (R-49: collectors never take money; this only records the claim).
CREATE TABLE claimed_payments (
    claim_id      uuid          PRIMARY KEY,
    case_id       text          NOT NULL REFERENCES cases,
    client_id     text          NOT NULL,
    collector_id  text          NOT NULL,
    amount        numeric(18,2) NOT NULL,
    paid_on       date          NOT NULL,
    channel       text,
    proof_ref     text,
    note          text,
    state         text          NOT NULL DEFAULT 'pending',   -- pending | matched | confirmed | rejected
    txn_ref       text,
    decided_by    text,
    decided_at    timestamptz,
    decision_note text,
    record_id     uuid,
    created_at    timestamptz   NOT NULL
);
CREATE INDEX claimed_payments_pending ON claimed_payments (case_id) WHERE state = 'pending';
CREATE INDEX claimed_payments_state ON claimed_payments (state, created_at);

-- letter.dispatched, to know which address a returned letter used (R-31).
CREATE TABLE letters (
    letter_id     text        PRIMARY KEY,
    case_id       text        NOT NULL,
    address_kind  text,
    dispatched_at timestamptz NOT NULL
);

-- The case page's timeline: contacts, repayments, letters, visits, owner changes, balance
-- updates, pauses, disputes, complaints — masked, one row per happening.
CREATE TABLE timeline (
    id       bigserial   PRIMARY KEY,
    case_id  text        NOT NULL,
    at       timestamptz NOT NULL,
    kind     text        NOT NULL,
    actor    text,
    ref      text,
    data     jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX timeline_case ON timeline (case_id, at DESC, id DESC);
