"""What several use cases share: the object check of statement reads, the client's schedules,
the month-close figures of a set of months."""

from __future__ import annotations

from datetime import date

import asyncpg

from recoup_shared.auth import Principal

from ..rules import FeeSchedule
from ..rules.close import lower_bounds
from ..rules.model import Choice, MonthFigures, Window
from ..store import close, schedules as sched_store


def drafts_allowed(principal: Principal, client_id: str) -> bool:
    """Object check of every statement read (the role check is api/deps.StatementReader): a client
    system reads only its own client's issued statements (OWASP API1), staff readers also drafts."""
    principal.require_client(client_id)
    return not principal.is_client


async def load_schedules(conn: asyncpg.Connection, client_id: str) -> list[FeeSchedule]:
    return [sc for sc, _ in await sched_store.load_schedules(conn, client_id)]


async def month_figures(conn: asyncpg.Connection, client_id: str, specs: list[tuple[date, Choice]],
                        fee_month: date | None) -> dict[date, MonthFigures]:
    """One aggregate per bucket layout (normally one for all the months)."""
    groups: dict[tuple[int, ...], list[tuple[date, Choice]]] = {}
    for month, choice in specs:
        groups.setdefault(lower_bounds(choice.schedule), []).append((month, choice))
    out: dict[date, MonthFigures] = {}
    for bounds, members in groups.items():
        windows = [Window.of(m, c.schedule.cycle_months) for m, c in members]
        fee_window = next((w for w in windows if w.month == fee_month), None)
        for mf in await close.aggregate(conn, client_id, bounds, windows, fee_window):
            out[mf.window.month] = mf
    return out
