"""End to end through the contact service (issue 9): a client pushes a placement (intake's client
API) → allocation gives the case to a collector → the case is in the collector's worklist (contact)
→ the collector logs a call with a promise to pay (through the contact policy) → the client reports
the repayment (intake) → contact matches it and the promise is kept (contact.logged of kind
promise_outcome) → allocation sees the live PTP (R-12) → a second call is logged unanswered and
corrected → billing's collector performance shows the promise made and kept and counts the calls in
force: the promise outcome is no contact, the corrected call counts once, answered (R-43). Every service in-process on the session's stack, events on the real
broker, one business clock for all (stack.set_clock): a Monday, 10:00 in Shanghai.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal

import orjson

from recoup_local.demo import make_placement
from recoup_local.factories import read_topic
from recoup_local.inprocess import running_services

MOMENT = "2026-12-07T10:00:00+08:00"
MONTH = "2026-12"


async def eventually(probe, what: str, timeout: float = 90.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


async def test_placement_to_worklist_to_promise_kept_to_performance(stack):
    client_id = f"e2e-c-{uuid.uuid4().hex[:8]}"
    body = make_placement(1, seed=9, placed_on=date(2026, 12, 1))
    case = body["cases"][0]
    case.pop("overdue_since", None)
    case.update(dpd=120, principal="25000.00", interest="4500.00", fees="500.00", placed_amount="30000.00")
    stack.set_clock(f"fixed:{MOMENT}")
    try:
        async with running_services(
                stack, intake={},
                allocation=dict(auto_allocate_enabled=False),
                contact={},
                billing={}) as (intake, allocation, contact, billing):
            case_id, collector, team = await _place_and_allocate(client_id, body, intake, allocation, contact)
            await _promise_and_repayment(client_id, body, case_id, collector, team, intake, contact)
            await _consumers_see_it(stack, client_id, case_id, collector, contact, allocation, billing)
    finally:
        stack.set_clock(None)


async def _place_and_allocate(client_id, body, intake, allocation, contact):
    client = intake.auth("client", client_id=client_id)
    admin = allocation.auth("admin", sub="admin-e2e")
    team, collector = f"T-{client_id}", f"{client_id}-A"

    # 1. the client pushes the placement (intake -> case.received)
    r = await intake.client.post("/v1/placements", json=body, headers=client)
    assert r.status_code == 202 and r.json()["accepted"] == 1, r.text

    async def case_in_contact():
        async with contact.pool.acquire() as conn:
            return await conn.fetchval("SELECT case_id FROM cases WHERE client_id = $1", client_id)
    case_id = await eventually(case_in_contact, "contact to receive the case")

    # 2. allocation: a team, a collector, a manual allocation (allocation -> case.allocated)
    assert (await allocation.client.post("/v1/teams", json={"team_id": team, "name": "电催一组"},
                                         headers=admin)).status_code == 201
    r = await allocation.client.post("/v1/collectors", headers=admin,
                                     json={"collector_id": collector, "name": "王芳", "team_id": team})
    assert r.status_code == 201, r.text

    async def allocation_knows():
        return (await allocation.client.get(f"/v1/cases/{case_id}", headers=admin)).status_code == 200
    await eventually(allocation_knows, "allocation to receive the case")
    r = await allocation.client.post("/v1/allocations/manual", headers=admin, json={
        "case_ids": [case_id], "collector_id": collector, "force": True})
    assert r.status_code == 200 and r.json()["committed"] == 1, r.text

    # 3. the collector's worklist (contact) shows it: new, never contacted, due today
    me = contact.auth("collector", sub=collector, team_id=team)

    async def in_worklist():
        r = await contact.client.get("/v1/worklist", headers=me)
        return [x for x in r.json()["items"] if x["case_id"] == case_id] if r.status_code == 200 else None
    [row] = await eventually(in_worklist, "the case in the collector's worklist")
    assert row["never_contacted"] and row["outstanding"] == "30000.00" and row["reminders"] == []
    return case_id, collector, team


async def _promise_and_repayment(client_id, body, case_id, collector, team, intake, contact):
    client = intake.auth("client", client_id=client_id)
    me = contact.auth("collector", sub=collector, team_id=team)

    # 4. a call with a promise to pay, through the contact policy, on the contact form
    detail = (await contact.client.get(f"/v1/cases/{case_id}", headers=me)).json()
    mobile = next(p for p in detail["contact_points"] if p["party"] == "debtor" and p["kind"] == "mobile"
                  and p["state"] != "invalid")
    assert mobile["callable"]["allowed"] and "*" in mobile["number_masked"]
    r = await contact.client.post(f"/v1/cases/{case_id}/records", headers=me, json={
        "channel": "outbound_call", "party": "debtor", "point_id": mobile["point_id"], "result": "connected",
        "code": "PTP", "promise": {"amount": "5000.00", "due_on": "2026-12-09"}, "notes": "答应周三前还五千"})
    assert r.status_code == 201 and r.json()["status"] == "PTP", r.text
    assert r.json()["next_follow_up"] == "2026-12-08"              # the working day before the promise

    # 5. the client reports the repayment (intake -> payment.posted)
    r = await intake.client.post("/v1/repayments", headers=client, json={"repayments": [
        {"account_ref": body["cases"][0]["account_ref"], "amount": "5000.00", "paid_at": "2026-12-07T10:00:00+08:00",
         "txn_ref": f"CP-{uuid.uuid4().hex[:8]}", "channel": "bank"}]})
    assert r.status_code == 200 and r.json()["recorded"] == 1, r.text

    # 6. contact matches it: the promise is kept and announced
    async def kept():
        async with contact.pool.acquire() as conn:
            return await conn.fetchval("SELECT state FROM promises WHERE case_id = $1", case_id) == "kept"
    await eventually(kept, "contact to keep the promise")
    detail = (await contact.client.get(f"/v1/cases/{case_id}", headers=me)).json()
    assert detail["status"] == "REACHABLE_SELF" and Decimal(detail["outstanding"]) == Decimal("25000.00")

    # 7. a second call logged as unanswered, then corrected: it was answered (a correction replaces it)
    r = await contact.client.post(f"/v1/cases/{case_id}/records", headers=me, json={
        "channel": "outbound_call", "party": "debtor", "point_id": mobile["point_id"], "result": "no_answer",
        "code": "NA", "status": "NO_ANSWER"})
    assert r.status_code == 201, r.text
    r = await contact.client.post(f"/v1/contact-records/{r.json()['record_id']}/corrections", headers=me, json={
        "channel": "outbound_call", "party": "debtor", "point_id": mobile["point_id"], "result": "connected",
        "code": "RS", "reason": "误选结果：本人已接听"})
    assert r.status_code == 201 and r.json()["corrects"], r.text


async def _consumers_see_it(stack, client_id, case_id, collector, contact, allocation, billing):
    events = await read_topic(stack.bootstrap, "contact.logged", case_ids={case_id}, expect=4, timeout=60)
    kinds = sorted(e["payload"].get("record_kind") for e in events)
    assert kinds == ["contact", "contact", "correction", "promise_outcome"]
    outcome = next(e["payload"] for e in events if e["payload"].get("record_kind") == "promise_outcome")
    assert outcome["promise_outcome"]["outcome"] == "kept" and outcome["promise_outcome"]["paid"] == "5000.00"

    # 7. allocation keeps the live PTP (R-12 rotation) from the real contact.logged
    async def allocation_sees_ptp():
        async with allocation.pool.acquire() as conn:
            return await conn.fetchval("SELECT max(ptp_until) FROM case_month_facts WHERE case_id = $1", case_id)
    assert await eventually(allocation_sees_ptp, "allocation to read the PTP") == date(2026, 12, 9)

    # 8. billing's collector performance: two calls (the promise outcome is no contact; the corrected
    # call counts once, answered), one PTP made and kept (contact's outcome), 5,000 recovered
    fin = billing.auth("finance", sub="fin-e2e")

    async def performance():
        r = await billing.client.get(f"/v1/performance/{MONTH}?client_id={client_id}", headers=fin)
        got = {c["collector_id"]: c for c in r.json().get("collectors", [])} if r.status_code == 200 else {}
        mine = got.get(collector, {})
        return mine if mine.get("ptps_kept") and mine.get("effective_contacts") == 2 else None
    perf = await eventually(performance, "billing's performance to show the kept promise and the correction")
    assert (perf["contacts"], perf["calls"], perf["effective_contacts"], perf["ptps_made"], perf["ptps_kept"],
            perf["ptp_kept_rate"], perf["recovered"]) == (2, 2, 2, 1, 1, "1.0000", "5000.00"), orjson.dumps(perf).decode()
