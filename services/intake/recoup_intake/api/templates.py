"""Import templates (R-3): staff write versions for a client; the client system may read its own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from recoup_shared.errors import Forbidden, Unauthorized, UnprocessableInput, problem_responses

from ..rules.errors import TemplateNotFound
from ..schemas import TemplateIn, TemplateListOut, TemplateOut
from ..usecases.templates import NewTemplate, create_template, get_template, list_templates
from .common import JSONAnswer
from .deps import Authenticated, Conn, Context, TemplateWriter

router = APIRouter(tags=["import templates"])

ClientIdPath = Annotated[str, Path(min_length=1, max_length=64)]
NamePath = Annotated[str, Path(min_length=1, max_length=100)]
# issue 14: every integer parameter bounded (a version is a PostgreSQL integer)
VersionPath = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.post(
    "/v1/import-templates/{client_id}", status_code=201, response_model=TemplateOut,
    summary="Create the next version of a client's import template (data specialists, admins)",
    responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
)
async def post_template(client_id: ClientIdPath, body: TemplateIn, principal: TemplateWriter, conn: Conn,
                        ctx: Context) -> JSONAnswer:
    definition = body.definition.model_dump(mode="json", exclude_unset=True)  # as written
    cmd = NewTemplate(client_id=client_id, name=body.name, definition=definition, description=body.description)
    return JSONAnswer(await create_template(conn, ctx, principal, cmd), status_code=201)


@router.get(
    "/v1/import-templates/{client_id}", response_model=TemplateListOut,
    summary="Every template version of a client", responses=problem_responses(Unauthorized, Forbidden),
)
async def get_templates(client_id: ClientIdPath, principal: Authenticated, conn: Conn, ctx: Context) -> JSONAnswer:
    return JSONAnswer({"items": await list_templates(conn, ctx, principal, client_id)})


@router.get(
    "/v1/import-templates/{client_id}/{name}", response_model=TemplateOut,
    summary="The latest version of a template",
    responses=problem_responses(Unauthorized, Forbidden, TemplateNotFound),
)
async def latest_template(client_id: ClientIdPath, name: NamePath, principal: Authenticated, conn: Conn,
                          ctx: Context) -> JSONAnswer:
    return JSONAnswer(await get_template(conn, ctx, principal, client_id, name, None))


@router.get(
    "/v1/import-templates/{client_id}/{name}/{version}", response_model=TemplateOut,
    summary="One version of a template",
    responses=problem_responses(Unauthorized, Forbidden, TemplateNotFound),
)
async def template_version(client_id: ClientIdPath, name: NamePath, version: VersionPath,
                           principal: Authenticated, conn: Conn, ctx: Context) -> JSONAnswer:
    return JSONAnswer(await get_template(conn, ctx, principal, client_id, name, version))
