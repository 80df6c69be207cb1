"""Per-client configuration (contact rules, code tables, report templates; versioned) and the
催记报告 export in the client's own layout."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Query, Response

from recoup_shared.errors import problem_responses

from ..rules.errors import InvalidConfig, InvalidRecord
from ..schemas import work as ws
from ..usecases import admin as uc
from .deps import CaseReader, ClientId, ConfigAdmin, Conn, Context, ReadConn, Reporter

router = APIRouter(prefix="/v1/clients/{client_id}", tags=["client configuration"])
reports = APIRouter(tags=["reports"])


@router.get("/contact-config", summary="The client's contact configuration (R-20..R-24, R-47) and its version")
async def get_config(client_id: ClientId, conn: ReadConn, ctx: Context, who: CaseReader) -> dict:
    return await uc.get_config(conn, ctx, client_id)


@router.put("/contact-config", responses=problem_responses(InvalidConfig),
            summary="A new version of the client's contact configuration (only what differs from the defaults)")
async def put_config(client_id: ClientId, conn: Conn, ctx: Context, who: ConfigAdmin,
                     body: Annotated[dict[str, Any], Body()]) -> dict:
    return await uc.put_config(conn, ctx, who, client_id, body)


@router.get("/code-tables", summary="Every version of the client's action/result code table")
async def code_tables(client_id: ClientId, conn: ReadConn, who: CaseReader) -> list:
    return await uc.code_tables(conn, client_id)


@router.get("/code-tables/current", summary="The code table in force on a day (default: today)")
async def code_table(client_id: ClientId, conn: ReadConn, ctx: Context, who: CaseReader,
                     on: date | None = None) -> dict:
    return await uc.code_table(conn, ctx, client_id, on)


@router.post("/code-tables", status_code=201, responses=problem_responses(InvalidConfig),
             summary="A new version of the client's code table, in force from a day")
async def add_code_table(client_id: ClientId, body: ws.CodeTableIn, conn: Conn, ctx: Context, who: ConfigAdmin) -> dict:
    return await uc.add_code_table(conn, ctx, who, client_id, body.effective_from, body.codes)


@router.get("/report-template", summary="The client's 催记报告 layout (the default one until it has its own)")
async def report_template(client_id: ClientId, conn: ReadConn, who: CaseReader) -> dict:
    version, template = await uc.report_template(conn, client_id)
    return {"client_id": client_id, "version": version, "template": template.model_dump(mode="json")}


@router.put("/report-template", responses=problem_responses(InvalidConfig),
            summary="A new version of the client's report layout: columns, headers, code map, CSV/XLSX")
async def put_report_template(client_id: ClientId, conn: Conn, ctx: Context, who: ConfigAdmin,
                              body: Annotated[dict[str, Any], Body()]) -> dict:
    return await uc.put_report_template(conn, ctx, who, client_id, body)


@reports.get("/v1/reports/contact-records", responses=problem_responses(InvalidRecord),
             summary="催记报告: a client's contact records of a period in its own layout (CSV or XLSX)",
             response_class=Response)
async def export(conn: ReadConn, ctx: Context, who: Reporter,
                 client_id: Annotated[str, Query(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")],
                 day_from: Annotated[date, Query(alias="from")], day_to: Annotated[date, Query(alias="to")],
                 format: Literal["csv", "xlsx"] | None = None) -> Response:
    data, media, name = await uc.export_records(conn, ctx, client_id, day_from, day_to, format)
    return Response(content=data, media_type=media, headers={"content-disposition": f'attachment; filename="{name}"'})
