-- fieldops: field visits (R-34..R-38). Forward-only; add 0002_... for any change.

-- The cases as fieldops needs them, built from events. Topics are not ordered against each other,
-- so each event fills its own columns of a row another event may have created (upserts).
CREATE TABLE cases (
    case_id           text          PRIMARY KEY,
    client_id         text          NOT NULL,
    placement_id      text,
    debtor_name       text,                      -- whom the agents ask for; shown to them only
    placed_amount     numeric(18,2),
    outstanding       numeric(18,2),             -- R-35 amount thresholds
    outstanding_at    timestamptz,               -- newest balance wins
    flags             text[]        NOT NULL DEFAULT '{}',   -- R-16 special population, R-17 holds
    status            text          NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'recalled', 'closed')),
    paused            boolean       NOT NULL DEFAULT false,  -- R-13
    paused_at         timestamptz,
    collector_id      text,                      -- R-34: only this collector requests visits
    team_id           text,                      -- the phone team (its lead: the phone manager)
    allocated_at      timestamptz,
    contact_status    text,                      -- R-22, from contact.logged (R-35 lost contact)
    contact_status_at timestamptz,
    received_at       timestamptz,
    updated_at        timestamptz   NOT NULL DEFAULT now()
);
CREATE INDEX cases_collector ON cases (collector_id);

-- The case's addresses; a visit's target is chosen from these (R-34). address_id is a hash of the
-- address itself, so a repeated event adds nothing. found_on: the day it became known; for an
-- address learned after the placement (skip tracing, R-25) it is the repair day of R-35.
CREATE TABLE case_addresses (
    case_id     text        NOT NULL,
    address_id  text        NOT NULL,
    kind        text        NOT NULL,
    province    text,
    city        text,
    district    text,
    line        text        NOT NULL,
    employer    text,
    verified    boolean     NOT NULL DEFAULT false,
    source      text        NOT NULL CHECK (source IN ('placement', 'client_update', 'skip_trace', 'visit')),
    found_on    date        NOT NULL,
    added_at    timestamptz NOT NULL,
    PRIMARY KEY (case_id, address_id)
);

-- Compliance policy levels as contact publishes them (policy.changed): the newest version per
-- scope. Fieldops never asks contact synchronously (issue 10).
CREATE TABLE policy_levels (
    level       text        NOT NULL CHECK (level IN ('system', 'client', 'placement', 'case')),
    scope_id    text        NOT NULL DEFAULT '',     -- '' for the system level
    version     integer     NOT NULL,
    "values"    jsonb       NOT NULL,
    changed_by  text,
    changed_at  timestamptz NOT NULL,
    PRIMARY KEY (level, scope_id)
);

