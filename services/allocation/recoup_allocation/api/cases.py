"""Cases: detail with ownership history, owner on a date, lifecycle (R-13), worklists, team load."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Query

from recoup_shared.errors import (
    Conflict, Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses,
)
from recoup_shared.paging import Cursor, Limit

from ..schemas import CaseDetail, CasePage, OwnerAt, PauseIn, ResumeIn, TeamLoadOut
from ..usecases import cases, lifecycle
from ..usecases.commands import Pause, Resume
from .deps import Allocator, CaseReader, Conn, Context, Reader, after_case

router = APIRouter(prefix="/v1", tags=["cases"])

_ERR = problem_responses(Unauthorized, Forbidden, NotFound, UnprocessableInput)
_ERR409 = {**_ERR, **problem_responses(Conflict)}
Status = Literal["unassigned", "assigned", "paused", "closed", "recalled"]
Statuses = list[Status] | None


@router.get("/cases/{case_id}", response_model=CaseDetail, responses=_ERR,
            summary="A case: status, owner and who owned it when")
async def get_case(case_id: str, p: CaseReader, conn: Conn, ctx: Context) -> Any:
    return await cases.get_case(conn, ctx, p, case_id)


@router.get("/cases/{case_id}/owner", response_model=OwnerAt, responses=_ERR,
            summary="Who owned the case at a moment (billing attributes repayments this way)")
async def owner_at(case_id: str, p: CaseReader, conn: Conn, ctx: Context,
                   at: datetime | None = Query(default=None, description="default: now")) -> Any:
    return await cases.owner_at(conn, ctx, p, case_id, at)


@router.post("/cases/{case_id}/pause", response_model=CaseDetail, responses=_ERR409,
             summary="Pause (暂停): the owner is released and the case leaves every allocation")
async def pause_case(case_id: str, p: Allocator, conn: Conn, ctx: Context, body: PauseIn) -> Any:
    await lifecycle.pause(conn, ctx, p, case_id, Pause(reason=body.reason))
    return await cases.case_detail(conn, case_id)


@router.post("/cases/{case_id}/resume", response_model=CaseDetail, responses=_ERR409,
             summary="Resume (恢复): back to the previous owner when possible, else to the pool")
async def resume_case(case_id: str, p: Allocator, conn: Conn, ctx: Context, body: ResumeIn) -> Any:
    await lifecycle.resume(conn, ctx, p, case_id, Resume(
        reason=body.reason, return_to_previous_owner=body.return_to_previous_owner))
    return await cases.case_detail(conn, case_id)


@router.get("/cases", response_model=CasePage, responses=_ERR,
            summary="The case pool (e.g. status=unassigned), keyset pages")
async def list_cases(p: Reader, conn: Conn, ctx: Context, status: Statuses = Query(default=None),
                     client_id: str | None = None, cursor: Cursor = None, limit: Limit = 100) -> Any:
    return await cases.list_pool(conn, ctx, p, statuses=status, client_id=client_id,
                                 after=after_case(cursor), limit=limit)


@router.get("/collectors/{collector_id}/cases", response_model=CasePage, responses=_ERR,
            summary="A collector's cases (a collector: their own; a team lead: their team's)")
async def collector_cases(collector_id: str, p: CaseReader, conn: Conn, ctx: Context,
                          status: Statuses = Query(default=None), client_id: str | None = None,
                          cursor: Cursor = None, limit: Limit = 100) -> Any:
    return await cases.collector_cases(conn, ctx, p, collector_id, statuses=status, client_id=client_id,
                                       after=after_case(cursor), limit=limit)


@router.get("/teams/{team_id}/cases", response_model=CasePage, responses=_ERR,
            summary="A team's cases (a team lead: their own team)")
async def team_cases(team_id: str, p: Reader, conn: Conn, ctx: Context,
                     status: Statuses = Query(default=None), collector_id: str | None = None,
                     client_id: str | None = None, cursor: Cursor = None, limit: Limit = 100) -> Any:
    return await cases.team_cases(conn, ctx, p, team_id, statuses=status, collector_id=collector_id,
                                  client_id=client_id, after=after_case(cursor), limit=limit)


@router.get("/teams/{team_id}/load", response_model=TeamLoadOut, responses=_ERR,
            summary="Per collector: open cases and amount against capacity")
async def team_load(team_id: str, p: Reader, conn: Conn, ctx: Context) -> Any:
    return await cases.team_load(conn, ctx, p, team_id)
