"""Inbound lookup (R-25), disputes (R-17: the client's own route and instruction), complaints (R-47),
payments the debtor claims (待银行对账)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from recoup_shared.auth import Authenticated
from recoup_shared.errors import Forbidden, problem_responses
from recoup_shared.paging import Cursor

from ..rules import Allegation, ComplaintChannel
from ..rules.errors import AlreadyDecided, CaseForbidden, CaseNotFound, InvalidRecord, NotFoundHere
from ..schemas import work as ws
from ..settings import ALL_CASES, COMPLAINT_RESOLVERS, REPORTERS
from ..usecases import admin as admin_uc
from ..usecases import disputes as disputes_uc
from ..usecases import inbound
from . import paging as keyset
from .deps import (CaseId, CaseReader, ClientSystem, ComplaintResolver, Conn, ContactWriter, Context,
                   InboundLogger, ReadConn, Reconciler)

router = APIRouter(tags=["lookup, disputes, complaints, claimed payments"])
_ID = r"^[A-Za-z0-9_.:\-]+$"


@router.post("/v1/lookup", response_model=ws.LookupOut, responses=problem_responses(InvalidRecord),
             summary="来电查询: find cases by the calling number, a card number or an ID number (in the body)")
async def lookup(body: ws.LookupIn, conn: Conn, ctx: Context, who: InboundLogger) -> dict:
    return await inbound.lookup(conn, ctx, who, phone=body.phone, card=body.card, id_number=body.id_number)


# --- disputes (R-17) ------------------------------------------------------------------------

@router.get("/v1/disputes", response_model=ws.DisputePage, responses=problem_responses(Forbidden),
            summary="Disputed cases with the reason: a client system sees its own (R-17); managers all")
async def disputes(conn: ReadConn, who: Authenticated, state: Literal["open", "resumed", "withdrawn"] | None = "open",
                   client_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None,
                   cursor: Cursor = None, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    if who.is_client:
        rows = await disputes_uc.client_disputes(conn, who, state=state, after=keyset.after(cursor), limit=limit + 1)
    elif who.has(*ALL_CASES, *REPORTERS, *COMPLAINT_RESOLVERS):
        rows = await disputes_uc.staff_disputes(conn, client_id=client_id, state=state, after=keyset.after(cursor),
                                                limit=limit + 1)
    else:
        raise Forbidden("disputes are for the client and managers")
    return keyset.page(rows, limit, "raised_at", "dispute_id")


@router.post("/v1/disputes/{dispute_id}/instruction", response_model=ws.DisputeOut,
             responses=problem_responses(NotFoundHere, AlreadyDecided),
             summary="The client instructs: resume collection or withdraw the case (R-17)")
async def instruct(dispute_id: UUID, body: ws.InstructionIn, conn: Conn, ctx: Context, who: ClientSystem) -> dict:
    return await disputes_uc.instruct(conn, ctx, who, dispute_id, body.action, body.note)


# --- complaints (R-47) ------------------------------------------------------------------------

@router.post("/v1/cases/{case_id}/complaints", status_code=201, response_model=ws.ComplaintOut,
             responses=problem_responses(CaseNotFound, CaseForbidden),
             summary="Record a complaint: graded; a serious one holds the case and reaches the supervisor today")
async def complain(case_id: CaseId, body: ws.ComplaintIn, conn: Conn, ctx: Context, who: ContactWriter) -> dict:
    cmd = disputes_uc.ComplaintCmd(channel=ComplaintChannel(body.channel),
                                   allegations=tuple(Allegation(a) for a in body.allegations), calmed=body.calmed,
                                   client_pursues=body.client_pursues, description=body.description)
    return await disputes_uc.add_complaint(conn, ctx, who, case_id, cmd)


@router.get("/v1/complaints", response_model=ws.ComplaintPage,
            summary="The complaints queue (the supervisor's serious ones by their same-day deadline)")
async def complaints(conn: ReadConn, who: CaseReader, grade: Literal["minor", "general", "serious"] | None = None,
                     open_only: bool = True, cursor: Cursor = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    if not who.has(*ALL_CASES, *REPORTERS, *COMPLAINT_RESOLVERS):
        raise Forbidden("the complaints queue is for team leads and managers")
    rows = await disputes_uc.complaints(conn, grade=grade, open_only=open_only, after=keyset.after(cursor),
                                        limit=limit + 1)
    return keyset.page(rows, limit, "recorded_at", "complaint_id")


@router.post("/v1/complaints/{complaint_id}/resolve", response_model=ws.ComplaintOut,
             responses=problem_responses(NotFoundHere, AlreadyDecided),
             summary="A supervisor resolves a complaint and releases the case's hold")
async def resolve(complaint_id: UUID, body: ws.ResolveIn, conn: Conn, ctx: Context, who: ComplaintResolver) -> dict:
    return await disputes_uc.resolve_complaint(conn, ctx, who, complaint_id, body.resolution, body.release_hold)


# --- claimed payments (待银行对账) ---------------------------------------------------------------

@router.post("/v1/cases/{case_id}/claimed-payments", status_code=201, response_model=ws.ClaimOut,
             responses=problem_responses(CaseNotFound, CaseForbidden, InvalidRecord),
             summary="The debtor says this was paid: it waits for the bank's record or a data specialist")
async def claim(case_id: CaseId, body: ws.ClaimIn, conn: Conn, ctx: Context, who: ContactWriter) -> dict:
    return await admin_uc.claim(conn, ctx, who, case_id, body.amount, body.paid_on, body.channel, body.proof_ref,
                                body.note)


@router.get("/v1/claimed-payments", response_model=ws.ClaimPage, summary="The reconciliation list")
async def claims(conn: ReadConn, who: CaseReader,
                 state: Literal["pending", "matched", "confirmed", "rejected"] | None = "pending",
                 client_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None,
                 cursor: Cursor = None, limit: Annotated[int, Query(ge=1, le=500)] = 100) -> dict:
    rows = await admin_uc.claims(conn, who, state=state, client_id=client_id, after=keyset.after(cursor),
                                 limit=limit + 1)
    return keyset.page(rows, limit, "created_at", "claim_id")


@router.post("/v1/claimed-payments/{claim_id}/decision", response_model=ws.ClaimOut,
             responses=problem_responses(NotFoundHere, AlreadyDecided),
             summary="A data specialist confirms or rejects a claimed payment after checking with the bank")
async def decide(claim_id: UUID, body: ws.ClaimDecisionIn, conn: Conn, ctx: Context, who: Reconciler) -> dict:
    return await admin_uc.decide_claim(conn, ctx, who, claim_id, body.decision, body.note, body.txn_ref)

