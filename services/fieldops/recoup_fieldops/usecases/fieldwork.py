"""An agent's day: arrival, departure, the visit record (R-36, R-37), and its same-day feedback
(R-38: `visit.completed` with status FIELD_VISIT_DONE, the promise, a new address or phone).

Every arrival and every record passes the compliance engine at the moment it happened, with the
agents who went (R-14 window, R-15/R-16 caps, R-17 holds, R-36 teams): a refusal is stored with
its reasons and answered 409; the visit stays as it was.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.crypto import mask_phone

from .. import events, views
from ..context import Ctx
from ..rules import lifecycle
from ..rules.addresses import address_id
from ..rules.errors import IllegalTransition, TimeOutOfRange
from ..rules.model import VisitState
from ..rules.records import VisitRecord, validate_record
from ..store import attempts, cases, records, visits
from . import access
from .compliance import gate


@dataclass(frozen=True, slots=True)
class Mark:
    at: datetime | None = None
    agent_ids: tuple[str, ...] | None = None


def _moment(ctx: Ctx, at: datetime | None, field: str) -> datetime:
    now = ctx.clock.now()
    if at is None:
        return now
    if at > now + timedelta(minutes=ctx.settings.mark_skew_minutes):
        raise TimeOutOfRange("a time in the future", errors=[{"field": field, "reason": "in the future"}])
    return at


async def arrive(conn: asyncpg.Connection, ctx: Ctx, who: Principal, visit_id: str, mark: Mark) -> dict:
    """The agents are at the door: the gate decides now, with who actually went."""
    v, row = await access.visit_of(conn, visit_id)
    await access.check_fieldwork(conn, who, v)
    at = _moment(ctx, mark.at, "at")
    agents = tuple(mark.agent_ids) if mark.agent_ids else v.agent_ids
    lifecycle.require_agents(agents, ctx.slots)
    if v.state is not VisitState.PLANNED:
        raise IllegalTransition(f"cannot mark arrival at a visit that is {v.state.value}",
                                visit_id=visit_id, state=v.state.value)
    case = await access.case_of(conn, v.case_id)
    await gate(conn, ctx, who, visit_row=row, case=case, start=at, end=at, agent_ids=agents,
               stage="arrival")
    after = lifecycle.arrive(v, at, agents, zone=ctx.records.zone, slots=ctx.slots)
    await visits.save(conn, v, after, ctx.clock.now())
    return await views.visit_detail(conn, visit_id, who)


async def depart(conn: asyncpg.Connection, ctx: Ctx, who: Principal, visit_id: str, mark: Mark) -> dict:
    v, _ = await access.visit_of(conn, visit_id)
    await access.check_fieldwork(conn, who, v)
    after = lifecycle.depart(v, _moment(ctx, mark.at, "at"))
    await visits.save(conn, v, after, ctx.clock.now())
    return await views.visit_detail(conn, visit_id, who)


def _times(v, rec: VisitRecord, ctx: Ctx) -> VisitRecord:
    """Arrival and departure: as given, else as marked; departure defaults to now."""
    arrived = rec.arrived_at or v.arrived_at
    if arrived is None:
        raise TimeOutOfRange("the arrival time is needed (not marked on arrival)",
                             errors=[{"field": "arrived_at", "reason": "required"}])
    left = rec.left_at or v.finished_at or ctx.clock.now()
    _moment(ctx, left, "left_at")
    return replace(rec, arrived_at=arrived, left_at=left, agent_ids=rec.agent_ids or v.agent_ids)


async def record(conn: asyncpg.Connection, ctx: Ctx, who: Principal, visit_id: str,
                 draft: VisitRecord) -> dict:
    """R-37: the record completes the visit; R-38: `visit.completed` goes to contact and letters."""
    v, row = await access.visit_of(conn, visit_id)
    await access.check_fieldwork(conn, who, v)
    if v.state not in (VisitState.PLANNED, VisitState.IN_PROGRESS):
        raise IllegalTransition(f"cannot record a visit that is {v.state.value}",
                                visit_id=visit_id, state=v.state.value)
    rec = validate_record(_times(v, draft, ctx), ctx.records)
    agents = lifecycle.require_agents(rec.agent_ids, ctx.slots)
    case = await access.case_of(conn, v.case_id)
    await gate(conn, ctx, who, visit_row=row, case=case, start=rec.arrived_at, end=rec.left_at,
               agent_ids=agents, stage="record")
    after = v if v.state is VisitState.IN_PROGRESS else lifecycle.arrive(
        v, rec.arrived_at, agents, zone=ctx.records.zone, slots=ctx.slots)
    after = replace(after, arrived_at=rec.arrived_at, agent_ids=agents)
    after = lifecycle.complete(lifecycle.depart(after, rec.left_at), rec.left_at)
    now = ctx.clock.now()
    await visits.save(conn, v, after, now)
    await attempts.record_done(conn, visit_id, v.case_id, rec.arrived_at, len(agents))
    phone_enc = ctx.protector.encrypt(visit_id, rec.new_phone) if rec.new_phone else None
    await records.insert_record(conn, visit_id, rec, new_phone_enc=phone_enc,
                                new_phone_masked=mask_phone(rec.new_phone), by=who.sub, at=now)
    day = rec.arrived_at.astimezone(ctx.records.zone).date()
    if rec.new_address is not None:                  # learned at the door, verified there
        a = rec.new_address
        await cases.add_addresses(conn, [(v.case_id, address_id(a.kind, a.province, a.city, a.district,
                                                                 a.line), a.kind, a.province, a.city,
                                          a.district, a.line, None, True, "visit", day, now, "debtor", None)])
    visited = await cases.address(conn, v.case_id, row["address_id"]) if rec.address_verified else None
    evidence = await records.evidence_of(conn, visit_id)
    await write_outbox_records(conn, [events.completed(after, rec, client_id=row["client_id"],
                                                       evidence=evidence, protector=ctx.protector,
                                                       visited_on=day, address=visited)])
    return await views.visit_detail(conn, visit_id, who)
