"""Cases seen by this service. Routes stay thin: parse, call the use case or view, answer."""

from __future__ import annotations

from fastapi import APIRouter, Path

from recoup_shared.errors import problem_responses
from recoup_shared.paging import Cursor, Limit, decode_cursor, page

from .. import schemas, views
from ..rules.errors import CaseNotFound
from ..usecases import cases
from .deps import CaseReader, Conn, Context

router = APIRouter(prefix="/v1/cases", tags=["cases"])


@router.get("", response_model=schemas.CasePage, summary="Cases seen, oldest id first")
async def list_cases(conn: Conn, who: CaseReader, client_id: str | None = None,
                     cursor: Cursor = None, limit: Limit = 100) -> dict:
    rows = await views.list_cases(conn, client_id=client_id, after=decode_cursor(cursor), limit=limit + 1)
    return page(rows, limit, key=lambda r: r["case_id"])


@router.get("/{case_id}", response_model=schemas.CaseOut, responses=problem_responses(CaseNotFound))
async def get_case(conn: Conn, ctx: Context, who: CaseReader,
                   case_id: str = Path(max_length=64)) -> dict:
    return await cases.get_case(conn, ctx, who, case_id)
