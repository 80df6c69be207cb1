"""Typed dependencies of this service's routes: Conn (one transaction per request), Context (the
service's Ctx) and the role dependencies (R-45, R-26)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Query

from recoup_shared.api import Conn, get_context, roles  # noqa: F401 - Conn re-exported for routes
from recoup_shared.errors import UnprocessableInput
from recoup_shared.paging import decode_cursor

from ..context import Ctx
from ..settings import (CLERKS, CONFIG_EDITORS, FILE_READERS, QC_RESOLVERS, QC_SCANNERS, READERS, SMS_SENDERS,
                        TEMPLATE_EDITORS)

Context = Annotated[Ctx, Depends(get_context)]
Clerk = roles(*CLERKS)
TemplateEditor = roles(*TEMPLATE_EDITORS)
ConfigEditor = roles(*CONFIG_EDITORS)
QcScanner = roles(*QC_SCANNERS)
QcResolver = roles(*QC_RESOLVERS)
Reader = roles(*READERS)
FileReader = roles(*FILE_READERS)
SmsSender = roles(*SMS_SENDERS)

# ids in paths: opaque, bounded, never personal data
Id = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")]
ClientId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]
Version = Annotated[int, Path(ge=1, le=1_000_000)]
ClientFilter = Annotated[str | None, Query(min_length=1, max_length=64)]
IdFilter = Annotated[str | None, Query(min_length=1, max_length=64)]


def _bad_cursor() -> UnprocessableInput:
    return UnprocessableInput("invalid cursor", errors=[{"field": "cursor", "reason": "not a cursor this route issued"}])


def time_cursor(cursor: str | None) -> tuple[str, str] | None:
    """The (created_at ISO, id) cursor of the newest-first lists, checked (a forged one is a 422)."""
    after = decode_cursor(cursor)
    if after is None:
        return None
    if not (isinstance(after, list) and len(after) == 2 and all(isinstance(x, str) for x in after)):
        raise _bad_cursor()
    try:
        datetime.fromisoformat(after[0])
    except ValueError:
        raise _bad_cursor() from None
    return after[0], after[1]


def text_cursor(cursor: str | None) -> str | None:
    after = decode_cursor(cursor)
    if after is not None and not isinstance(after, str):
        raise _bad_cursor()
    return after


def int_cursor(cursor: str | None) -> int | None:
    after = decode_cursor(cursor)
    if after is not None and (not isinstance(after, int) or isinstance(after, bool) or not 0 < after < 2**62):
        raise _bad_cursor()
    return after
