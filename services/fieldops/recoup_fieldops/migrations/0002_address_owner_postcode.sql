-- visit.completed carries the address visited (`address`, R-29/R-38) so letters can use it once a
-- visit verified it. Letters keeps a contact person's address apart from the debtor's (R-30: no
-- letter to a contact), so the owner travels with it, and the postcode (letters' envelopes).
-- Rows from before: the owner was not kept (debtor assumed), no postcode.
ALTER TABLE case_addresses
    ADD COLUMN owner    text NOT NULL DEFAULT 'debtor' CHECK (owner IN ('debtor', 'contact')),
    ADD COLUMN postcode text;
