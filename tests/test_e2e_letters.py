"""End to end (issue 11): a placement pushed by the client through intake's API → the notices in
the month's batch (R-28) → generated, QC-scanned, approved, tracked and dispatched (R-32, R-33;
letter.dispatched on the broker) → one comes back, its address no longer reached (R-31;
letter.returned) → a collector finds a new address (contact.logged with addresses_found, R-25) →
the letter is re-sent there, once, in the next batch, and dispatched.

The contact service is built on another branch: the collector's find is the contact.logged event it
publishes, built here with recoup_local.factories and published on the real broker.
"""

from __future__ import annotations

import asyncio
import io
import re
import uuid
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from pypdf import PdfReader

from recoup_letters.adapters.tracking import s10_check_digit
from recoup_local.letters_samples import approve_templates
from recoup_local.demo import make_placement
from recoup_local.factories import contact, publish, read_topic
from recoup_local.inprocess import running_services

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_ADDRESS = {"kind": "home", "province": "广东省", "city": "深圳市", "district": "南山区",
               "line": "科技园南路 18 号 2 栋 1203", "postcode": "518057", "owner": "debtor"}


async def eventually(probe, what: str, timeout: float = 90.0, every: float = 0.3):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(every)


def placement(today) -> dict:
    """Three cases: two with a household-registration address (the second will come back), one
    with only a work address (R-30: a call-back notice, no debt details)."""
    body = make_placement(3, seed=1124, placed_on=today, placement_ref=f"E2E-LT-{uuid.uuid4().hex[:8]}")
    for case in body["cases"]:
        case.pop("flags", None)
        case["addresses"] = [a for a in case["addresses"] if a["kind"] == "household_registration"]
    body["cases"][2]["addresses"] = [{"kind": "work", "province": "河南省", "city": "郑州市", "district": "中原区",
                                      "line": "建设西路 11 号"}]
    return body


async def plan_now(letters, clerk) -> dict:
    """The clerk's "plan now", waited for (the planning job runs it)."""
    run = (await letters.client.post("/v1/planning/runs", headers=clerk)).json()

    async def done():
        r = (await letters.client.get(f"/v1/planning/runs/{run['run_id']}", headers=clerk)).json()
        return r if r["status"] in ("done", "failed") else None
    return await eventually(done, "the planning run")


def tracking_file(sequences) -> bytes:
    base = uuid.uuid4().int % 80_000_000 + 10_000_000
    return ("序号,挂号/快递单号\n" + "\n".join(
        f"{s},RR{base + s:08d}{s10_check_digit(f'{base + s:08d}')}CN" for s in sequences)).encode()


async def batch_through_dispatch(letters, clerk, supervisor, client_id: str) -> dict:
    """Create the month's batch of the client's planned letters, let the workers generate it, check
    its PDFs, scan every envelope, approve, import the post office's numbers, dispatch."""
    r = await letters.client.post("/v1/batches", json={"client_id": client_id}, headers=clerk)
    assert r.status_code == 202, r.text
    batch_id = r.json()["batch_id"]

    async def generated():
        b = (await letters.client.get(f"/v1/batches/{batch_id}", headers=clerk)).json()
        return b if b["status"] in ("generated", "failed") else None
    batch = await eventually(generated, "the batch's files")
    assert batch["status"] == "generated", batch["error"]
    pdf = next(f for f in batch["files"] if f["kind"] == "letters")
    content = (await letters.client.get(f"/v1/batches/{batch_id}/files/{pdf['name']}", headers=clerk)).content
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert not re.search(r"\d{15,}", text.replace(" ", "")), "a full ID or card number on a letter (R-30)"
    items = (await letters.client.get("/v1/letters", params={"batch_id": batch_id}, headers=clerk)).json()["items"]
    for x in items:
        r = await letters.client.post("/v1/qc/scans", headers=supervisor, json={
            "letter_scan": "L" + x["check_code"].replace("-", ""), "envelope_scan": "E" + x["check_code"]})
        assert r.json()["outcome"] == "match", r.text
    assert (await letters.client.post(f"/v1/batches/{batch_id}/approve", headers=clerk)).status_code == 200
    r = await letters.client.post(f"/v1/batches/{batch_id}/tracking", headers=clerk,
                                  content=tracking_file(x["sequence"] for x in items))
    assert r.json()["assigned"] == len(items), r.text
    r = await letters.client.post(f"/v1/batches/{batch_id}/dispatch", headers=clerk)
    assert r.status_code == 200, r.text
    return {x["case_id"]: x for x in items}


