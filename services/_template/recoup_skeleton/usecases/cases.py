"""Reading the cases this service has seen."""

from __future__ import annotations

from typing import Any

import asyncpg

from recoup_shared.auth import Principal

from .. import views
from ..context import Ctx
from ..rules.errors import CaseNotFound


async def get_case(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str) -> dict[str, Any]:
    case = await views.case_detail(conn, case_id)
    if case is None:
        raise CaseNotFound(f"case {case_id} is unknown here")
    return case
