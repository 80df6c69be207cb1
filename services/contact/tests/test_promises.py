"""Promises in the service (R-23): matched by payment.posted oldest first, kept the day the money
reaches them, broken by the expiry job the day after their date in the debtor's zone; every outcome
emitted once; the case's status and next follow-up follow."""

from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoup_contact.rules import Channel, Party, Result
from recoup_shared.clock import BusinessClock
from recoup_contact.usecases import promises as promise_uc
from recoup_contact.usecases import records
from recoup_contact.usecases.records import InstalmentCmd, PromiseCmd, RecordCmd

SH = ZoneInfo("Asia/Shanghai")


class MovableClock(BusinessClock):
    """A clock this test moves by hand (its own context: the module's clock file stays as it is)."""

    def __init__(self, moment: datetime) -> None:
        super().__init__("Asia/Shanghai")
        self.moment = moment

    def now(self) -> datetime:
        return self.moment.astimezone(timezone.utc)


async def promise(ctx, h, case_id, amount="1000.00", due=date(2026, 12, 9), instalments=()):
    async with ctx.pool.acquire() as conn, conn.transaction():
        mobile = await conn.fetchval("SELECT point_id FROM contact_points WHERE case_id = $1 AND kind = 'mobile' "
                                     "AND party = 'debtor'", case_id)
        cmd = PromiseCmd(instalments=tuple(InstalmentCmd(Decimal(a), d) for a, d in instalments)) if instalments \
            else PromiseCmd(Decimal(amount), due)
        return await records.log_contact(conn, ctx, h.who(), case_id, RecordCmd(
            channel=Channel.OUTBOUND_CALL, party=Party.DEBTOR, point_id=mobile, result=Result.CONNECTED,
            code="PTPI" if instalments else "PTP", promise=cmd))


async def outcomes(ctx, case_id):
    async with ctx.pool.acquire() as conn:
        rows = await conn.fetch("SELECT value FROM outbox WHERE key = $1 AND topic = 'contact.logged' ORDER BY id",
                                case_id)
    return [p["promise_outcome"] for p in (orjson.loads(r["value"])["payload"] for r in rows)
            if p.get("record_kind") == "promise_outcome"]


async def case_row(ctx, case_id):
    async with ctx.pool.acquire() as conn:
        return await conn.fetchrow("SELECT * FROM cases WHERE case_id = $1", case_id)


async def test_a_promise_is_kept_when_the_repayments_reach_it(ctx, h):
    case_id = await h.new_case(ctx, amount="5000.00")
    await promise(ctx, h, case_id, "1000.00", date(2026, 12, 9))
    paid = datetime(2026, 12, 8, 15, 0, tzinfo=SH)
    await h.apply(ctx, [h.cf.payment(case_id, "400.00", paid_at=paid, outstanding="4600.00")])
    assert await outcomes(ctx, case_id) == []
    await h.apply(ctx, [h.cf.payment(case_id, "600.00", paid_at=paid, outstanding="4000.00",
                                     repaid_total="1000.00")])
    [kept] = await outcomes(ctx, case_id)
    assert (kept["outcome"], kept["on"], kept["paid"]) == ("kept", "2026-12-08", "1000.00")
    case = await case_row(ctx, case_id)
    # kept with nothing left open -> REACHABLE_SELF, next talk within 4 working days
    assert case["contact_status"] == "REACHABLE_SELF" and case["ptp_due_on"] is None
    assert case["outstanding"] == Decimal("4000.00") and case["last_repayment_at"] is not None


