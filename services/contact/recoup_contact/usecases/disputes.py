"""R-17 disputes and R-47 complaints.

A dispute (a DISPUTE record, or a complaint that disputes the debt) stops collection: the case is
held (the gate refuses every contact), it has no follow-up, and the client sees it on its own route
with the reason; the client instructs resume (the hold is lifted, the case gets the configured
status and its next follow-up) or withdraw (the case leaves every worklist; the client recalls it
through intake). A complaint is graded (rules/complaints.py): a serious one reaches the supervisor
the same day, holds the case, and asks allocation to pause it where the client wants that."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records

from .. import events
from . import holds
from ..context import Ctx
from ..rules import (Allegation, ComplaintChannel, ComplaintFacts, ContactStatus, complaint_decision)
from ..rules.errors import AlreadyDecided, NotFoundHere
from ..store import cases as case_store
from ..store import records as record_store
from ..store import work as work_store
from .common import client_config, get_case_for, local_day, lock_case, zone_of
from .plan import cadence_values, follow_up_for


async def client_disputes(conn: asyncpg.Connection, principal: Principal, *, state: str | None,
                          after: tuple[str, str] | None, limit: int) -> list[dict[str, Any]]:
    """The client's own disputed cases (client route: its client_id only)."""
    rows = await work_store.disputes(conn, client_id=principal.client_id, state=state, case_id=None,
                                     after=after, limit=limit)
    return [dict(r) for r in rows]


async def staff_disputes(conn: asyncpg.Connection, *, client_id: str | None, state: str | None,
                         after: tuple[str, str] | None, limit: int) -> list[dict[str, Any]]:
    return [dict(r) for r in await work_store.disputes(conn, client_id=client_id, state=state, case_id=None,
                                                        after=after, limit=limit)]


async def instruct(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, dispute_id: UUID, action: str,
                   note: str | None) -> dict[str, Any]:
    """The client's instruction on a dispute it was told about (R-17)."""
    d = await work_store.get_dispute(conn, dispute_id)
    if d is None or d["client_id"] != principal.client_id:
        raise NotFoundHere("no such dispute for this client")
    await lock_case(conn, d["case_id"])
    now = ctx.clock.now()
    state = "resumed" if action == "resume" else "withdrawn"
    if not await work_store.instruct(conn, dispute_id, state, at=now, by=principal.sub, note=note):
        raise AlreadyDecided(f"the dispute was already {d['state']}")
    case = await case_store.get(conn, d["case_id"])
    if action == "resume":
        await holds.release(conn, ctx, case, "dispute", principal.roles, by=principal.sub, note=note)
        cfg = await client_config(conn, ctx, case["client_id"])
        status = ContactStatus(ctx.settings.dispute_resume_status)
        today = local_day(now, case)
        values = {"contact_status": status.value, **follow_up_for(ctx, cfg, case, status, today, now=now)}
        values.update(cadence_values(ctx, cfg, status=status, allocated_on=case["allocated_on"],
                                     outstanding=case["outstanding"], last_effective_on=case["last_effective_on"],
                                     undialled_since=case["undialled_since"], today=today))
        await case_store.update(conn, case["case_id"], values, now)
    else:
        await case_store.update(conn, case["case_id"], {"withdrawn": True}, now)
    await record_store.timeline_one(conn, case["case_id"], now, f"dispute_{state}", actor=principal.sub,
                                    ref=str(dispute_id), data={"note": note})
    return {**dict(await work_store.get_dispute(conn, dispute_id))}


@dataclass(frozen=True, slots=True)
class ComplaintCmd:
    channel: ComplaintChannel
    allegations: tuple[Allegation, ...]
    calmed: bool
    client_pursues: bool = False
    description: str | None = None


async def add_complaint(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str,
                        cmd: ComplaintCmd) -> dict[str, Any]:
    case = await get_case_for(conn, principal, case_id, act=True, lock=True)
    cfg = await client_config(conn, ctx, case["client_id"])
    now = ctx.clock.now()
    decision = complaint_decision(ComplaintFacts(cmd.channel, frozenset(cmd.allegations), cmd.calmed,
                                                 cmd.client_pursues),
                                  now=now, policy=cfg.complaints, calendar=ctx.calendar, zone=zone_of(case))
    complaint_id = uuid4()
    await work_store.add_complaint(
        conn, complaint_id=complaint_id, case_id=case_id, client_id=case["client_id"], channel=cmd.channel.value,
        allegations=[a.value for a in cmd.allegations], calmed=cmd.calmed, client_pursues=cmd.client_pursues,
        grade=decision.grade.value, description=cmd.description,
        escalate_to=decision.escalate_to.value if decision.escalate_to else None, escalate_by=decision.escalate_by,
        held=decision.hold_case, pause_requested=decision.request_pause, notify_client=decision.notify_client,
        recorded_by=principal.sub, recorded_at=now)
    if decision.hold_case:   # no dials, letters or visits until a supervisor releases it
        await holds.hold(conn, ctx, case, "serious_complaint", by=principal.sub, note=f"complaint {complaint_id}")
    if decision.request_pause:
        await write_outbox_records(conn, [events.pause_requested(case_id=case_id, client_id=case["client_id"],
                                                                 by=principal.sub, complaint_id=str(complaint_id),
                                                                 at=now)])
    if decision.status is ContactStatus.DISPUTE:   # the complaint disputes the debt itself
        await work_store.open_dispute(conn, case_id=case_id, client_id=case["client_id"],
                                      reason=cmd.description or "complaint disputes the debt", by=principal.sub,
                                      at=now, record_id=None)
        await holds.hold(conn, ctx, case, "dispute", by=principal.sub, note="R-17 via complaint")
        await case_store.update(conn, case_id, {"contact_status": ContactStatus.DISPUTE.value,
                                                **follow_up_for(ctx, cfg, case, ContactStatus.DISPUTE,
                                                                local_day(now, case)),
                                                "cadence_due": None, "cadence_rule": None}, now)
    await record_store.timeline_one(conn, case_id, now, "complaint", actor=principal.sub, ref=str(complaint_id),
                                    data={"grade": decision.grade.value, "held": decision.hold_case,
                                          "pause_requested": decision.request_pause})
    return dict(await work_store.get_complaint(conn, complaint_id))


async def resolve_complaint(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, complaint_id: UUID,
                            resolution: str, release_hold: bool) -> dict[str, Any]:
    c = await work_store.get_complaint(conn, complaint_id)
    if c is None:
        raise NotFoundHere("no such complaint")
    await lock_case(conn, c["case_id"])
    now = ctx.clock.now()
    if not await work_store.resolve_complaint(conn, complaint_id, at=now, by=principal.sub, resolution=resolution):
        raise AlreadyDecided("the complaint was already resolved")
    if release_hold and c["held"]:   # only a role the policy allows (hold_lift_roles) releases it
        await holds.release(conn, ctx, await case_store.get(conn, c["case_id"]), "serious_complaint",
                            principal.roles, by=principal.sub, note=resolution)
    await record_store.timeline_one(conn, c["case_id"], now, "complaint_resolved", actor=principal.sub,
                                    ref=str(complaint_id), data={"released": bool(release_hold and c["held"])})
    return dict(await work_store.get_complaint(conn, complaint_id))


async def complaints(conn: asyncpg.Connection, *, grade: str | None, open_only: bool,
                     after: tuple[str, str] | None, limit: int) -> list[dict[str, Any]]:
    return [dict(r) for r in await work_store.complaints(conn, grade=grade, open_only=open_only, case_id=None,
                                                          after=after, limit=limit)]
