"""One paging style for every list: an opaque cursor and a page.

A cursor is the position after the last row returned (its sort key), serialised and base64url
encoded: clients pass it back verbatim and never build one. A cursor that does not decode is a
422 on the `cursor` field, never a 500.

    after = decode_cursor(cursor)            # None for the first page, else the stored key
    rows = await views.list_cases(conn, after=after, limit=limit + 1)
    return page(rows, limit, key=lambda r: [r["next_follow_up"], r["case_id"]])
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

import orjson
from fastapi import Query
from pydantic import BaseModel

from .errors import UnprocessableInput

T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="rows per page")]
Cursor = Annotated[str | None, Query(max_length=2048, description="opaque: the `next_cursor` of the previous page")]


def _default(o: Any) -> Any:
    return str(o)


def encode_cursor(key: Any) -> str | None:
    """The sort key of the last row (any JSON-able value) → an opaque string."""
    if key is None:
        return None
    raw = orjson.dumps(key, default=_default)
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> Any:
    if not cursor:
        return None
    try:
        raw = base64.b64decode(cursor + "=" * (-len(cursor) % 4), altchars=b"-_", validate=True)
        return orjson.loads(raw)
    except (ValueError, orjson.JSONDecodeError):
        raise UnprocessableInput("invalid cursor", errors=[
            {"field": "cursor", "reason": "not a cursor this service issued"}]) from None


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def page(rows: Sequence[T], limit: int, *, key: Callable[[T], Any]) -> dict[str, Any]:
    """`rows` fetched with `limit + 1`: the extra row only says whether a next page exists."""
    items = list(rows[:limit])
    more = len(rows) > limit
    return {"items": items, "next_cursor": encode_cursor(key(items[-1])) if more and items else None}
