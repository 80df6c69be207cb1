-- Billing (R-39..R-44). Facts are built from events; statements are computed from facts and,
-- once issued, frozen. Money numeric(18,2); rates numeric(9,6) except the effective fee rate,
-- kept exact (a relative reduction of a 4-place base rate can have 8 places: rounding the rate
-- would change the fee, R-44).

-- Fee schedules: one row per version, immutable; the rules package validates the JSON.
CREATE TABLE fee_schedules (
    client_id       text        NOT NULL,
    version         integer     NOT NULL CHECK (version >= 1),
    effective_from  date        NOT NULL,
    schedule        jsonb       NOT NULL,          -- rules.schedule_to_dict(): decimals as strings
    created_by      text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    note            text,
    PRIMARY KEY (client_id, version)
);

-- One row per placement spell of a case (a case re-placed under another placement is a new
-- spell). The DPD at placement fixes the bucket (R-39); the statement's schedule maps it.
CREATE TABLE billing_cases (
    case_id             uuid          NOT NULL,
    placement_id        text          NOT NULL,
    client_id           text          NOT NULL,
    placement_ref       text,
    placed_on           date          NOT NULL,
    recall_on           date          NOT NULL,      -- scheduled end of the placement
    dpd_at_placement    integer       NOT NULL CHECK (dpd_at_placement >= 0),
    dpd_bucket          text,                        -- intake's M1..M6+ label, informational
    placed_amount       numeric(18,2) NOT NULL CHECK (placed_amount >= 0),  -- at placement
    current_placed_amount numeric(18,2) NOT NULL CHECK (current_placed_amount >= 0),
    status              text          NOT NULL DEFAULT 'open',
    recalled_on         date,
    closed_on           date,
    -- last day a repayment counts for this spell: the recall date, else the scheduled recall_on,
    -- never past the day before the case's next spell (maintained by store.refresh_cases)
    end_on              date          NOT NULL,
    source_event_id     uuid          NOT NULL,
    source_occurred_at  timestamptz   NOT NULL,
    recorded_at         timestamptz   NOT NULL DEFAULT now(),
    updated_at          timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (case_id, placement_id)
);
CREATE INDEX billing_cases_client_placed ON billing_cases (client_id, placed_on);

