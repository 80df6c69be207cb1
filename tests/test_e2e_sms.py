"""End to end (issue 10): a text the letters service sends counts in the contact service too.

A client places a case (intake) → allocation gives it to a collector → the letters clerk sends an
approved SMS template to the case; the sender job passes letters' own gate and the (recording)
provider accepts it → `sms.sent` reaches contact: the text is on the case's timeline and in the
gate's attempt history, so the collector's own text the same day is refused by contact's SMS cap
(one a day here, RECOUP_COMPLIANCE_SYSTEM_POLICY). Contact does not echo the text on
contact.logged, so letters, which counts contact's texts from there, never counts it twice.
Every service in-process on the session's stack, one business clock (a Monday, 10:00 Shanghai).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date

from recoup_local.demo import make_placement
from recoup_local.inprocess import running_services
from recoup_local.letters_samples import approval

MOMENT = "2026-12-07T10:00:00+08:00"


async def eventually(probe, what: str, timeout: float = 90.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.3)


async def test_a_text_letters_sent_counts_toward_contacts_cap_and_shows_on_the_timeline(stack, tmp_path):
    tag = uuid.uuid4().hex[:8]
    client_id = f"e2e-sms-{tag}"
    body = make_placement(1, seed=int(tag, 16) % 10_000, placed_on=date(2026, 12, 1))
    body["cases"][0].pop("flags", None)   # 1 generated case in 25 is flagged (a dispute holds it)
    stack.set_clock(f"fixed:{MOMENT}")
    try:
        async with running_services(
                stack, intake={},
                allocation=dict(auto_allocate_enabled=False,
                                database_url=await stack.new_database(package="recoup_allocation")),
                contact=dict(compliance_system_policy={"caps.sms_per_day": 1},
                             database_url=await stack.new_database(package="recoup_contact")),
                letters=dict(data_dir=str(tmp_path),
                             database_url=await stack.new_database(package="recoup_letters"))) as (intake, allocation, contact, letters):
            case_id, collector = await _placed_and_allocated(client_id, body, tag, intake, allocation, contact)
            sms_id = await _letters_sends_a_text(letters, client_id, case_id)
            await _contact_counts_it(contact, letters, case_id, collector, sms_id)
    finally:
        stack.set_clock(None)


async def _placed_and_allocated(client_id, body, tag, intake, allocation, contact) -> tuple[str, str]:
    r = await intake.client.post("/v1/placements", json=body, headers=intake.auth("client", client_id=client_id))
    assert r.status_code == 202 and r.json()["accepted"] == 1, r.text

    async def in_contact():
        async with contact.pool.acquire() as conn:
            return await conn.fetchval("SELECT case_id FROM cases WHERE client_id = $1", client_id)
    case_id = await eventually(in_contact, "contact to receive the case")
    admin = allocation.auth("admin", sub=f"admin-{tag}")
    team, collector = f"T-{tag}", f"{client_id}-A"
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
    return case_id, collector


async def _letters_sends_a_text(letters, client_id: str, case_id: str) -> str:
    clerk = letters.auth("letters_clerk", sub="clerk-e2e")
    r = await letters.client.post("/v1/templates/sms", headers=clerk, json={
        "client_id": client_id, "name": "reminder", "sign_name": "某某信用", "template_code": "SMS_180000001",
        "wording": "${name}您好，您的欠款${amount}元已逾期，请致电${phone}。",
        "params": {"name": "recipient_name", "amount": "outstanding", "phone": "agency_phone"}})
    assert r.status_code == 201, r.text
    v = r.json()
    r = await letters.client.post(f"/v1/templates/{v['template_id']}/versions/{v['version']}/approval",
                                  headers=clerk, json=approval())
    assert r.status_code == 200, r.text

    async def queued():
        r = await letters.client.post("/v1/sms", headers=clerk, json={"template_id": v["template_id"],
                                                                       "case_ids": [case_id]})
        assert r.status_code == 202, r.text
        result = r.json()["results"][0]
        return result if result["status"] == "queued" else None
    sms_id = (await eventually(queued, "letters to know the case and queue the text"))["sms_id"]

    async def sent():
        r = await letters.client.get(f"/v1/sms/{sms_id}", headers=clerk)
        return r.status_code == 200 and r.json()["status"] == "sent"
    await eventually(sent, "the sender job to send the text")
    return sms_id


async def _contact_counts_it(contact, letters, case_id: str, collector: str, sms_id: str) -> None:
    me = contact.auth("collector", sub=collector)

    async def on_timeline():
        r = await contact.client.get(f"/v1/cases/{case_id}/timeline", headers=me)
        return [e for e in r.json()["items"] if e["kind"] == "sms_sent"] if r.status_code == 200 else []
    [entry] = await eventually(on_timeline, "contact to show the text letters sent")
    assert (entry["actor"], entry["ref"]) == ("letters", sms_id) and "*" in entry["data"]["number_masked"]

    # the collector's own text today: contact's cap (1 a day) already counts the one letters sent
    detail = (await contact.client.get(f"/v1/cases/{case_id}", headers=me)).json()
    mobile = next(p for p in detail["contact_points"] if p["party"] == "debtor" and p["kind"] == "mobile"
                  and p["state"] != "invalid")
    r = await contact.client.post(f"/v1/cases/{case_id}/records", headers=me, json={
        "channel": "sms", "party": "debtor", "point_id": mobile["point_id"], "result": "sms_sent", "code": "SMS"})
    assert r.status_code == 409, r.text
    assert [x["rule"] for x in r.json()["reasons"]] == ["cap.sms_per_day"] and r.json()["reasons"][0]["count"] == 1

    # nothing echoed back to letters: it counts this text once (its own), none from contact
    async with contact.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM contact_records WHERE case_id = $1 AND channel = 'sms'",
                                   case_id) == 0
    async with letters.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM external_sms WHERE case_id = $1", case_id) == 0
