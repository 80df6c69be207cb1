"""Client routes for placements: push (JSON), status with timings (R-6), accepted rows."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request

from recoup_shared.errors import Forbidden, PayloadTooLarge, Unauthorized, UnprocessableInput, problem_responses
from recoup_shared.gcpause import gc_paused
from recoup_shared.paging import Cursor, Limit, cursor_key, key_int

from ..adapters.json_body import check_json_content_type
from ..rules.errors import (MalformedJson, PlacementNotFound, PlacementRefConflict, RecallDatePassed,
                           UnsupportedMediaType)
from ..schemas import (PlacementAccepted, PlacementCasesOut, PlacementIn, PlacementListOut, PlacementStatusOut,
                       RecallDateIn, RecallDateOut)
from ..usecases.recalls import RecallExtension, extend_recall_date
from ..usecases.placements.json_body import submit_json
from ..usecases.placements.model import PlacementAnswer
from ..usecases.placements.reads import list_placements as list_use_case
from ..usecases.placements.reads import placement_cases, placement_status
from .common import JSONAnswer, json_body
from .deps import ClientSystem, Conn, Context, PlacementReader

router = APIRouter(tags=["placements"])

ClientIdQuery = Annotated[str | None, Query(description="staff only: whose placement(s)")]


def accepted_response(answer: PlacementAnswer) -> JSONAnswer:
    return JSONAnswer(answer.body, status_code=202, headers={
        "Location": f"/v1/placements/{quote(answer.body['placement_ref'], safe='')}",
        "Idempotent-Replayed": "true" if answer.replayed else "false"})


@router.post(
    "/v1/placements", status_code=202, response_model=PlacementAccepted,
    summary="Push a placement (委案): per-row validation, idempotent on placement_ref",
    description=(
        "Good rows are accepted even when others are rejected; `errors` lists every rejected row's "
        "0-based index, field path and reason. The same placement_ref with the same body answers the "
        "same (header `Idempotent-Replayed: true`); a different body is `409`. A still-open account "
        "of this client placed again is a row error; after a recall or closing it may be re-placed."),
    responses=problem_responses(MalformedJson, Unauthorized, Forbidden, PlacementRefConflict, PayloadTooLarge,
                                UnsupportedMediaType, UnprocessableInput),
    openapi_extra=json_body(PlacementIn, "contracts.md §1; rows are judged one by one"),
)
async def post_placement(request: Request, principal: ClientSystem, ctx: Context) -> JSONAnswer:
    received_at = ctx.clock.now()
    # The collector stays off while the placement's millions of objects are alive; they are all
    # freed when the use case returns, before it is switched back on.
    with gc_paused():
        check_json_content_type(request.headers.get("content-type"))
        answer = await submit_json(ctx, principal, await request.body(), received_at)
    return accepted_response(answer)


def _received_key(key: Any) -> tuple[datetime, str]:
    """[received_at, placement_id] of the last placement of the previous page."""
    at, placement_id = key
    return datetime.fromisoformat(at), str(uuid.UUID(placement_id))


@router.get(
    "/v1/placements", response_model=PlacementListOut,
    summary="The client's placements, newest first",
    responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
)
async def list_placements(principal: PlacementReader, conn: Conn, ctx: Context, client_id: ClientIdQuery = None,
                          cursor: Cursor = None, limit: Limit = 100) -> JSONAnswer:
    return JSONAnswer(await list_use_case(conn, ctx, principal, client_id=client_id,
                                          after=cursor_key(cursor, _received_key), limit=limit))


@router.get(
    "/v1/placements/{placement_ref}", response_model=PlacementStatusOut,
    summary="Placement status: counts, rejected rows and warnings (paged), timings, the R-6 import SLA",
    responses=problem_responses(Unauthorized, Forbidden, PlacementNotFound, UnprocessableInput),
)
async def get_placement(
    placement_ref: str, principal: PlacementReader, conn: Conn, ctx: Context, client_id: ClientIdQuery = None,
    errors_cursor: Annotated[str | None, Query(max_length=2048, description="opaque: `rejected_rows.next_cursor`")] = None,
    errors_limit: Annotated[int, Query(ge=0, le=10_000)] = 100,
    warnings_cursor: Annotated[str | None, Query(max_length=2048, description="opaque: `warnings.next_cursor`")] = None,
    warnings_limit: Annotated[int, Query(ge=0, le=10_000)] = 100,
) -> JSONAnswer:
    return JSONAnswer(await placement_status(
        conn, ctx, principal, placement_ref, client_id=client_id,
        errors_after=cursor_key(errors_cursor, key_int(32), field="errors_cursor"), errors_limit=errors_limit,
        warnings_after=cursor_key(warnings_cursor, key_int(32), field="warnings_cursor"), warnings_limit=warnings_limit))


@router.get(
    "/v1/placements/{placement_ref}/cases", response_model=PlacementCasesOut,
    summary="Each accepted row: its row index, case_id, masked account and status (reconciliation)",
    responses=problem_responses(Unauthorized, Forbidden, PlacementNotFound, UnprocessableInput),
)
async def get_placement_cases(
    placement_ref: str, principal: PlacementReader, conn: Conn, ctx: Context, client_id: ClientIdQuery = None,
    cursor: Cursor = None, limit: Annotated[int, Query(ge=1, le=10_000, description="rows per page")] = 1000,
) -> JSONAnswer:
    return JSONAnswer(await placement_cases(conn, ctx, principal, placement_ref, client_id=client_id,
                                            after_row=cursor_key(cursor, key_int(32)), limit=limit))


@router.post(
    "/v1/placements/{placement_ref}/recall-date", response_model=RecallDateOut,
    summary="Extend the placement's recall date (退案日延期) before it comes (R-5)",
    description=("Moves `recall_on` later; refused (409) once the recall day has come — its open cases are "
                 "then recalled (case.updated change=recall) — and 422 for a date not later than the current one. "
                 "A recall day that is not a working day is handled as the client's contract says "
                 "(`non_working_day_rule`: on_day, or next_working_day)."),
    responses=problem_responses(Unauthorized, Forbidden, PlacementNotFound, RecallDatePassed, UnprocessableInput),
)
async def post_recall_date(placement_ref: Annotated[str, Path(max_length=128)], body: RecallDateIn,
                           principal: ClientSystem, conn: Conn, ctx: Context) -> JSONAnswer:
    cmd = RecallExtension(placement_ref=placement_ref, recall_on=body.recall_on, reason=body.reason)
    return JSONAnswer(await extend_recall_date(conn, ctx, principal, cmd))
