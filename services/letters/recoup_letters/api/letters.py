"""Letters (R-26..R-31): the list and one letter, a case's letters, a letter the clerk asks for,
cancellation, returns; and the planning runs (R-28)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path

from recoup_shared.errors import problem_responses
from recoup_shared.paging import Cursor, Limit, page

from .. import views
from ..rules.errors import (CaseNotFound, LetterNotFound, LetterRefused, PlanningRunNotFound, ReturnReasonUnknown,
                            StateConflict)
from ..rules.model import LetterType
from ..schemas import letters as s
from ..store import planning as planning_store
from ..usecases import letters, planning, returns
from .deps import ClientFilter, Clerk, Conn, Context, Id, IdFilter, Reader, int_cursor, time_cursor

router = APIRouter(tags=["letters"])

Status = Literal["planned", "generated", "approved", "dispatched", "returned", "cancelled"]


@router.get("/v1/letters", response_model=s.LetterPage, summary="Letters, newest first")
async def list_letters(conn: Conn, who: Reader, status: Status | None = None, letter_type: LetterType | None = None,
                       client_id: ClientFilter = None, batch_id: IdFilter = None, cursor: Cursor = None,
                       limit: Limit = 100) -> dict:
    rows = await views.list_letters(conn, status=status, letter_type=letter_type.value if letter_type else None,
                                    client_id=client_id, batch_id=batch_id, after=time_cursor(cursor),
                                    limit=limit + 1)
    return page(rows, limit, key=lambda r: [r["created_at"].isoformat(), r["letter_id"]])


@router.get("/v1/letters/{letter_id}", response_model=s.LetterOut, responses=problem_responses(LetterNotFound))
async def get_letter(letter_id: Id, conn: Conn, ctx: Context, who: Reader) -> dict:
    return await letters.get_letter(conn, ctx, who, letter_id)


@router.post("/v1/letters/{letter_id}/cancel", response_model=s.LetterOut,
             responses=problem_responses(LetterNotFound, StateConflict))
async def cancel_letter(letter_id: Id, body: s.CancelIn, conn: Conn, ctx: Context, who: Clerk) -> dict:
    return await letters.cancel_letter(conn, ctx, who, letter_id, body.reason)


@router.get("/v1/cases/{case_id}/letters", response_model=list[s.LetterOut], summary="A case's letters")
async def case_letters(case_id: Id, conn: Conn, who: Reader) -> list[dict]:
    return await views.case_letters(conn, case_id)


@router.post("/v1/cases/{case_id}/letters", status_code=201, response_model=s.LetterOut,
             responses=problem_responses(CaseNotFound, LetterRefused, StateConflict),
             summary="A letter the clerk asks for (R-26), checked by the planner's rules")
async def request_letter(case_id: Id, body: s.LetterRequestIn, conn: Conn, ctx: Context, who: Clerk) -> dict:
    return await letters.request_letter(conn, ctx, who, case_id, body.letter_type, body.recipient_id)


@router.post("/v1/returns", status_code=201, response_model=s.ReturnOut,
             responses=problem_responses(LetterNotFound, ReturnReasonUnknown, StateConflict),
             summary="Record a returned letter (退函, R-31): the address may become invalid; re-sent when possible")
async def record_return(body: s.ReturnIn, conn: Conn, ctx: Context, who: Clerk) -> dict:
    return await returns.record(conn, ctx, who, letter_id=body.letter_id, check_code=body.check_code,
                                tracking_no=body.tracking_no, reason=body.reason, note=body.note,
                                returned_at=body.returned_at)


@router.post("/v1/planning/runs", status_code=202, response_model=s.PlanningRunOut,
             summary="Plan the due letters now (otherwise daily, from the planning hour)")
async def request_run(conn: Conn, ctx: Context, who: Clerk) -> dict:
    return await planning.request_run(conn, ctx, who)


@router.get("/v1/planning/runs", response_model=s.PlanningRunPage)
async def list_runs(conn: Conn, who: Reader, cursor: Cursor = None, limit: Limit = 100) -> dict:
    rows = [dict(r) for r in await planning_store.page(conn, int_cursor(cursor), limit + 1)]
    return page(rows, limit, key=lambda r: r["run_id"])


@router.get("/v1/planning/runs/{run_id}", response_model=s.PlanningRunOut,
            responses=problem_responses(PlanningRunNotFound))
async def get_run(conn: Conn, ctx: Context, who: Reader, run_id: int = Path(ge=1, le=2**62)) -> dict:
    return await planning.get_run(conn, ctx, who, run_id)