async def test_placement_to_notice_to_return_to_resend(stack, tmp_path):
    client_id = f"e2e-lt-{uuid.uuid4().hex[:8]}"
    today = datetime.now(SHANGHAI).date()
    async with running_services(
            stack, intake={},
            letters=dict(data_dir=str(tmp_path), letters_per_file=2)) as (intake, letters):
        clerk = letters.auth("letters_clerk", sub="clerk-e2e")
        supervisor = letters.auth("supervisor", sub="qc-e2e")
        await approve_templates(letters.client, clerk, client_id)

        # 1. the client pushes the placement (intake → case.received)
        r = await intake.client.post("/v1/placements", json=placement(today),
                                     headers=intake.auth("client", client_id=client_id))
        assert r.status_code == 202 and r.json()["accepted"] == 3, r.text

        # 2. the day's planning: the month's new cases get their notice (R-28..R-30)
        async def planned():
            assert (await plan_now(letters, clerk))["status"] == "done"
            r = await letters.client.get("/v1/letters", params={"client_id": client_id}, headers=clerk)
            items = r.json()["items"]
            return items if len(items) == 3 else None
        items = await eventually(planned, "three letters planned", every=1.0)
        assert sorted(x["letter_type"] for x in items) == ["callback_notice", "notice", "notice"]
        pv = (await letters.client.get("/v1/batches/preview", params={"client_id": client_id}, headers=clerk)).json()
        assert pv["total"] == 3 and pv["by_type"] == {"notice": 2, "callback_notice": 1}

        # 3. the month's batch, dispatched
        sent = await batch_through_dispatch(letters, clerk, supervisor, client_id)
        dispatched = await read_topic(stack.bootstrap, "letter.dispatched", case_ids=set(sent), expect=3)
        assert len(dispatched) == 3 and {e["payload"]["letter_type"] for e in dispatched} == {"notice",
                                                                                           "callback_notice"}
        # 4. one comes back: 迁移新址不明 (moved, new address unknown)
        returned = next(x for x in sent.values() if x["letter_type"] == "notice")
        case_id = returned["case_id"]
        r = await letters.client.post("/v1/returns", headers=clerk, json={
            "check_code": "E" + returned["check_code"].replace("-", ""), "reason": "迁移新址不明"})
        assert r.status_code == 201, r.text
        assert r.json()["address_invalidated"] and r.json()["resend_pending"]["reason"] == "no_confirmed_address"
        back = await read_topic(stack.bootstrap, "letter.returned", case_ids={case_id}, expect=1)
        assert back[0]["payload"]["return_reason"] == "moved" and back[0]["payload"]["address_invalidated"]

        # 5. a collector finds the debtor's new address (contact.logged, R-25)
        await publish(stack.bootstrap, [contact(case_id, client_id, addresses_found=[NEW_ADDRESS],
                                                occurred_at=datetime.now(timezone.utc))])

        async def resend():
            mine = (await letters.client.get(f"/v1/cases/{case_id}/letters", headers=clerk)).json()
            return next((x for x in mine if x["origin"] == "resend"), None)
        again = await eventually(resend, "the re-send to the new address")
        assert again["resend_of"] == returned["letter_id"] and again["letter_type"] == "notice"
        assert again["address"]["region"] == "广东省深圳市南山区" and again["address"]["postcode"] == "518057"

        # 6. re-sent there, once: the next batch holds it and it is dispatched
        second = await batch_through_dispatch(letters, clerk, supervisor, client_id)
        assert list(second) == [case_id]
        out = await read_topic(stack.bootstrap, "letter.dispatched", case_ids={case_id}, expect=2)
        resent = next(e for e in out if e["payload"].get("resend_of"))
        assert resent["payload"]["address"]["line"] == NEW_ADDRESS["line"]
        assert (await plan_now(letters, clerk))["status"] == "done"
        mine = (await letters.client.get(f"/v1/cases/{case_id}/letters", headers=clerk)).json()
        assert len(mine) == 2                                        # once
