"""Typed dependencies of this service's routes: Conn (one transaction per request), Context (the
service's Ctx) and the role dependencies (R-45, R-26)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Query

from recoup_shared.api import Conn, get_context, roles  # noqa: F401 - Conn re-exported for routes
from recoup_shared.paging import cursor_key, key_datetime, key_int, key_text

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


def time_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    """The (created at, id) key of the newest-first lists."""
    return cursor_key(cursor, key_datetime, key_text)


def text_cursor(cursor: str | None) -> str | None:
    return cursor_key(cursor, key_text)


def int_cursor(cursor: str | None) -> int | None:
    return cursor_key(cursor, key_int(63))
