"""Use cases on the real database: the contact form, the gate, dials, corrections, object checks."""

import asyncio
from datetime import date
from decimal import Decimal

import orjson
import pytest

from recoup_contact.rules import Channel, Party, Result
from recoup_contact.rules.errors import (CaseForbidden, CaseNotFound, CaseNotWorkable, CorrectionForbidden,
                                         GateRefused, InvalidRecord)
from recoup_contact.usecases import corrections, records, telephony
from recoup_contact.usecases.records import PromiseCmd, RecordCmd


async def _points(conn, case_id):
    return {(r["party"], r["kind"]): r["point_id"] for r in await conn.fetch(
        "SELECT point_id, party, kind FROM contact_points WHERE case_id = $1", case_id)}


async def log(ctx, principal, case_id, *, commit_refusal=False, **kw):
    """The contact form in one transaction (the API's: a refusal's record is kept)."""
    async with ctx.pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        try:
            out = await records.log_contact(conn, ctx, principal, case_id, RecordCmd(**kw))
        except GateRefused:
            await (tx.commit() if commit_refusal else tx.rollback())
            raise
        except BaseException:
            await tx.rollback()
            raise
        await tx.commit()
        return out


def call(point_id, result=Result.CONNECTED, code="RS", **kw):
    return dict(channel=Channel.OUTBOUND_CALL, party=Party.DEBTOR, point_id=point_id, result=result, code=code, **kw)


async def test_a_call_with_a_promise_sets_the_status_the_follow_up_and_emits(ctx, h):
    case_id = await h.new_case(ctx, amount="5000.00")
    async with ctx.pool.acquire() as conn:
        mobile = (await _points(conn, case_id))[("debtor", "mobile")]
    out = await log(ctx, h.who(), case_id, **call(mobile, code="PTP", promise=PromiseCmd(Decimal("1200.00"),
                                                                                      date(2026, 12, 11)),
                                                  notes="答应周五还款"))
    # PTP -> the working day before the promise (Fri 12-11 -> Thu 12-10)
    assert out["status"] == "PTP" and out["next_follow_up"] == date(2026, 12, 10) and out["effective"]
    async with ctx.pool.acquire() as conn:
        case = await conn.fetchrow("SELECT * FROM cases WHERE case_id = $1", case_id)
        assert case["ptp_due_on"] == date(2026, 12, 11) and case["ptp_amount"] == Decimal("1200.00")
        assert case["last_effective_on"] == date(2026, 12, 7) and case["seen_at"] is not None
        point = await conn.fetchrow("SELECT state, attempts, last_result FROM contact_points WHERE point_id = $1", mobile)
        assert (point["state"], point["attempts"], point["last_result"]) == ("valid", 1, "connected")
        attempt = await conn.fetchrow("SELECT outcome, purpose, direction FROM attempts WHERE case_id = $1", case_id)
        assert dict(attempt) == {"outcome": "connected", "purpose": "log", "direction": "outbound"}
        event = orjson.loads(await conn.fetchval(
            "SELECT value FROM outbox WHERE key = $1 AND topic = 'contact.logged'", case_id))
        p = event["payload"]
        assert (p["channel"], p["result"], p["status"], p["ptp"]) == (
            "call", "connected", "PTP", {"amount": "1200.00", "due_on": "2026-12-11"})
        assert p["collector_id"] == "col-1" and p["code"] == "PTP" and p["record_kind"] == "contact"


async def test_bad_input_is_refused_with_every_field_and_nothing_is_written(ctx, h):
    case_id = await h.new_case(ctx, amount="800.00", recall_on=date(2026, 12, 20))
    async with ctx.pool.acquire() as conn:
        mobile = (await _points(conn, case_id))[("debtor", "mobile")]
    with pytest.raises(InvalidRecord) as e:
        await log(ctx, h.who(), case_id, **call(mobile, code="NOPE"))
    assert e.value.status == 422
    code = e.value.errors[0]
    assert code["field"] == "code" and "PTP" in code["allowed"]                # the client's codes listed
    with pytest.raises(InvalidRecord) as e:   # above the outstanding and after the recall date
        await log(ctx, h.who(), case_id, **call(mobile, code="PTP", promise=PromiseCmd(Decimal("900.00"),
                                                                                    date(2026, 12, 21))))
    fields = {x["field"] for x in e.value.errors}
    assert {"promise.amount", "promise.due_on"} <= fields
    async with ctx.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM contact_records WHERE case_id = $1", case_id) == 0
        assert await conn.fetchval("SELECT count(*) FROM attempts WHERE case_id = $1", case_id) == 0
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE key = $1", case_id) == 0


