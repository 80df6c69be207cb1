"""Cases: detail with ownership history, owner on a date, lifecycle (R-13), worklists, team load."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from fastapi import APIRouter, Query, Request

from recoup_shared.auth import Role
from recoup_shared.api import Conn
from recoup_shared.errors import (
    Conflict, Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses,
)

from .. import planning
from ..schemas import CaseDetail, CasePage, OwnerAt, PauseIn, ResumeIn, TeamLoadOut
from ..store import pool, staff
from .deps import (
    Allocator, CaseReader, Context, Reader, check_case_visible, check_team_visible, decode_cursor,
    encode_cursor, page_limit, sees_all,
)

router = APIRouter(prefix="/v1", tags=["cases"])

_ERR = problem_responses(Unauthorized, Forbidden, NotFound, UnprocessableInput)
Status = Literal["unassigned", "assigned", "paused", "closed", "recalled"]


def _history(rows: list[Any]) -> list[dict[str, Any]]:
    return [{"collector_id": r["collector_id"], "team_id": r["team_id"], "from": r["valid_from"],
             "to": r["valid_to"], "strategy": r["strategy"], "reason": r["reason"],
             "end_reason": r["end_reason"], "plan_id": str(r["plan_id"]) if r["plan_id"] else None}
            for r in rows]


async def _detail(conn: Conn, case_id: str) -> dict[str, Any]:
    row = await pool.get_case(conn, case_id)
    out = dict(row)
    out["history"] = _history(await pool.history(conn, case_id))
    return out


@router.get("/cases/{case_id}", response_model=CaseDetail, responses=_ERR,
            summary="A case: status, owner and who owned it when")
async def get_case(case_id: str, p: CaseReader, conn: Conn) -> Any:
    row = await pool.get_case(conn, case_id)
    if row is None:
        raise NotFound(f"no case {case_id}")
    await check_case_visible(conn, p, row)
    out = dict(row)
    out["history"] = _history(await pool.history(conn, case_id))
    return out


@router.get("/cases/{case_id}/owner", response_model=OwnerAt, responses=_ERR,
            summary="Who owned the case at a moment (billing attributes repayments this way)")
async def owner_at(case_id: str, p: CaseReader, conn: Conn,
                   at: datetime | None = Query(default=None, description="default: now")) -> Any:
    row = await pool.get_case(conn, case_id)
    if row is None:
        raise NotFound(f"no case {case_id}")
    when = at or datetime.now(timezone.utc)
    if when.tzinfo is None:
        raise UnprocessableInput("at needs a timezone offset", errors=[{"field": "at", "reason": "naive timestamp"}])
    owner = await pool.owner_at(conn, case_id, when)
    if not p.has(Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR, Role.FINANCE):
        team = await planning.lead_team_of(conn, p) if p.has(Role.TEAM_LEAD) else None
        mine = owner is not None and (owner["collector_id"] == p.sub or
                                      (team is not None and owner["team_id"] == team))
        if not mine:
            await check_case_visible(conn, p, row)
    if owner is None:
        return {"case_id": case_id, "at": when, "collector_id": None, "team_id": None}
    return {"case_id": case_id, "at": when, "collector_id": owner["collector_id"],
            "team_id": owner["team_id"], "from": owner["valid_from"], "to": owner["valid_to"],
            "strategy": owner["strategy"], "reason": owner["reason"]}


@router.post("/cases/{case_id}/pause", response_model=CaseDetail,
             responses={**_ERR, **problem_responses(Conflict)},
             summary="Pause (暂停): the owner is released and the case leaves every allocation")
async def pause_case(case_id: str, p: Allocator, conn: Conn, ctx: Context, body: PauseIn) -> Any:
    lead = await planning.restrict_to_lead(conn, p)
    await planning.pause(conn, ctx, p, case_id, body.reason, lead)
    return await _detail(conn, case_id)


@router.post("/cases/{case_id}/resume", response_model=CaseDetail,
             responses={**_ERR, **problem_responses(Conflict)},
             summary="Resume (恢复): back to the previous owner when possible, else to the pool")
async def resume_case(case_id: str, p: Allocator, conn: Conn, ctx: Context, body: ResumeIn) -> Any:
    lead = await planning.restrict_to_lead(conn, p)
    await planning.resume(conn, ctx, p, case_id, body.reason, lead, body.return_to_previous_owner)
    return await _detail(conn, case_id)


@router.get("/cases", response_model=CasePage, responses=_ERR,
            summary="The case pool (e.g. status=unassigned), keyset pages")
async def list_cases(p: Reader, conn: Conn, request: Request, status: list[Status] | None = Query(default=None),
                     client_id: str | None = None, cursor: str | None = None,
                     limit: int = Query(default=100, ge=1)) -> Any:
    if not sees_all(p):
        wanted = set(status or [])
        if not wanted or wanted - {"unassigned", "paused"}:
            raise Forbidden("a team lead lists the unowned pool (status unassigned/paused) here; "
                            "their team's cases at /v1/teams/{team_id}/cases")
    return await _page(request, conn, limit, cursor, statuses=status, client_id=client_id)


@router.get("/collectors/{collector_id}/cases", response_model=CasePage, responses=_ERR,
            summary="A collector's cases (a collector: their own; a team lead: their team's)")
async def collector_cases(collector_id: str, p: CaseReader, conn: Conn, request: Request,
                          status: list[Status] | None = Query(default=None),
                          client_id: str | None = None, cursor: str | None = None,
                          limit: int = Query(default=100, ge=1)) -> Any:
    col = await staff.get_collector(conn, collector_id)
    if not (sees_all(p) or p.has(Role.FINANCE) or p.sub == collector_id):
        if not p.has(Role.TEAM_LEAD):
            raise Forbidden("a collector sees their own cases only")
        team = await planning.lead_team_of(conn, p)
        if col is None or col["team_id"] is None or col["team_id"] != team:
            raise Forbidden("a team lead sees their own team's collectors only")
    if col is None:
        raise NotFound(f"no collector {collector_id}")
    return await _page(request, conn, limit, cursor, collector_id=collector_id,
                       statuses=status or ["assigned"], client_id=client_id)


@router.get("/teams/{team_id}/cases", response_model=CasePage, responses=_ERR,
            summary="A team's cases (a team lead: their own team)")
async def team_cases(team_id: str, p: Reader, conn: Conn, request: Request,
                     status: list[Status] | None = Query(default=None),
                     collector_id: str | None = None, client_id: str | None = None,
                     cursor: str | None = None, limit: int = Query(default=100, ge=1)) -> Any:
    if await staff.get_team(conn, team_id) is None:
        raise NotFound(f"no team {team_id}")
    await check_team_visible(conn, p, team_id)
    return await _page(request, conn, limit, cursor, team_id=team_id, collector_id=collector_id,
                       statuses=status or ["assigned"], client_id=client_id)


_PCT = Decimal("0.01")


def _pct(used: Decimal | int, cap: Decimal | int | None) -> Decimal | None:
    if cap is None:
        return None
    if not cap:
        return Decimal("0.00") if not used else None
    return (Decimal(used) * 100 / Decimal(cap)).quantize(_PCT, rounding=ROUND_HALF_UP)


@router.get("/teams/{team_id}/load", response_model=TeamLoadOut, responses=_ERR,
            summary="Per collector: open cases and amount against capacity")
async def team_load(team_id: str, p: Reader, conn: Conn) -> Any:
    if await staff.get_team(conn, team_id) is None:
        raise NotFound(f"no team {team_id}")
    await check_team_visible(conn, p, team_id)
    rows = await pool.team_load(conn, team_id)
    collectors = [{
        "collector_id": r["collector_id"], "name": r["name"], "active": r["active"],
        "open_cases": r["open_cases"], "open_amount": r["open_amount"],
        "max_open_cases": r["max_open_cases"], "max_open_amount": r["max_open_amount"],
        "cases_used_pct": _pct(r["open_cases"], r["max_open_cases"]),
        "amount_used_pct": _pct(r["open_amount"], r["max_open_amount"]),
    } for r in rows]
    return {"team_id": team_id, "collectors": collectors,
            "open_cases": sum(c["open_cases"] for c in collectors),
            "open_amount": sum((Decimal(c["open_amount"]) for c in collectors), Decimal("0.00"))}


async def _page(request: Request, conn: Conn, limit: int, cursor: str | None, **filters: Any) -> dict[str, Any]:
    n = page_limit(request, limit)
    rows = await pool.list_cases(conn, after=decode_cursor(cursor), limit=n + 1, **filters)
    more = len(rows) > n
    rows = rows[:n]
    return {"items": [dict(r) for r in rows],
            "next_cursor": encode_cursor(rows[-1]["case_id"]) if more else None}
