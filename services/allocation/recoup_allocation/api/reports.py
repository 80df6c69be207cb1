"""R-8 SLA report: per client and arrival day, how long cases waited for their first owner."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Query

from recoup_shared.errors import Forbidden, Unauthorized, UnprocessableInput, problem_responses

from ..schemas import SlaReport
from ..usecases import reports
from .deps import Conn, Context, Reader

router = APIRouter(prefix="/v1", tags=["reports"])


@router.get("/reports/sla", response_model=SlaReport,
            responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
            summary="Allocation SLA per client and arrival day: p50/p95/max wait and breaches")
async def sla_report(p: Reader, conn: Conn, ctx: Context, client_id: str | None = None,
                     date_from: date | None = Query(default=None, description="default: 30 days ago"),
                     date_to: date | None = Query(default=None, description="default: today")) -> Any:
    return await reports.sla_report(conn, ctx, p, client_id=client_id, date_from=date_from, date_to=date_to)
