"""Typed dependencies of billing's routes: Conn (one transaction per request), Context (the
service's Ctx), the role dependencies (R-45), and the parsed path and query values — a month,
a client id, a revision, a page's keyset — so a route receives typed values and a malformed one
is a 422 at the edge."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Path, Query

from recoup_shared.api import Conn, get_context, roles  # noqa: F401 - Conn re-exported for routes
from recoup_shared.auth import Authenticated, Principal
from recoup_shared.clock import parse_month
from recoup_shared.errors import UnprocessableInput
from recoup_shared.paging import Cursor, cursor_key, key_date, key_int, key_text, key_uuid

from ..context import Ctx
from ..settings import EXCLUSION_WRITERS, FINANCE, PERFORMANCE_READERS, READERS

Context = Annotated[Ctx, Depends(get_context)]

Finance = roles(*FINANCE)                        # fee schedules, issue, re-issue
Reader = roles(*READERS)                         # drafts, rates, exclusions
ExclusionWriter = roles(*EXCLUSION_WRITERS)
PerformanceReader = roles(*PERFORMANCE_READERS)  # a team lead: own team (use case)


async def _statement_reader(p: Authenticated) -> Principal:
    """Statement reads: staff readers, and client systems — which reach only their own client's
    issued statements (the object check is in the use case)."""
    return p if p.is_client else p.require(*READERS)


StatementReader = Annotated[Principal, Depends(_statement_reader)]

ClientId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]
Bucket = Annotated[str, Path(max_length=40, description="a bucket name, or its position 1..n")]
# issue 14.5: every integer parameter is bounded (PostgreSQL integer), so a huge one is a 422
Revision = Annotated[int | None, Query(ge=1, le=2_147_483_647,
                                       description="an issued revision; default: the current one")]
History = Annotated[int, Query(ge=0, le=23, description="also the N months before")]
# A page of spells fetches every repayment of those spells: pages stay at 500 rows at most.
PageLimit = Annotated[int, Query(ge=1, le=500, description="rows per page")]


def _month(value: str, field: str) -> date:
    try:
        return parse_month(value)
    except ValueError:
        raise UnprocessableInput(f"{field} must be YYYY-MM (e.g. 2026-11), got {value!r}",
                                 errors=[{"field": field, "reason": "expected YYYY-MM, month 01-12"}]) from None


def _month_path(month: Annotated[str, Path(description="YYYY-MM", examples=["2026-11"])]) -> date:
    return _month(month, "month")


def _month_query(month: Annotated[str, Query(description="YYYY-MM")]) -> date:
    return _month(month, "month")


MonthPath = Annotated[date, Depends(_month_path)]
MonthQuery = Annotated[date, Depends(_month_query)]


# --- keyset cursors: the opaque `cursor` of recoup_shared.paging, decoded to a typed key --------

def _after_statement(cursor: Cursor = None) -> tuple[date, int] | None:
    return cursor_key(cursor, key_date, key_int(32))


def _after_spell(cursor: Cursor = None) -> tuple[UUID, str] | None:
    return cursor_key(cursor, key_uuid, key_text)


def _after_repayment(cursor: Cursor = None) -> tuple[date, str] | None:
    return cursor_key(cursor, key_date, key_text)


def _after_exclusion(cursor: Cursor = None) -> int | None:
    return cursor_key(cursor, key_int(64))


AfterStatement = Annotated[tuple[date, int] | None, Depends(_after_statement)]
AfterSpell = Annotated[tuple[UUID, str] | None, Depends(_after_spell)]
AfterRepayment = Annotated[tuple[date, str] | None, Depends(_after_repayment)]
AfterExclusion = Annotated[int | None, Depends(_after_exclusion)]
