"""What fieldops knows of a case that a visit needs: its addresses (the collector picks the
target, R-34), its compliance policy as fieldops sees it, and the engine's refusals."""

from __future__ import annotations

from fastapi import APIRouter, Path, Query

from recoup_shared.errors import UnprocessableInput, problem_responses
from recoup_shared.paging import Cursor, Limit, decode_cursor, page
from recoup_shared.vocabulary import Role

from .. import schemas, views
from ..rules.errors import CaseNotFound, NotAllowed, NotYourCase, VisitNotFound
from ..store import attempts
from ..usecases import access, compliance
from .deps import ComplianceReader, Conn, VisitReader

router = APIRouter(tags=["cases"])
CaseId = Path(max_length=64)


async def _readable_case(conn, who, case_id: str):
    case = await access.case_of(conn, case_id)
    if who.has(Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR) or await access.leads_field_team(conn, who):
        return case
    if who.has(Role.COLLECTOR) and case["collector_id"] == who.sub:
        return case
    if who.has(Role.TEAM_LEAD) and who.team_id and who.team_id == case["team_id"]:
        return case
    raise NotYourCase("not a case of yours")


@router.get("/v1/cases/{case_id}/addresses", response_model=list[schemas.CaseAddressOut],
            summary="The case's addresses to choose a visit's target from (lines masked)",
            responses=problem_responses(CaseNotFound, NotYourCase))
async def addresses(conn: Conn, who: VisitReader, case_id: str = CaseId) -> list[dict]:
    await _readable_case(conn, who, case_id)
    return await views.case_addresses(conn, case_id)


@router.get("/v1/cases/{case_id}/visit-policy", response_model=schemas.VisitPolicyOut,
            summary="The compliance policy visits of this case are decided with, value by value",
            responses=problem_responses(CaseNotFound, NotYourCase))
async def visit_policy(conn: Conn, who: VisitReader, case_id: str = CaseId,
                       address_id: str | None = Query(None, pattern=r"^[0-9a-f]{20}$")) -> dict:
    case = await _readable_case(conn, who, case_id)
    rows = await views.case_addresses(conn, case_id)
    chosen = [a for a in rows if a["address_id"] == address_id] or rows
    return await compliance.explain(conn, case, chosen[0]["province"] if chosen else None)


@router.get("/v1/compliance/refusals", response_model=schemas.RefusalPage,
            summary="The engine's refusals of visits, newest first (R-48 feeds on them)",
            responses=problem_responses(NotAllowed, VisitNotFound))
async def refusals(conn: Conn, who: ComplianceReader, visit_id: str | None = Query(None, max_length=64),
                   case_id: str | None = Query(None, max_length=64), cursor: Cursor = None,
                   limit: Limit = 100) -> dict:
    after = decode_cursor(cursor)
    if after is not None and not isinstance(after, int):
        raise UnprocessableInput("invalid cursor", errors=[{"field": "cursor", "reason": "not ours"}])
    if visit_id is not None:
        v, row = await access.visit_of(conn, visit_id, lock=False)
        await access.check_visible(conn, who, v, row)
    rows = await attempts.refusals(conn, visit_id=visit_id, case_ids=[case_id] if case_id else None,
                                   after=after, limit=limit + 1)
    return page(rows, limit, key=lambda r: r["refusal_id"])
