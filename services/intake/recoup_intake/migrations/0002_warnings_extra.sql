-- R-4 (amended): a malformed phone or address does not reject a row. The accepted rows'
-- warnings (row, field, reason) are kept like the rejected rows, in the order of the answer;
-- an upload's file-level notes too (row 0, or the header row).
CREATE TABLE row_warnings (
    placement_id uuid    NOT NULL,
    ordinal      integer NOT NULL,
    row_no       integer,
    field        text    NOT NULL,
    reason       text    NOT NULL,
    PRIMARY KEY (placement_id, ordinal)
);

-- R-4: no valid phone of the debtor -> skip tracing (信息修复) starts at once.
ALTER TABLE cases ADD COLUMN skip_trace boolean NOT NULL DEFAULT false;
CREATE INDEX cases_skip_trace ON cases (client_id) WHERE skip_trace AND status = 'open';

-- R-3: client-specific fields a template maps (extra.<name>: text, amount, date) — shown in
-- case details, never used in rules. NULL when the case has none.
ALTER TABLE cases ADD COLUMN extra jsonb;
