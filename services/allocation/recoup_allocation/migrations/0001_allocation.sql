-- The allocation service (R-8..R-13): people, client rules, the case pool, plans, ownership
-- history and the month facts rotation needs. The bus tables (outbox, processed_events,
-- dead_letters) come from recoup_shared's own migration.

-- People --------------------------------------------------------------------------------------
CREATE TABLE teams (
    team_id     text PRIMARY KEY,
    name        text        NOT NULL,
    lead_id     text,                                   -- the team lead's token `sub`
    active      boolean     NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A collector is identified by the `sub` their tokens carry (R-45: personal accounts).
-- Skill arrays: NULL = any; capacity: NULL = uncapped.
CREATE TABLE collectors (
    collector_id     text PRIMARY KEY,
    name             text        NOT NULL,
    team_id          text REFERENCES teams (team_id),
    role             text        NOT NULL DEFAULT 'collector' CHECK (role IN ('collector', 'team_lead')),
    active           boolean     NOT NULL DEFAULT true,
    clients          text[],
    products         text[],
    dpd_buckets      text[],
    regions          text[],
    max_open_cases   integer CHECK (max_open_cases >= 0),
    max_open_amount  numeric(18,2) CHECK (max_open_amount >= 0),
    capacity_weight  numeric(12,4) CHECK (capacity_weight >= 0),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX collectors_team ON collectors (team_id, collector_id);

-- R-9 client requirements. A client without a row is allocated with the service defaults.
CREATE TABLE client_rules (
    client_id               text PRIMARY KEY,
    dedicated_team_ids      text[]      NOT NULL DEFAULT '{}',
    excluded_collector_ids  text[]      NOT NULL DEFAULT '{}',
    default_strategy        text        NOT NULL,
    auto_allocate           boolean     NOT NULL DEFAULT true,
    rotation_enabled        boolean     NOT NULL DEFAULT true,
    team_products           jsonb       NOT NULL DEFAULT '{}',   -- {team_id: [product, ...]}
    team_dpd_buckets        jsonb       NOT NULL DEFAULT '{}',   -- {team_id: [bucket, ...]}
    updated_by              text,
    updated_at              timestamptz NOT NULL DEFAULT now()
);

-- The case pool, built from case.received / case.updated ----------------------------------------
CREATE TABLE cases (
    case_id                text PRIMARY KEY,
    client_id              text          NOT NULL,
    placement_id           text,
    placement_ref          text,
    product                text          NOT NULL,
    placed_amount          numeric(18,2) NOT NULL,
    outstanding            numeric(18,2) NOT NULL,
    dpd                    integer,
    dpd_bucket             text          NOT NULL,
    region                 text,
    flags                  text[]        NOT NULL DEFAULT '{}',
    joint_key              text,                              -- debtor id_hash (R-7, R-11)
    recall_on              date,
    status                 text          NOT NULL
        CHECK (status IN ('unassigned', 'assigned', 'paused', 'closed', 'recalled')),
    collector_id           text,
    team_id                text,
    previous_collector_id  text,                              -- the owner before the current one
    received_at            timestamptz   NOT NULL,            -- SLA clock start (R-8)
    first_allocated_at     timestamptz,                       -- SLA clock stop (R-8)
    allocated_at           timestamptz,                       -- current owner since
    first_contact_due      date,                              -- R-20
    pause_source           text CHECK (pause_source IN ('staff', 'flag')),
    pause_reason           text,
    paused_by              text,
    paused_at              timestamptz,
    auto_retry_at          timestamptz,                       -- auto-allocation back-off
    version                bigint        NOT NULL DEFAULT 0,  -- bumped on status/owner change
    updated_at             timestamptz   NOT NULL DEFAULT now(),
    CHECK ((status = 'assigned') = (collector_id IS NOT NULL))
);
CREATE INDEX cases_unassigned ON cases (client_id, case_id) WHERE status = 'unassigned';
CREATE INDEX cases_collector ON cases (collector_id, case_id) WHERE collector_id IS NOT NULL;
CREATE INDEX cases_team ON cases (team_id, case_id) WHERE team_id IS NOT NULL;
CREATE INDEX cases_joint ON cases (joint_key) WHERE joint_key IS NOT NULL;
CREATE INDEX cases_placement ON cases (placement_id);

-- Ownership history: who owned each case when. valid_to NULL = the current owner; billing
-- attributes a repayment to the owner on the payment date.
CREATE TABLE ownership (
    id            bigserial PRIMARY KEY,
    case_id       text        NOT NULL,
    collector_id  text        NOT NULL,
    team_id       text,
    strategy      text        NOT NULL,
    reason        text        NOT NULL,     -- allocation | rotation | manual | reassignment
    plan_id       uuid,
    valid_from    timestamptz NOT NULL,
    valid_to      timestamptz,
    end_reason    text,                     -- rotation | reassignment | paused | closed | recalled | repaid
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE UNIQUE INDEX ownership_one_current ON ownership (case_id) WHERE valid_to IS NULL;
CREATE INDEX ownership_case_from ON ownership (case_id, valid_from);

-- Plans: previews, their commits, automatic runs -------------------------------------------------
CREATE TABLE plans (
    plan_id       uuid PRIMARY KEY,
    kind          text        NOT NULL CHECK (kind IN ('allocation', 'auto', 'manual', 'rotation')),
    strategy      text        NOT NULL,
    client_id     text,
    month         date,                                 -- rotation: the month evaluated
    filters       jsonb       NOT NULL DEFAULT '{}',
    forced        boolean     NOT NULL DEFAULT false,   -- manual capacity override (recorded)
    created_by    text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    status        text        NOT NULL
        CHECK (status IN ('previewed', 'committed', 'expired', 'superseded')),
    committed_by  text,
    committed_at  timestamptz,
    items         integer     NOT NULL DEFAULT 0,
    summary       jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX plans_status ON plans (status, expires_at);
CREATE INDEX plans_created ON plans (created_at DESC);

CREATE TABLE plan_items (
    plan_id                uuid   NOT NULL REFERENCES plans (plan_id) ON DELETE CASCADE,
    case_id                text   NOT NULL,
    collector_id           text   NOT NULL,
    team_id                text,
    previous_collector_id  text,            -- the owner at preview time (NULL: unassigned)
    case_version           bigint NOT NULL, -- optimistic check at commit
    PRIMARY KEY (plan_id, case_id)
);

-- Month facts for rotation (R-12) ----------------------------------------------------------------
CREATE TABLE payments (
    case_id   text          NOT NULL,
    txn_ref   text          NOT NULL,
    amount    numeric(18,2) NOT NULL,
    paid_at   timestamptz   NOT NULL,
    PRIMARY KEY (case_id, txn_ref)
);

CREATE TABLE case_month_facts (
    case_id          text          NOT NULL,
    month            date          NOT NULL,          -- first day, debtor's zone
    repaid           numeric(18,2) NOT NULL DEFAULT 0,
    payments         integer       NOT NULL DEFAULT 0,
    ptp_until        date,                            -- latest PTP due date promised this month
    last_contact_at  timestamptz,
    PRIMARY KEY (case_id, month)
);
CREATE INDEX case_month_facts_ptp ON case_month_facts (case_id, ptp_until) WHERE ptp_until IS NOT NULL;

-- One scheduled rotation per month and client (R-12), whatever the number of replicas.
CREATE TABLE rotation_runs (
    month      date        NOT NULL,       -- the month evaluated
    client_id  text        NOT NULL,
    plan_id    uuid,
    status     text        NOT NULL CHECK (status IN ('running', 'previewed', 'committed', 'empty', 'failed')),
    detail     text,
    ran_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (month, client_id)
);
