"""Visit requests and their two approvals (R-34), deadlines on approval (R-35), cancellation.

Seed 004: 电访人员提交外访申请后, 将由外访经理与电访经理共同进行审核. A collector asks for a visit to
one of the case's addresses with a reason and a purpose; the field manager and the phone manager
each approve with a comment, or one of them rejects with a reason; with the second approval the
deadline is fixed from the case as it is then.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.vocabulary import ContactStatus, Role

from .. import events, views
from ..context import Ctx
from ..rules import lifecycle
from ..rules.addresses import area_of, covered, parse_area, repaired_on
from ..rules.errors import AddressNotOnCase, CaseNotCollectable, NotAllowed, VisitAlreadyOpen
from ..rules.model import ApproverRole, CaseFacts, Purpose, VisitState
from ..store import attempts, cases, teams, visits
from . import access
from .compliance import book_for, case_policy

LOST = frozenset({ContactStatus.LOST_CONTACT.value, ContactStatus.SKIP_TRACE.value})


@dataclass(frozen=True, slots=True)
class RequestVisit:
    case_id: str
    address_id: str
    purpose: Purpose
    reason: str


async def request_visit(conn: asyncpg.Connection, ctx: Ctx, who: Principal, cmd: RequestVisit) -> dict:
    """R-34: the case's own collector (403 otherwise) picks one of the case's addresses (422)."""
    case = await access.case_of(conn, cmd.case_id, lock=True)
    access.own_case(who, case)
    if case["status"] != "open" or case["paused"]:
        raise CaseNotCollectable(f"the case is {'paused' if case['paused'] else case['status']}")
    address = await cases.address(conn, cmd.case_id, cmd.address_id)
    if address is None:
        raise AddressNotOnCase("choose the target from the case's addresses",
                               errors=[{"field": "address_id", "reason": "not an address of this case"}])
    if await visits.open_for_address(conn, cmd.case_id, cmd.address_id):
        raise VisitAlreadyOpen("this address already has an open visit request")
    v = lifecycle.request_visit(str(uuid.uuid4()), cmd.case_id, who.sub, cmd.purpose, cmd.reason,
                                address["kind"], ctx.clock.now())
    try:
        async with conn.transaction():          # the unique index closes the race with a twin
            await visits.insert(conn, v, client_id=case["client_id"], address=address)
    except asyncpg.UniqueViolationError:
        raise VisitAlreadyOpen("this address already has an open visit request") from None
    await write_outbox_records(conn, [events.requested(v, case["client_id"])])
    return await views.visit_detail(conn, v.visit_id, who)


async def case_facts(conn: asyncpg.Connection, ctx: Ctx, case: Any, row: Any) -> CaseFacts:
    """R-35 inputs: outstanding amount, local (configured areas, else a field team covers the
    address), lost contact (R-22 status), the repair day of an address found after placement."""
    area = area_of(row["province"], row["city"], row["district"])
    if ctx.settings.local_areas:
        local = covered(area, [parse_area(a) for a in ctx.settings.local_areas])
    else:
        local = await teams.area_covered(conn, area)
    address = await cases.address(conn, case["case_id"], row["address_id"])
    amount = case["outstanding"] if case["outstanding"] is not None else case["placed_amount"]
    return CaseFacts(outstanding=amount if amount is not None else 0, local=local,
                     lost_contact=case["contact_status"] in LOST,
                     address_repaired_on=repaired_on(address["source"], address["found_on"])
                     if address else None)


async def decide(conn: asyncpg.Connection, ctx: Ctx, who: Principal, visit_id: str,
                 role: ApproverRole, text: str, *, approve: bool) -> dict:
    """R-34: one manager's approval (with a comment) or rejection (with a reason); each once (409)."""
    v, row = await access.visit_of(conn, visit_id)
    case = await access.case_of(conn, v.case_id)
    await access.check_approver(conn, who, role, case)
    now = ctx.clock.now()
    if approve:
        facts = await case_facts(conn, ctx, case, row)
        zone = case_policy(await book_for(conn, [case]), case, row["province"]).zones.primary
        after = lifecycle.approve(v, role, who.sub, text, now, case=facts, calendar=ctx.calendar,
                                  cfg=replace(ctx.deadlines, zone=zone))    # R-35 in the debtor's zone
    else:
        after = lifecycle.reject(v, role, who.sub, text, now)
    await visits.save(conn, v, after, now)
    if after.state is VisitState.APPROVED and v.state is VisitState.REQUESTED:
        await write_outbox_records(conn, [events.approved_visit(after, case["client_id"])])
    elif after.state is VisitState.REJECTED:
        await write_outbox_records(conn, [events.rejected(after, case["client_id"])])
    return await views.visit_detail(conn, visit_id, who)


async def cancel(conn: asyncpg.Connection, ctx: Ctx, who: Principal, visit_id: str, reason: str) -> dict:
    """The requesting collector withdraws, or a manager cancels (not once the agents are there)."""
    v, row = await access.visit_of(conn, visit_id)
    case = await access.case_of(conn, v.case_id)
    allowed = (v.requested_by == who.sub or who.has(Role.SUPERVISOR)
               or (who.has(Role.TEAM_LEAD) and who.team_id is not None
                   and who.team_id in (case["team_id"], v.team_id)))
    if not allowed:
        raise NotAllowed("only the requesting collector or a manager cancels a visit")
    now = ctx.clock.now()
    after = lifecycle.cancel(v, reason, now)
    await visits.save(conn, v, after, now)
    if v.state is VisitState.PLANNED:
        await attempts.unreserve(conn, visit_id)
    await write_outbox_records(conn, [events.cancelled(
        visit_id=v.visit_id, case_id=v.case_id, client_id=row["client_id"], collector_id=v.requested_by,
        previous_state=v.state.value, reason=after.cancel_reason or reason, cancelled_by=who.sub, at=now)])
    return await views.visit_detail(conn, visit_id, who)
