"""A placement sent as a CSV/XLSX file through the client's import template (R-3): after the file
is read, the same path as a JSON placement (submit.py) — row errors carry the file's row number
and the column header; idempotent on placement_ref, the request being the placement fields, the
template and the file's bytes (R-1)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from recoup_shared.auth import Principal
from recoup_shared.errors import PayloadTooLarge, UnprocessableInput

from ...adapters.json_body import canonical_sha256
from ...adapters.spreadsheets import parse_upload
from ...adapters.upload_worker import UploadLimits, parse_bounded
from ...adapters.xlsx_scan import XlsxLimits
from ...context import Ctx
from ...settings import IntakeSettings
from ...rules.model import PlacementHeader
from ...rules.templates import ImportTemplate
from ..templates import load_template
from .model import LoadedRows, PlacementAnswer, PlacementSubmission
from .submit import submit_placement


@dataclass
class Upload:
    """The command: the form's placement fields (as given, for the request hash), the template
    named (version None: the latest) and the file."""
    header: PlacementHeader
    given: dict[str, Any]
    template: str
    template_version: int | None
    content: bytes
    filename: str
    received_at: datetime


def upload_sha256(header_fields: dict[str, Any], template: str, template_version: int | None,
                  content: bytes) -> str:
    """R-1 for uploads: the request as given (placement fields, template, the file's bytes)."""
    return canonical_sha256({"upload": {**header_fields, "template": template,
                                        "template_version": template_version,
                                        "file_sha256": hashlib.sha256(content).hexdigest()}})


def upload_limits(settings: IntakeSettings) -> UploadLimits:
    return UploadLimits(
        memory_bytes=settings.upload_worker_memory_bytes, seconds=settings.upload_worker_seconds,
        xlsx=XlsxLimits(max_cells=settings.upload_max_cells, max_columns=settings.upload_max_columns,
                        max_unzipped_bytes=settings.upload_max_unzipped_bytes,
                        max_part_ratio=settings.upload_max_part_ratio))


def upload_loader(content: bytes, filename: str, template: ImportTemplate, settings: IntakeSettings) -> Callable[[], LoadedRows]:
    """The CPU part of an upload (runs in the worker thread after the replay check): the file is
    read in a bounded worker process (issue 14), the thread only waits for it."""
    max_cases, limits = settings.max_cases_per_placement, upload_limits(settings)

    def load() -> LoadedRows:
        if settings.upload_worker:
            parsed = parse_bounded(content, filename, template, max_rows=max_cases, limits=limits)
        else:
            parsed = parse_upload(content, filename, template, max_rows=max_cases, xlsx_limits=limits.xlsx)
        if parsed.fatal:
            reason = parsed.errors[0].reason if parsed.errors else "the file cannot be read"
            if "more than the limit" in reason:
                raise PayloadTooLarge(reason, limit=max_cases)
            raise UnprocessableInput("the file cannot be used", errors=[e.as_dict() for e in parsed.errors])
        warnings = [w.as_dict() for w in parsed.warnings]
        if parsed.ignored_columns:
            warnings.append({"row": parsed.header_row, "field": "columns",
                             "reason": "columns not in the template were ignored: " + ", ".join(parsed.ignored_columns)})
        return LoadedRows(raw_cases=parsed.raw_cases, row_numbers=parsed.row_numbers,
                          errors=list(parsed.errors), received=parsed.rows_read,
                          field_of=lambda e: parsed.locate(e).field, source=parsed.format,
                          warnings=warnings)

    return load


async def submit_upload(ctx: Ctx, principal: Principal, cmd: Upload) -> PlacementAnswer:
    """Read through the template, then submit_placement (its own connection: see submit.py)."""
    async with ctx.pool.acquire() as conn:  # type: ignore[union-attr]
        template, version = await load_template(conn, principal.client_id, cmd.template,  # type: ignore[arg-type]
                                                cmd.template_version)
    sub = PlacementSubmission(
        header=cmd.header, received_at=cmd.received_at,
        body_sha256=upload_sha256(cmd.given, cmd.template, cmd.template_version, cmd.content),
        load=upload_loader(cmd.content, cmd.filename, template, ctx.settings),
        source="upload", template_name=cmd.template, template_version=version)
    return await submit_placement(ctx, principal, sub)