-- case.updated, as received: status changes and balance changes (placed_amount = new 委案金额,
-- effective_on = the day it applies). Balance adjustments are the rows with a placed_amount.
CREATE TABLE billing_case_changes (
    event_id        uuid          PRIMARY KEY,
    case_id         uuid          NOT NULL,
    client_id       text          NOT NULL,
    change          text          NOT NULL,
    status          text          NOT NULL,
    placed_amount   numeric(18,2) CHECK (placed_amount >= 0),
    effective_on    date          NOT NULL,
    occurred_at     timestamptz   NOT NULL,
    reason          text,
    recorded_at     timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX billing_case_changes_case ON billing_case_changes (case_id, effective_on);
CREATE INDEX billing_case_changes_adjust ON billing_case_changes (client_id, case_id)
    WHERE placed_amount IS NOT NULL;

-- payment.posted: idempotent on (client_id, txn_ref) as the contract says. paid_on is the
-- business date of paid_at in the business time zone (Asia/Shanghai by default).
CREATE TABLE billing_repayments (
    client_id       text          NOT NULL,
    txn_ref         text          NOT NULL,
    event_id        uuid          NOT NULL UNIQUE,
    case_id         uuid          NOT NULL,
    amount          numeric(18,2) NOT NULL CHECK (amount >= 0),
    paid_at         timestamptz   NOT NULL,
    paid_on         date          NOT NULL,
    channel         text,
    closes_case     boolean       NOT NULL DEFAULT false,
    recorded_at     timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (client_id, txn_ref)
);
CREATE INDEX billing_repayments_client_paid ON billing_repayments (client_id, paid_on);
CREATE INDEX billing_repayments_case ON billing_repayments (case_id, paid_on);

-- case.allocated → ownership intervals [valid_from, valid_to); valid_to = the next allocation.
CREATE TABLE billing_ownership (
    id              bigserial     PRIMARY KEY,
    event_id        uuid          NOT NULL UNIQUE,
    case_id         uuid          NOT NULL,
    client_id       text          NOT NULL,
    collector_id    text          NOT NULL,
    team_id         text,
    strategy        text,
    reason          text,
    valid_from      timestamptz   NOT NULL,
    valid_to        timestamptz,
    recorded_at     timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX billing_ownership_case ON billing_ownership (case_id, valid_from);

CREATE TABLE billing_collectors (
    collector_id    text          PRIMARY KEY,
    team_id         text,
    seen_at         timestamptz   NOT NULL
);

-- contact.logged: one row per contact record (idempotent on contact_id); per-day counts and
-- PTP-kept rates are computed from it (R-23, R-43).
CREATE TABLE billing_contacts (
    contact_id      text          PRIMARY KEY,
    event_id        uuid          NOT NULL UNIQUE,
    case_id         uuid          NOT NULL,
    client_id       text          NOT NULL,
    collector_id    text          NOT NULL,
    channel         text          NOT NULL,
    party           text,
    result          text,
    effective       boolean       NOT NULL DEFAULT false,
    status          text,
    ptp_amount      numeric(18,2) CHECK (ptp_amount >= 0),
    ptp_due_on      date,
    occurred_at     timestamptz   NOT NULL,
    day             date          NOT NULL,
    recorded_at     timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX billing_contacts_day ON billing_contacts (day, collector_id);
CREATE INDEX billing_contacts_case ON billing_contacts (case_id);

-- R-42: proven death or criminal conviction, with evidence. One active exclusion per spell.
CREATE TABLE billing_exclusions (
    id              bigserial     PRIMARY KEY,
    case_id         uuid          NOT NULL,
    placement_id    text          NOT NULL,
    client_id       text          NOT NULL,
    kind            text          NOT NULL CHECK (kind IN ('death', 'conviction')),
    evidence_ref    text          NOT NULL,
    evidence_sha256 text          NOT NULL CHECK (evidence_sha256 ~ '^[0-9a-f]{64}$'),
    note            text,
    recorded_by     text          NOT NULL,
    recorded_at     timestamptz   NOT NULL DEFAULT now(),
    FOREIGN KEY (case_id, placement_id) REFERENCES billing_cases (case_id, placement_id)
);
CREATE UNIQUE INDEX billing_exclusions_one_per_spell ON billing_exclusions (case_id, placement_id);
CREATE INDEX billing_exclusions_client ON billing_exclusions (client_id);

-- Issued statements (drafts are computed on read and never stored). Immutable once written:
-- only the issued → superseded transition of a revision is allowed (triggers below).
CREATE TABLE billing_statements (
    id                  bigserial     PRIMARY KEY,
    client_id           text          NOT NULL,
    month               date          NOT NULL CHECK (extract(day FROM month) = 1),
    revision            integer       NOT NULL CHECK (revision >= 1),
    status              text          NOT NULL CHECK (status IN ('issued', 'superseded')),
    schedule_version    integer       NOT NULL,
    schedule_source     text          NOT NULL,          -- configured | default
    schedule            jsonb         NOT NULL,
    window_start        date          NOT NULL,          -- collection cycle [window_start, window_end)
    window_end          date          NOT NULL,
    total_placed_before_exclusions numeric(18,2) NOT NULL,
    total_excluded_placed numeric(18,2) NOT NULL,
    total_placed        numeric(18,2) NOT NULL,
    total_recovered     numeric(18,2) NOT NULL,
    total_recovered_in_cycle numeric(18,2) NOT NULL,
    total_recovery_rate numeric(9,6),
    total_fee           numeric(18,2) NOT NULL,
    inputs              jsonb         NOT NULL,          -- R-41 history, not-counted summary, definitions
    computed_at         timestamptz   NOT NULL,
    issued_at           timestamptz   NOT NULL DEFAULT now(),
    issued_by           text          NOT NULL,
    reason              text,                            -- why this revision was issued (reissue)
    superseded_at       timestamptz,
    UNIQUE (client_id, month, revision)
);
CREATE UNIQUE INDEX billing_statements_one_current ON billing_statements (client_id, month)
    WHERE status = 'issued';

CREATE TABLE billing_statement_lines (
    statement_id        bigint        NOT NULL REFERENCES billing_statements (id),
    position            integer       NOT NULL,
    bucket              text          NOT NULL,
    dpd_min             integer       NOT NULL,
    dpd_max             integer,
    cases               integer       NOT NULL,
    repayments          integer       NOT NULL,
    placed_before_exclusions numeric(18,2) NOT NULL,
    excluded_placed     numeric(18,2) NOT NULL,
    placed              numeric(18,2) NOT NULL,
    recovered           numeric(18,2) NOT NULL,
    recovered_in_cycle  numeric(18,2) NOT NULL,
    recovery_rate       numeric(9,6),
    benchmark_rate      numeric(9,6)  NOT NULL,
    minimum_rate        numeric(9,6)  NOT NULL,
    base_rate           numeric(9,6)  NOT NULL,
    tier                text          NOT NULL,
    fee_rate            numeric       NOT NULL CHECK (fee_rate >= 0 AND fee_rate <= 1),
    fee                 numeric(18,2) NOT NULL,
    months_below_minimum_before integer NOT NULL,  -- R-41 run before this month (from history)
    months_below_minimum integer      NOT NULL,
    rate_formula        text          NOT NULL,
    explanation         text          NOT NULL,
    PRIMARY KEY (statement_id, position)
);

-- The cases behind each issued line, frozen at issue (drill-down of an issued revision).
CREATE TABLE billing_statement_cases (
    statement_id        bigint        NOT NULL REFERENCES billing_statements (id),
    position            integer       NOT NULL,
    case_id             uuid          NOT NULL,
    placement_id        text          NOT NULL,
    placed_on           date          NOT NULL,
    end_on              date          NOT NULL,
    in_cohort           boolean       NOT NULL,
    placed              numeric(18,2) NOT NULL,
    excluded            boolean       NOT NULL,
    recovered_in_cycle  numeric(18,2) NOT NULL,
    recovered_in_month  numeric(18,2) NOT NULL,
    PRIMARY KEY (statement_id, position, case_id, placement_id)
);

-- Repayments of the month that were not counted, with the reason, frozen at issue.
CREATE TABLE billing_statement_not_counted (
    statement_id        bigint        NOT NULL REFERENCES billing_statements (id),
    txn_ref             text          NOT NULL,
    case_id             uuid          NOT NULL,
    amount              numeric(18,2) NOT NULL,
    paid_on             date          NOT NULL,
    reason              text          NOT NULL,
    PRIMARY KEY (statement_id, txn_ref)
);

CREATE FUNCTION billing_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'issued statements are immutable (%.%)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE FUNCTION billing_statement_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'issued statements are immutable' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- the only change allowed: an issued revision becomes superseded by a re-issue
    IF OLD.status = 'issued' AND NEW.status = 'superseded'
       AND (to_jsonb(NEW) - 'status' - 'superseded_at') = (to_jsonb(OLD) - 'status' - 'superseded_at') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'issued statements are immutable' USING ERRCODE = 'integrity_constraint_violation';
END $$;

CREATE TRIGGER billing_statements_immutable BEFORE UPDATE OR DELETE ON billing_statements
    FOR EACH ROW EXECUTE FUNCTION billing_statement_guard();
CREATE TRIGGER billing_statement_lines_immutable BEFORE UPDATE OR DELETE ON billing_statement_lines
    FOR EACH ROW EXECUTE FUNCTION billing_frozen();
CREATE TRIGGER billing_statement_cases_immutable BEFORE UPDATE OR DELETE ON billing_statement_cases
    FOR EACH ROW EXECUTE FUNCTION billing_frozen();
CREATE TRIGGER billing_statement_not_counted_immutable BEFORE UPDATE OR DELETE ON billing_statement_not_counted
    FOR EACH ROW EXECUTE FUNCTION billing_frozen();
