"""Dependencies shared by the routes: the use-case context, role sets, visibility, cursors."""

from __future__ import annotations

import base64
from typing import Annotated, Any, Mapping

import asyncpg
from fastapi import Depends, Request

from recoup_shared.auth import Principal, Role, require_roles
from recoup_shared.errors import Forbidden, UnprocessableInput

from ..planning import Ctx, lead_team_of

# R-45 roles per action.
ALLOCATE = (Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN)          # preview, commit, manual, pause
MANAGE = (Role.SUPERVISOR, Role.ADMIN)                            # teams, client rules
READ_ALL = (Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)            # every team's data
CASE_READERS = (Role.COLLECTOR, Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR, Role.FINANCE)

Allocator = Annotated[Principal, Depends(require_roles(*ALLOCATE))]
Manager = Annotated[Principal, Depends(require_roles(*MANAGE))]
Reader = Annotated[Principal, Depends(require_roles(*ALLOCATE, Role.AUDITOR))]
CaseReader = Annotated[Principal, Depends(require_roles(*CASE_READERS))]
StaffPeople = Annotated[Principal, Depends(require_roles(Role.COLLECTOR, *ALLOCATE, Role.AUDITOR))]


def _ctx(request: Request) -> Ctx:
    return Ctx(request.app.state.settings, request.app.state.calendar)


Context = Annotated[Ctx, Depends(_ctx)]


def sees_all(p: Principal) -> bool:
    return p.has(*READ_ALL)


async def check_case_visible(conn: asyncpg.Connection, p: Principal, case: Mapping[str, Any]) -> None:
    """Object check: managers/auditors/finance see every case; a team lead their team's cases and
    the unowned pool; a collector only the cases they own now."""
    if p.has(*READ_ALL, Role.FINANCE):
        return
    if p.has(Role.TEAM_LEAD):
        team = await lead_team_of(conn, p)
        if case["team_id"] is None or (team is not None and case["team_id"] == team):
            return
    if p.has(Role.COLLECTOR) and case["collector_id"] == p.sub:
        return
    raise Forbidden("this case is not yours to see")


async def check_team_visible(conn: asyncpg.Connection, p: Principal, team_id: str) -> None:
    if sees_all(p):
        return
    if p.has(Role.TEAM_LEAD) and await lead_team_of(conn, p) == team_id:
        return
    raise Forbidden("a team lead sees their own team only")


def encode_cursor(last: str | None) -> str | None:
    return None if last is None else base64.urlsafe_b64encode(last.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        value = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        value = ""
    if not value:
        raise UnprocessableInput("invalid cursor", errors=[{"field": "cursor", "reason": "not a cursor"}])
    return value


def page_limit(request: Request, limit: int) -> int:
    return max(1, min(limit, request.app.state.settings.page_size_max))
