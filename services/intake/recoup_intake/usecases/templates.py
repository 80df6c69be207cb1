"""Import templates (R-3).

Ownership: templates are agency configuration, written by data specialists and admins for a
client (settings.TEMPLATE_WRITERS, checked by the route's role dependency); a client system may
list and read its own templates (to know what columns to send) but not write them — a bad mapping
would silently misplace personal data into the wrong fields. Versions are immutable: a change is a
new version, and a placement records the version it was read with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import asyncpg
from pydantic import ValidationError

from recoup_shared.auth import Principal
from recoup_shared.errors import UnprocessableInput

from ..context import Ctx
from ..rules.errors import TemplateNotFound, UnknownTemplate
from ..rules.templates import ImportTemplate
from ..store import templates as store
from ..views import templates as views

RESERVED_KEYS = ("client_id", "name", "version")


@dataclass(frozen=True)
class NewTemplate:
    client_id: str
    name: str
    definition: dict[str, Any]
    description: str | None


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


async def create_template(conn: asyncpg.Connection, ctx: Ctx, principal: Principal,
                          cmd: NewTemplate) -> dict[str, Any]:
    """The next version of a client's template (validated before it is stored)."""
    build_template(cmd.client_id, cmd.name, 1, cmd.definition)
    row = await store.create_version(conn, client_id=cmd.client_id, name=cmd.name, definition=cmd.definition,
                                     description=cmd.description, created_by=principal.sub)
    return views.template_view(row, with_definition=True)


def may_read(principal: Principal, client_id: str) -> None:
    """A client system reads its own templates; every staff role may read templates (they are
    configuration, not personal data)."""
    if principal.is_client:
        principal.require_client(client_id)


async def list_templates(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, client_id: str) -> list[dict[str, Any]]:
    may_read(principal, client_id)
    return await views.list_templates(conn, client_id)


async def get_template(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, client_id: str, name: str,
                       version: int | None) -> dict[str, Any]:
    """A version of a template, the latest when `version` is None."""
    may_read(principal, client_id)
    row = await store.get_version(conn, client_id, name, version)
    if row is None:
        raise TemplateNotFound("no such template (or version)")
    return views.template_view(row, with_definition=True)


async def load_template(conn: asyncpg.Connection, client_id: str, name: str,
                        version: int | None) -> tuple[ImportTemplate, int]:
    """The template an upload names (422 when the client has no such template)."""
    row = await store.get_version(conn, client_id, name, version)
    if row is None:
        what = f"{name} version {version}" if version else name
        raise UnknownTemplate(f"no import template {what} for this client",
                              errors=[{"field": "template", "reason": "unknown template (or version)"}])
    return build_template(client_id, name, row["version"], row["definition"]), row["version"]
