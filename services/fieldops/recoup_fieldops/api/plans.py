"""Daily plans per team (R-34, R-36): plan a day, read it grouped by area, the not-planned list."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from fastapi import APIRouter, Path

from recoup_shared.errors import problem_responses

from .. import schemas, views
from ..rules.errors import NotAllowed, PlanDayOutOfRange
from ..usecases import planning
from .deps import Conn, Context, Planner, PlanReader

router = APIRouter(prefix="/v1/plans", tags=["daily plans"])
TeamId = Path(max_length=64)


@router.post("/{day}", response_model=schemas.PlanRunOut,
             summary="Plan the day for every team (again: not-started visits are re-planned)",
             responses=problem_responses(NotAllowed, PlanDayOutOfRange))
async def plan_day(day: date, conn: Conn, ctx: Context, who: Planner) -> dict:
    return asdict(await planning.plan_for(conn, ctx, who, day))


@router.get("/{day}", response_model=schemas.DayPlanOut,
            summary="The day's team plans grouped by area, and what was not planned with why")
async def get_day(day: date, conn: Conn, ctx: Context, who: PlanReader) -> dict:
    planning.check_read_day(ctx, day)
    return await views.day_plan(conn, day)


@router.get("/{day}/teams/{team_id}", response_model=schemas.DayPlanOut, summary="One team's day")
async def get_team_day(day: date, conn: Conn, ctx: Context, who: PlanReader,
                       team_id: str = TeamId) -> dict:
    planning.check_read_day(ctx, day)
    return await views.day_plan(conn, day, team_id=team_id)


@router.get("/{day}/not-planned", response_model=list[schemas.NotPlannedOut],
            summary="Approved visits the day's plan left out, with the reason")
async def get_not_planned(day: date, conn: Conn, ctx: Context, who: PlanReader) -> list[dict]:
    planning.check_read_day(ctx, day)
    return await views.not_planned(conn, day)
