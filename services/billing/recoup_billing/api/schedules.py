"""Fee schedules (R-39..R-41): versioned configuration with effective dates."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from recoup_shared.errors import Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses

from .. import schemas as s
from ..usecases import schedules
from .deps import ClientId, Conn, Context, Finance, Reader

router = APIRouter(prefix="/v1/fee-schedules", tags=["fee schedules"])


@router.put("/{client_id}", status_code=201, response_model=s.FeeScheduleOut,
            summary="Create a new fee schedule version (validated by the R-39..R-41 rules)",
            responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput))
async def put_schedule(who: Finance, client_id: ClientId, body: s.FeeScheduleIn, conn: Conn,
                       ctx: Context) -> Any:
    return await schedules.put_schedule(conn, ctx, who, schedules.NewSchedule(
        client_id, body.model_dump(exclude={"note"}), body.note))


@router.get("/{client_id}", response_model=s.FeeSchedulesOut,
            summary="The schedule in force today and every version",
            responses=problem_responses(Unauthorized, Forbidden, NotFound))
async def get_schedules(who: Reader, client_id: ClientId, conn: Conn, ctx: Context) -> Any:
    return await schedules.get_schedules(conn, ctx, who, client_id)