async def test_object_checks_and_inbound_logging_by_any_collector(ctx, h):
    case_id = await h.new_case(ctx, owner="col-1", team="t1")
    async with ctx.pool.acquire() as conn:
        mobile = (await _points(conn, case_id))[("debtor", "mobile")]
    with pytest.raises(CaseNotFound):
        await log(ctx, h.who(), "no-such-case", **call(mobile))
    with pytest.raises(CaseForbidden):                      # another collector's case
        await log(ctx, h.who("col-2", team="t2"), case_id, **call(mobile))
    with pytest.raises(CaseForbidden):                      # a lead of another team
        await log(ctx, h.who("lead-2", "team_lead", team="t2"), case_id, **call(mobile))
    await log(ctx, h.who("lead-1", "team_lead", team="t1"), case_id, **call(mobile, Result.NO_ANSWER, "NA"))
    out = await log(ctx, h.who("col-2", team="t2"), case_id, channel=Channel.INBOUND_CALL, party=Party.DEBTOR,
                    point_id=None, result=Result.CONNECTED, code="RS")        # inbound by anyone
    assert out["status"] == "REACHABLE_SELF"
    async with ctx.pool.acquire() as conn:
        inbound = await conn.fetchrow("SELECT direction, exemption FROM attempts WHERE record_id = $1",
                                      out["record_id"])
        assert dict(inbound) == {"direction": "inbound", "exemption": "inbound"}


async def test_the_gate_refuses_outside_the_window_and_keeps_the_refusal(ctx, h, at):
    case_id = await h.new_case(ctx)
    async with ctx.pool.acquire() as conn:
        mobile = (await _points(conn, case_id))[("debtor", "mobile")]
    at("2026-12-07T20:59:59+08:00")
    await log(ctx, h.who(), case_id, **call(mobile, Result.NO_ANSWER, "NA"))   # inside
    at("2026-12-07T21:00:00+08:00")
    with pytest.raises(GateRefused) as e:
        await log(ctx, h.who(), case_id, commit_refusal=True, **call(mobile, Result.NO_ANSWER, "NA"))
    body = e.value.body()
    assert e.value.status == 409 and [r["rule"] for r in body["reasons"]] == ["window.outside"]
    assert body["next_allowed"] == "2026-12-08T08:00:00+08:00"
    async with ctx.pool.acquire() as conn:
        refusal = await conn.fetchrow("SELECT rules, next_allowed, purpose FROM gate_refusals WHERE case_id = $1",
                                      case_id)
        assert refusal["rules"] == ["window.outside"] and refusal["purpose"] == "log"
        assert await conn.fetchval("SELECT count(*) FROM contact_records WHERE case_id = $1", case_id) == 1


async def test_fifty_concurrent_dials_on_one_case_never_pass_more_than_the_cap(ctx, h):
    case_id = await h.new_case(ctx)
    async with ctx.pool.acquire() as conn:
        mobile = (await _points(conn, case_id))[("debtor", "mobile")]
        await conn.execute("INSERT INTO agent_lines VALUES ('col-1', '8001', 'test', now()) ON CONFLICT DO NOTHING")
    outcomes = []

    async def one():
        async with ctx.pool.acquire() as conn, conn.transaction():
            try:
                await telephony.dial(conn, ctx, h.who(), case_id, mobile)
                outcomes.append("allowed")
            except GateRefused:          # the API keeps the refusal: commit here too
                outcomes.append("refused")

    await asyncio.gather(*(one() for _ in range(50)))
    # a reservation counts as a possible conversation until its outcome is known: 3 effective calls
    assert outcomes.count("allowed") == 3 and outcomes.count("refused") == 47
    async with ctx.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM attempts WHERE case_id = $1", case_id) == 3
        assert await conn.fetchval("SELECT count(*) FROM calls WHERE case_id = $1", case_id) == 3
        assert await conn.fetchval("SELECT count(*) FROM gate_refusals WHERE case_id = $1", case_id) == 47


