"""Cases through HTTP: detail and ownership history, owner on a date, pause / resume (R-13) and
their events on the broker, client-flag pauses (R-17), worklists, keyset paging, team load."""

from __future__ import annotations

from datetime import datetime, timezone

from recoup_local.factories import read_topic


# --- cases: detail, owner on a date, lifecycle, worklists -------------------------------------------
async def test_case_detail_and_object_checks(svc, world, problem):
    w = await world(n_collectors=2, n_cases=4).build()
    await w.allocate()
    c = svc.client
    detail = (await c.get(f"/v1/cases/{w.cases[0]}", headers=w.admin)).json()
    owner = detail["collector_id"]
    i = w.collectors.index(owner)
    assert detail["status"] == "assigned" and detail["team_id"] == w.team
    assert detail["first_contact_due"] and detail["allocated_at"]
    [h] = detail["history"]
    assert (h["collector_id"], h["team_id"], h["to"], h["strategy"], h["reason"]) == \
        (owner, w.team, None, "by_count", "allocation") and h["from"]
    assert (await c.get(f"/v1/cases/{w.cases[0]}", headers=w.as_collector(i))).status_code == 200
    problem(await c.get(f"/v1/cases/{w.cases[0]}", headers=w.as_collector(1 - i)), 403)
    assert (await c.get(f"/v1/cases/{w.cases[0]}", headers=w.lead_h)).status_code == 200
    problem(await c.get(f"/v1/cases/{w.cases[0]}", headers=svc.auth("team_lead", sub="l2", team_id="other")), 403)
    assert (await c.get(f"/v1/cases/{w.cases[0]}", headers=svc.auth("finance"))).status_code == 200
    problem(await c.get("/v1/cases/no-such-case", headers=w.admin), 404)
    # owner on a date (billing)
    r = await c.get(f"/v1/cases/{w.cases[0]}/owner", headers=svc.auth("finance"),
                    params={"at": datetime.now(timezone.utc).isoformat()})
    assert r.json()["collector_id"] == owner and r.json()["from"] == h["from"]
    r = await c.get(f"/v1/cases/{w.cases[0]}/owner", headers=svc.auth("finance"),
                    params={"at": "2020-01-01T00:00:00+08:00"})
    assert r.json()["collector_id"] is None
    problem(await c.get(f"/v1/cases/{w.cases[0]}/owner", headers=w.admin, params={"at": "yesterday"}), 422)
    problem(await c.get(f"/v1/cases/{w.cases[0]}/owner", headers=w.admin, params={"at": "2026-01-01T00:00:00"}), 422)
    problem(await c.get("/v1/cases/nope/owner", headers=w.admin), 404)


