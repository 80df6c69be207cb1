"""Collector performance for the agency's pay scheme (R-43); definitions in rules/performance.py."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from recoup_shared.errors import Forbidden, Unauthorized, UnprocessableInput, problem_responses

from .. import schemas as s
from ..usecases import performance as usecase
from .deps import Conn, Context, MonthPath, PerformanceReader

router = APIRouter(prefix="/v1/performance", tags=["collector performance"])


@router.get("/{month}", response_model=s.PerformanceOut,
            summary="Recovered amount, calls, effective contacts, PTPs and PTP-kept rate per collector",
            responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput))
async def performance(who: PerformanceReader, month: MonthPath, conn: Conn, ctx: Context,
                      team_id: Annotated[str | None, Query(max_length=64)] = None,
                      client_id: Annotated[str | None, Query(max_length=64)] = None,
                      by_day: bool = False) -> Any:
    return await usecase.performance(conn, ctx, who, usecase.PerformanceQuery(month, team_id, client_id, by_day))
