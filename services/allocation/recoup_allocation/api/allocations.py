"""Plans (R-10, R-12): preview with balance figures, atomic commit, manual assignment, rotation."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Response

from recoup_shared.errors import (
    Conflict, Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses,
)
from recoup_shared.paging import Cursor, Limit

from ..schemas import (
    CommitOut, ManualIn, PlanItemsPage, PlanListItem, PlanOut, PreviewIn, RotationPreviewIn,
)
from ..usecases import commit as commit_uc, manual as manual_uc, plans, previews
from ..usecases.commands import PreviewRotation
from .deps import Allocator, Conn, Context, Reader, after_case

router = APIRouter(prefix="/v1", tags=["allocation"])

_ERR = problem_responses(Unauthorized, Forbidden, NotFound, UnprocessableInput)
_ERR409 = {**_ERR, **problem_responses(Conflict)}


@router.post("/allocations/preview", status_code=201, response_model=PlanOut, responses=_ERR,
             summary="Preview an allocation: per-collector figures and balance, nothing changes")
async def preview(p: Allocator, conn: Conn, ctx: Context, body: PreviewIn, response: Response) -> Any:
    out = await previews.preview_allocation(conn, ctx, p, body)
    response.headers["Location"] = f"/v1/allocations/{out['plan_id']}"
    return out


@router.post("/allocations/{plan_id}/commit", response_model=CommitOut, responses=_ERR409,
             summary="Commit a previewed plan atomically (409 if anything changed since the preview)")
async def commit_plan(plan_id: uuid.UUID, p: Allocator, conn: Conn, ctx: Context) -> Any:
    return await commit_uc.commit(conn, ctx, p, plan_id)


@router.post("/allocations/manual", response_model=CommitOut, responses=_ERR409,
             summary="Give one case or a selection to a named collector (force: override capacity)")
async def manual(p: Allocator, conn: Conn, ctx: Context, body: ManualIn) -> Any:
    return await manual_uc.manual(conn, ctx, p, body)


@router.get("/allocations", response_model=list[PlanListItem], responses=_ERR,
            summary="Recent plans (previews, commits, automatic runs, rotations)")
async def list_plans(p: Reader, conn: Conn, ctx: Context,
                     status: Literal["previewed", "committed", "expired", "superseded"] | None = None,
                     kind: Literal["allocation", "auto", "manual", "rotation"] | None = None,
                     mine: bool = False, limit: Limit = 50) -> Any:
    return await plans.list_plans(conn, ctx, p, status=status, kind=kind, mine=mine, limit=limit)


@router.get("/allocations/{plan_id}", response_model=PlanOut, responses=_ERR, summary="A plan")
async def get_plan(plan_id: uuid.UUID, p: Reader, conn: Conn, ctx: Context) -> Any:
    return await plans.get_plan(conn, ctx, p, plan_id)


@router.get("/allocations/{plan_id}/items", response_model=PlanItemsPage, responses=_ERR,
            summary="The case → collector lines of a plan (keyset pages)")
async def plan_items(plan_id: uuid.UUID, p: Reader, conn: Conn, ctx: Context, cursor: Cursor = None,
                     limit: Limit = 100) -> Any:
    return await plans.plan_items(conn, ctx, p, plan_id, after=after_case(cursor), limit=limit)


@router.post("/rotations/preview", status_code=201, response_model=PlanOut, responses=_ERR,
             summary="Preview the monthly rotation (R-12); commit with /v1/allocations/{plan_id}/commit")
async def rotation_preview(p: Allocator, conn: Conn, ctx: Context, body: RotationPreviewIn,
                           response: Response) -> Any:
    out = await previews.preview_rotation(conn, ctx, p, PreviewRotation(
        month=body.month, client_id=body.client_id, strategy=body.strategy, team_ids=body.team_ids,
        collector_ids=body.collector_ids))
    response.headers["Location"] = f"/v1/allocations/{out['plan_id']}"
    return out


@router.get("/rotations/runs", responses=_ERR, summary="Scheduled rotation runs (one per month and client)")
async def rotation_runs(p: Reader, conn: Conn, ctx: Context) -> Any:
    return await plans.rotation_runs(conn, ctx, p)
