"""Typed dependencies of this service's routes: Conn (one transaction per request), Context (the
service's Ctx) and the role dependencies (R-45)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from recoup_shared.api import Conn, get_context, roles  # noqa: F401 - Conn re-exported for routes

from ..context import Ctx
from ..settings import CASE_READERS

Context = Annotated[Ctx, Depends(get_context)]
CaseReader = roles(*CASE_READERS)
