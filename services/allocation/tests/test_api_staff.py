"""Teams, collectors and client rules through HTTP (R-9, R-45): CRUD, a team lead's own team,
problem+json answers."""

from __future__ import annotations


# --- teams, collectors, client rules -------------------------------------------------------------
async def test_teams_crud(svc, world, problem):
    w = await world(n_collectors=0, n_cases=0).build()
    c = svc.client
    problem(await c.post("/v1/teams", headers=w.admin, json={"team_id": w.team, "name": "again"}),
            409, "team-exists")
    body = problem(await c.post("/v1/teams", headers=w.admin, json={"team_id": "bad id!", "name": ""}), 422)
    assert {e["field"] for e in body["errors"]} == {"team_id", "name"}
    assert any(t["team_id"] == w.team for t in (await c.get("/v1/teams", headers=w.lead_h)).json())
    assert (await c.get(f"/v1/teams/{w.team}", headers=w.admin)).json()["lead_id"] == w.lead
    problem(await c.get("/v1/teams/nope", headers=w.admin), 404, "not-found")
    r = await c.patch(f"/v1/teams/{w.team}", headers=svc.auth("supervisor"), json={"name": "催收二组"})
    assert r.status_code == 200 and r.json()["name"] == "催收二组"
    problem(await c.patch(f"/v1/teams/{w.team}", headers=w.admin, json={"name": None}), 422)
    problem(await c.patch("/v1/teams/nope", headers=w.admin, json={"active": False}), 404)
    problem(await c.patch(f"/v1/teams/{w.team}", headers=w.admin, json={"colour": "red"}), 422)


async def test_collectors_crud_and_team_lead_scope(svc, world, problem):
    w = await world(n_collectors=1, n_cases=0).build()
    other = await world(n_collectors=1, n_cases=0).build()
    c = svc.client
    r = await c.post("/v1/collectors", headers=w.lead_h, json={
        "collector_id": f"new-{w.t}", "name": "李娜", "team_id": w.team, "dpd_buckets": ["M1", "M2"],
        "max_open_cases": 300, "max_open_amount": "5000000.00", "capacity_weight": "1.5"})
    assert r.status_code == 201, r.text
    assert r.json()["max_open_amount"] == "5000000.00" and r.json()["dpd_buckets"] == ["M1", "M2"]
    problem(await c.post("/v1/collectors", headers=w.lead_h, json={
        "collector_id": f"x-{w.t}", "name": "x", "team_id": other.team}), 403)
    problem(await c.post("/v1/collectors", headers=w.lead_h, json={
        "collector_id": f"x-{w.t}", "name": "x", "team_id": w.team, "role": "team_lead"}), 403)
    problem(await c.post("/v1/collectors", headers=w.admin, json={
        "collector_id": f"new-{w.t}", "name": "dup", "team_id": w.team}), 409, "collector-exists")
    body = problem(await c.post("/v1/collectors", headers=w.admin, json={
        "collector_id": f"y-{w.t}", "name": "y", "team_id": "no-such-team"}), 422)
    assert body["errors"][0]["field"] == "team_id"
    problem(await c.post("/v1/collectors", headers=w.admin, json={
        "collector_id": f"z-{w.t}", "name": "z", "max_open_amount": "1.234"}), 422)
    problem(await c.post("/v1/collectors", headers=w.as_collector(), json={
        "collector_id": f"z-{w.t}", "name": "z"}), 403)
    # lists: a team lead sees their own team only
    ids = [x["collector_id"] for x in (await c.get("/v1/collectors", headers=w.lead_h)).json()]
    assert sorted(ids) == sorted([w.collectors[0], f"new-{w.t}"])
    problem(await c.get("/v1/collectors", params={"team_id": other.team}, headers=w.lead_h), 403)
    # one collector: themselves, their lead, managers
    assert (await c.get(f"/v1/collectors/{w.collectors[0]}", headers=w.as_collector())).status_code == 200
    problem(await c.get(f"/v1/collectors/{other.collectors[0]}", headers=w.as_collector()), 403)
    problem(await c.get(f"/v1/collectors/{other.collectors[0]}", headers=w.lead_h), 403)
    problem(await c.get("/v1/collectors/nobody", headers=w.admin), 404)
    # changes
    r = await c.patch(f"/v1/collectors/new-{w.t}", headers=w.lead_h, json={"max_open_cases": None, "active": False})
    assert r.status_code == 200 and r.json()["max_open_cases"] is None and r.json()["active"] is False
    problem(await c.patch(f"/v1/collectors/new-{w.t}", headers=w.lead_h, json={"team_id": other.team}), 403)
    problem(await c.patch(f"/v1/collectors/{other.collectors[0]}", headers=w.lead_h, json={"name": "x"}), 403)
    problem(await c.patch(f"/v1/collectors/new-{w.t}", headers=w.admin, json={"name": None}), 422)
    problem(await c.patch("/v1/collectors/nobody", headers=w.admin, json={"name": "x"}), 404)
    r = await c.patch(f"/v1/collectors/new-{w.t}", headers=w.admin, json={"team_id": other.team})
    assert r.json()["team_id"] == other.team


async def test_client_rules(svc, world, problem):
    w = await world(n_collectors=0, n_cases=0).build()
    c = svc.client
    body = {"dedicated_team_ids": [w.team], "excluded_collector_ids": ["c9"],
            "default_strategy": "capacity_weighted", "auto_allocate": True,
            "team_products": {w.team: ["credit_card"]}, "team_dpd_buckets": {w.team: ["M3", "M4"]}}
    r = await c.put(f"/v1/client-rules/{w.client}", headers=w.admin, json=body)
    assert r.status_code == 200 and r.json()["default_strategy"] == "capacity_weighted"
    assert r.json()["team_dpd_buckets"] == {w.team: ["M3", "M4"]} and r.json()["updated_by"] == "admin-1"
    assert (await c.put(f"/v1/client-rules/new-{w.t}", headers=w.admin, json={})).status_code == 201
    problem(await c.put(f"/v1/client-rules/{w.client}", headers=w.admin,
                        json={"dedicated_team_ids": ["ghost"]}), 422)
    problem(await c.put(f"/v1/client-rules/{w.client}", headers=w.admin,
                        json={"default_strategy": "manual"}), 422)
    problem(await c.put(f"/v1/client-rules/{w.client}", headers=w.admin,
                        json={"default_strategy": "random"}), 422)
    assert (await c.get(f"/v1/client-rules/{w.client}", headers=w.lead_h)).json()["excluded_collector_ids"] == ["c9"]
    problem(await c.get("/v1/client-rules/unknown-bank", headers=w.admin), 404)
    assert any(x["client_id"] == w.client for x in (await c.get("/v1/client-rules", headers=w.admin)).json())
