"""The case page and what hangs off it: timeline, records, contact points (R-25 skip tracing),
the contact form's code table, the owner's "seen"."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from recoup_shared.errors import problem_responses
from recoup_shared.paging import Cursor

from ..rules.errors import CaseForbidden, CaseNotFound, InvalidRecord, NotFoundHere
from ..schemas import cases as s
from ..schemas import records as rs
from ..usecases import admin as admin_uc
from ..usecases import casepage
from ..usecases import points as points_uc
from ..usecases.points import AddressIn, PhoneIn
from . import paging as keyset
from .deps import CaseId, CaseReader, Conn, ContactWriter, Context, ReadConn

router = APIRouter(prefix="/v1/cases", tags=["cases"])
_CASE = problem_responses(CaseNotFound, CaseForbidden)


@router.get("/{case_id}", response_model=s.CaseDetail, responses=_CASE,
            summary="Everything the case page needs in one call, incl. whether each phone may be called now")
async def case_detail(case_id: CaseId, conn: ReadConn, ctx: Context, who: CaseReader) -> dict:
    return await casepage.case_page(conn, ctx, who, case_id)


@router.get("/{case_id}/timeline", response_model=s.TimelinePage, responses=_CASE)
async def timeline(case_id: CaseId, conn: ReadConn, ctx: Context, who: CaseReader, cursor: Cursor = None,
                   limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict:
    items = await casepage.timeline(conn, ctx, who, case_id, keyset.after(cursor, int), limit + 1)
    return keyset.page(items, limit, "at", "id")


@router.get("/{case_id}/records", response_model=rs.RecordPage, responses=_CASE)
async def case_records(case_id: CaseId, conn: ReadConn, ctx: Context, who: CaseReader, cursor: Cursor = None,
                       limit: Annotated[int, Query(ge=1, le=500)] = 50) -> dict:
    items = await casepage.records(conn, ctx, who, case_id, keyset.after(cursor), limit + 1)
    return keyset.page(items, limit, "occurred_at", "record_id")


@router.post("/{case_id}/seen", response_model=s.Seen, responses=_CASE,
             summary="The owner opened the case: its reminders are acknowledged (R-24)")
async def seen(case_id: CaseId, conn: Conn, ctx: Context, who: CaseReader) -> dict:
    return await casepage.seen(conn, ctx, who, case_id)


@router.get("/{case_id}/code-table", responses=_CASE,
            summary="The client's action/result codes in force today (the contact form)")
async def code_table(case_id: CaseId, conn: ReadConn, ctx: Context, who: CaseReader) -> dict:
    return await admin_uc.case_code_table(conn, ctx, who, case_id)


@router.post("/{case_id}/contact-points", status_code=201, response_model=list[s.ContactPointOut],
             responses=problem_responses(CaseNotFound, CaseForbidden, InvalidRecord),
             summary="Skip-trace findings: new phones, addresses, employer (R-25)")
async def add_points(case_id: CaseId, body: rs.PointsIn, conn: Conn, ctx: Context, who: ContactWriter) -> list:
    return await points_uc.add_points(
        conn, ctx, who, case_id, [PhoneIn(**p.model_dump()) for p in body.phones],
        [AddressIn(**a.model_dump()) for a in body.addresses], body.employer)


@router.patch("/{case_id}/contact-points/{point_id}", response_model=s.ContactPointOut,
              responses=problem_responses(CaseNotFound, CaseForbidden, NotFoundHere, InvalidRecord),
              summary="Mark a contact point (R-18: do not call; knows / does not know of the debt)")
async def change_point(case_id: CaseId, point_id: UUID, body: rs.PointChangeIn, conn: Conn, ctx: Context,
                       who: ContactWriter) -> dict:
    return await points_uc.set_point(conn, ctx, who, case_id, point_id, state=body.state, knows_debt=body.knows_debt,
                                     set_knows="knows_debt" in body.model_fields_set)
