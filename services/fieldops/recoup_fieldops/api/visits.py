"""Visit requests, their approvals and the escalation list (R-34, R-35). Routes stay thin:
parse, call one use case or view, answer."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from recoup_shared.errors import problem_responses
from recoup_shared.paging import Cursor, Limit, decode_cursor, page

from .. import schemas, views
from ..rules.errors import (
    AddressNotOnCase,
    AlreadyDecided,
    CaseNotCollectable,
    CaseNotFound,
    IllegalTransition,
    MissingText,
    NotAllowed,
    NotThisApprover,
    NotYourCase,
    SameApprover,
    VisitAlreadyOpen,
    VisitNotFound,
)
from ..usecases import access, requests
from .deps import Approver, Canceller, Conn, Context, EscalationReader, Requester, VisitReader

router = APIRouter(prefix="/v1/visits", tags=["visits"])
VisitId = Path(max_length=64, description="the visit's id")
STATES = r"^(requested|approved|rejected|planned|in_progress|done|cancelled)$"


@router.post("", status_code=201, response_model=schemas.VisitDetail,
             summary="Request a visit for one of my cases (R-34)",
             responses=problem_responses(CaseNotFound, NotYourCase, AddressNotOnCase, VisitAlreadyOpen,
                                         CaseNotCollectable))
async def request_visit(body: schemas.VisitRequestIn, conn: Conn, ctx: Context, who: Requester) -> dict:
    cmd = requests.RequestVisit(body.case_id, body.address_id, body.purpose, body.reason)
    return await requests.request_visit(conn, ctx, who, cmd)


@router.get("", response_model=schemas.VisitPage, summary="Visits I may see, newest request first")
async def list_visits(conn: Conn, who: VisitReader, state: str | None = Query(None, pattern=STATES),
                      case_id: str | None = Query(None, max_length=64), escalated: bool | None = None,
                      cursor: Cursor = None, limit: Limit = 100) -> dict:
    field_lead = await access.leads_field_team(conn, who)
    rows = await views.list_visits(conn, who, field_lead=field_lead, state=state, case_id=case_id,
                                   escalated=escalated, after=decode_cursor(cursor), limit=limit + 1)
    return page(rows, limit, key=lambda r: [r["requested_at"].isoformat(), r["visit_id"]])


@router.get("/escalated", response_model=schemas.VisitPage,
            summary="Visits not done within the escalation days of approval (R-35)")
async def escalated(conn: Conn, who: EscalationReader, cursor: Cursor = None, limit: Limit = 100) -> dict:
    field_lead = await access.leads_field_team(conn, who)
    rows = await views.escalated(conn, who, field_lead=field_lead, after=decode_cursor(cursor),
                                 limit=limit + 1)
    return page(rows, limit, key=lambda r: [r["deadline"]["escalate_at"].isoformat(), r["visit_id"]])


@router.get("/{visit_id}", response_model=schemas.VisitDetail,
            responses=problem_responses(VisitNotFound, NotAllowed))
async def get_visit(conn: Conn, who: VisitReader, visit_id: str = VisitId) -> dict:
    v, row = await access.visit_of(conn, visit_id, lock=False)
    await access.check_visible(conn, who, v, row)
    return await views.visit_detail(conn, visit_id, who)


@router.post("/{visit_id}/approvals", response_model=schemas.VisitDetail,
             summary="The field manager's or the phone manager's approval, with a comment (R-34)",
             responses=problem_responses(VisitNotFound, NotThisApprover, AlreadyDecided, SameApprover,
                                         IllegalTransition, MissingText))
async def approve(body: schemas.ApprovalIn, conn: Conn, ctx: Context, who: Approver,
                  visit_id: str = VisitId) -> dict:
    return await requests.decide(conn, ctx, who, visit_id, body.role, body.comment, approve=True)


@router.post("/{visit_id}/rejection", response_model=schemas.VisitDetail,
             summary="Either manager rejects, with a reason (R-34)",
             responses=problem_responses(VisitNotFound, NotThisApprover, AlreadyDecided,
                                         IllegalTransition, MissingText))
async def reject(body: schemas.RejectionIn, conn: Conn, ctx: Context, who: Approver,
                 visit_id: str = VisitId) -> dict:
    return await requests.decide(conn, ctx, who, visit_id, body.role, body.reason, approve=False)


@router.post("/{visit_id}/cancellation", response_model=schemas.VisitDetail,
             summary="Withdraw a request, or cancel a visit not yet under way",
             responses=problem_responses(VisitNotFound, NotAllowed, IllegalTransition))
async def cancel(body: schemas.CancelIn, conn: Conn, ctx: Context, who: Canceller,
                 visit_id: str = VisitId) -> dict:
    return await requests.cancel(conn, ctx, who, visit_id, body.reason)
