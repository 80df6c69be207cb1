"""Use cases on the real database (one transaction each, as a request or a batch would run them):
request → two approvals (deadline) → plan → arrival → record, with the events they write to the
outbox; the compliance gate refusing and keeping its refusals; object checks."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from recoup_fieldops.rules.errors import (
    AddressNotOnCase,
    AlreadyDecided,
    NotThisApprover,
    NotYourCase,
    SameApprover,
    VisitAlreadyOpen,
    VisitRefused,
)
from recoup_fieldops.rules.model import ApproverRole, Purpose
from recoup_fieldops.rules.records import Met, NextStep, Outcome, Promise, VisitRecord
from recoup_fieldops.usecases import fieldwork, planning, requests
from recoup_shared.auth import Principal

FIELD, PHONE = ApproverRole.FIELD_MANAGER, ApproverRole.PHONE_MANAGER
CST = timezone(timedelta(hours=8))
DAY = date(2026, 10, 9)


@pytest.fixture(autouse=True)
def _support(fo):
    global address_ids, outbox, seed_case, seed_team, tag, in_city, fo_
    address_ids, outbox, seed_case, seed_team, tag, in_city, fo_ = (
        fo.address_ids, fo.outbox, fo.seed_case, fo.seed_team, fo.tag, fo.in_city, fo)


def who(role: str, sub: str, team: str | None = None) -> Principal:
    return Principal(sub=sub, roles=frozenset({role}), team_id=team)


async def _approved(conn, ctx, t: str, *, kind: str = "home", **case_kw) -> tuple[str, str, dict]:
    """A case of collector c-{t} (phone team p-{t}), a field team f-{t}, one approved visit."""
    case_id = f"uc-{t}"
    case_kw.setdefault("addresses", in_city(f"市{t}", fo_.HOME, fo_.WORK))
    await seed_case(conn, ctx, case_id, collector=f"c-{t}", team=f"p-{t}", **case_kw)
    agents = await seed_team(conn, f"f-{t}", 2, city=f"市{t}")
    ids = await address_ids(conn, case_id)
    async with conn.transaction():
        v = await requests.request_visit(conn, ctx, who("collector", f"c-{t}"), requests.RequestVisit(
            case_id, ids[kind], Purpose.PRESS_FOR_PAYMENT, "电话多次承诺未还款, 需上门施压"))
    async with conn.transaction():
        await requests.decide(conn, ctx, who("team_lead", f"lead-f-{t}", f"f-{t}"), v["visit_id"],
                              FIELD, "同意, 本周安排", approve=True)
    async with conn.transaction():
        v = await requests.decide(conn, ctx, who("team_lead", f"lead-p-{t}", f"p-{t}"), v["visit_id"],
                                  PHONE, "同意", approve=True)
    return case_id, v["visit_id"], {"agents": agents}


async def test_request_two_approvals_deadline_and_events(conn, ctx):
    t = tag()
    case_id, visit_id, _ = await _approved(conn, ctx, t)
    v = (await requests_detail(conn, visit_id))
    assert v["state"] == "approved"
    # local (a field team covers 郑州) and 13,830.50 >= 5,000 → within 2 days of the approval
    assert v["deadline"]["due_on"] == DAY + timedelta(days=2) and v["deadline"]["rule"] == "local_amount"
    # escalated 5 days after the approval, at the same time of day (the clock runs from 19:30)
    assert abs(v["deadline"]["escalate_at"] - datetime(2026, 10, 14, 19, 30, tzinfo=CST)) < timedelta(minutes=5)
    assert [a["role"] for a in v["approvals"]] == ["field_manager", "phone_manager"]
    types = [e["event_type"] for e in await outbox(conn, case_id)]
    assert types == ["visit.requested", "visit.approved"]
    approved = (await outbox(conn, case_id, "visit.approved"))[0]["payload"]
    assert approved["deadline_on"] == "2026-10-11" and approved["collector_id"] == f"c-{t}"
    assert approved["approved_by"] == [f"lead-f-{t}", f"lead-p-{t}"]


async def requests_detail(conn, visit_id):
    from recoup_fieldops import views
    return await views.visit_detail(conn, visit_id, who("supervisor", "sup"))


async def test_object_checks_and_conflicts(conn, ctx):
    t = tag()
    case_id = f"uc-{t}"
    await seed_case(conn, ctx, case_id, collector=f"c-{t}", team=f"p-{t}")
    await seed_team(conn, f"f-{t}")
    ids = await address_ids(conn, case_id)
    cmd = requests.RequestVisit(case_id, ids["home"], Purpose.VERIFY_ADDRESS, "核实居住地址")
    with pytest.raises(NotYourCase):                                  # someone else's case (403)
        await requests.request_visit(conn, ctx, who("collector", "c-other"), cmd)
    with pytest.raises(AddressNotOnCase):                             # not one of its addresses (422)
        await requests.request_visit(conn, ctx, who("collector", f"c-{t}"),
                                     requests.RequestVisit(case_id, "0" * 20, Purpose.VERIFY_ADDRESS, "x"))
    async with conn.transaction():
        v = await requests.request_visit(conn, ctx, who("collector", f"c-{t}"), cmd)
    with pytest.raises(VisitAlreadyOpen):
        async with conn.transaction():
            await requests.request_visit(conn, ctx, who("collector", f"c-{t}"), cmd)
    with pytest.raises(NotThisApprover):                              # another team's lead
        await requests.decide(conn, ctx, who("team_lead", "x", "p-other"), v["visit_id"], PHONE, "ok",
                              approve=True)
    sup = who("supervisor", f"sup-{t}")
    async with conn.transaction():
        await requests.decide(conn, ctx, sup, v["visit_id"], FIELD, "同意", approve=True)
    with pytest.raises(AlreadyDecided):                               # approving twice (409)
        async with conn.transaction():
            await requests.decide(conn, ctx, sup, v["visit_id"], FIELD, "再次同意", approve=True)
    with pytest.raises(SameApprover):                                 # four eyes
        async with conn.transaction():
            await requests.decide(conn, ctx, sup, v["visit_id"], PHONE, "同意", approve=True)


async def test_rejection_with_a_reason_ends_the_request(conn, ctx):
    t = tag()
    case_id = f"uc-{t}"
    await seed_case(conn, ctx, case_id, collector=f"c-{t}", team=f"p-{t}")
    ids = await address_ids(conn, case_id)
    async with conn.transaction():
        v = await requests.request_visit(conn, ctx, who("collector", f"c-{t}"), requests.RequestVisit(
            case_id, ids["work"], Purpose.DELIVER_NOTICE, "送达律师函"))
        out = await requests.decide(conn, ctx, who("team_lead", "lp", f"p-{t}"), v["visit_id"], PHONE,
                                    "金额太小, 先电催", approve=False)
    assert out["state"] == "rejected" and out["rejection"]["text"] == "金额太小, 先电催"
    rejected = (await outbox(conn, case_id, "visit.rejected"))[0]["payload"]
    assert rejected["reason"] == "金额太小, 先电催" and rejected["rejected_by"] == "lp"


async def test_plan_arrive_and_record_send_visit_completed(conn, ctx):
    t = tag()
    home = {**fo_.HOME, "city": f"市{t}", "postcode": "450003"}
    case_id, visit_id, info = await _approved(conn, ctx, t, addresses=(home, {**fo_.WORK, "city": f"市{t}"}))
    async with conn.transaction():
        run = await planning.plan(conn, ctx, "sup", DAY)
    assert run.planned >= 1
    v = await requests_detail(conn, visit_id)
    assert v["state"] == "planned" and v["plan"]["team_id"] == f"f-{t}" and v["plan"]["band"] == "evening"
    planned = (await outbox(conn, case_id, "visit.planned"))[0]["payload"]
    assert planned["planned_on"] == "2026-10-09" and planned["agent_ids"] == info["agents"]
    agent = who("field_agent", info["agents"][0])
    at = datetime(2026, 10, 9, 18, 40, tzinfo=CST)
    async with conn.transaction():
        await fieldwork.arrive(conn, ctx, agent, visit_id, fieldwork.Mark(at=at))
    draft = VisitRecord(address_verified=True, met=(Met.DEBTOR,), outcome=Outcome.PROMISE_TO_PAY,
                        next_step=NextStep.FOLLOW_UP_CALL, left_at=at + timedelta(minutes=20),
                        promise=Promise(Decimal("3000.00"), date(2026, 10, 15)), new_phone="13912345678")
    async with conn.transaction():
        done = await fieldwork.record(conn, ctx, agent, visit_id, draft)
    assert done["state"] == "done" and done["record"]["promise_amount"] == Decimal("3000.00")
    assert done["record"]["new_phone_masked"] == "139****5678"
    completed = (await outbox(conn, case_id, "visit.completed"))[0]["payload"]
    assert completed["status"] == "FIELD_VISIT_DONE" and completed["result"] == "visit_met"
    assert completed["ptp"] == {"amount": "3000.00", "due_on": "2026-10-15"}
    assert completed["visited_on"] == "2026-10-09" and completed["phones_found"][0]["number"] == "13912345678"
    # the address visited, verified at the door, for letters — whose it is and its postcode
    assert completed["address"] == {**home, "verified": True, "owner": "debtor", "valid": True}
    kinds = await conn.fetch("SELECT kind FROM visit_attempts WHERE visit_id = $1::uuid", visit_id)
    assert [r["kind"] for r in kinds] == ["done"]


async def test_the_gate_refuses_and_keeps_its_reasons(conn, ctx):
    t = tag()
    case_id, visit_id, info = await _approved(conn, ctx, t)
    async with conn.transaction():
        await planning.plan(conn, ctx, "sup", DAY)
    agent = who("field_agent", info["agents"][0])
    late = datetime(2026, 10, 9, 7, 30, tzinfo=CST)               # before 08:00 debtor time
    with pytest.raises(VisitRefused) as refused:
        async with conn.transaction():
            await fieldwork.record(conn, ctx, agent, visit_id, VisitRecord(
                address_verified=True, met=(Met.NOBODY,), outcome=Outcome.NOBODY_HOME,
                next_step=NextStep.REVISIT, arrived_at=late, left_at=late + timedelta(minutes=5)))
    assert refused.value.status == 409 and refused.value.extra["reasons"][0]["rule"] == "window.outside"
    # the refusal itself is kept when the caller commits (the route does): here, once more, kept
    async with conn.transaction():
        try:
            await fieldwork.arrive(conn, ctx, agent, visit_id, fieldwork.Mark(
                at=late, agent_ids=tuple(info["agents"])))
        except VisitRefused:
            pass
    rows = await conn.fetch("SELECT stage, reasons::text AS r FROM compliance_refusals "
                            "WHERE visit_id = $1::uuid", visit_id)
    assert [r["stage"] for r in rows] == ["arrival"] and "R-14" in rows[0]["r"]
    assert (await requests_detail(conn, visit_id))["state"] == "planned"   # nothing else changed


async def test_concurrent_records_never_pass_a_cap_together(conn, ctx, db_dsn):  # R-15, counted here
    import asyncio

    import asyncpg
    import orjson

    t = tag()
    case_id = f"uc-{t}"
    await seed_case(conn, ctx, case_id, collector=f"c-{t}", team=f"p-{t}",
                    addresses=in_city(f"市{t}", fo_.HOME, fo_.WORK))
    agents = await seed_team(conn, f"f-{t}", 2, city=f"市{t}")
    await conn.execute("""INSERT INTO policy_levels (level, scope_id, version, "values", changed_at)
                          VALUES ('case', $1, 1, $2::text::jsonb, now())""",
                       case_id, orjson.dumps({"caps.visits_per_day": 1}).decode())
    ids = await address_ids(conn, case_id)
    vids = []
    for kind in ("home", "work"):
        async with conn.transaction():
            v = await requests.request_visit(conn, ctx, who("collector", f"c-{t}"), requests.RequestVisit(
                case_id, ids[kind], Purpose.VERIFY_ADDRESS, "核实"))
        vids.append(v["visit_id"])
    await conn.execute("UPDATE visits SET state = 'planned', planned_on = $2, team_id = $3, agent_ids = $4 "
                       "WHERE case_id = $1", case_id, DAY, f"f-{t}", agents)
    agent = who("field_agent", agents[0])
    at = datetime(2026, 10, 9, 15, tzinfo=CST)

    async def record(vid: str) -> str:
        c = await asyncpg.connect(db_dsn)
        try:
            async with c.transaction():
                await fieldwork.record(c, ctx, agent, vid, VisitRecord(
                    address_verified=True, met=(Met.NOBODY,), outcome=Outcome.NOBODY_HOME,
                    next_step=NextStep.REVISIT, arrived_at=at, left_at=at + timedelta(minutes=10)))
            return "done"
        except VisitRefused as refused:
            return refused.extra["reasons"][0]["rule"]
        finally:
            await c.close()
    outcomes = await asyncio.gather(*(record(v) for v in vids))
    assert sorted(outcomes) == ["cap.visits_per_day", "done"]
