"""Keyset cursors of the time-ordered lists (records, disputes, complaints, claims, flags): the
opaque cursor of recoup_shared.paging holding [ISO moment, id]."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from recoup_shared.errors import UnprocessableInput
from recoup_shared.paging import decode_cursor, encode_cursor


def after(cursor: str | None, second: Callable[[Any], Any] = UUID) -> tuple[datetime, Any] | None:
    key = decode_cursor(cursor)
    if key is None:
        return None
    try:
        moment = datetime.fromisoformat(key[0])
        if moment.tzinfo is None:
            raise ValueError("naive")
        return moment, second(key[1])
    except (TypeError, ValueError, IndexError, KeyError, AttributeError):
        raise UnprocessableInput("invalid cursor", errors=[
            {"field": "cursor", "reason": "not a cursor of this list"}]) from None


def page(items: list[dict[str, Any]], limit: int, time_key: str, id_key: str) -> dict[str, Any]:
    """`items` fetched with limit + 1."""
    more = len(items) > limit
    items = items[:limit]
    nxt = encode_cursor([items[-1][time_key].isoformat(), str(items[-1][id_key])]) if more and items else None
    return {"items": items, "next_cursor": nxt}
