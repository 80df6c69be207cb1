"""What every intake route needs: JSON answers with exact money, the raw-body JSON reader, the
documented request bodies, and the placement access rule (own client, or staff readers)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson
from fastapi import Request, Response
from pydantic import BaseModel

from recoup_shared.auth import Principal
from recoup_shared.errors import Forbidden, UnprocessableInput

from ..inputs import check_json_content_type, decode_json


def _default(o: Any) -> Any:
    if isinstance(o, Decimal):
        return str(o)
    if isinstance(o, (uuid.UUID,)):
        return str(o)
    if isinstance(o, (set, frozenset)):
        return sorted(o)
    raise TypeError(type(o).__name__)


class JSONAnswer(Response):
    """orjson; Decimal as a string (money never becomes a float), datetimes ISO 8601."""
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, default=_default, option=orjson.OPT_NON_STR_KEYS)


async def read_json(request: Request) -> Any:
    """415 unless JSON; 400 when malformed. Decoding runs off the event loop (bodies of 100 MB)."""
    check_json_content_type(request.headers.get("content-type"))
    body = await request.body()
    if len(body) > 1_000_000:
        return await asyncio.to_thread(decode_json, body)
    return decode_json(body)


def correlation_id(request: Request) -> str | None:
    return request.scope.get("state", {}).get("correlation_id")


def _inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.split("/")[-1]]))
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(schema)


def json_body(model: type[BaseModel], description: str) -> dict[str, Any]:
    """openapi_extra documenting a JSON body the route reads itself (leniently)."""
    return {"requestBody": {"required": True, "description": description, "content": {
        "application/json": {"schema": _inline_refs(model.model_json_schema())}}}}


def placement_client_id(principal: Principal, client_id: str | None, reader_roles: frozenset[str]) -> str:
    """A client system reads its own placements only; staff readers name the client."""
    if principal.is_client:
        if client_id and client_id != principal.client_id:
            raise Forbidden("this client system may not access another client's data")
        return principal.client_id  # type: ignore[return-value]
    if not principal.has(*reader_roles):
        raise Forbidden("requires a client system token or one of the roles: " + ", ".join(sorted(reader_roles)))
    if not client_id:
        raise UnprocessableInput("staff must name the client", errors=[{"field": "client_id", "reason": "required for staff"}])
    return client_id


def iso(d: date | datetime | None) -> str | None:
    return d.isoformat() if d is not None else None
