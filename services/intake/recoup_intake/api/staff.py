"""Staff routes: case search (R-25 inbound-call lookup), case reads masked by default with an
audit-logged reveal (R-46), joint-debt links (R-7), and the audit log for auditors."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from recoup_shared.auth import Staff
from recoup_shared.api import Conn
from recoup_shared.errors import Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses

from ..schemas import AuditPageOut, CaseDetailOut, CaseSearchIn, CaseSearchOut, JointOut
from ..store import audit
from ..usecases.reads import joint_debt, read_case, search_cases
from .common import JSONAnswer, correlation_id

router = APIRouter(tags=["staff"])

Status = Literal["open", "recalled", "closed"]


@router.get(
    "/v1/cases", response_model=CaseSearchOut,
    summary="Search cases (masked): exact match by ID/card/phone via blind index, or filters",
    description=("Identifier lookups are audit-logged (the searched value is not stored). Prefer "
                 "POST /v1/cases/search to keep identifiers out of URLs and access logs."),
    responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
)
async def get_cases(
    request: Request, principal: Staff, conn: Conn,
    id_number: str | None = None, card_number: str | None = None, phone: str | None = None,
    client_id: str | None = None, placement_ref: str | None = None, status: Status | None = None,
    after: Annotated[str | None, Query(description="next_after of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSONAnswer:
    return JSONAnswer(await search_cases(
        request.app, conn, principal, client_id=client_id, placement_ref=placement_ref, status=status,
        id_number=id_number, card_number=card_number, phone=phone, after=after, limit=limit,
        correlation_id=correlation_id(request)))


@router.post(
    "/v1/cases/search", response_model=CaseSearchOut,
    summary="Search cases (masked) with the identifiers in the body",
    responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
)
async def post_case_search(request: Request, body: CaseSearchIn, principal: Staff, conn: Conn) -> JSONAnswer:
    return JSONAnswer(await search_cases(
        request.app, conn, principal, client_id=body.client_id, placement_ref=body.placement_ref,
        status=body.status, id_number=body.id_number, card_number=body.card_number, phone=body.phone,
        after=body.after, limit=body.limit, correlation_id=correlation_id(request)))


@router.get(
    "/v1/cases/{case_id}", response_model=CaseDetailOut,
    summary="One case, masked; reveal=true shows full values to the reveal roles (audit-logged)",
    responses=problem_responses(Unauthorized, Forbidden, NotFound),
)
async def get_case(
    request: Request, case_id: str, principal: Staff, conn: Conn,
    reveal: Annotated[bool, Query(description="full ID/card/phones/addresses (admin, supervisor, data_specialist)")] = False,
    reason: Annotated[str | None, Query(max_length=500, description="why the full values are needed")] = None,
) -> JSONAnswer:
    return JSONAnswer(await read_case(request.app, conn, principal, case_id, reveal=reveal, reason=reason,
                                      correlation_id=correlation_id(request)))


@router.get(
    "/v1/cases/{case_id}/joint", response_model=JointOut,
    summary="Joint debt (共债): other cases of the same debtor, any client (R-7)",
    responses=problem_responses(Unauthorized, Forbidden, NotFound),
)
async def get_joint(case_id: str, principal: Staff, conn: Conn) -> JSONAnswer:
    return JSONAnswer(await joint_debt(conn, case_id))


@router.get(
    "/v1/audit-log", response_model=AuditPageOut,
    summary="Who read full personal data or looked up identifiers, and when (R-46)",
    responses=problem_responses(Unauthorized, Forbidden),
)
async def get_audit_log(
    request: Request, principal: Staff, conn: Conn,
    actor: str | None = None, case_id: str | None = None,
    action: Literal["reveal", "search"] | None = None,
    since: datetime | None = None, until: datetime | None = None,
    after: Annotated[int, Query(ge=0, description="next_after of the previous page")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSONAnswer:
    readers = request.app.state.settings.audit_reader_roles
    if not principal.has(*readers):
        raise Forbidden("the audit log is read by: " + ", ".join(sorted(readers)))
    if case_id is not None:
        import uuid
        try:
            case_id = str(uuid.UUID(case_id))
        except ValueError:
            raise UnprocessableInput("bad case_id", errors=[{"field": "case_id", "reason": "not a UUID"}]) from None
    rows = await audit.list_entries(conn, actor=actor, case_id=case_id, action=action, since=since,
                                    until=until, after_id=after, limit=limit)
    items = [dict(r) | {"roles": list(r["roles"]), "fields": list(r["fields"])} for r in rows]
    return JSONAnswer({"items": items, "next_after": items[-1]["id"] if len(items) == limit else None})
