"""Plans through HTTP (R-10, R-12): preview with balance figures, atomic commit and its conflicts,
reassignment, manual assignment, rotation preview and commit."""

from __future__ import annotations

import uuid
from datetime import date


# --- preview and commit (R-10) ----------------------------------------------------------------------
async def test_preview_shows_balance_and_commit_allocates(svc, world, problem):
    w = await world(n_collectors=4, n_cases=40).build()
    c = svc.client
    r = await c.post("/v1/allocations/preview", headers=w.lead_h,
                     json={"filter": {"client_id": w.client, "amount_min": "0.00"}, "strategy": "comprehensive"})
    assert r.status_code == 201, r.text
    plan = r.json()
    assert r.headers["location"] == f"/v1/allocations/{plan['plan_id']}"
    assert (plan["status"], plan["kind"], plan["strategy"]) == ("previewed", "allocation", "comprehensive")
    assert plan["cases_selected"] == plan["cases_planned"] == 40 and plan["cases_unassigned"] == 0
    assert [x["collector_id"] for x in plan["collectors"]] == sorted(w.collectors)
    assert sum(x["new_cases"] for x in plan["collectors"]) == 40
    for x in plan["collectors"]:
        assert x["name"] == "王芳" and x["open_cases_before"] == 0 and x["open_cases_after"] == x["new_cases"]
    bal = plan["balance"]
    assert bal["collectors"] == 4 and bal["mean_cases"] == "10.00"
    assert set(bal) == {"collectors", "mean_cases", "mean_amount", "max_dev_cases", "max_dev_cases_pct",
                        "max_dev_amount", "max_dev_amount_pct"}
    assert plan["filters"]["team_ids"] == [w.team]  # a team lead plans with their team
    assert (await c.get(f"/v1/allocations/{plan['plan_id']}", headers=w.admin)).json()["cases_planned"] == 40
    page = (await c.get(f"/v1/allocations/{plan['plan_id']}/items", params={"limit": 30}, headers=w.admin)).json()
    assert len(page["items"]) == 30 and page["next_cursor"]
    rest = (await c.get(f"/v1/allocations/{plan['plan_id']}/items",
                        params={"cursor": page["next_cursor"]}, headers=w.admin)).json()
    assert len(rest["items"]) == 10 and rest["next_cursor"] is None
    assert {i["case_id"] for i in page["items"] + rest["items"]} == set(w.cases)
    # nothing changed yet
    assert (await c.get(f"/v1/cases/{w.cases[0]}", headers=w.admin)).json()["status"] == "unassigned"
    r = await c.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=w.lead_h)
    assert r.status_code == 200, r.text
    assert (r.json()["committed"], r.json()["events"], r.json()["status"]) == (40, 40, "committed")
    problem(await c.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=w.lead_h), 409, "plan-not-previewed")
    problem(await c.post(f"/v1/allocations/{uuid.uuid4()}/commit", headers=w.admin), 404)
    problem(await c.post("/v1/allocations/not-a-uuid/commit", headers=w.admin), 422)
    problem(await c.get(f"/v1/allocations/{uuid.uuid4()}", headers=w.admin), 404)
    listed = (await c.get("/v1/allocations", params={"kind": "allocation", "status": "committed"},
                          headers=w.admin)).json()
    assert any(p["plan_id"] == plan["plan_id"] for p in listed)


async def test_preview_validation(svc, world, problem):
    w = await world(n_collectors=1, n_cases=0).build()
    c = svc.client
    problem(await c.post("/v1/allocations/preview", headers=w.admin, json={"strategy": "manual"}), 422)
    problem(await c.post("/v1/allocations/preview", headers=w.admin,
                         json={"amount_min": "10.00", "amount_max": "1.00"}), 422)
    problem(await c.post("/v1/allocations/preview", headers=w.admin,
                         json={"client_id": "x", "filter": {"client_id": "y"}}), 422)
    problem(await c.post("/v1/allocations/preview", headers=w.admin, json={"owner_ids": ["a"]}), 422)
    problem(await c.post("/v1/allocations/preview", headers=w.admin, content=b"{not json",
                         ), 422)
    problem(await c.post("/v1/allocations/preview", headers=w.lead_h, json={"team_ids": ["other"]}), 403)


async def test_commit_conflicts_when_a_case_changed(svc, world, problem):
    w = await world(n_collectors=2, n_cases=6).build()
    c = svc.client
    plan = (await c.post("/v1/allocations/preview", headers=w.admin,
                         json={"client_id": w.client, "team_ids": [w.team]})).json()
    assert plan["strategy"] == "by_count"  # the client's default strategy
    r = await c.post(f"/v1/cases/{w.cases[3]}/pause", headers=w.admin, json={"reason": "客户要求暂停"})
    assert r.status_code == 200
    body = problem(await c.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=w.admin), 409, "plan-stale")
    assert body["changed_cases"] == [{"case_id": w.cases[3], "status": "paused", "collector_id": None,
                                      "previewed_owner": None}]
    for case_id in w.cases:  # atomic: nobody got anything
        assert (await c.get(f"/v1/cases/{case_id}", headers=w.admin)).json()["collector_id"] is None


