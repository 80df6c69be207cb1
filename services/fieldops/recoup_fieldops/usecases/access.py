"""Who may act on which visit (R-45, OWASP API1): the object checks every use case makes after the
route's role check. README "Roles" says how the R-34 approvers map to R-45 roles."""

from __future__ import annotations

from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.vocabulary import Role

from ..rules.errors import CaseNotFound, NotAllowed, NotThisApprover, NotYourCase, VisitNotFound
from ..rules.model import ApproverRole, VisitRequest
from ..store import cases, teams, visits

ALL_VISITS = (Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)


async def case_of(conn: asyncpg.Connection, case_id: str, *, lock: bool = False) -> asyncpg.Record:
    case = await cases.get(conn, case_id, lock=lock)
    if case is None:
        raise CaseNotFound(f"case {case_id} is not known to fieldops")
    return case


async def visit_of(conn: asyncpg.Connection, visit_id: str, *,
                   lock: bool = True) -> tuple[VisitRequest, asyncpg.Record]:
    found = await visits.load(conn, visit_id, lock=lock)
    if found is None:
        raise VisitNotFound(f"visit {visit_id} is unknown")
    return found


def own_case(who: Principal, case: asyncpg.Record) -> None:
    """R-34: a collector requests visits only for a case they own (else 403)."""
    if not case["collector_id"] or case["collector_id"] != who.sub:
        raise NotYourCase("only the case's own collector requests a visit for it")


async def leads_field_team(conn: asyncpg.Connection, who: Principal) -> bool:
    return who.has(Role.TEAM_LEAD) and await teams.is_field_team(conn, who.team_id)


async def check_approver(conn: asyncpg.Connection, who: Principal, role: ApproverRole,
                         case: asyncpg.Record) -> None:
    """R-34: the field manager is a supervisor or a field team's lead; the phone manager is the lead
    of the collector's phone team or a supervisor."""
    if who.has(Role.SUPERVISOR):
        return
    if role is ApproverRole.FIELD_MANAGER and await leads_field_team(conn, who):
        return
    if (role is ApproverRole.PHONE_MANAGER and who.has(Role.TEAM_LEAD) and who.team_id
            and who.team_id == case["team_id"]):
        return
    raise NotThisApprover(f"you cannot give the {role.value}'s approval for this case", role=role.value)


async def may_see(conn: asyncpg.Connection, who: Principal, v: VisitRequest, row: Any,
                  case: asyncpg.Record | None) -> bool:
    if who.has(*ALL_VISITS):
        return True
    if who.has(Role.COLLECTOR) and (v.requested_by == who.sub or (case and case["collector_id"] == who.sub)):
        return True
    if who.has(Role.FIELD_AGENT) and who.sub in v.agent_ids:
        return True
    if who.has(Role.TEAM_LEAD) and who.team_id and (
            (case is not None and case["team_id"] == who.team_id) or v.team_id == who.team_id
            or await teams.is_field_team(conn, who.team_id)):
        return True
    return False


async def check_visible(conn: asyncpg.Connection, who: Principal, v: VisitRequest, row: Any) -> asyncpg.Record:
    case = await cases.get(conn, v.case_id)
    if not await may_see(conn, who, v, row, case):
        raise NotAllowed("this visit is not yours to see")
    return case


async def check_fieldwork(conn: asyncpg.Connection, who: Principal, v: VisitRequest) -> None:
    """Arrival, departure, record, evidence: an agent planned on the visit, or a field manager
    (entering what the agents phoned in)."""
    if who.has(Role.FIELD_AGENT) and who.sub in v.agent_ids:
        return
    if who.has(Role.SUPERVISOR) or (await leads_field_team(conn, who)
                                    and (v.team_id is None or v.team_id == who.team_id)):
        return
    raise NotAllowed("only the agents planned on this visit (or their field manager) record it")


async def check_planner(conn: asyncpg.Connection, who: Principal) -> None:
    """Plans are made by supervisors, admins and the leads of field teams."""
    if who.has(Role.SUPERVISOR, Role.ADMIN) or await leads_field_team(conn, who):
        return
    raise NotAllowed("plans are made by field managers")


async def check_team_admin(conn: asyncpg.Connection, who: Principal, team_id: str | None) -> None:
    if who.has(Role.SUPERVISOR, Role.ADMIN):
        return
    if team_id is not None and who.has(Role.TEAM_LEAD) and who.team_id == team_id:
        return
    raise NotAllowed("field teams are managed by supervisors, admins or their own lead")
