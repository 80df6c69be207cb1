"""The consumed events on the real database: what fieldops keeps of a case, and what a case's
changes do to its visits (R-13 closed/paused, R-25/R-35 repaired addresses, issue 10 policies)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
import yaml
from recoup_fieldops.handlers import HANDLERS
from recoup_fieldops.rules.errors import IllegalTransition
from recoup_fieldops.rules.model import ApproverRole, Purpose
from recoup_fieldops.usecases import planning, requests
from recoup_local.factories import as_envelopes
from recoup_shared.auth import Principal
from recoup_shared.bus import PoisonEvent, new_envelope

CST = timezone(timedelta(hours=8))
DAY = date(2026, 10, 9)
SUP = Principal(sub="sup", roles=frozenset({"supervisor"}))
SUP2 = Principal(sub="sup2", roles=frozenset({"supervisor"}))


def env(event_type: str, case_id: str, payload: dict, at: datetime, producer: str = "intake"):
    return new_envelope(event_type=event_type, producer=producer, client_id="zhbank", case_id=case_id,
                        payload=payload, occurred_at=at)


async def handle(conn, ctx, *envelopes):
    for e in as_envelopes(envelopes):
        async with conn.transaction():
            await HANDLERS[e.event_type](conn, ctx, [e])


async def approved(conn, ctx, fo, t: str, kind: str = "home") -> tuple[str, str]:
    case_id = f"h-{t}"
    await fo.seed_case(conn, ctx, case_id, collector=f"c-{t}", team=f"p-{t}",
                       addresses=fo.in_city(f"市{t}", fo.HOME, fo.WORK))
    await fo.seed_team(conn, f"f-{t}", city=f"市{t}")
    ids = await fo.address_ids(conn, case_id)
    async with conn.transaction():
        v = await requests.request_visit(conn, ctx, Principal(sub=f"c-{t}", roles=frozenset({"collector"})),
                                         requests.RequestVisit(case_id, ids[kind], Purpose.VERIFY_ADDRESS, "核实"))
        await requests.decide(conn, ctx, SUP, v["visit_id"], ApproverRole.FIELD_MANAGER, "同意", approve=True)
        await requests.decide(conn, ctx, SUP2, v["visit_id"], ApproverRole.PHONE_MANAGER, "同意", approve=True)
    return case_id, v["visit_id"]


async def state(conn, visit_id: str) -> str:
    return await conn.fetchval("SELECT state FROM visits WHERE visit_id = $1::uuid", visit_id)


def test_handlers_are_the_topics_deployed():
    spec = yaml.safe_load(open(__file__.rsplit("/services/", 1)[0] + "/deploy/k8s/services.yaml"))
    assert set(HANDLERS) == set(spec["services"]["fieldops"]["consumes"])


async def test_a_case_from_its_events_repeated_and_out_of_order(conn, ctx, fo):
    t = fo.tag()
    rec, alloc = fo.case_envelopes(f"h-{t}", collector=f"c-{t}", team=f"p-{t}", amount="8000.00")
    await handle(conn, ctx, alloc, rec, rec)                   # allocation first, received twice
    row = await conn.fetchrow("SELECT * FROM cases WHERE case_id = $1", f"h-{t}")
    assert (row["collector_id"], row["team_id"], row["outstanding"], row["debtor_name"]) == (
        f"c-{t}", f"p-{t}", 8000, "张伟")
    assert await conn.fetchval("SELECT count(*) FROM case_addresses WHERE case_id = $1", f"h-{t}") == 2
    later = datetime(2026, 10, 5, tzinfo=CST)
    pay = env("payment.posted", f"h-{t}", {"account_masked": "6222****", "amount": "3000.00",
                                           "paid_at": later.isoformat(), "txn_ref": t,
                                           "repaid_total": "3000.00", "outstanding": "5000.00"}, later)
    old = env("case.updated", f"h-{t}", {"change": "balance", "status": "open", "outstanding": "9999.00"},
              later - timedelta(days=2))
    await handle(conn, ctx, pay, old)                          # the older balance does not win
    assert await conn.fetchval("SELECT outstanding FROM cases WHERE case_id = $1", f"h-{t}") == 5000


async def test_an_address_intake_marked_invalid_is_never_kept_for_a_visit(conn, ctx, fo):
    """R-4 (amended): a malformed address is kept by intake marked invalid; no visit goes there."""
    t = fo.tag()
    rec, _ = fo.case_envelopes(f"h-{t}", collector=f"c-{t}", team=f"p-{t}", amount="8000.00")
    rec["payload"]["addresses"][0] |= {"valid": False, "invalid_reason": "line: longer than 200 characters"}
    await handle(conn, ctx, rec)
    assert await conn.fetchval("SELECT count(*) FROM case_addresses WHERE case_id = $1", f"h-{t}") == 1


async def test_whose_address_and_its_postcode_are_kept(conn, ctx, fo):
    """visit.completed hands the visited address to letters with its owner (R-30: a contact's
    address never gets a letter) and postcode, so both are kept from case.received."""
    t = fo.tag()
    mother = {**fo.WORK, "owner": "contact", "name": "李娜", "relationship": "parent", "postcode": "450007"}
    rec, _ = fo.case_envelopes(f"h-{t}", collector=f"c-{t}", team=f"p-{t}", addresses=(fo.HOME, mother))
    await handle(conn, ctx, rec)
    rows = await conn.fetch("SELECT kind, owner, postcode FROM case_addresses WHERE case_id = $1 ORDER BY kind",
                            f"h-{t}")
    assert [tuple(r) for r in rows] == [("home", "debtor", None), ("work", "contact", "450007")]


async def test_a_closed_case_loses_its_open_visits(conn, ctx, fo):
    t = fo.tag()
    case_id, visit_id = await approved(conn, ctx, fo, t)
    async with conn.transaction():
        await planning.plan(conn, ctx, "sup", DAY)
    assert await state(conn, visit_id) == "planned"
    at = datetime(2026, 10, 9, 12, tzinfo=CST)
    await handle(conn, ctx, env("case.updated", case_id, {"change": "recall", "status": "recalled"}, at))
    assert await state(conn, visit_id) == "cancelled"
    assert await conn.fetchval("SELECT count(*) FROM visit_attempts WHERE visit_id = $1::uuid", visit_id) == 0
    [gone] = await fo.outbox(conn, case_id, "visit.cancelled")       # announced: contact's timeline
    assert (gone["correlation_id"], gone["payload"]["visit_id"], gone["payload"]["previous_state"]) == (
        visit_id, visit_id, "planned")
    assert "cancelled_by" not in gone["payload"] and gone["payload"]["collector_id"] == f"c-{t}"


async def test_a_visit_cancelled_by_hand_is_announced_with_who_and_the_state_it_left(conn, ctx, fo):
    """POST /v1/visits/{id}/cancellation (requests.cancel): visit.cancelled with the canceller; a
    second cancellation is refused and announces nothing."""
    t = fo.tag()
    case_id, visit_id = await approved(conn, ctx, fo, t)
    async with conn.transaction():
        await requests.cancel(conn, ctx, SUP, visit_id, "债务人已到网点还款")
    [gone] = await fo.outbox(conn, case_id, "visit.cancelled")
    p = gone["payload"]
    assert (p["visit_id"], p["previous_state"], p["cancelled_by"], p["reason"], p["collector_id"]) == (
        visit_id, "approved", "sup", "债务人已到网点还款", f"c-{t}")
    with pytest.raises(IllegalTransition):
        async with conn.transaction():
            await requests.cancel(conn, ctx, SUP, visit_id, "again")
    assert len(await fo.outbox(conn, case_id, "visit.cancelled")) == 1


async def test_skip_tracing_repairs_an_address_and_sets_the_deadline(conn, ctx, fo):
    t = fo.tag()
    case_id = f"h-{t}"
    await fo.seed_case(conn, ctx, case_id, collector=f"c-{t}", team=f"p-{t}", amount="12000.00",
                       addresses=fo.in_city(f"市{t}", fo.HOME))
    found = {**fo.HOME, "city": f"市{t}", "line": "新地址 7 号", "kind": "home"}
    at = datetime(2026, 10, 7, 15, tzinfo=CST)
    await handle(conn, ctx, env("contact.logged", case_id, {
        "contact_id": t, "collector_id": f"c-{t}", "channel": "call", "party": "third_party",
        "result": "connected", "status": "LOST_CONTACT", "occurred_at": at.isoformat(),
        "addresses_found": [found]}, at, producer="contact"))
    row = await conn.fetchrow("SELECT source, found_on, address_id FROM case_addresses "
                              "WHERE case_id = $1 AND line = $2", case_id, "新地址 7 号")
    assert (row["source"], row["found_on"]) == ("skip_trace", date(2026, 10, 7))
    async with conn.transaction():
        v = await requests.request_visit(conn, ctx, Principal(sub=f"c-{t}", roles=frozenset({"collector"})),
                                         requests.RequestVisit(case_id, row["address_id"],
                                                               Purpose.VERIFY_ADDRESS, "修复地址核实"))
        await requests.decide(conn, ctx, SUP, v["visit_id"], ApproverRole.FIELD_MANAGER, "同意", approve=True)
        out = await requests.decide(conn, ctx, SUP2, v["visit_id"], ApproverRole.PHONE_MANAGER, "同意",
                                    approve=True)
    # not local (no field team covers it), lost contact, 12,000 CNY, repaired on 10-07 → by 10-10
    assert (out["deadline"]["rule"], out["deadline"]["due_on"]) == ("lost_contact_repaired", date(2026, 10, 10))


async def test_a_paused_case_leaves_the_plans(conn, ctx, fo):
    t = fo.tag()
    case_id, visit_id = await approved(conn, ctx, fo, t)
    async with conn.transaction():
        await planning.plan(conn, ctx, "sup", DAY)
    at = datetime(2026, 10, 9, 12, tzinfo=CST)
    await handle(conn, ctx, env("case.paused", case_id, {"source": "staff", "paused_by": "lead", "reason": "投诉",
                                                          "paused_at": at.isoformat()}, at, "allocation"))
    assert await state(conn, visit_id) == "approved"
    again = (await fo.outbox(conn, case_id, "visit.approved"))
    assert len(again) == 2 and again[1]["payload"]["approved_by"] == ["sup", "sup2"]
    async with conn.transaction():
        await planning.plan(conn, ctx, "sup", DAY)
    reason = await conn.fetchval("SELECT reason FROM plan_not_planned WHERE visit_id = $1::uuid", visit_id)
    assert reason == "case_paused"
    await handle(conn, ctx, env("case.resumed", case_id, {"source": "staff", "resumed_by": "lead", "reason": "complaint settled", "collector_id": f"c-{t}",
                                                           "resumed_at": (at + timedelta(hours=1)).isoformat()},
                                at + timedelta(hours=1), "allocation"))
    async with conn.transaction():
        await planning.plan(conn, ctx, "sup", DAY)
    assert await state(conn, visit_id) == "planned"


async def test_policy_levels_arrive_by_event_and_decide_plans(conn, ctx, fo):  # issue 10
    t = fo.tag()
    case_id, visit_id = await approved(conn, ctx, fo, t)
    at = datetime(2026, 10, 9, 12, tzinfo=CST)

    def level(version: int, values: dict, level_="case", scope=case_id):
        return env("policy.changed", case_id, {"level": level_, "scope_id": scope, "version": version,
                                               "values": values, "changed_by": "client",
                                               "changed_at": at.isoformat()}, at, "contact")
    hold = {"holds": {"dispute": {"since": at.isoformat(), "by": "client", "note": "否认欠款"}}}
    await handle(conn, ctx, level(2, hold), level(1, {}))            # the older version is ignored
    assert await conn.fetchval("SELECT version FROM policy_levels WHERE scope_id = $1", case_id) == 2
    async with conn.transaction():
        await planning.plan(conn, ctx, "sup", DAY)
    row = await conn.fetchrow("SELECT reason, details FROM plan_not_planned WHERE visit_id = $1::uuid", visit_id)
    assert row["reason"] == "refused_by_compliance" and row["details"][0].startswith("hold.dispute")
    assert await conn.fetchval("SELECT count(*) FROM compliance_refusals WHERE visit_id = $1::uuid "
                               "AND stage = 'plan'", visit_id) == 1
    with pytest.raises(PoisonEvent):                                   # a level fieldops cannot read
        await handle(conn, ctx, level(3, {"caps": {"visits_per_day": -1}}))
    await handle(conn, ctx, level(3, {}))                              # the hold lifted by the client
    async with conn.transaction():
        await planning.plan(conn, ctx, "sup", DAY)
    assert await state(conn, visit_id) == "planned"