async def test_the_job_breaks_a_promise_the_day_after_in_the_debtors_zone(ctx, h, at):
    case_id = await h.new_case(ctx)
    await promise(ctx, h, case_id, "1000.00", date(2026, 12, 9))
    at("2026-12-09T23:59:59+08:00")                       # still the promise day in Shanghai
    await promise_uc.judge_due(ctx)
    assert await outcomes(ctx, case_id) == []
    at("2026-12-10T00:00:01+08:00")                       # 16:00 UTC on 12-09: the server's day is not the rule
    await promise_uc.judge_due(ctx)
    await promise_uc.judge_due(ctx)                       # twice (or on two replicas): judged once
    [broken] = await outcomes(ctx, case_id)
    assert (broken["outcome"], broken["on"], broken["paid"]) == ("broken", "2026-12-10", "0")
    case = await case_row(ctx, case_id)
    assert case["contact_status"] == "BROKEN_PTP" and case["next_follow_up"] == date(2026, 12, 11)   # next WD
    # a late repayment does not revive it (grace days exist for reporting lag)
    await h.apply(ctx, [h.cf.payment(case_id, "1000.00", paid_at=datetime(2026, 12, 9, 12, tzinfo=SH))])
    assert len(await outcomes(ctx, case_id)) == 1


async def test_an_instalment_plan_is_kept_instalment_by_instalment(ctx, h):
    case_id = await h.new_case(ctx, amount="3000.00")
    out = await promise(ctx, h, case_id, instalments=[("500.00", date(2026, 12, 10)), ("500.00", date(2026, 12, 24))])
    assert out["status"] == "PTP_INSTALMENT" and out["next_follow_up"] == date(2026, 12, 9)
    await h.apply(ctx, [h.cf.payment(case_id, "500.00", paid_at=datetime(2026, 12, 8, 10, tzinfo=SH))])
    [first] = await outcomes(ctx, case_id)
    assert first["instalment"] == 1 and first["outcome"] == "kept"
    case = await case_row(ctx, case_id)
    # the day before the next instalment (12-24 Thu -> 12-23)
    assert case["contact_status"] == "PTP_INSTALMENT" and case["next_follow_up"] == date(2026, 12, 23)
    assert case["ptp_due_on"] == date(2026, 12, 24)


# --- properties through the service ---------------------------------------------------------------

days = st.integers(min_value=0, max_value=6)
pays = st.lists(st.tuples(days, st.sampled_from(["100.00", "250.00", "400.00", "1000.00"])), max_size=4)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pays=pays, job_days=st.lists(days, max_size=4))
async def test_a_promise_is_never_both_kept_and_broken_through_the_service(ctx, h, pays, job_days):
    """Random repayments (their days) and expiry-job runs (their days), in time order: at most one
    outcome per promise, and its state agrees with it."""
    base = datetime(2026, 12, 7, 11, 0, tzinfo=SH)
    clock = MovableClock(base)
    mine = replace(ctx, clock=clock)
    case_id = await h.new_case(mine, amount="9000.00")
    await promise(mine, h, case_id, "1000.00", date(2026, 12, 9))
    steps = sorted([(d, 0, a) for d, a in pays] + [(d, 1, None) for d in job_days])
    for d, kind, amount in steps:
        clock.moment = base + timedelta(days=d)
        if kind == 0:
            await h.apply(mine, [h.cf.payment(case_id, amount, paid_at=clock.moment)])
        else:
            await promise_uc.judge_due(mine)
    got = await outcomes(ctx, case_id)
    assert len(got) <= 1
    async with ctx.pool.acquire() as conn:
        state = await conn.fetchval("SELECT state FROM promises WHERE case_id = $1", case_id)
    assert state == (got[0]["outcome"] if got else "open")
    paid_in_time = sum(Decimal(a) for d, a in pays if d <= 2)   # up to the promise day 12-09
    if paid_in_time >= Decimal("1000.00"):
        assert got and got[0]["outcome"] == "kept"


async def test_two_replicas_running_the_job_at_once_judge_each_promise_once(ctx, h, at):
    import asyncio

    cases = [await h.new_case(ctx) for _ in range(6)]
    for case_id in cases:
        await promise(ctx, h, case_id, "300.00", date(2026, 12, 8))
    at("2026-12-09T09:00:00+08:00")
    await asyncio.gather(promise_uc.judge_due(ctx), promise_uc.judge_due(ctx), promise_uc.judge_due(ctx))
    for case_id in cases:
        assert [o["outcome"] for o in await outcomes(ctx, case_id)] == ["broken"]
