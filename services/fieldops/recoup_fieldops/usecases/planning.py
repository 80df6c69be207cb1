"""Daily plans per team (R-34, R-36), every planned visit passed by the compliance engine (R-14,
R-15, R-16, R-17) behind the planner's `VisitCompliance` protocol.

Planning a day takes every approved visit plus the visits already planned for that day and not
started (a re-run plans them again with whatever arrived since: the planner is deterministic, so
an unchanged input gives the same plan). Visits of paused cases stay out (R-13). Each visit ends in
one team's plan or in the day's not-planned list with its reason; a refusal by the engine is also
stored with its reasons. Planned visits hold their place in the caps (a reservation at their slot).
Events: `visit.planned` for a visit whose team, band or agents changed; `visit.approved` again for
one that was planned and is not any more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import anyio.to_thread
import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.locks import xact_lock

from .. import events
from ..context import Ctx
from ..rules.addresses import area_of
from ..rules.errors import PlanDayOutOfRange
from ..rules.plan_model import DayPlan, NotPlanned, NotPlannedReason, PlanVisit
from ..rules.planner import plan_day
from ..rules.policy import PolicyBook
from ..rules.visit_gate import CasePolicy, EngineCompliance
from ..store import attempts, plans, teams, visits
from . import access
from .compliance import ATTEMPTS_LOCK, book_for, case_policy


@dataclass(frozen=True, slots=True)
class PlanResult:
    day: date
    run_id: int
    planned: int
    not_planned: int
    teams: int


def check_day(ctx: Ctx, day: date) -> None:
    today = ctx.clock.today()
    lo, hi = today - timedelta(days=ctx.settings.plan_days_back), today + timedelta(days=ctx.settings.plan_days_ahead)
    if not lo <= day <= hi:
        raise PlanDayOutOfRange(f"plans are made for {lo} to {hi}",
                                errors=[{"field": "day", "reason": f"between {lo} and {hi}"}])


def check_read_day(ctx: Ctx, day: date) -> None:
    """Reading a day: within the last 366 days or the planning horizon (a bounded parameter)."""
    today = ctx.clock.today()
    lo, hi = today - timedelta(days=366), today + timedelta(days=ctx.settings.plan_days_ahead)
    if not lo <= day <= hi:
        raise PlanDayOutOfRange(f"days from {lo} to {hi}",
                                errors=[{"field": "day", "reason": f"between {lo} and {hi}"}])


def _inputs(rows: Sequence[Any], book: PolicyBook) -> tuple[list[PlanVisit], list[NotPlanned],
                                                            dict[str, CasePolicy]]:
    visits_in, paused, policies = [], [], {}
    for r in rows:
        vid = str(r["visit_id"])
        if r["paused"] or r["status"] != "open":
            paused.append(NotPlanned(vid, r["case_id"], NotPlannedReason.CASE_PAUSED,
                                     (f"case is {'paused' if r['paused'] else r['status']} (R-13)",)))
            continue
        cp = policies.get(r["case_id"])
        if cp is None:
            cp = policies[r["case_id"]] = case_policy(book, r, r["province"])
        visits_in.append(PlanVisit(
            visit_id=vid, case_id=r["case_id"], due_on=r["due_on"],
            area=area_of(r["province"], r["city"], r["district"]), address_kind=r["address_kind"],
            special_population=cp.policy.special is not None, client_id=r["client_id"],
            zone=cp.zones.primary))
    return visits_in, paused, policies


async def _checker(conn: asyncpg.Connection, ctx: Ctx, day: date,
                   policies: dict[str, CasePolicy]) -> EngineCompliance:
    """The engine with each case's policy and the visits planned or done around the day."""
    span = max([cp.policy.horizon for cp in policies.values()], default=timedelta(days=9))
    start = datetime.combine(day, time(0), tzinfo=ctx.clock.zone)
    history = await attempts.history(conn, list(policies), start - span, start + timedelta(days=1) + span)
    return EngineCompliance(lambda p: policies[p.case_id],
                            [(case_id, a) for case_id, hist in history.items() for a in hist], ctx.calendar)


async def plan_for(conn: asyncpg.Connection, ctx: Ctx, who: Principal, day: date) -> PlanResult:
    """A field manager plans a day (POST /v1/plans/{day})."""
    await access.check_planner(conn, who)
    check_day(ctx, day)
    return await plan(conn, ctx, who.sub, day)


async def plan(conn: asyncpg.Connection, ctx: Ctx, by: str, day: date) -> PlanResult:
    """Plans `day` for every active team (see the module doc); returns the run's counts."""
    await xact_lock(conn, "fieldops-plan", day.isoformat())
    await xact_lock(conn, ATTEMPTS_LOCK)
    now = ctx.clock.now()
    before = await plans.previous_assignments(conn, day)
    await visits.release(conn, day=day, now=now)
    rows = await plans.approved_visits(conn)
    book = await book_for(conn, rows)
    visits_in, paused, policies = _inputs(rows, book)
    checker = await _checker(conn, ctx, day, policies)
    team_list = await teams.teams_for_day(conn, day)
    result: DayPlan = await anyio.to_thread.run_sync(
        lambda: plan_day(day, visits_in, team_list, checker, ctx.calendar, ctx.planner))
    not_planned = list(result.not_planned) + paused
    run_id = await _persist(conn, ctx, by, day, result, not_planned, now)
    await _emit(conn, rows, result, not_planned, before, now)
    return PlanResult(day, run_id, result.planned_count(), len(not_planned), len(result.plans))


