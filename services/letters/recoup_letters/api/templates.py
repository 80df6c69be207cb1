"""Templates per client and letter type or SMS purpose, versioned, with the client's approval (R-27);
and each client's letter rules (R-28..R-31)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Request

from recoup_shared.errors import PayloadTooLarge, problem_responses
from recoup_shared.paging import Cursor, Limit, page

from ..adapters.sms import SmsTemplate
from ..rules.errors import (ApprovalDocumentMismatch, ConfigInvalid, StateConflict, TemplateNotFound,
                            TemplateRejected)
from ..schemas import templates as s
from ..usecases import configs, templates
from ..views import templates as view
from .body import read_body
from .deps import (ClientFilter, ClientId, ConfigEditor, Conn, Context, Id, Reader, TemplateEditor, Version,
                   text_cursor)

router = APIRouter(tags=["templates"])


@router.get("/v1/templates", response_model=s.TemplatePage, summary="Templates, by id")
async def list_templates(conn: Conn, who: Reader, client_id: ClientFilter = None,
                         channel: Literal["letter", "sms"] | None = None, cursor: Cursor = None,
                         limit: Limit = 100) -> dict:
    rows = await view.list_templates(conn, client_id=client_id, channel=channel, after=text_cursor(cursor),
                                     limit=limit + 1)
    return page(rows, limit, key=lambda r: r["template_id"])


@router.post("/v1/templates/letters", status_code=201, response_model=s.VersionOut,
             responses=problem_responses(TemplateRejected),
             summary="Upload a letter template (a new draft version; checked now, not at render)")
async def upload_letter(body: s.LetterTemplateIn, conn: Conn, ctx: Context, who: TemplateEditor) -> dict:
    return await templates.upload_letter_version(conn, ctx, who, client_id=body.client_id,
                                                 letter_type=body.letter_type, source=body.source, note=body.note)


@router.post("/v1/templates/sms", status_code=201, response_model=s.VersionOut,
             responses=problem_responses(TemplateRejected),
             summary="Upload an SMS template bound to the provider's approved template code")
async def upload_sms(body: s.SmsTemplateIn, conn: Conn, ctx: Context, who: TemplateEditor) -> dict:
    t = SmsTemplate(provider=body.provider, sign_name=body.sign_name, template_code=body.template_code,
                    wording=body.wording, params=body.params, max_param_length=body.max_param_length)
    return await templates.upload_sms_version(conn, ctx, who, client_id=body.client_id, name=body.name,
                                              template=t, note=body.note)


@router.get("/v1/templates/{template_id}", response_model=s.TemplateOut,
            responses=problem_responses(TemplateNotFound))
async def get_template(template_id: Id, conn: Conn, ctx: Context, who: Reader) -> dict:
    return await templates.get_template(conn, ctx, who, template_id)


@router.get("/v1/templates/{template_id}/versions/{version}", response_model=s.VersionOut,
            responses=problem_responses(TemplateNotFound))
async def get_version(template_id: Id, version: Version, conn: Conn, ctx: Context, who: Reader) -> dict:
    return await templates.get_version(conn, ctx, who, template_id, version)


@router.post("/v1/templates/{template_id}/versions/{version}/approval", response_model=s.VersionOut,
             responses=problem_responses(TemplateNotFound, StateConflict),
             summary="Record the client's approval; the version becomes the one in use")
async def approve(template_id: Id, version: Version, body: s.ApprovalIn, conn: Conn, ctx: Context,
                  who: TemplateEditor) -> dict:
    return await templates.approve(conn, ctx, who, template_id, version, approved_by=body.approved_by,
                                   approved_at=body.approved_at, reference=body.reference,
                                   document_sha256=body.document_sha256)


@router.put("/v1/templates/{template_id}/versions/{version}/approval-document", response_model=s.DocumentOut,
            responses=problem_responses(TemplateNotFound, ApprovalDocumentMismatch, PayloadTooLarge),
            summary="Upload the approval document itself (raw body); checked against the approval's SHA-256")
async def put_document(template_id: Id, version: Version, request: Request, conn: Conn, ctx: Context,
                       who: TemplateEditor) -> dict:
    data = await read_body(request, ctx.settings.max_approval_document_bytes)
    return await templates.put_document(conn, ctx, who, template_id, version, data)


@router.post("/v1/templates/{template_id}/versions/{version}/retire", response_model=s.VersionOut,
             responses=problem_responses(TemplateNotFound, StateConflict))
async def retire(template_id: Id, version: Version, body: s.RetireIn, conn: Conn, ctx: Context,
                 who: TemplateEditor) -> dict:
    return await templates.retire(conn, ctx, who, template_id, version, body.reason)


@router.get("/v1/clients/{client_id}/letter-config", response_model=s.LetterConfigOut)
async def get_config(client_id: ClientId, conn: Conn, ctx: Context, who: Reader) -> dict:
    return await configs.get(conn, ctx, who, client_id)


@router.put("/v1/clients/{client_id}/letter-config", response_model=s.LetterConfigOut,
            responses=problem_responses(ConfigInvalid),
            summary="The client's letter rules (schedule, notice window, express threshold...)")
async def put_config(client_id: ClientId, conn: Conn, ctx: Context, who: ConfigEditor,
                     body: dict[str, Any] = Body(...)) -> dict:
    return await configs.put(conn, ctx, who, client_id, body)

