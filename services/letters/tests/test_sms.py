"""Text messages with approved wording through the compliance gate (R-27, issue 10), on the real
database with the recording provider: the SMS cap of policy.changed counted from the texts sent
here and by contact, holds, concurrent senders never passing more than the cap, receipts."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import date, datetime, timezone

import pytest

from recoup_letters.adapters.sms import SmsTemplate
from recoup_letters.handlers import HANDLERS
from recoup_letters.rules.errors import TemplateRejected
from recoup_local.letters_samples import approval, contact_found_envelope, received_envelope
from recoup_letters.usecases import sms, templates
from recoup_local.factories import as_envelopes
from recoup_shared.auth import Principal
from recoup_shared.bus import new_envelope

CLERK = Principal(sub="clerk-1", roles=frozenset({"letters_clerk"}))
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 25)
WORDING = "${name}您好，您在${client}的欠款${amount}元已逾期，请致电${phone}。"
PARAMS = {"name": "recipient_name", "client": "client_name", "amount": "outstanding", "phone": "agency_phone"}


def sms_template(**kw) -> SmsTemplate:
    return SmsTemplate(**{"sign_name": "某某信用", "template_code": "SMS_180000001", "wording": WORDING,
                          "params": PARAMS, **kw})


async def handle(conn, ctx, envs) -> None:
    async with conn.transaction():
        for e in as_envelopes(envs):
            await HANDLERS[e.event_type](conn, ctx, [e])


async def approved_sms(conn, ctx, client_id: str) -> str:
    body = approval()
    async with conn.transaction():
        v = await templates.upload_sms_version(conn, ctx, CLERK, client_id=client_id, name="reminder",
                                               template=sms_template(), note=None)
        await templates.approve(conn, ctx, CLERK, v["template_id"], 1, approved_by=body["approved_by"],
                                approved_at=NOW, reference=body["reference"], document_sha256=body["document_sha256"])
    return v["template_id"]


def cap(client_id: str, n: int, version: int = 1) -> dict:
    return new_envelope(event_type="policy.changed", producer="contact", client_id=client_id,
                        case_id=f"client:{client_id}", payload={
                            "level": "client", "scope_id": client_id, "version": version, "changed_by": "adm",
                            "changed_at": NOW.isoformat(), "values": {"caps.sms_per_day": n}})


async def test_sms_templates_take_only_sms_safe_variables(conn, ctx, client_id):
    for t, code in ((sms_template(params={**PARAMS, "id": "id_number_masked"},
                                  wording=WORDING + "${id}"), "variable_not_allowed"),
                    (sms_template(params={"name": "recipient_name"}), "unmapped_parameter"),
                    (sms_template(params={**PARAMS, "x": "nope"}, wording=WORDING + "${x}"), "unknown_variable")):
        with pytest.raises(TemplateRejected) as e:
            await templates.upload_sms_version(conn, ctx, CLERK, client_id=client_id, name="r", template=t, note=None)
        assert code in {x["code"] for x in e.value.errors}


async def test_the_cap_counts_texts_sent_here_and_by_contact(conn, ctx, client_id):
    tid = await approved_sms(conn, ctx, client_id)
    c = str(uuid.uuid4())
    await handle(conn, ctx, [received_envelope(c, client_id, placed_on=TODAY, occurred_at=NOW), cap(client_id, 2)])
    async with conn.transaction():
        first = await sms.send(conn, ctx, CLERK, tid, [c, str(uuid.uuid4())])
    assert [r["status"] for r in first["results"]] == ["queued", "unknown_case"]
    assert first["results"][0]["phone_masked"] == "138****8000"
    await sms.send_next(ctx)
    sent = await sms.get(conn, ctx, CLERK, first["results"][0]["sms_id"])
    assert sent["status"] == "sent" and sent["text"].startswith("【某某信用】张伟您好") and "13,830.50" in sent["text"]
    recorded = [json.loads(x) for x in ctx.settings.sms_recording_path.read_text(encoding="utf-8").splitlines()]
    assert recorded[-1]["phone"] == "138****8000" and recorded[-1]["template_code"] == "SMS_180000001"
    await handle(conn, ctx, [contact_found_envelope(c, client_id, addresses=[], occurred_at=ctx.clock.now(),
                                                    channel="sms")])
    async with conn.transaction():
        third = await sms.send(conn, ctx, CLERK, tid, [c])
    decision = third["results"][0]["decision"]
    assert third["results"][0]["status"] == "refused" and decision["reasons"][0]["rule"] == "cap.sms_per_day"
    assert decision["reasons"][0]["count"] == 2 and decision["next_allowed"]       # tomorrow, debtor time
    receipts = ctx.sms.receipts_json(ctx.clock.now())
    async with conn.transaction():
        got = await sms.receipts(conn, ctx, receipts)
    assert got["applied"] >= 1
    assert (await sms.get(conn, ctx, CLERK, sent["sms_id"]))["status"] == "delivered"


async def test_a_text_sent_is_announced_once_and_contacts_corrections_count_once(conn, ctx, client_id):
    """sms.sent (issue 10) for contact's own caps and timeline: one per text the provider accepted,
    the masked number and its blind index only. Contact's texts come back on contact.logged: a
    correction of one is the same text (the original already counted)."""
    tid = await approved_sms(conn, ctx, client_id)
    c = str(uuid.uuid4())
    await handle(conn, ctx, [received_envelope(c, client_id, placed_on=TODAY, occurred_at=NOW), cap(client_id, 5)])
    async with conn.transaction():
        queued = (await sms.send(conn, ctx, CLERK, tid, [c]))["results"][0]
    await sms.send_next(ctx)
    rows = await conn.fetch("SELECT value FROM outbox WHERE topic = 'sms.sent' AND key = $1", c)
    [event] = [json.loads(r["value"]) for r in rows]
    p = event["payload"]
    assert (event["producer"], event["client_id"], p["sms_id"], p["template_id"], p["purpose"]) == (
        "letters", client_id, queued["sms_id"], tid, "reminder")
    assert p["number_masked"] == "138****8000" and "13800138000" not in json.dumps(event)
    assert p["number_hash"] == (await conn.fetchval("SELECT phone_hash FROM sms_messages WHERE sms_id = $1",
                                                    queued["sms_id"]))
    assert p["provider"] == "recording" and p["provider_status"] and p["requested_by"] == CLERK.sub
    theirs = contact_found_envelope(c, client_id, addresses=[], occurred_at=ctx.clock.now(), channel="sms",
                                    contact_id=f"sms-{c}")
    fixed = contact_found_envelope(c, client_id, addresses=[], occurred_at=ctx.clock.now(), channel="sms",
                                   contact_id=f"sms-{c}-fix")
    fixed["payload"] |= {"record_kind": "correction", "corrects": f"sms-{c}"}
    await handle(conn, ctx, [theirs, fixed])
    assert await conn.fetchval("SELECT count(*) FROM external_sms WHERE case_id = $1", c) == 1


async def test_concurrent_senders_never_pass_more_than_the_cap(conn, ctx, client_id):
    tid = await approved_sms(conn, ctx, client_id)
    c = str(uuid.uuid4())
    await handle(conn, ctx, [received_envelope(c, client_id, placed_on=TODAY, occurred_at=NOW), cap(client_id, 2)])
    for _ in range(6):
        async with conn.transaction():
            assert (await sms.send(conn, ctx, CLERK, tid, [c]))["results"][0]["status"] == "queued"
    await asyncio.gather(*(sms.send_next(ctx) for _ in range(3)))
    await sms.send_next(ctx)
    statuses = [r["status"] for r in await conn.fetch("SELECT status FROM sms_messages WHERE case_id = $1", c)]
    assert sorted(statuses) == ["refused"] * 4 + ["sent"] * 2


async def test_holds_and_blocked_cases_get_no_text(conn, ctx, client_id):
    tid = await approved_sms(conn, ctx, client_id)
    held, disputed = str(uuid.uuid4()), str(uuid.uuid4())
    hold = new_envelope(event_type="policy.changed", producer="contact", client_id=client_id, case_id=held, payload={
        "level": "case", "scope_id": held, "version": 1, "changed_by": "sup", "changed_at": NOW.isoformat(),
        "values": {"holds.serious_complaint": {"since": NOW.isoformat(), "by": "sup", "note": None}}})
    await handle(conn, ctx, [received_envelope(held, client_id, placed_on=TODAY, occurred_at=NOW),
                             received_envelope(disputed, client_id, placed_on=TODAY, occurred_at=NOW,
                                               flags=("dispute",)), hold])
    async with conn.transaction():
        out = await sms.send(conn, ctx, CLERK, tid, [held, disputed])
    rules = [[x["rule"] for x in r["decision"]["reasons"]] for r in out["results"]]
    assert [r["status"] for r in out["results"]] == ["refused", "refused"]
    assert rules == [["hold.serious_complaint"], ["hold.dispute"]]
    settled = str(uuid.uuid4())
    await handle(conn, ctx, [received_envelope(settled, client_id, placed_on=TODAY, occurred_at=NOW)])
    await conn.execute("UPDATE cases SET status = 'closed', outstanding = 0 WHERE case_id = $1", settled)
    async with conn.transaction():
        out = await sms.send(conn, ctx, CLERK, tid, [settled])
    assert out["results"][0]["decision"]["reasons"][0]["rule"] == "case.settled"


class _ThrottledOnce:
    """The provider answering Throttling once (its rate limit), then sending normally."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.calls = inner, inner.name, 0

    async def send(self, msg):
        from recoup_letters.adapters.sms import SmsSendResult

        self.calls += 1
        if self.calls == 1:
            return SmsSendResult(False, None, "req-t", "Throttling.User", "rate limit", retryable=True)
        return await self.inner.send(msg)

    def parse_receipts(self, body):
        return self.inner.parse_receipts(body)


async def test_a_throttled_text_is_retried_later_and_passes_the_gate_again(conn, ctx, client_id):
    tid = await approved_sms(conn, ctx, client_id)
    c = str(uuid.uuid4())
    await handle(conn, ctx, [received_envelope(c, client_id, placed_on=TODAY, occurred_at=NOW)])
    async with conn.transaction():
        [result] = (await sms.send(conn, ctx, CLERK, tid, [c]))["results"]
    saved, ctx.sms = ctx.sms, _ThrottledOnce(ctx.sms)
    try:
        await sms.send_next(ctx)
        m = await conn.fetchrow("SELECT status, attempt_at, next_attempt_at, attempts FROM sms_messages "
                                "WHERE sms_id = $1", result["sms_id"])
        assert m["status"] == "queued" and m["attempt_at"] is None and m["attempts"] == 1
        assert await sms.send_next(ctx) is None                  # not before its retry moment
        await conn.execute("UPDATE sms_messages SET next_attempt_at = $2 WHERE sms_id = $1", result["sms_id"],
                           ctx.clock.now())
        await sms.send_next(ctx)
        assert (await sms.get(conn, ctx, CLERK, result["sms_id"]))["status"] == "sent"
    finally:
        ctx.sms = saved
