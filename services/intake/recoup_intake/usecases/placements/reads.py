"""Placement reads (R-6): a client system reads its own placements; staff readers
(settings.PLACEMENT_READERS, checked by the route's role dependency) name the client."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.errors import Forbidden, UnprocessableInput
from recoup_shared.paging import encode_cursor, page

from ...context import Ctx
from ...rules.errors import PlacementNotFound
from ...rules.recalls import effective_recall_day
from ...store import placements as store
from ...views import placements as views


def placement_client_id(principal: Principal, client_id: str | None) -> str:
    """Object check: a client system reads its own placements only; staff name the client."""
    if principal.is_client:
        if client_id and client_id != principal.client_id:
            raise Forbidden("this client system may not access another client's data")
        return principal.client_id  # type: ignore[return-value]
    if not client_id:
        raise UnprocessableInput("staff must name the client", errors=[{"field": "client_id", "reason": "required for staff"}])
    return client_id


async def _placement(conn: asyncpg.Connection, principal: Principal, placement_ref: str,
                     client_id: str | None) -> asyncpg.Record:
    cid = placement_client_id(principal, client_id)
    placement = await store.get_placement(conn, cid, placement_ref)
    if placement is None:
        raise PlacementNotFound(f"no placement {placement_ref} for this client")
    return placement


async def list_placements(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, *, client_id: str | None,
                          after: tuple[datetime, str] | None, limit: int) -> dict[str, Any]:
    """The client's placements, newest first (opaque cursor)."""
    rows = await views.list_placements(conn, placement_client_id(principal, client_id), after=after, limit=limit + 1)
    return page(rows, limit, key=lambda r: [r["received_at"].isoformat(), r["placement_id"]])


def _row_page(rows: list[dict[str, Any]], limit: int) -> dict[str, Any]:
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [{"row": e["row"], "field": e["field"], "reason": e["reason"]} for e in rows],
            "next_cursor": encode_cursor(rows[-1]["ordinal"]) if more and rows else None}


async def placement_status(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, placement_ref: str, *,
                           client_id: str | None, errors_after: int | None, errors_limit: int,
                           warnings_after: int | None = None, warnings_limit: int = 100) -> dict[str, Any]:
    """Counts, timings with the R-6 import SLA, the recall (R-5), and a page each of the rejected
    rows and of the accepted rows' warnings (R-4: reconciliation row by row)."""
    p = await _placement(conn, principal, placement_ref, client_id)
    body, rejected, warnings = await views.placement_status(
        conn, p, ctx.settings, errors_after=errors_after, errors_limit=errors_limit,
        warnings_after=warnings_after, warnings_limit=warnings_limit)
    body["rejected_rows"] = _row_page(rejected, errors_limit)
    body["warnings"] = _row_page(warnings, warnings_limit)
    rule = ctx.settings.recall_day_rule(p["client_id"])
    body["recall"] = {  # the placement's end, and the job's run
        "recall_on": p["recall_on"],
        "effective_recall_on": effective_recall_day(p["recall_on"], rule, ctx.calendar.is_working_day),
        "non_working_day_rule": rule, "recalled_at": p["recall_run_at"], "recalled_cases": p["recall_run_cases"],
        "extensions": await store.recall_extensions(conn, p["id"])}
    return body


async def placement_cases(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, placement_ref: str, *,
                          client_id: str | None, after_row: int | None, limit: int) -> dict[str, Any]:
    """Each accepted row, in row order (reconciliation)."""
    p = await _placement(conn, principal, placement_ref, client_id)
    rows = await views.placement_cases(conn, p["id"], after_row=after_row, limit=limit + 1)
    return {"placement_ref": p["placement_ref"], **page(rows, limit, key=lambda r: r["row"])}
