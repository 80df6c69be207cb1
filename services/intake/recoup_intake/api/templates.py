"""Import templates (R-3): staff write versions for a client; the client system may read its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from recoup_shared.auth import Authenticated
from recoup_shared.api import Conn
from recoup_shared.errors import Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses

from ..schemas import TemplateIn, TemplateListOut, TemplateOut
from ..store import templates as store
from ..usecases.templates import create_template, get_template, template_view
from .common import JSONAnswer

router = APIRouter(tags=["import templates"])

ClientIdPath = Annotated[str, Path(min_length=1, max_length=64)]


def _may_read(principal, client_id: str) -> None:
    if principal.is_client:
        principal.require_client(client_id)
    # every staff role may read templates: they are configuration, not personal data


@router.post(
    "/v1/import-templates/{client_id}", status_code=201, response_model=TemplateOut,
    summary="Create the next version of a client's import template (data specialists, admins)",
    responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
)
async def post_template(request: Request, client_id: ClientIdPath, body: TemplateIn,
                        principal: Authenticated, conn: Conn) -> JSONAnswer:
    writers = request.app.state.settings.template_writer_roles
    if principal.is_client or not principal.has(*writers):
        raise Forbidden("import templates are written by: " + ", ".join(sorted(writers)))
    row = await create_template(conn, client_id=client_id, name=body.name, definition=body.definition,
                                description=body.description, created_by=principal.sub)
    return JSONAnswer(template_view(row, with_definition=True), status_code=201)


@router.get(
    "/v1/import-templates/{client_id}", response_model=TemplateListOut,
    summary="Every template version of a client", responses=problem_responses(Unauthorized, Forbidden),
)
async def list_templates(client_id: ClientIdPath, principal: Authenticated, conn: Conn) -> JSONAnswer:
    _may_read(principal, client_id)
    rows = await store.list_templates(conn, client_id)
    return JSONAnswer({"items": [template_view(r, with_definition=False) for r in rows]})


@router.get(
    "/v1/import-templates/{client_id}/{name}", response_model=TemplateOut,
    summary="The latest version of a template", responses=problem_responses(Unauthorized, Forbidden, NotFound),
)
async def latest_template(client_id: ClientIdPath, name: str, principal: Authenticated, conn: Conn) -> JSONAnswer:
    _may_read(principal, client_id)
    return JSONAnswer(await get_template(conn, client_id, name, None))


@router.get(
    "/v1/import-templates/{client_id}/{name}/{version}", response_model=TemplateOut,
    summary="One version of a template", responses=problem_responses(Unauthorized, Forbidden, NotFound),
)
async def template_version(client_id: ClientIdPath, name: str, version: Annotated[int, Path(ge=1)],
                           principal: Authenticated, conn: Conn) -> JSONAnswer:
    _may_read(principal, client_id)
    return JSONAnswer(await get_template(conn, client_id, name, version))
