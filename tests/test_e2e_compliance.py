"""End to end through the compliance gate (issue 10), every service in-process on the session's
stack, events on the real broker, one business clock (a Monday, 10:00 in Shanghai):

1. a client pushes a placement (intake) → allocation gives the case to a collector → the collector
   dials it (contact, THE GATE: allowed, a call placed);
2. the client flags the case disputed through intake (`POST /v1/cases/updates` with flags) → within
   seconds the gate refuses every dial with hold.dispute (R-17), recorded, no call placed;
3. the agency's supervisor moves the client to 09:00–21:00 in contact → `policy.changed` reaches
   fieldops (visits are decided with it: its visit policy says so) and letters (SMS gate), and a
   hold placed on the case in contact reaches both as a case level.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import date

from recoup_local.demo import make_placement
from recoup_local.inprocess import running_services

MOMENT = "2026-12-07T10:00:00+08:00"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def eventually(probe, what: str, timeout: float = 60.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def test_a_dispute_pushed_by_the_client_stops_dialling_within_seconds(stack, tmp_path):
    tag = uuid.uuid4().hex[:8]
    client_id = f"e2e-g-{tag}"
    body = make_placement(1, seed=10, placed_on=date(2026, 12, 1))
    case = body["cases"][0]
    case.pop("overdue_since", None)
    case.update(dpd=120, principal="25000.00", interest="4500.00", fees="500.00", placed_amount="30000.00")
    stack.set_clock(f"fixed:{MOMENT}")
    try:
        async with running_services(
                stack, intake={},
                allocation=dict(auto_allocate_enabled=False,
                                database_url=await stack.new_database(package="recoup_allocation")),
                contact=dict(local_pbx_answer_pct=100,
                             database_url=await stack.new_database(package="recoup_contact")),
                fieldops=dict(auto_plan=False,
                              database_url=await stack.new_database(package="recoup_fieldops"),
                              evidence_dir=str(tmp_path / "evidence")),
                letters=dict(data_dir=str(tmp_path / "letters"),
                             database_url=await stack.new_database(package="recoup_letters"))) as (intake, alloc, contact, fieldops, letters):
            case_id, me = await _placed_allocated_dialled(client_id, body, intake, alloc, contact, tag)
            await _dispute_stops_dialling(client_id, body, case_id, me, intake, contact)
            await _policy_reaches_fieldops_and_letters(client_id, case_id, contact, fieldops, letters)
    finally:
        stack.set_clock(None)


async def _placed_allocated_dialled(client_id, body, intake, alloc, contact, tag):
    r = await intake.client.post("/v1/placements", json=body, headers=intake.auth("client", client_id=client_id))
    assert r.status_code == 202 and r.json()["accepted"] == 1, r.text

    async def in_contact():
        async with contact.pool.acquire() as conn:
            return await conn.fetchval("SELECT case_id FROM cases WHERE client_id = $1", client_id)
    case_id = await eventually(in_contact, "contact to receive the case")
    admin, team, collector = alloc.auth("admin", sub="adm"), f"T-{tag}", f"C-{tag}"
    assert (await alloc.client.post("/v1/teams", json={"team_id": team, "name": "合规组"},
                                    headers=admin)).status_code == 201
    assert (await alloc.client.post("/v1/collectors", headers=admin, json={
        "collector_id": collector, "name": "赵敏", "team_id": team})).status_code == 201

    async def alloc_knows():
        return (await alloc.client.get(f"/v1/cases/{case_id}", headers=admin)).status_code == 200
    await eventually(alloc_knows, "allocation to receive the case")
    r = await alloc.client.post("/v1/allocations/manual", headers=admin, json={
        "case_ids": [case_id], "collector_id": collector, "force": True})
    assert r.status_code == 200, r.text
    me = contact.auth("collector", sub=collector, team_id=team)

    async def owned():
        r = await contact.client.get(f"/v1/cases/{case_id}", headers=me)
        return r.json() if r.status_code == 200 else None
    page = await eventually(owned, "the case in the collector's hands")
    mobile = next(p for p in page["contact_points"] if p["party"] == "debtor" and p["kind"] == "mobile"
                  and p["state"] != "invalid")
    assert (await contact.client.put(f"/v1/agent-lines/{collector}", headers=me,
                                     json={"extension": "8001"})).status_code == 200
    r = await contact.client.post(f"/v1/cases/{case_id}/dial", headers=me, json={"point_id": mobile["point_id"]})
    assert r.status_code == 201 and r.json()["state"] == "originated", r.text
    return case_id, (me, mobile["point_id"])


async def _dispute_stops_dialling(client_id, body, case_id, me, intake, contact):
    headers, point_id = me
    r = await intake.client.post("/v1/cases/updates", headers=intake.auth("client", client_id=client_id), json={
        "updates": [{"account_ref": body["cases"][0]["account_ref"], "flags": ["dispute"]}]})
    assert r.status_code == 200 and r.json()["applied"] == 1, r.text
    pushed = time.monotonic()

    async def held():
        r = await contact.client.post("/v1/compliance/evaluate", headers=headers,
                                      json={"case_id": case_id, "point_id": point_id})
        return [x["rule"] for x in r.json()["reasons"]] if not r.json()["allowed"] else None
    assert await eventually(held, "the gate to see the client's dispute flag", timeout=30) == ["hold.dispute"]
    elapsed = time.monotonic() - pushed
    assert elapsed < 10, f"the dispute took {elapsed:.1f} s to stop dialling"
    r = await contact.client.post(f"/v1/cases/{case_id}/dial", headers=headers, json={"point_id": point_id})
    assert r.status_code == 409 and [x["rule"] for x in r.json()["reasons"]] == ["hold.dispute"], r.text
    assert r.json()["next_allowed"] is None                    # only the client's instruction
    async with contact.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM calls WHERE case_id = $1", case_id) == 1
        assert await conn.fetchval("SELECT rules FROM gate_refusals WHERE case_id = $1", case_id) == ["hold.dispute"]
    policy = (await contact.client.get(f"/v1/cases/{case_id}/policy", headers=headers)).json()
    hold = next(v for v in policy["values"] if v["key"] == "holds.dispute")
    assert hold["source"] == "client_flag"


async def _policy_reaches_fieldops_and_letters(client_id, case_id, contact, fieldops, letters):
    r = await contact.client.put(f"/v1/clients/{client_id}/policy", headers=contact.auth("supervisor", sub="sup"),
                                 json={"values": {"windows": {d: ["09:00-21:00"] for d in DAYS}},
                                       "reason": "the bank's contract"})
    assert r.status_code == 200 and r.json()["version"] == 1, r.text
    r = await contact.client.post(f"/v1/cases/{case_id}/holds", headers=contact.auth("supervisor", sub="sup"),
                                  json={"kind": "deceased_pending_evidence", "note": "家属来电称已故"})
    assert r.status_code == 201, r.text

    async def kept(service, level, scope):
        async with service.pool.acquire() as conn:
            return await conn.fetchrow("""SELECT version, "values"::text AS v FROM policy_levels
                                          WHERE level = $1 AND scope_id = $2""", level, scope)
    for service in (fieldops, letters):
        row = await eventually(lambda s=service: kept(s, "client", client_id), f"{service.name}: the client level")
        assert row["version"] == 1 and "09:00-21:00" in row["v"]
        row = await eventually(lambda s=service: kept(s, "case", case_id), f"{service.name}: the case level")
        assert "deceased_pending_evidence" in row["v"]

    async def visit_policy():
        r = await fieldops.client.get(f"/v1/cases/{case_id}/visit-policy", headers=fieldops.auth("supervisor"))
        return r.json() if r.status_code == 200 else None
    values = {v["key"]: v for v in (await eventually(visit_policy, "fieldops to know the case"))["values"]}
    assert values["windows.mon"]["value"] == ["09:00-21:00"] and values["windows.mon"]["level"] == "client"
    assert values["holds.deceased_pending_evidence"]["value"] is not None      # visits stop too
