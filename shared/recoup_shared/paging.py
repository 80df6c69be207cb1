"""One paging style for every list: an opaque cursor and a page.

A cursor is the position after the last row returned (its sort key), serialised and base64url
encoded: clients pass it back verbatim and never build one. A cursor that does not decode is a
422 on the `cursor` field, never a 500.

    after = cursor_key(cursor, key_date, key_text)   # None for the first page, else the key
    rows = await views.list_cases(conn, after=after, limit=limit + 1)
    return page(rows, limit, key=lambda r: [r["next_follow_up"], r["case_id"]])
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from datetime import date, datetime
from uuid import UUID
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


# --- typed keys: what a route reads back from a cursor ----------------------------------------
# A cursor comes from outside: its key is checked part by part, so a forged one is a 422 on the
# field, never a 500 further down (an int beyond the column, a NUL, a date that is not one).

def key_text(v: Any) -> str:
    if not isinstance(v, str) or "\x00" in v or len(v) > 512:
        raise ValueError("not text")
    return v


def key_int(bits: int = 64) -> Callable[[Any], int]:
    def parse(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int) or not -2 ** (bits - 1) <= v < 2 ** (bits - 1):
            raise ValueError(f"not an int{bits}")
        return v
    return parse


def key_date(v: Any) -> date:
    return date.fromisoformat(key_text(v))


def key_datetime(v: Any) -> datetime:
    moment = datetime.fromisoformat(key_text(v))
    if moment.tzinfo is None:
        raise ValueError("not an aware datetime")
    return moment


def key_uuid(v: Any) -> UUID:
    return UUID(key_text(v))


def cursor_key(cursor: str | None, *parts: Callable[[Any], Any], field: str = "cursor") -> Any:
    """The key a cursor of this route holds: None for the first page; one part → the value, several
    parts → a tuple (the cursor holds a list); anything else → 422 on `field`."""
    key = decode_cursor(cursor)
    if key is None:
        return None
    try:
        if len(parts) == 1:
            return parts[0](key)
        if not isinstance(key, list) or len(key) != len(parts):
            raise ValueError("wrong shape")
        return tuple(part(v) for part, v in zip(parts, key))
    except (TypeError, ValueError, OverflowError):
        raise UnprocessableInput("invalid cursor", errors=[
            {"field": field, "reason": "not a cursor this route issued"}]) from None


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = None


def page(rows: Sequence[T], limit: int, *, key: Callable[[T], Any]) -> dict[str, Any]:
    """`rows` fetched with `limit + 1`: the extra row only says whether a next page exists."""
    items = list(rows[:limit])
    more = len(rows) > limit
    return {"items": items, "next_cursor": encode_cursor(key(items[-1])) if more and items else None}