async def test_reassignment_moves_a_departing_collectors_cases(svc, world):
    w = await world(n_collectors=3, n_cases=9).build()
    await w.allocate()
    c = svc.client
    leaving = w.collectors[0]
    await c.patch(f"/v1/collectors/{leaving}", headers=w.admin, json={"active": False})
    r = await c.post("/v1/allocations/preview", headers=w.admin, json={
        "status": "assigned", "owner_ids": [leaving], "strategy": "by_amount", "team_ids": [w.team]})
    plan = r.json()
    assert plan["cases_planned"] == 3 and leaving not in {x["collector_id"] for x in plan["collectors"]}
    out = (await c.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=w.admin)).json()
    assert out["committed"] == 3
    cases = (await c.get(f"/v1/collectors/{leaving}/cases", headers=w.admin)).json()
    assert cases["items"] == []


# --- manual (R-10) ----------------------------------------------------------------------------------
async def test_manual_assignment(svc, world, problem):
    w = await world(n_collectors=2, n_cases=4, max_open_cases=2).build()
    c = svc.client
    r = await c.post("/v1/allocations/manual", headers=w.lead_h,
                     json={"case_ids": [w.cases[0]], "collector_id": w.collectors[0], "note": "熟悉此客户"})
    assert r.status_code == 200, r.text
    assert (r.json()["committed"], r.json()["kind"], r.json()["strategy"]) == (1, "manual", "manual")
    body = problem(await c.post("/v1/allocations/manual", headers=w.lead_h, json={
        "case_ids": w.cases[1:4], "collector_id": w.collectors[0]}), 409, "manual-allocation-refused")
    assert body["unassigned"] == {"capacity_exhausted": 2}  # one more would have fitted
    r = await c.post("/v1/allocations/manual", headers=w.lead_h, json={
        "case_ids": w.cases[1:4], "collector_id": w.collectors[0], "force": True})
    assert r.status_code == 200 and r.json()["committed"] == 3 and r.json()["forced"] is True
    problem(await c.post("/v1/allocations/manual", headers=w.admin,
                         json={"case_ids": [w.cases[0]], "collector_id": "ghost"}), 404)
    problem(await c.post("/v1/allocations/manual", headers=w.admin, json={"collector_id": w.collectors[0]}), 422)
    other = await world(n_collectors=1, n_cases=0).build()
    problem(await c.post("/v1/allocations/manual", headers=w.lead_h, json={
        "case_ids": [w.cases[0]], "collector_id": other.collectors[0]}), 403)
    # preview only, then commit through the common route
    r = await c.post("/v1/allocations/manual", headers=w.admin, json={
        "case_ids": [w.cases[0]], "collector_id": w.collectors[1], "preview": True})
    assert r.json()["status"] == "previewed" and r.json()["committed"] == 0
    r = await c.post(f"/v1/allocations/{r.json()['plan_id']}/commit", headers=w.admin)
    assert r.json()["committed"] == 1
    detail = (await c.get(f"/v1/cases/{w.cases[0]}", headers=w.admin)).json()
    assert detail["collector_id"] == w.collectors[1]
    assert [(h["collector_id"], h["reason"]) for h in detail["history"]] == \
        [(w.collectors[0], "manual"), (w.collectors[1], "manual")]


# --- rotation and reports --------------------------------------------------------------------
async def test_rotation_preview_and_commit(svc, world, problem):
    w = await world(n_collectors=3, n_cases=9).build()
    await w.allocate()
    c = svc.client
    before = {x: (await c.get(f"/v1/cases/{x}", headers=w.admin)).json()["collector_id"] for x in w.cases}
    month = date.today().strftime("%Y-%m")
    r = await c.post("/v1/rotations/preview", headers=w.lead_h, json={"month": month, "client_id": w.client})
    assert r.status_code == 201, r.text
    plan = r.json()
    assert (plan["kind"], plan["month"], plan["cases_planned"]) == ("rotation", date.today().replace(day=1).isoformat(), 9)
    r = await c.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=w.lead_h)
    assert r.json()["committed"] == 9
    for x in w.cases:
        d = (await c.get(f"/v1/cases/{x}", headers=w.admin)).json()
        assert d["collector_id"] != before[x] and d["previous_collector_id"] == before[x]
        assert d["history"][-1]["reason"] == "rotation"
    problem(await c.post("/v1/rotations/preview", headers=w.admin, json={"month": "2026-13"}), 422)
    problem(await c.post("/v1/rotations/preview", headers=w.admin, json={}), 422)
    problem(await c.post("/v1/rotations/preview", headers=w.as_collector(), json={"month": month}), 403)
    assert (await c.get("/v1/rotations/runs", headers=w.admin)).status_code == 200
