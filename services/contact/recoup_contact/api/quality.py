"""Quality inspection (质检, R-48): the inspection queue, inspectors' verdicts and findings (auditors
and supervisors), violations per collector per month."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from recoup_shared.errors import problem_responses
from recoup_shared.paging import Cursor

from ..rules.errors import AlreadyDecided, InvalidRecord, NotFoundHere
from ..rules.quality import FindingKind, Verdict
from ..schemas import compliance as s
from ..usecases import quality as quality_uc
from . import paging as keyset
from .deps import Conn, Context, Inspector, ReadConn, ViolationReader

router = APIRouter(prefix="/v1/compliance", tags=["quality"])
CollectorId = Annotated[str | None, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:@\-]+$")]


@router.get("/inspections", response_model=s.ItemPage, summary="The inspection queue (sampled weekly, R-48)")
async def inspections(conn: ReadConn, who: Inspector, state: Annotated[str | None, Query(
                      pattern="^(open|passed|failed)$")] = "open", collector_id: CollectorId = None,
                      cursor: Cursor = None, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> dict:
    items = await quality_uc.queue(conn, state=state, collector_id=collector_id, after=keyset.after(cursor),
                                   limit=limit + 1)
    return keyset.page(items, limit, "created_at", "item_id")


@router.post("/inspections", response_model=s.ItemOut, status_code=201,
             responses=problem_responses(NotFoundHere, AlreadyDecided),
             summary="Queue one contact record outside the weekly sample")
async def queue_record(body: s.QueueIn, conn: Conn, ctx: Context, who: Inspector) -> dict:
    return await quality_uc.add_record(conn, ctx, who, body.record_id)


@router.get("/inspections/{item_id}", response_model=s.ItemOut, responses=problem_responses(NotFoundHere))
async def inspection(item_id: UUID, conn: ReadConn, who: Inspector) -> dict:
    return await quality_uc.item(conn, item_id)


@router.post("/inspections/{item_id}/verdict", response_model=s.ItemOut,
             responses=problem_responses(NotFoundHere, AlreadyDecided, InvalidRecord),
             summary="The inspector's verdict and findings (R-18, R-19, R-49), once per item")
async def verdict(item_id: UUID, body: s.VerdictIn, conn: Conn, ctx: Context, who: Inspector) -> dict:
    return await quality_uc.inspect(conn, ctx, who, item_id, Verdict(body.verdict),
                                    [(FindingKind(f.kind), f.note) for f in body.findings], body.note)


@router.get("/violations", response_model=s.ViolationsOut, responses=problem_responses(InvalidRecord),
            summary="Violations per collector in a month: findings, gate refusals, telephony mismatches (R-48)")
async def violations(conn: ReadConn, ctx: Context, who: ViolationReader,
                     month: Annotated[str, Query(pattern=r"^\d{4}-\d{2}$")],
                     collector_id: CollectorId = None) -> dict:
    return await quality_uc.violations(conn, ctx, month, collector_id)
