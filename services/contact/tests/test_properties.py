"""A property through the service: whatever happens to a case — records of any code and status,
repayments, the expiry job, a new owner, a pause and a resume, a dispute and the client's
instruction — every active case keeps exactly one next follow-up (none only in DISPUTE), and a
cadence due date unless its status is exempt (R-20, R-22)."""

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoup_contact.rules import Channel, ContactStatus, Party, Result
from recoup_contact.rules.errors import CaseNotWorkable, ContactRuleError, GateRefused
from recoup_contact.usecases import disputes, promises, records
from recoup_contact.usecases.records import PromiseCmd, RecordCmd
from recoup_shared.auth import Principal
from recoup_shared.clock import BusinessClock

SH = ZoneInfo("Asia/Shanghai")
CODES = [("PTP", Result.CONNECTED, None), ("RS", Result.CONNECTED, None), ("NA", Result.NO_ANSWER, "NO_ANSWER"),
         ("NA", Result.BUSY, "NIGHT_FOLLOW_UP"), ("OFF", Result.SWITCHED_OFF, "LOST_CONTACT"),
         ("LOST", Result.NO_ANSWER, None), ("DISP", Result.CONNECTED, None), ("DEC", Result.CONNECTED, None),
         ("NA", Result.REFUSED, "URGENT"), ("VREQ", Result.NO_ANSWER, None), ("EMPTY", Result.EMPTY_NUMBER, None)]
EXEMPT = {"DISPUTE", "DECEASED", "INCARCERATED"}


class Clock(BusinessClock):
    def __init__(self, moment: datetime) -> None:
        super().__init__("Asia/Shanghai")
        self.moment = moment

    def now(self) -> datetime:
        return self.moment.astimezone(timezone.utc)


ops = st.lists(st.one_of(
    st.tuples(st.just("record"), st.sampled_from(range(len(CODES)))),
    st.tuples(st.just("pay"), st.sampled_from(["100.00", "1000.00"])),
    st.tuples(st.just("days"), st.integers(1, 3)),
    st.tuples(st.just("owner"), st.sampled_from(["col-1", "col-2"])),
    st.tuples(st.just("pause"), st.booleans()),
    st.tuples(st.just("instruct"), st.sampled_from(["resume", "withdraw"])),
), min_size=1, max_size=7)


async def _record(ctx, case_id, owner, n):
    code, result, status = CODES[n]
    async with ctx.pool.acquire() as conn:
        point = await conn.fetchval("SELECT point_id FROM contact_points WHERE case_id = $1 AND kind = 'mobile' "
                                    "AND party = 'debtor'", case_id)
        try:
            async with conn.transaction():
                today = ctx.clock.now().astimezone(SH).date()
                await records.log_contact(conn, ctx, Principal(owner, frozenset({"collector"}), team_id="t1"),
                                          case_id, RecordCmd(
                    channel=Channel.OUTBOUND_CALL, party=Party.DEBTOR, point_id=point, result=result, code=code,
                    status=ContactStatus(status) if status else None, notes="property test",
                    dispute_reason="否认" if code == "DISP" else None,
                    promise=PromiseCmd(Decimal("1000.00"), today + timedelta(days=2)) if code == "PTP" else None))
        except (ContactRuleError, GateRefused, CaseNotWorkable):   # refused, or not workable: nothing changes
            pass


async def _instruct(ctx, case_id, action):
    async with ctx.pool.acquire() as conn:
        row = await conn.fetchrow("SELECT dispute_id, client_id FROM disputes WHERE case_id = $1 AND state = 'open'",
                                  case_id)
        if row is None:
            return
        async with conn.transaction():
            await disputes.instruct(conn, ctx, Principal("bank", frozenset({"client"}), client_id=row["client_id"]),
                                    row["dispute_id"], action, None)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=ops)
async def test_every_active_case_keeps_exactly_one_next_follow_up(ctx, h, steps):
    clock = Clock(datetime(2026, 12, 7, 10, 0, tzinfo=SH))
    mine = replace(ctx, clock=clock)
    owner = "col-1"
    case_id = await h.new_case(mine, owner=owner, amount="5000.00")
    for op, arg in steps:
        if op == "record":
            await _record(mine, case_id, owner, arg)
        elif op == "pay":
            await h.apply(mine, [h.cf.payment(case_id, arg, paid_at=clock.moment, outstanding="4000.00")])
        elif op == "days":
            clock.moment += timedelta(days=arg)
            await promises.judge_due(mine)
        elif op == "owner":
            owner = arg
            await h.apply(mine, [h.cf.allocated(case_id, arg, at=clock.moment)])
        elif op == "pause":
            await h.apply(mine, [h.cf.paused(case_id) if arg else h.cf.resumed(case_id, owner)])
        else:
            await _instruct(mine, case_id, arg)
        async with ctx.pool.acquire() as conn:
            c = await conn.fetchrow("SELECT in_worklist, contact_status, next_follow_up, cadence_due FROM cases "
                                    "WHERE case_id = $1", case_id)
        if c["in_worklist"]:
            assert (c["next_follow_up"] is None) == (c["contact_status"] == "DISPUTE"), (op, dict(c))
            assert (c["cadence_due"] is None) == (c["contact_status"] in EXEMPT), (op, dict(c))