async def test_a_dispute_holds_the_case_and_the_gate_refuses_every_contact(ctx, h):
    case_id = await h.new_case(ctx)
    async with ctx.pool.acquire() as conn:
        mobile = (await _points(conn, case_id))[("debtor", "mobile")]
    out = await log(ctx, h.who(), case_id, **call(mobile, code="DISP", dispute_reason="否认欠款，称从未办卡"))
    assert out["status"] == "DISPUTE" and out["next_follow_up"] is None and out["dispute_id"]
    with pytest.raises(GateRefused) as e:
        await log(ctx, h.who(), case_id, **call(mobile, Result.NO_ANSWER, "NA"))
    assert [r["rule"] for r in e.value.body()["reasons"]] == ["hold.dispute"]
    assert e.value.body()["next_allowed"] is None          # only the client's instruction lifts it


async def test_paused_case_cannot_be_worked(ctx, h):
    case_id = await h.new_case(ctx)
    await h.apply(ctx, [h.cf.paused(case_id)])
    async with ctx.pool.acquire() as conn:
        mobile = (await _points(conn, case_id))[("debtor", "mobile")]
    with pytest.raises(CaseNotWorkable):
        await log(ctx, h.who(), case_id, **call(mobile))


async def test_a_correction_replaces_the_record_and_the_attempt_outcome(ctx, h):
    case_id = await h.new_case(ctx)
    async with ctx.pool.acquire() as conn:
        mobile = (await _points(conn, case_id))[("debtor", "mobile")]
    first = await log(ctx, h.who(), case_id, **call(mobile, code="RS"))
    async with ctx.pool.acquire() as conn, conn.transaction():
        out = await corrections.correct(conn, ctx, h.who(), first["record_id"],
                                        RecordCmd(**call(mobile, Result.WRONG_PARTY, "WRONG")), "号码易主，非本人接听")
    assert out["corrects"] == first["record_id"] and out["status"] is None
    async with ctx.pool.acquire() as conn:
        attempt = await conn.fetchval("SELECT outcome FROM attempts WHERE case_id = $1", case_id)
        assert attempt == "no_answer"                        # no longer an effective call
        assert await conn.fetchval("SELECT count(*) FROM contact_records WHERE case_id = $1", case_id) == 2
        with pytest.raises(CaseForbidden):                   # not even readable for another collector
            async with conn.transaction():
                await corrections.correct(conn, ctx, h.who("col-9", team="t9"), first["record_id"],
                                          RecordCmd(**call(mobile)), "another one tries")
    lead = await log(ctx, h.who("lead-1", "team_lead", team="t1"), case_id, **call(mobile, Result.NO_ANSWER, "NA"))
    async with ctx.pool.acquire() as conn:
        with pytest.raises(CorrectionForbidden) as e:       # the owner may not rewrite the lead's record
            async with conn.transaction():
                await corrections.correct(conn, ctx, h.who(), lead["record_id"],
                                          RecordCmd(**call(mobile)), "I want to change it")
        assert e.value.status == 403


async def test_skip_trace_findings_become_contact_points_and_travel_in_the_event(ctx, h):
    from recoup_contact.usecases.points import PhoneIn

    case_id = await h.new_case(ctx)
    async with ctx.pool.acquire() as conn:
        mobile = (await _points(conn, case_id))[("debtor", "mobile")]
    await log(ctx, h.who(), case_id, **call(mobile, code="NEW", phones=(PhoneIn("13912345678", "mobile", "debtor"),),
                                            employer="郑州某某公司"))
    async with ctx.pool.acquire() as conn:
        found = await conn.fetchrow("SELECT source, number_masked FROM contact_points WHERE case_id = $1 "
                                    "AND number_hash = $2", case_id, ctx.protector.lookup_phone_hash("13912345678"))
        assert dict(found) == {"source": "skip_trace", "number_masked": "139****5678"}
        event = orjson.loads(await conn.fetchval(
            "SELECT value FROM outbox WHERE key = $1 AND topic = 'contact.logged'", case_id))
        assert event["payload"]["phones_found"][0]["number"] == "13912345678"   # letters and fieldops use it
        assert event["payload"]["employer_found"] == "郑州某某公司"
        assert await conn.fetchval("SELECT employer FROM cases WHERE case_id = $1", case_id) == "郑州某某公司"

