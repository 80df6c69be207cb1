"""Staff routes: case search (R-25 inbound-call lookup), case reads masked by default with an
audit-logged reveal (R-46), joint-debt links (R-7), and the audit log for auditors."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request

from recoup_shared.errors import Forbidden, Unauthorized, UnprocessableInput, problem_responses
from recoup_shared.paging import Cursor, Limit, cursor_key, key_int, page

from ..rules.errors import CaseNotFound, RevealForbidden
from ..schemas import AuditPageOut, CaseDetailOut, CaseSearchIn, CaseSearchOut, JointOut
from ..usecases.cases import CaseSearch, joint_debt, read_case, search_cases
from ..views.audit import audit_entries
from .common import JSONAnswer, correlation_id
from .deps import AuditReader, Conn, Context, Staff

router = APIRouter(tags=["staff"])

Status = Literal["open", "recalled", "closed"]
# Personal data never travels in a URL (issue 14: proxies, browser history, access logs).
IDENTIFIERS = ("id_number", "card_number", "phone")


def _case_key(key: Any) -> str:
    return str(uuid.UUID(key))


@router.get(
    "/v1/cases", response_model=CaseSearchOut,
    summary="List cases (masked) by client, placement and status",
    description=("Identifiers (ID, card, phone numbers) are never taken in a URL (proxies, browser history, "
                 "access logs): look them up with POST /v1/cases/search."),
    responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
)
async def get_cases(
    request: Request, principal: Staff, conn: Conn, ctx: Context,
    client_id: Annotated[str | None, Query(max_length=64)] = None,
    placement_ref: Annotated[str | None, Query(max_length=128)] = None, status: Status | None = None,
    cursor: Cursor = None, limit: Limit = 100,
) -> JSONAnswer:
    moved = [k for k in IDENTIFIERS if k in request.query_params]
    if moved:  # refused, not ignored: an unfiltered list is not what the caller asked for
        raise UnprocessableInput("identifiers are not taken in URLs: POST /v1/cases/search", errors=[
            {"field": k, "reason": "send it in the body of POST /v1/cases/search"} for k in moved])
    q = CaseSearch(client_id=client_id, placement_ref=placement_ref, status=status,
                   after=cursor_key(cursor, _case_key), limit=limit, correlation_id=correlation_id(request))
    return JSONAnswer(await search_cases(conn, ctx, principal, q))


@router.post(
    "/v1/cases/search", response_model=CaseSearchOut,
    summary="Search cases (masked): exact match by ID/card/phone (blind index, R-25), identifiers in the body",
    description="Identifier lookups are audit-logged (R-46; the searched value itself is not stored).",
    responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
)
async def post_case_search(request: Request, body: CaseSearchIn, principal: Staff, conn: Conn,
                           ctx: Context) -> JSONAnswer:
    q = CaseSearch(client_id=body.client_id, placement_ref=body.placement_ref, status=body.status,
                   id_number=body.id_number, card_number=body.card_number, phone=body.phone,
                   after=cursor_key(body.cursor, _case_key), limit=body.limit,
                   correlation_id=correlation_id(request))
    return JSONAnswer(await search_cases(conn, ctx, principal, q))


@router.get(
    "/v1/cases/{case_id}", response_model=CaseDetailOut,
    summary="One case, masked; reveal=true shows full values to the reveal roles (audit-logged)",
    responses=problem_responses(Unauthorized, RevealForbidden, CaseNotFound),
)
async def get_case(
    request: Request, case_id: str, principal: Staff, conn: Conn, ctx: Context,
    reveal: Annotated[bool, Query(description="full ID/card/phones/addresses (admin, supervisor, data_specialist)")] = False,
    reason: Annotated[str | None, Query(max_length=500, description="why the full values are needed")] = None,
) -> JSONAnswer:
    return JSONAnswer(await read_case(conn, ctx, principal, case_id, reveal=reveal, reason=reason,
                                      correlation_id=correlation_id(request)))


@router.get(
    "/v1/cases/{case_id}/joint", response_model=JointOut,
    summary="Joint debt (共债): other cases of the same debtor, any client (R-7)",
    responses=problem_responses(Unauthorized, Forbidden, CaseNotFound),
)
async def get_joint(case_id: str, principal: Staff, conn: Conn, ctx: Context) -> JSONAnswer:
    return JSONAnswer(await joint_debt(conn, ctx, principal, case_id))


@router.get(
    "/v1/audit-log", response_model=AuditPageOut,
    summary="Who read full personal data or looked up identifiers, and when (R-46)",
    responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
)
async def get_audit_log(
    principal: AuditReader, conn: Conn,
    actor: str | None = None, case_id: uuid.UUID | None = None,
    action: Literal["reveal", "search"] | None = None,
    since: datetime | None = None, until: datetime | None = None,
    cursor: Cursor = None, limit: Limit = 100,
) -> JSONAnswer:
    rows = await audit_entries(conn, actor=actor, case_id=str(case_id) if case_id else None, action=action,
                               since=since, until=until, after_id=cursor_key(cursor, key_int(64)), limit=limit + 1)
    return JSONAnswer(page(rows, limit, key=lambda r: r["id"]))
