"""R-42 exclusions (proven death or criminal conviction, with evidence) and recovery rates (R-40)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from recoup_shared.errors import Conflict, Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses

from .. import schemas as s
from ..usecases import exclusions, rates
from .deps import AfterExclusion, ClientId, Conn, Context, ExclusionWriter, History, MonthQuery, PageLimit, Reader

router = APIRouter(tags=["exclusions and recovery rates"])


@router.post("/v1/exclusions", status_code=201, response_model=s.ExclusionOut,
             summary="Record a case's proven death or conviction (R-42), with evidence",
             responses=problem_responses(Unauthorized, Forbidden, NotFound, Conflict, UnprocessableInput))
async def post_exclusion(who: ExclusionWriter, body: s.ExclusionIn, conn: Conn, ctx: Context) -> Any:
    return await exclusions.record_exclusion(conn, ctx, who, exclusions.NewExclusion(
        case_id=body.case_id, kind=body.kind, evidence_ref=body.evidence_ref,
        evidence_sha256=body.evidence_sha256, placement_id=body.placement_id, note=body.note))


@router.get("/v1/exclusions", response_model=s.ExclusionListOut, summary="Recorded exclusions",
            responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput))
async def list_exclusions(who: Reader, conn: Conn, ctx: Context, after: AfterExclusion,
                          client_id: Annotated[str | None, Query(max_length=64)] = None,
                          limit: PageLimit = 100) -> Any:
    return await exclusions.list_exclusions(conn, ctx, who, exclusions.ExclusionQuery(client_id, after, limit))


@router.get("/v1/recovery-rates/{client_id}", response_model=s.RecoveryRatesOut,
            summary="Recovery rate per bucket for a month (and the months before), with the formula and inputs",
            responses=problem_responses(Unauthorized, Forbidden, Conflict, UnprocessableInput))
async def recovery_rates(who: Reader, client_id: ClientId, month: MonthQuery, conn: Conn, ctx: Context,
                         history: History = 0) -> Any:
    return await rates.recovery_rates(conn, ctx, who, rates.RatesQuery(client_id, month, history))
