-- Compliance (issue 10): stored, versioned, audited contact-policy levels and quality inspection.

-- Contact-policy levels (R-14..R-18, R-47): system -> client -> placement -> case. Every change is a
-- new version with who, when and why (append-only: the audit trail); the newest version of a scope
-- is in force at once. Values are the flat, canonical keys of recoup_shared.compliance, validated
-- whole before they are written (validate_level).
CREATE TABLE policy_levels (
    level       text        NOT NULL CHECK (level IN ('system', 'client', 'placement', 'case')),
    scope_id    text        NOT NULL,          -- '' for the system level; else the client, placement or case id
    version     integer     NOT NULL CHECK (version > 0),
    "values"    jsonb       NOT NULL,
    changed_by  text        NOT NULL,
    changed_at  timestamptz NOT NULL,
    reason      text        NOT NULL,
    PRIMARY KEY (level, scope_id, version)
);
CREATE INDEX policy_levels_changed ON policy_levels (changed_at);

CREATE FUNCTION policy_levels_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'policy levels are append-only: a change is a new version';
END $$;
CREATE TRIGGER policy_levels_append_only BEFORE UPDATE OR DELETE ON policy_levels
    FOR EACH ROW EXECUTE FUNCTION policy_levels_append_only();

-- Holds placed before the levels were stored become each case's first case level.
INSERT INTO policy_levels (level, scope_id, version, "values", changed_by, changed_at, reason)
SELECT 'case', h.case_id, 1,
       jsonb_object_agg('holds.' || h.kind, jsonb_build_object('since', to_jsonb(h.since) #>> '{}',
                                                               'by', h.placed_by, 'note', h.note)),
       'migration', now(), 'holds placed before policy levels were stored'
FROM case_holds h WHERE h.lifted_at IS NULL GROUP BY h.case_id;

-- Quality inspection (R-48): the weekly sample of contact records, one run per week whichever
-- replica gets there first (the week's row is the claim).
CREATE TABLE inspection_weeks (
    week_start  date        PRIMARY KEY,       -- Monday, in the business zone
    rate        numeric(5,4) NOT NULL,
    sampled     integer     NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL
);

-- The inspection queue: sampled records (every collector of the week represented), telephony
-- mismatches (R-19) and records whose attempt the engine's replay refuses.
CREATE TABLE inspection_items (
    item_id       uuid        PRIMARY KEY,
    week_start    date        NOT NULL,
    source        text        NOT NULL,        -- sample | quality_flag
    record_id     uuid,
    call_id       uuid,
    flag_id       uuid,
    case_id       text        NOT NULL,
    collector_id  text        NOT NULL,
    occurred_at   timestamptz NOT NULL,
    recheck       jsonb,                       -- the engine's replay of the attempt (breach rules)
    state         text        NOT NULL DEFAULT 'open',   -- open | passed | failed
    inspector_id  text,
    inspected_at  timestamptz,
    note          text,
    created_at    timestamptz NOT NULL
);
CREATE UNIQUE INDEX inspection_items_record ON inspection_items (week_start, record_id) WHERE record_id IS NOT NULL;
CREATE UNIQUE INDEX inspection_items_flag ON inspection_items (flag_id) WHERE flag_id IS NOT NULL;
CREATE INDEX inspection_items_queue ON inspection_items (state, created_at, item_id);

-- What the inspectors found (R-18, R-19, R-49), counted per collector per month.
CREATE TABLE inspection_findings (
    finding_id    uuid        PRIMARY KEY,
    item_id       uuid        NOT NULL REFERENCES inspection_items,
    kind          text        NOT NULL,
    note          text,
    case_id       text        NOT NULL,
    collector_id  text        NOT NULL,
    occurred_at   timestamptz NOT NULL,        -- the contact's moment: the month it counts in
    found_by      text        NOT NULL,
    found_at      timestamptz NOT NULL
);
CREATE INDEX inspection_findings_month ON inspection_findings (occurred_at, collector_id);
CREATE INDEX quality_flags_collector ON quality_flags (collector_id, created_at);

-- A placement's level names its client through its cases.
CREATE INDEX cases_placement ON cases (placement_id);
-- Violations per month read refusals by moment (R-48).
CREATE INDEX gate_refusals_at ON gate_refusals (at);
