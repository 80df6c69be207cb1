-- contact.logged carries what each record is (contact service, issue 9): a contact, a correction
-- (a new record replacing the one named by `corrects`: the original counts once, with the latest
-- correction's values) or a promise outcome (R-23: no contact at all; it judges the promise named
-- by promise_id). Rows are kept as received; views.py derives the records in force.
ALTER TABLE billing_contacts
    ADD COLUMN record_kind text,                 -- contact | correction | promise_outcome (NULL: contact)
    ADD COLUMN corrects text,                    -- a correction: the original record's contact_id
    ADD COLUMN promise_id text,                  -- a record making a promise, or the promise judged
    ADD COLUMN outcome text CHECK (outcome IN ('kept', 'broken')),
    ADD COLUMN outcome_instalment integer,       -- NULL: the promise (or the whole plan)
    ADD COLUMN outcome_on date,
    ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;   -- arrival order: the latest correction wins

CREATE INDEX billing_contacts_corrects ON billing_contacts (corrects) WHERE corrects IS NOT NULL;
CREATE INDEX billing_contacts_outcomes ON billing_contacts (promise_id)
    WHERE record_kind = 'promise_outcome' AND outcome_instalment IS NULL;