async def _persist(conn: asyncpg.Connection, ctx: Ctx, by: str, day: date, result: DayPlan,
                   not_planned: list[NotPlanned], now: datetime) -> int:
    apply, reserve = [], []
    for tp in result.plans:
        for seq, x in enumerate(tp.visits, 1):
            apply.append((x.visit_id, day, tp.team_id, x.agent_ids, x.band, x.start, x.end, seq))
            reserve.append((x.visit_id, x.case_id, x.start, len(x.agent_ids)))
    await plans.apply(conn, apply, now)
    await attempts.reserve(conn, reserve)
    run_id = await plans.record_run(conn, day, now, by, len(apply), len(not_planned), len(result.plans))
    await plans.replace_not_planned(conn, day, run_id,
                                    [(n.visit_id, n.reason.value, n.details) for n in not_planned])
    refused = [(n.visit_id, n.case_id, "plan", now, datetime.combine(day, time(0), tzinfo=ctx.clock.zone),
                by, [r.to_dict() for r in n.refusals], None)
               for n in not_planned if n.reason is NotPlannedReason.REFUSED_BY_COMPLIANCE]
    await attempts.refuse(conn, refused)
    return run_id


def _band_text(start: datetime, end: datetime) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"


async def _emit(conn: asyncpg.Connection, rows: Sequence[Any], result: DayPlan,
                not_planned: list[NotPlanned], before: dict[str, tuple], now: datetime) -> None:
    by_id = {str(r["visit_id"]): r for r in rows}
    records = []
    for tp in result.plans:
        for x in tp.visits:
            if before.get(x.visit_id) == (tp.team_id, x.band, x.agent_ids):
                continue                       # unchanged by the re-plan: nothing new to say
            r = by_id[x.visit_id]
            records.append(events.planned(
                visit_id=x.visit_id, case_id=x.case_id, client_id=r["client_id"], team_id=tp.team_id,
                day=tp.day, agent_ids=x.agent_ids, band=_band_text(x.start, x.end),
                slot_start=x.start, slot_end=x.end, collector_id=r["collector_id"] or r["requested_by"],
                at=now))
    dropped = [n.visit_id for n in not_planned if n.visit_id in before]
    records += await back_to_approved(conn, [by_id[v] for v in dropped], now)
    await write_outbox_records(conn, records)


async def back_to_approved(conn: asyncpg.Connection, rows: Sequence[Any], now: datetime) -> list:
    """`visit.approved` again for visits that left a plan (their original approval)."""
    if not rows:
        return []
    who = await visits.approvers(conn, [r["visit_id"] for r in rows])
    return [events.approved(visit_id=str(r["visit_id"]), case_id=r["case_id"], client_id=r["client_id"],
                            collector_id=r["requested_by"], approved_by=who.get(str(r["visit_id"]), []),
                            due_on=r["due_on"], escalate_at=r["escalate_at"],
                            approved_at=r["approved_at"], at=now) for r in rows]


async def release_past_days(conn: asyncpg.Connection, ctx: Ctx) -> int:
    """Planned visits of past days nobody started go back to the approved pool (job)."""
    await xact_lock(conn, ATTEMPTS_LOCK)
    now = ctx.clock.now()
    gone = await visits.release(conn, day_before=ctx.clock.today(), now=now)
    await write_outbox_records(conn, await back_to_approved(conn, gone, now))
    return len(gone)


async def release_cases(conn: asyncpg.Connection, case_ids: Sequence[str], now: datetime) -> int:
    """R-13: a paused case's planned visits leave the plans (its agents do not go)."""
    if not case_ids:
        return 0
    await xact_lock(conn, ATTEMPTS_LOCK)          # the order planning takes: no deadlock with it
    gone = await visits.release(conn, case_ids=case_ids, now=now)
    await write_outbox_records(conn, await back_to_approved(conn, gone, now))
    return len(gone)


async def cancel_cases(conn: asyncpg.Connection, case_ids: Sequence[str], reason: str,
                       now: datetime) -> int:
    """R-13: a closed or recalled case's open visits are cancelled, their reservations freed, each
    announced (visit.cancelled)."""
    if not case_ids:
        return 0
    await xact_lock(conn, ATTEMPTS_LOCK)
    gone = await visits.cancel_open(conn, case_ids, reason, now)
    await write_outbox_records(conn, [events.cancelled(
        visit_id=str(g["visit_id"]), case_id=g["case_id"], client_id=g["client_id"], collector_id=g["requested_by"],
        previous_state=g["previous_state"], reason=reason, cancelled_by=None, at=now) for g in gone])
    return len(gone)
