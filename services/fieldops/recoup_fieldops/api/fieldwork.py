"""An agent's day (R-36, R-37): my plan, arrival, departure, the visit record; the compliance gate
decides arrival and record (refusals answered 409 with their reasons, and kept)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Path, Query

from recoup_shared.errors import problem_responses

from .. import schemas, views
from ..rules.errors import (
    IllegalTransition,
    InvalidRecord,
    NotAllowed,
    TimeOutOfRange,
    TooFewAgents,
    VisitNotFound,
    VisitRefused,
    WrongDay,
)
from ..rules.records import NewAddress, Promise, VisitRecord
from ..usecases import fieldwork, planning
from .deps import Conn, Context, FieldAgent, FieldWorker, keeping_refusals

router = APIRouter(tags=["an agent's day"])
VisitId = Path(max_length=64)
GATED = problem_responses(VisitNotFound, NotAllowed, IllegalTransition, WrongDay, TooFewAgents,
                          TimeOutOfRange, VisitRefused)


@router.get("/v1/me/plan", response_model=schemas.MyDayOut,
            summary="My visits of the day, in order (a phone-sized screen)")
async def my_plan(conn: Conn, ctx: Context, who: FieldAgent, day: date | None = Query(None)) -> dict:
    day = day or ctx.clock.today()
    planning.check_read_day(ctx, day)
    return await views.my_day(conn, who, day, ctx.clock.now())


@router.post("/v1/visits/{visit_id}/arrival", response_model=schemas.VisitDetail, responses=GATED,
             summary="The agents are at the door (the compliance gate decides now)")
async def arrive(body: schemas.MarkIn, conn: Conn, ctx: Context, who: FieldWorker,
                 visit_id: str = VisitId):
    mark = fieldwork.Mark(body.at, tuple(body.agent_ids) if body.agent_ids else None)
    return await keeping_refusals(fieldwork.arrive(conn, ctx, who, visit_id, mark))


@router.post("/v1/visits/{visit_id}/departure", response_model=schemas.VisitDetail,
             responses=problem_responses(VisitNotFound, NotAllowed, IllegalTransition, TimeOutOfRange),
             summary="The agents left")
async def depart(body: schemas.MarkIn, conn: Conn, ctx: Context, who: FieldWorker,
                 visit_id: str = VisitId) -> dict:
    return await fieldwork.depart(conn, ctx, who, visit_id, fieldwork.Mark(body.at))


def _draft(body: schemas.RecordIn) -> VisitRecord:
    a = body.new_address
    return VisitRecord(
        address_verified=body.address_verified, met=tuple(body.met), outcome=body.outcome,
        next_step=body.next_step, agent_ids=tuple(body.agent_ids or ()), arrived_at=body.arrived_at,
        left_at=body.left_at,
        promise=Promise(body.promise.amount, body.promise.due_on) if body.promise else None,
        new_address=NewAddress(a.kind, a.province, a.city, a.district, a.line) if a else None,
        new_phone=body.new_phone, note=body.note)


@router.post("/v1/visits/{visit_id}/record", response_model=schemas.VisitDetail,
             responses={**GATED, **problem_responses(InvalidRecord)},
             summary="The visit record (R-37); visit.completed goes to contact the same minute (R-38)")
async def record(body: schemas.RecordIn, conn: Conn, ctx: Context, who: FieldWorker,
                 visit_id: str = VisitId):
    return await keeping_refusals(fieldwork.record(conn, ctx, who, visit_id, _draft(body)))
