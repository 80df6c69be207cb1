-- Bulk plans (a 100,000-case preview writes 100,000 plan_items by COPY).
--
-- The foreign key to plans made every item row fire a trigger that looks the plan up (about two
-- thirds of the COPY's time). A plan and its items are only ever written together, by
-- store.plans.insert_plan in one transaction, and plans are never deleted (retention purges the
-- items of stale plans, never a plan), so the key guarded nothing the write path does not
-- already guarantee; ON DELETE CASCADE had nothing to cascade.
ALTER TABLE plan_items DROP CONSTRAINT plan_items_plan_id_fkey;
