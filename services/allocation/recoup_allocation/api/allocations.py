"""Plans (R-10, R-12): preview with balance figures, atomic commit, manual assignment, rotation."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from fastapi import APIRouter, Query, Request, Response

from recoup_shared.api import Conn
from recoup_shared.errors import (
    Conflict, Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses,
)

from .. import planning
from ..schemas import (
    CommitOut, ManualIn, PlanItemsPage, PlanListItem, PlanOut, PreviewIn, RotationPreviewIn,
)
from ..store import facts, plans
from .deps import Allocator, Context, Reader, decode_cursor, encode_cursor, page_limit, sees_all

router = APIRouter(prefix="/v1", tags=["allocation"])

_ERR = problem_responses(Unauthorized, Forbidden, NotFound, UnprocessableInput)
_ERR409 = {**_ERR, **problem_responses(Conflict)}


@router.post("/allocations/preview", status_code=201, response_model=PlanOut, responses=_ERR,
             summary="Preview an allocation: per-collector figures and balance, nothing changes")
async def preview(p: Allocator, conn: Conn, ctx: Context, body: PreviewIn, response: Response) -> Any:
    out = await planning.preview_allocation(conn, ctx, p, body)
    response.headers["Location"] = f"/v1/allocations/{out['plan_id']}"
    return out


@router.post("/allocations/{plan_id}/commit", response_model=CommitOut, responses=_ERR409,
             summary="Commit a previewed plan atomically (409 if anything changed since the preview)")
async def commit_plan(plan_id: uuid.UUID, p: Allocator, conn: Conn, ctx: Context) -> Any:
    return await planning.commit(conn, ctx, p, plan_id)


@router.post("/allocations/manual", response_model=CommitOut, responses=_ERR409,
             summary="Give one case or a selection to a named collector (force: override capacity)")
async def manual(p: Allocator, conn: Conn, ctx: Context, body: ManualIn) -> Any:
    if body.case_ids is None and not any(getattr(body, f) for f in (
            "client_id", "placement_id", "dpd_buckets", "regions", "products", "amount_min",
            "amount_max", "owner_ids", "owner_team_ids")):
        raise UnprocessableInput("give case_ids or a filter (client_id, placement_id, ...)",
                                 errors=[{"field": "case_ids", "reason": "case_ids or a filter is required"}])
    out = await planning.manual(conn, ctx, p, body)
    out.setdefault("committed", 0)
    out.setdefault("events", 0)
    return out


@router.get("/allocations", response_model=list[PlanListItem], responses=_ERR,
            summary="Recent plans (previews, commits, automatic runs, rotations)")
async def list_plans(p: Reader, conn: Conn, request: Request,
                     status: Literal["previewed", "committed", "expired", "superseded"] | None = None,
                     kind: Literal["allocation", "auto", "manual", "rotation"] | None = None,
                     mine: bool = False, limit: int = Query(default=50, ge=1)) -> Any:
    rows = await plans.list_plans(conn, status=status, kind=kind, created_by=p.sub if mine else None,
                                  limit=page_limit(request, limit))
    return [{**{k: r[k] for k in ("kind", "strategy", "status", "client_id", "month", "items",
                                   "created_by", "created_at", "expires_at", "committed_at")},
             "plan_id": str(r["plan_id"])} for r in rows]


@router.get("/allocations/{plan_id}", response_model=PlanOut, responses=_ERR, summary="A plan")
async def get_plan(plan_id: uuid.UUID, p: Reader, conn: Conn) -> Any:
    row = await plans.get_plan(conn, plan_id)
    if row is None:
        raise NotFound(f"no plan {plan_id}")
    return planning.plan_out(row)


@router.get("/allocations/{plan_id}/items", response_model=PlanItemsPage, responses=_ERR,
            summary="The case → collector lines of a plan (keyset pages)")
async def plan_items(plan_id: uuid.UUID, p: Reader, conn: Conn, request: Request,
                     cursor: str | None = None, limit: int = Query(default=100, ge=1)) -> Any:
    if await plans.get_plan(conn, plan_id) is None:
        raise NotFound(f"no plan {plan_id}")
    n = page_limit(request, limit)
    rows = await plans.plan_items_page(conn, plan_id, decode_cursor(cursor), n + 1)
    more = len(rows) > n
    rows = rows[:n]
    return {"items": [dict(r) for r in rows],
            "next_cursor": encode_cursor(rows[-1]["case_id"]) if more else None}


@router.post("/rotations/preview", status_code=201, response_model=PlanOut, responses=_ERR,
             summary="Preview the monthly rotation (R-12); commit with /v1/allocations/{plan_id}/commit")
async def rotation_preview(p: Allocator, conn: Conn, ctx: Context, body: RotationPreviewIn,
                           response: Response) -> Any:
    lead_team = await planning.restrict_to_lead(conn, p)
    out = await planning.preview_rotation(
        conn, ctx, month=body.month, client_id=body.client_id, strategy=body.strategy,
        team_ids=body.team_ids, collector_ids=body.collector_ids, created_by=p.sub,
        lead_team=lead_team)
    response.headers["Location"] = f"/v1/allocations/{out['plan_id']}"
    return out


@router.get("/rotations/runs", responses=_ERR, summary="Scheduled rotation runs (one per month and client)")
async def rotation_runs(p: Reader, conn: Conn) -> Any:
    if not sees_all(p) and not p.has("team_lead"):
        raise Forbidden("not allowed")
    return [{**dict(r), "plan_id": str(r["plan_id"]) if r["plan_id"] else None}
            for r in await facts.list_rotation_runs(conn)]
