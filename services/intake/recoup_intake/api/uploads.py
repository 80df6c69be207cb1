"""Client route for CSV/XLSX placements read through the client's import template (R-3)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile

from recoup_shared.errors import Forbidden, PayloadTooLarge, Unauthorized, UnprocessableInput, problem_responses
from recoup_shared.gcpause import gc_paused

from ..rules.errors import MalformedJson, PlacementRefConflict, UnknownTemplate, UnsupportedMediaType
from ..rules.requests import parse_placement_header
from ..schemas import PlacementAccepted
from ..settings import IntakeSettings
from ..usecases.placements.upload import Upload, submit_upload
from .deps import ClientSystem, Context
from .placements import accepted_response

router = APIRouter(tags=["placements"])

FORM_FIELDS = ("placement_ref", "product", "placed_on", "recall_on", "template", "template_version")

UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file", "placement_ref", "product", "placed_on", "template"],
    "properties": {
        "file": {"type": "string", "format": "binary", "description": "CSV (any common Chinese encoding) or XLSX/XLS/ODS"},
        "placement_ref": {"type": "string"}, "product": {"type": "string"},
        "placed_on": {"type": "string", "format": "date"},
        "recall_on": {"type": "string", "format": "date", "description": "default placed_on + 3 months"},
        "template": {"type": "string", "description": "the client's import template name"},
        "template_version": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1,
                             "description": "default: the latest version"},
    }}}}}}


@router.post(
    "/v1/placements/upload", status_code=202, response_model=PlacementAccepted,
    summary="Push a placement as a CSV/XLSX file through the client's import template",
    description=("The same path as JSON placements after reading the file: row errors carry the file's "
                 "row number and the column header; idempotent on placement_ref (the file's bytes, the "
                 "template and the placement fields form the body)."),
    responses=problem_responses(MalformedJson, Unauthorized, Forbidden, PlacementRefConflict, PayloadTooLarge,
                                UnsupportedMediaType, UnknownTemplate, UnprocessableInput),
    openapi_extra=UPLOAD_BODY,
)
async def upload_placement(request: Request, principal: ClientSystem, ctx: Context) -> object:
    received_at = ctx.clock.now()
    with gc_paused():  # as for JSON placements: off while the file's rows are alive
        answer = await submit_upload(ctx, principal, await _read_form(request, ctx.settings, received_at))
    return accepted_response(answer)


def _form_fields(form: Any, settings: IntakeSettings) -> tuple[dict[str, Any], Any, int | None]:
    """(the placement fields as given, the placement header, the template version); 422 with
    every problem of the form listed."""
    errors = []
    if not isinstance(form.get("file"), UploadFile):
        errors.append({"field": "file", "reason": "required (a file part)"})
    values = {k: (v.strip() if isinstance(v := form.get(k), str) else None) or None for k in FORM_FIELDS}
    if not values["template"]:
        errors.append({"field": "template", "reason": "required (the import template's name)"})
    version = None
    if values["template_version"]:
        given = values["template_version"]
        if not (given.isdigit() and given.isascii() and len(given) <= 10 and 1 <= int(given) < 2**31):
            errors.append({"field": "template_version", "reason": "must be a whole number 1..2147483647"})
        else:
            version = int(given)
    header = None
    try:
        header = parse_placement_header(values, default_months=settings.default_placement_months)
    except UnprocessableInput as exc:
        errors = (exc.errors or []) + errors
    if errors:
        raise UnprocessableInput("the upload's fields are not valid", errors=errors)
    return values, header, version


async def _read_form(request: Request, settings: IntakeSettings, received_at: datetime) -> Upload:
    ctype = (request.headers.get("content-type") or "").lower()
    if not ctype.startswith("multipart/form-data"):
        raise UnsupportedMediaType("send the file as multipart/form-data (fields: file, placement_ref, "
                                   "product, placed_on, template)")
    form = await request.form(max_files=1, max_fields=len(FORM_FIELDS) + 4)
    try:
        values, header, version = _form_fields(form, settings)
        upload = form.get("file")
        assert isinstance(upload, UploadFile)
        content = await upload.read(settings.max_upload_bytes + 1)
        if len(content) > settings.max_upload_bytes:
            raise PayloadTooLarge(f"the file is larger than {settings.max_upload_bytes} bytes")
        filename = upload.filename or ""
    finally:
        await form.close()
    given = {k: values[k] for k in ("placement_ref", "product", "placed_on", "recall_on")}
    return Upload(header=header, given=given, template=values["template"], template_version=version,
                  content=content, filename=filename, received_at=received_at)
