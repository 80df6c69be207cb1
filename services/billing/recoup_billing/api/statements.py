"""Monthly statements (R-43): draft on read, issue, re-issue, drill-down, exports. Routes stay
thin: parse, authorise (a typed role dependency; the object check is in the use case), call one
use case, answer."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from recoup_shared.errors import Conflict, Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses

from .. import schemas as s
from ..adapters import exports
from ..usecases import drilldown, statements
from .deps import (AfterRepayment, AfterSpell, AfterStatement, Bucket, ClientId, Conn, Context, Finance,
                   MonthPath, PageLimit, Revision, StatementReader)

router = APIRouter(prefix="/v1/statements", tags=["statements"])

_READ_ERRORS = problem_responses(Unauthorized, Forbidden, NotFound, Conflict, UnprocessableInput)


@router.get("/{client_id}", response_model=s.StatementListOut, summary="Issued statements of a client",
            responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput))
async def list_statements(who: StatementReader, client_id: ClientId, conn: Conn, ctx: Context,
                          after: AfterStatement, limit: PageLimit = 100) -> Any:
    return await statements.list_statements(conn, ctx, who, statements.StatementList(client_id, after, limit))


@router.get("/{client_id}/{month}", response_model=s.StatementOut,
            summary="The month's statement: the issued revision, else a draft computed now",
            responses=_READ_ERRORS)
async def get_statement(who: StatementReader, client_id: ClientId, month: MonthPath, conn: Conn,
                        ctx: Context, revision: Revision = None) -> Any:
    return await statements.read_statement(conn, ctx, who, statements.StatementRef(client_id, month, revision))


@router.post("/{client_id}/{month}/issue", response_model=s.StatementOut, status_code=201,
             summary="Issue (freeze) the statement as revision 1; a second issue is a 409",
             responses=_READ_ERRORS)
async def issue_statement(who: Finance, client_id: ClientId, month: MonthPath, conn: Conn,
                          ctx: Context) -> Any:
    return await statements.issue(conn, ctx, who, statements.Issue(client_id, month))


@router.post("/{client_id}/{month}/reissue", response_model=s.StatementOut, status_code=201,
             summary="Re-issue with a reason: revision n+1; the old revision stays readable",
             responses=_READ_ERRORS)
async def reissue_statement(who: Finance, client_id: ClientId, month: MonthPath, body: s.ReissueIn,
                            conn: Conn, ctx: Context) -> Any:
    return await statements.issue(conn, ctx, who, statements.Issue(client_id, month, body.reason, reissue=True))


@router.get("/{client_id}/{month}/lines/{bucket}/cases", response_model=s.DrillDownOut,
            summary="The cases and repayments behind one line (bucket name or position), paged",
            responses=_READ_ERRORS)
async def line_cases(who: StatementReader, client_id: ClientId, month: MonthPath, bucket: Bucket,
                     conn: Conn, ctx: Context, after: AfterSpell, revision: Revision = None,
                     limit: PageLimit = 100) -> Any:
    return await drilldown.line_cases(conn, ctx, who, drilldown.LineQuery(
        client_id, month, bucket, revision, after, limit))


@router.get("/{client_id}/{month}/not-counted", response_model=s.NotCountedPageOut,
            summary="Repayments of the month that were not counted, with the reason, paged",
            responses=_READ_ERRORS)
async def not_counted(who: StatementReader, client_id: ClientId, month: MonthPath, conn: Conn,
                      ctx: Context, after: AfterRepayment, revision: Revision = None,
                      limit: PageLimit = 100) -> Any:
    return await drilldown.not_counted(conn, ctx, who, drilldown.NotCountedQuery(
        client_id, month, revision, after, limit))


# --- exports: the same document as the API answer, rendered by adapters/exports.py -------------

async def _document(conn: Conn, ctx: Context, who: Any, client_id: str, month: Any,
                    revision: int | None) -> s.StatementOut:
    doc = await statements.read_statement(conn, ctx, who, statements.StatementRef(client_id, month, revision))
    return s.StatementOut.model_validate(doc)


def _download(content: bytes, media_type: str, doc: s.StatementOut, ext: str) -> Response:
    tag = f"r{doc.revision}" if doc.revision else "draft"
    name = f"statement-{doc.client_id}-{doc.month}-{tag}.{ext}"
    return Response(content=content, media_type=media_type,
                    headers={"content-disposition": f'attachment; filename="{name}"'})


@router.get("/{client_id}/{month}/export.csv", summary="The statement as CSV (one row per line + total)",
            responses={200: {"content": {"text/csv": {}}}, **_READ_ERRORS})
async def export_csv(who: StatementReader, client_id: ClientId, month: MonthPath, conn: Conn, ctx: Context,
                     revision: Revision = None) -> Response:
    doc = await _document(conn, ctx, who, client_id, month, revision)
    return _download(exports.to_csv(doc).encode("utf-8"), "text/csv; charset=utf-8", doc, "csv")


@router.get("/{client_id}/{month}/export.xlsx", summary="The statement as an XLSX workbook",
            responses={200: {"content": {exports.XLSX_MEDIA_TYPE: {}}}, **_READ_ERRORS})
async def export_xlsx(who: StatementReader, client_id: ClientId, month: MonthPath, conn: Conn, ctx: Context,
                      revision: Revision = None) -> Response:
    doc = await _document(conn, ctx, who, client_id, month, revision)
    return _download(exports.to_xlsx(doc), exports.XLSX_MEDIA_TYPE, doc, "xlsx")


@router.get("/{client_id}/{month}/export.pdf", summary="The statement as a print-ready PDF (服务费结算单)",
            responses={200: {"content": {"application/pdf": {}}}, **_READ_ERRORS})
async def export_pdf(who: StatementReader, client_id: ClientId, month: MonthPath, conn: Conn, ctx: Context,
                     revision: Revision = None) -> Response:
    doc = await _document(conn, ctx, who, client_id, month, revision)
    return _download(exports.to_pdf(doc), "application/pdf", doc, "pdf")
