-- Object-level checks (issue 14, OWASP API1): a team lead reaches the plans they created and the
-- plans of their own team. A plan's team is the one team every collector it shows (its summary's
-- collectors, which include every receiver) belongs to; NULL when it spans several teams or
-- none — such a plan is for supervisors and admins (and its creator).
ALTER TABLE plans ADD COLUMN team_id text;

UPDATE plans p SET team_id = t.team_id
FROM (SELECT plan_id, min(c->>'team_id') AS team_id
      FROM plans, jsonb_array_elements(summary->'collectors') AS c
      GROUP BY plan_id
      HAVING bool_and(c->>'team_id' IS NOT NULL) AND count(DISTINCT c->>'team_id') = 1) t
WHERE p.plan_id = t.plan_id;

CREATE INDEX plans_team ON plans (team_id, created_at DESC) WHERE team_id IS NOT NULL;
CREATE INDEX plans_created_by ON plans (created_by, created_at DESC);