-- Field teams, the areas they cover and their agents (R-34, R-36).
CREATE TABLE field_teams (
    team_id     text        PRIMARY KEY,
    name        text        NOT NULL,
    capacity    integer     CHECK (capacity BETWEEN 0 AND 500),   -- visits a day; NULL: the default
    active      boolean     NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL
);
CREATE TABLE team_coverage (
    team_id     text        NOT NULL REFERENCES field_teams ON DELETE CASCADE,
    province    text        NOT NULL,
    city        text        NOT NULL DEFAULT '',     -- '' = the whole province
    district    text        NOT NULL DEFAULT '',     -- '' = the whole city
    PRIMARY KEY (team_id, province, city, district)
);
CREATE INDEX team_coverage_area ON team_coverage (province, city, district);
CREATE TABLE field_agents (
    agent_id    text        PRIMARY KEY,             -- the agent's token subject (R-45)
    name        text        NOT NULL,
    team_id     text        REFERENCES field_teams,
    active      boolean     NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX field_agents_team ON field_agents (team_id);
CREATE TABLE agent_off_duty (
    agent_id    text        NOT NULL REFERENCES field_agents ON DELETE CASCADE,
    day         date        NOT NULL,
    reason      text,
    PRIMARY KEY (agent_id, day)
);

-- Visit requests through their lifecycle (rules/lifecycle.py). The target address is copied:
-- the visit goes where it was approved to go.
CREATE TABLE visits (
    visit_id      uuid        PRIMARY KEY,
    case_id       text        NOT NULL REFERENCES cases,
    client_id     text        NOT NULL,
    requested_by  text        NOT NULL,
    purpose       text        NOT NULL,
    reason        text        NOT NULL,
    address_id    text        NOT NULL,
    address_kind  text        NOT NULL,
    province      text,
    city          text,
    district      text,
    line          text        NOT NULL,
    requested_at  timestamptz NOT NULL,
    state         text        NOT NULL CHECK (state IN ('requested', 'approved', 'rejected', 'planned',
                                                        'in_progress', 'done', 'cancelled')),
    approved_at   timestamptz,
    due_on        date,                                -- R-35
    deadline_rule text,
    escalate_at   timestamptz,                         -- R-35: approval + 5 days
    escalated_at  timestamptz,
    planned_on    date,
    team_id       text,
    agent_ids     text[]      NOT NULL DEFAULT '{}',
    band          text,
    slot_start    timestamptz,
    slot_end      timestamptz,
    plan_seq      integer,
    arrived_at    timestamptz,
    left_at       timestamptz,
    cancel_reason text,
    closed_at     timestamptz,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX visits_case ON visits (case_id, requested_at);
CREATE INDEX visits_open ON visits (state, due_on) WHERE state IN ('requested', 'approved', 'planned', 'in_progress');
CREATE INDEX visits_plan ON visits (planned_on, team_id, plan_seq) WHERE planned_on IS NOT NULL;
CREATE INDEX visits_escalate ON visits (escalate_at)
    WHERE escalated_at IS NULL AND state IN ('approved', 'planned', 'in_progress');
CREATE INDEX visits_escalated ON visits (escalated_at, visit_id) WHERE escalated_at IS NOT NULL;
CREATE INDEX visits_agents ON visits USING gin (agent_ids) WHERE planned_on IS NOT NULL;
-- one open request per case and address: a second one would send agents twice
CREATE UNIQUE INDEX visits_one_open ON visits (case_id, address_id)
    WHERE state IN ('requested', 'approved', 'planned', 'in_progress');

-- R-34: each manager decides once, with a comment or a reason (a second time is a 409).
CREATE TABLE visit_decisions (
    visit_id    uuid        NOT NULL REFERENCES visits ON DELETE CASCADE,
    role        text        NOT NULL CHECK (role IN ('field_manager', 'phone_manager')),
    decision    text        NOT NULL CHECK (decision IN ('approve', 'reject')),
    decided_by  text        NOT NULL,
    text        text        NOT NULL,
    decided_at  timestamptz NOT NULL,
    PRIMARY KEY (visit_id, role)
);

-- The compliance history (R-15, R-16 are counted here, where visits happen): one row per planned
-- visit (a reservation at its slot) that becomes the visit itself when it is recorded.
CREATE TABLE visit_attempts (
    visit_id    uuid        PRIMARY KEY REFERENCES visits ON DELETE CASCADE,
    case_id     text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('planned', 'done')),
    at          timestamptz NOT NULL,
    agents      integer     NOT NULL
);
CREATE INDEX visit_attempts_case ON visit_attempts (case_id, at);

-- Every refusal of the engine, with its reasons (rule, R-number, limit, count, next allowed).
CREATE TABLE compliance_refusals (
    refusal_id  bigserial   PRIMARY KEY,
    visit_id    uuid        NOT NULL REFERENCES visits ON DELETE CASCADE,
    case_id     text        NOT NULL,
    stage       text        NOT NULL CHECK (stage IN ('plan', 'arrival', 'record')),
    decided_at  timestamptz NOT NULL,
    visit_at    timestamptz NOT NULL,
    decided_by  text        NOT NULL,
    reasons     jsonb       NOT NULL,
    policy_fingerprint text
);
CREATE INDEX compliance_refusals_visit ON compliance_refusals (visit_id, refusal_id);
CREATE INDEX compliance_refusals_time ON compliance_refusals (decided_at, refusal_id);

-- Daily plans: each run, and why the visits it left out were left out.
CREATE TABLE plan_runs (
    run_id      bigserial   PRIMARY KEY,
    day         date        NOT NULL,
    run_at      timestamptz NOT NULL,
    run_by      text        NOT NULL,
    planned     integer     NOT NULL,
    not_planned integer     NOT NULL,
    teams       integer     NOT NULL
);
CREATE INDEX plan_runs_day ON plan_runs (day, run_id);
CREATE TABLE plan_not_planned (
    day         date        NOT NULL,
    visit_id    uuid        NOT NULL REFERENCES visits ON DELETE CASCADE,
    run_id      bigint      NOT NULL,
    reason      text        NOT NULL,
    details     text[]      NOT NULL DEFAULT '{}',
    PRIMARY KEY (day, visit_id)
);

-- R-37: the record of a visit. A new phone learned at the door is kept encrypted (R-46).
CREATE TABLE visit_records (
    visit_id         uuid          PRIMARY KEY REFERENCES visits,
    agent_ids        text[]        NOT NULL,
    arrived_at       timestamptz   NOT NULL,
    left_at          timestamptz   NOT NULL CHECK (left_at >= arrived_at),
    address_verified boolean       NOT NULL,
    met              text[]        NOT NULL,
    outcome          text          NOT NULL,
    promise_amount   numeric(18,2),
    promise_due_on   date,
    new_address      jsonb,
    new_phone_enc    bytea,
    new_phone_masked text,
    next_step        text          NOT NULL,
    note             text,
    recorded_by      text          NOT NULL,
    recorded_at      timestamptz   NOT NULL,
    CHECK ((promise_amount IS NULL) = (promise_due_on IS NULL))
);

-- R-37: evidence in the object store, checked on arrival, kept at least five years.
CREATE TABLE evidence (
    evidence_id  uuid        PRIMARY KEY,
    visit_id     uuid        NOT NULL REFERENCES visits,
    kind         text        NOT NULL CHECK (kind IN ('door_plate_photo', 'audio', 'video')),
    object_key   text        NOT NULL UNIQUE,
    sha256       text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size         bigint      NOT NULL CHECK (size > 0),
    content_type text        NOT NULL,
    stored_at    timestamptz NOT NULL,
    retain_until timestamptz NOT NULL,
    locked       boolean     NOT NULL,
    uploaded_by  text        NOT NULL,
    deleted_at   timestamptz,
    UNIQUE (visit_id, kind, sha256)
);

-- R-46: who read full addresses or phones (agents' plans, a visit's evidence), and when.
CREATE TABLE personal_data_reads (
    read_id     bigserial   PRIMARY KEY,
    at          timestamptz NOT NULL,
    sub         text        NOT NULL,
    what        text        NOT NULL,
    ids         text[]      NOT NULL
);
