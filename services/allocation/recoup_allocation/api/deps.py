"""Typed dependencies of this service's routes: Conn (one transaction per request), Context (the
service's Ctx), the role dependencies (R-45) and the keyset cursor of case-id pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from recoup_shared.api import Conn, get_context, roles  # noqa: F401 - Conn re-exported for routes
from recoup_shared.paging import cursor_key, key_text

from ..context import Ctx
from ..settings import ALLOCATE, CASE_READERS, MANAGE, PEOPLE, READERS

Context = Annotated[Ctx, Depends(get_context)]
Allocator = roles(*ALLOCATE)       # preview, commit, manual, rotation, pause/resume
Manager = roles(*MANAGE)           # teams, client rules
Reader = roles(*READERS)           # plans, teams, the pool, reports
CaseReader = roles(*CASE_READERS)  # one case, a collector's worklist
StaffPeople = roles(*PEOPLE)       # a collector's own record


def after_case(cursor: str | None) -> str | None:
    """The case id a page continues after (the `next_cursor` of the previous page)."""
    return cursor_key(cursor, key_text)
