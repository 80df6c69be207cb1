"""Contact records (催记): the contact form, corrections, one record, and 催记管理 (records of a
period by client, collector or team)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from recoup_shared.errors import Forbidden, problem_responses
from recoup_shared.paging import Cursor

from ..rules import Channel, ContactStatus, Party, Result
from ..rules.errors import (CaseForbidden, CaseNotFound, CaseNotWorkable, CorrectionRefused, GateRefused,
                            InvalidRecord, NotFoundHere)
from ..schemas import records as rs
from ..usecases import casepage, corrections
from ..usecases import records as uc
from ..usecases.points import AddressIn, PhoneIn
from . import paging as keyset
from .deps import CaseId, CaseReader, Conn, ContactWriter, Context, ReadConn

router = APIRouter(tags=["contact records"])
_ID = r"^[A-Za-z0-9_.:\-]+$"


def command(body: rs.RecordIn) -> uc.RecordCmd:
    p = body.promise
    promise = None
    if p is not None:
        promise = uc.PromiseCmd(amount=p.amount, due_on=p.due_on,
                                instalments=tuple(uc.InstalmentCmd(i.amount, i.due_on) for i in p.instalments),
                                settlement=p.settlement, waiver_authorisation=p.waiver_authorisation)
    found = body.found
    claim = body.claimed_payment
    return uc.RecordCmd(
        channel=Channel(body.channel), party=Party(body.party), result=Result(body.result), code=body.code,
        point_id=body.point_id, status=ContactStatus(body.status) if body.status else None, notes=body.notes,
        next_follow_up_on=body.next_follow_up_on, promise=promise, callback_at=body.callback_at,
        dispute_reason=body.dispute_reason,
        phones=tuple(PhoneIn(**x.model_dump()) for x in found.phones) if found else (),
        addresses=tuple(AddressIn(**x.model_dump()) for x in found.addresses) if found else (),
        employer=found.employer if found else None,
        claimed_payment=uc.ClaimCmd(**claim.model_dump()) if claim else None, call_id=body.call_id,
        occurred_at=body.occurred_at, requested_by_debtor=body.requested_by_debtor,
        callback_requested_at=body.callback_requested_at)


@router.post("/v1/cases/{case_id}/records", status_code=201, response_model=rs.RecordOut,
             responses=problem_responses(CaseNotFound, CaseForbidden, CaseNotWorkable, GateRefused, InvalidRecord),
             summary="Record a contact (催记): outbound attempts pass the contact policy first; inbound calls "
                     "may be logged by any collector (R-25)")
async def log_contact(case_id: CaseId, body: rs.RecordIn, conn: Conn, ctx: Context, who: ContactWriter) -> dict:
    return await uc.log_contact(conn, ctx, who, case_id, command(body))


@router.post("/v1/contact-records/{record_id}/corrections", status_code=201, response_model=rs.RecordOut,
             responses=problem_responses(NotFoundHere, CaseForbidden, CorrectionRefused, InvalidRecord),
             summary="Correct a record: a new record that references the original, with a reason")
async def correct(record_id: UUID, body: rs.CorrectionIn, conn: Conn, ctx: Context, who: ContactWriter) -> dict:
    return await corrections.correct(conn, ctx, who, record_id, command(body), body.reason)


@router.get("/v1/contact-records/{record_id}", response_model=rs.RecordRow,
            responses=problem_responses(NotFoundHere, CaseForbidden))
async def one_record(record_id: UUID, conn: ReadConn, ctx: Context, who: CaseReader) -> dict:
    return await casepage.record(conn, ctx, who, record_id)


@router.get("/v1/contact-records", response_model=rs.RecordPage, responses=problem_responses(Forbidden),
            summary="催记管理: records of a period (a collector: their own; a team lead: the team's)")
async def search(conn: ReadConn, ctx: Context, who: CaseReader, day_from: Annotated[date, Query(alias="from")],
                 day_to: Annotated[date, Query(alias="to")],
                 client_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None,
                 collector_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None,
                 team_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None,
                 cursor: Cursor = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict:
    rows = await casepage.search_records(conn, who, client_id=client_id, collector_id=collector_id,
                                         team_id=team_id, day_from=day_from, day_to=day_to,
                                         after=keyset.after(cursor), limit=limit + 1)
    return keyset.page(rows, limit, "occurred_at", "record_id")