async def test_pause_and_resume(svc, world, problem):
    w = await world(n_collectors=2, n_cases=2).build()
    await w.allocate()
    c = svc.client
    case_id = w.cases[0]
    owner = (await c.get(f"/v1/cases/{case_id}", headers=w.admin)).json()["collector_id"]
    problem(await c.post(f"/v1/cases/{case_id}/pause", headers=w.as_collector(), json={"reason": "x"}), 403)
    problem(await c.post(f"/v1/cases/{case_id}/pause", headers=w.lead_h, json={}), 422)
    problem(await c.post("/v1/cases/nope/pause", headers=w.lead_h, json={"reason": "x"}), 404)
    r = await c.post(f"/v1/cases/{case_id}/pause", headers=w.lead_h, json={"reason": "债务人住院"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["status"], d["collector_id"], d["pause_reason"], d["paused_by"]) == ("paused", None, "债务人住院", w.lead)
    assert d["history"][0]["to"] is not None and d["history"][0]["end_reason"] == "paused"
    problem(await c.post(f"/v1/cases/{case_id}/pause", headers=w.lead_h, json={"reason": "x"}), 409, "case-already-paused")
    # a paused case leaves the worklist and every allocation
    assert case_id not in {x["case_id"] for x in (await c.get(f"/v1/collectors/{owner}/cases", headers=w.admin)).json()["items"]}
    plan = (await c.post("/v1/allocations/preview", headers=w.admin, json={"case_ids": [case_id]})).json()
    assert plan["cases_selected"] == 0
    body = problem(await c.post("/v1/allocations/manual", headers=w.admin,
                                json={"case_ids": [case_id], "collector_id": owner}), 409)
    assert body["unassigned"] == {"case_not_allocatable": 1}
    r = await c.post(f"/v1/cases/{case_id}/resume", headers=w.lead_h, json={"reason": "已出院"})
    d = r.json()
    assert (d["status"], d["collector_id"]) == ("assigned", owner)  # back to the previous owner
    assert [h["reason"] for h in d["history"]] == ["allocation", "reassignment"]
    problem(await c.post(f"/v1/cases/{case_id}/resume", headers=w.lead_h, json={"reason": "x"}), 409, "case-not-paused")
    # resume to the pool
    await c.post(f"/v1/cases/{case_id}/pause", headers=w.admin, json={"reason": "x"})
    d = (await c.post(f"/v1/cases/{case_id}/resume", headers=w.admin,
                      json={"reason": "y", "return_to_previous_owner": False})).json()
    assert (d["status"], d["collector_id"]) == ("unassigned", None)


async def test_pause_and_resume_reach_the_broker(stack, svc, world):
    """R-13: staff pause/resume are announced — one case.paused (who, why, the owner released),
    one case.resumed (who, why, the owner restored) followed by the case.allocated giving it back."""
    w = await world(n_collectors=2, n_cases=1).build()
    await w.allocate()
    c, case_id = svc.client, w.cases[0]
    owner = (await c.get(f"/v1/cases/{case_id}", headers=w.admin)).json()["collector_id"]
    assert (await c.post(f"/v1/cases/{case_id}/pause", headers=w.lead_h, json={"reason": "债务人住院"})).status_code == 200
    [paused] = await read_topic(stack.bootstrap, "case.paused", case_ids={case_id}, expect=1, timeout=60)
    assert (paused["producer"], paused["client_id"]) == ("allocation", w.client)
    assert {k: paused["payload"][k] for k in ("source", "paused_by", "reason", "released_collector_id",
                                              "released_team_id")} == \
        {"source": "staff", "paused_by": w.lead, "reason": "债务人住院", "released_collector_id": owner,
         "released_team_id": w.team}
    assert (await c.post(f"/v1/cases/{case_id}/resume", headers=w.lead_h, json={"reason": "已出院"})).status_code == 200
    [resumed] = await read_topic(stack.bootstrap, "case.resumed", case_ids={case_id}, expect=1, timeout=60)
    assert {k: resumed["payload"][k] for k in ("source", "resumed_by", "reason", "collector_id", "team_id")} == \
        {"source": "staff", "resumed_by": w.lead, "reason": "已出院", "collector_id": owner, "team_id": w.team}
    allocated = await read_topic(stack.bootstrap, "case.allocated", case_ids={case_id}, expect=2, timeout=60)
    assert [e["payload"]["reason"] for e in allocated] == ["allocation", "reassignment"]
    # back to the pool: case.resumed names no owner
    await c.post(f"/v1/cases/{case_id}/pause", headers=w.admin, json={"reason": "x"})
    await c.post(f"/v1/cases/{case_id}/resume", headers=w.admin, json={"reason": "y", "return_to_previous_owner": False})
    events = await read_topic(stack.bootstrap, "case.resumed", case_ids={case_id}, expect=2, timeout=60)
    assert [(e["payload"]["resumed_by"], e["payload"].get("collector_id")) for e in events] == \
        [(w.lead, owner), ("admin-1", None)]
    paused = await read_topic(stack.bootstrap, "case.paused", case_ids={case_id}, expect=2, timeout=60)
    assert paused[-1]["payload"]["released_collector_id"] == owner  # given back, then paused again


async def test_client_flag_pause_resumes_only_on_the_client(svc, world, problem):
    w = await world(n_collectors=1, n_cases=1).build()
    async with svc.pool.acquire() as conn:
        await conn.execute("UPDATE cases SET status='paused', pause_source='flag', flags='{dispute}' "
                           "WHERE case_id=$1", w.cases[0])
    problem(await svc.client.post(f"/v1/cases/{w.cases[0]}/resume", headers=w.admin, json={"reason": "x"}),
            409, "client-flag-active")


async def test_worklists_paging_and_team_load(svc, world, problem):
    w = await world(n_collectors=2, n_cases=30, max_open_cases=20, max_open_amount="2000000.00").build()
    await w.allocate()
    c = svc.client
    me = w.collectors[0]
    first = (await c.get(f"/v1/collectors/{me}/cases", headers=w.as_collector(), params={"limit": 10})).json()
    assert len(first["items"]) == 10 and first["next_cursor"]
    seen = [x["case_id"] for x in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = (await c.get(f"/v1/collectors/{me}/cases", headers=w.as_collector(),
                            params={"limit": 10, "cursor": cursor})).json()
        seen += [x["case_id"] for x in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 15 and seen == sorted(seen)
    assert all(x["collector_id"] == me for x in first["items"])
    problem(await c.get(f"/v1/collectors/{w.collectors[1]}/cases", headers=w.as_collector()), 403)
    assert (await c.get(f"/v1/collectors/{me}/cases", headers=w.lead_h)).status_code == 200
    problem(await c.get(f"/v1/collectors/{me}/cases", headers=svc.auth("team_lead", sub="l9", team_id="zzz")), 403)
    problem(await c.get("/v1/collectors/ghost/cases", headers=w.admin), 404)
    problem(await c.get(f"/v1/collectors/{me}/cases", headers=w.admin, params={"cursor": "%%%"}), 422)
    problem(await c.get(f"/v1/collectors/{me}/cases", headers=w.admin, params={"status": "lost"}), 422)
    team = (await c.get(f"/v1/teams/{w.team}/cases", headers=w.lead_h, params={"limit": 500})).json()
    assert len(team["items"]) == 30
    only = (await c.get(f"/v1/teams/{w.team}/cases", headers=w.lead_h, params={"collector_id": me})).json()
    assert {x["collector_id"] for x in only["items"]} == {me}
    problem(await c.get(f"/v1/teams/{w.team}/cases", headers=svc.auth("team_lead", sub="l9", team_id="zzz")), 403)
    problem(await c.get("/v1/teams/ghost/cases", headers=w.admin), 404)
    load = (await c.get(f"/v1/teams/{w.team}/load", headers=w.lead_h)).json()
    assert load["open_cases"] == 30
    for x in load["collectors"]:
        assert x["open_cases"] == 15 and x["cases_used_pct"] == "75.00" and x["amount_used_pct"] is not None
    problem(await c.get(f"/v1/teams/{w.team}/load", headers=w.as_collector()), 403)
    problem(await c.get("/v1/teams/ghost/load", headers=w.admin), 404)
    # the pool listing
    pool_page = (await c.get("/v1/cases", params={"status": "assigned", "client_id": w.client}, headers=w.admin)).json()
    assert len(pool_page["items"]) == 30
    problem(await c.get("/v1/cases", params={"status": "assigned"}, headers=w.lead_h), 403)
    assert (await c.get("/v1/cases", params={"status": "unassigned"}, headers=w.lead_h)).status_code == 200
