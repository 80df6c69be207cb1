"""Monthly statements (R-43): draft on read, issue, re-issue, drill-down, exports."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from recoup_shared.auth import Authenticated, Principal, require_roles
from recoup_shared.api import Conn
from recoup_shared.errors import Conflict, Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses

from .. import closing, exports
from .. import schemas as s
from ..store import statements as st_store
from .deps import ISSUERS, business_today, close_config, parse_month, statement_reader

router = APIRouter(prefix="/v1/statements", tags=["statements"])

ClientId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
Month = Annotated[str, Path(description="YYYY-MM", examples=["2026-11"])]
Revision = Annotated[int | None, Query(ge=1, description="an issued revision; default: the current one")]
Issuer = Annotated[Principal, Depends(require_roles(*ISSUERS))]

_READ_ERRORS = problem_responses(Unauthorized, Forbidden, NotFound, Conflict, UnprocessableInput)


@router.get("/{client_id}", response_model=s.StatementListOut, summary="Issued statements of a client",
            responses=problem_responses(Unauthorized, Forbidden))
async def list_statements(client_id: ClientId, conn: Conn, who: Authenticated) -> s.StatementListOut:
    statement_reader(who, client_id)
    rows = await st_store.list_statements(conn, client_id)
    return s.StatementListOut(client_id=client_id, statements=[s.StatementSummaryOut(
        month=closing.month_label(r["month"]), revision=r["revision"], status=r["status"],
        schedule_version=r["schedule_version"], total_placed=r["total_placed"],
        total_recovered=r["total_recovered"], total_fee=r["total_fee"], issued_at=r["issued_at"],
        issued_by=r["issued_by"], reason=r["reason"], superseded_at=r["superseded_at"]) for r in rows])


@router.get("/{client_id}/{month}", response_model=s.StatementOut,
            summary="The month's statement: the issued revision, else a draft computed now",
            responses=_READ_ERRORS)
async def get_statement(client_id: ClientId, month: Month, conn: Conn, request: Request,
                        who: Authenticated, revision: Revision = None) -> s.StatementOut:
    drafts = statement_reader(who, client_id)
    return await closing.read_statement(conn, close_config(request), client_id, parse_month(month),
                                        revision, drafts)


@router.post("/{client_id}/{month}/issue", response_model=s.StatementOut, status_code=201,
             summary="Issue (freeze) the statement as revision 1; a second issue is a 409",
             responses=_READ_ERRORS)
async def issue_statement(client_id: ClientId, month: Month, conn: Conn, request: Request,
                          who: Issuer) -> s.StatementOut:
    m = parse_month(month)
    return await closing.issue(conn, close_config(request), client_id, m, who.sub,
                               business_today(request))


@router.post("/{client_id}/{month}/reissue", response_model=s.StatementOut, status_code=201,
             summary="Re-issue with a reason: revision n+1; the old revision stays readable",
             responses=_READ_ERRORS)
async def reissue_statement(client_id: ClientId, month: Month, body: s.ReissueIn, conn: Conn,
                            request: Request, who: Issuer) -> s.StatementOut:
    m = parse_month(month)
    return await closing.issue(conn, close_config(request), client_id, m, who.sub,
                               business_today(request), reason=body.reason, reissue=True)


@router.get("/{client_id}/{month}/lines/{bucket}/cases", response_model=s.DrillDownOut,
            summary="The cases and repayments behind one line (bucket name or position), paged",
            responses=_READ_ERRORS)
async def line_cases(client_id: ClientId, month: Month, bucket: str, conn: Conn, request: Request,
                     who: Authenticated, revision: Revision = None,
                     limit: Annotated[int, Query(ge=1, le=500)] = 100,
                     offset: Annotated[int, Query(ge=0)] = 0) -> s.DrillDownOut:
    drafts = statement_reader(who, client_id)
    return await closing.drill_down(conn, close_config(request), client_id, parse_month(month), bucket,
                                    revision, limit, offset, drafts)


@router.get("/{client_id}/{month}/not-counted", response_model=s.NotCountedPageOut,
            summary="Repayments of the month that were not counted, with the reason, paged",
            responses=_READ_ERRORS)
async def not_counted(client_id: ClientId, month: Month, conn: Conn, request: Request,
                      who: Authenticated, revision: Revision = None,
                      limit: Annotated[int, Query(ge=1, le=500)] = 100,
                      offset: Annotated[int, Query(ge=0)] = 0) -> s.NotCountedPageOut:
    drafts = statement_reader(who, client_id)
    return await closing.not_counted_page(conn, close_config(request), client_id, parse_month(month),
                                          revision, limit, offset, drafts)


async def _for_export(client_id: str, month: str, conn: Conn, request: Request, who: Principal,
                      revision: int | None) -> s.StatementOut:
    drafts = statement_reader(who, client_id)
    return await closing.read_statement(conn, close_config(request), client_id, parse_month(month),
                                        revision, drafts)


def _download(content: bytes, media_type: str, doc: s.StatementOut, ext: str) -> Response:
    tag = f"r{doc.revision}" if doc.revision else "draft"
    name = f"statement-{doc.client_id}-{doc.month}-{tag}.{ext}"
    return Response(content=content, media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@router.get("/{client_id}/{month}/export.csv", summary="The statement as CSV (one row per line + total)",
            responses={200: {"content": {"text/csv": {}}}, **_READ_ERRORS})
async def export_csv(client_id: ClientId, month: Month, conn: Conn, request: Request,
                     who: Authenticated, revision: Revision = None) -> Response:
    doc = await _for_export(client_id, month, conn, request, who, revision)
    return _download(exports.to_csv(doc).encode("utf-8"), "text/csv; charset=utf-8", doc, "csv")


@router.get("/{client_id}/{month}/export.xlsx", summary="The statement as an XLSX workbook",
            responses={200: {"content": {exports.XLSX_MEDIA_TYPE: {}}}, **_READ_ERRORS})
async def export_xlsx(client_id: ClientId, month: Month, conn: Conn, request: Request,
                      who: Authenticated, revision: Revision = None) -> Response:
    doc = await _for_export(client_id, month, conn, request, who, revision)
    return _download(exports.to_xlsx(doc), exports.XLSX_MEDIA_TYPE, doc, "xlsx")


@router.get("/{client_id}/{month}/export.pdf", summary="The statement as a print-ready PDF (服务费结算单)",
            responses={200: {"content": {"application/pdf": {}}}, **_READ_ERRORS})
async def export_pdf(client_id: ClientId, month: Month, conn: Conn, request: Request,
                     who: Authenticated, revision: Revision = None) -> Response:
    doc = await _for_export(client_id, month, conn, request, who, revision)
    return _download(exports.to_pdf(doc), "application/pdf", doc, "pdf")
