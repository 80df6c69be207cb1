"""Import templates (R-3) and the upload path (CSV/XLSX through a client's template).

Ownership: templates are agency configuration, written by data specialists and admins for a
client (IntakeSettings.template_writer_roles); a client system may list and read its own
templates (to know what columns to send) but not write them — a bad mapping would silently
misplace personal data into the wrong fields. Versions are immutable: a change is a new version,
and a placement records the version it was read with.
"""

from __future__ import annotations

import hashlib
from typing import Any

import asyncpg
from pydantic import ValidationError

from recoup_shared.errors import NotFound, PayloadTooLarge, UnprocessableInput

from ..inputs import PlacementHeader
from ..rules.templates import ImportTemplate, parse_upload
from ..store import templates as store
from .placements import LoadedRows

RESERVED_KEYS = ("client_id", "name", "version")


def _pydantic_errors(exc: ValidationError, prefix: str = "definition") -> list[dict[str, str]]:
    out = []
    for e in exc.errors()[:100]:
        loc = ".".join(str(p) for p in e.get("loc", ()))
        out.append({"field": f"{prefix}.{loc}" if loc else prefix, "reason": e.get("msg", "invalid")})
    return out


def build_template(client_id: str, name: str, version: int, definition: dict[str, Any]) -> ImportTemplate:
    """Validate a definition as the rules' ImportTemplate; 422 with the problems otherwise."""
    clash = [k for k in RESERVED_KEYS if k in definition]
    if clash:
        raise UnprocessableInput("the definition may not set " + ", ".join(clash),
                                 errors=[{"field": f"definition.{k}", "reason": "set by the route"} for k in clash])
    try:
        return ImportTemplate(client_id=client_id, name=name, version=version, **definition)
    except ValidationError as exc:
        raise UnprocessableInput("the template definition is not valid", errors=_pydantic_errors(exc)) from None
    except (TypeError, ValueError) as exc:
        raise UnprocessableInput("the template definition is not valid",
                                 errors=[{"field": "definition", "reason": str(exc)[:500]}]) from None


async def create_template(conn: asyncpg.Connection, *, client_id: str, name: str,
                          definition: dict[str, Any], description: str | None, created_by: str) -> dict[str, Any]:
    build_template(client_id, name, 1, definition)  # validated before it is stored
    row = await store.create_version(conn, client_id=client_id, name=name, definition=definition,
                                     description=description, created_by=created_by)
    return dict(row)


async def load_template(conn: asyncpg.Connection, client_id: str, name: str,
                        version: int | None) -> tuple[ImportTemplate, int]:
    row = await store.get_version(conn, client_id, name, version)
    if row is None:
        what = f"{name} version {version}" if version else name
        raise UnprocessableInput(f"no import template {what} for this client",
                                 errors=[{"field": "template", "reason": "unknown template (or version)"}])
    return build_template(client_id, name, row["version"], row["definition"]), row["version"]


def upload_sha256(header_fields: dict[str, Any], template: str, template_version: int | None,
                  content: bytes) -> str:
    """R-1 for uploads: the request as given (placement fields, template, the file's bytes)."""
    from ..inputs import canonical_sha256

    return canonical_sha256({"upload": {**header_fields, "template": template,
                                        "template_version": template_version,
                                        "file_sha256": hashlib.sha256(content).hexdigest()}})


def upload_loader(content: bytes, filename: str, template: ImportTemplate, max_cases: int):
    """The CPU part of an upload (runs in the worker thread after the replay check)."""

    def load() -> LoadedRows:
        parsed = parse_upload(content, filename, template, max_rows=max_cases)
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


def template_view(row: asyncpg.Record | dict, *, with_definition: bool) -> dict[str, Any]:
    out = {k: row[k] for k in ("client_id", "name", "version", "description", "created_by", "created_at")}
    if with_definition:
        out["definition"] = row["definition"]
    return out


async def get_template(conn: asyncpg.Connection, client_id: str, name: str, version: int | None) -> dict[str, Any]:
    row = await store.get_version(conn, client_id, name, version)
    if row is None:
        raise NotFound("no such template (or version)")
    return template_view(row, with_definition=True)


__all__ = ["PlacementHeader", "build_template", "create_template", "get_template", "load_template",
           "template_view", "upload_loader", "upload_sha256"]
