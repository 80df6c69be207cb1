-- Recalls on their date (R-5, R-13): the daily job records its run on the placement (the register
-- several replicas share: a placement is recalled once), and each extension of a placement's
-- recall date by the client is kept.
ALTER TABLE placements ADD COLUMN recall_run_at    timestamptz;   -- when the job recalled it
ALTER TABLE placements ADD COLUMN recall_run_on    date;          -- the business day it did
ALTER TABLE placements ADD COLUMN recall_run_cases integer;       -- open cases it recalled
CREATE INDEX placements_recall_pending ON placements (recall_on) WHERE recall_run_at IS NULL;

CREATE TABLE recall_extensions (
    placement_id       uuid        NOT NULL,
    previous_recall_on date        NOT NULL,
    recall_on          date        NOT NULL,
    reason             text,
    extended_by        text        NOT NULL,
    extended_at        timestamptz NOT NULL
);
CREATE INDEX recall_extensions_placement ON recall_extensions (placement_id, extended_at);
