"""Collector performance for the agency's pay scheme (R-43); definitions in rules/performance.py
and views.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.clock import month_label, next_month
from recoup_shared.errors import Forbidden

from .. import views
from ..context import Ctx
from ..rules import ZERO, fmt_pct
from ..rules.performance import DEFINITIONS, kept_rate
from ..settings import READERS
from . import documents as d


@dataclass(frozen=True)
class PerformanceQuery:
    month: date
    team_id: str | None = None
    client_id: str | None = None
    by_day: bool = False


def _team_of(principal: Principal, team_id: str | None) -> str | None:
    """Object check: a team lead sees their own team only (readers see every team)."""
    if principal.has(*READERS):
        return team_id
    if not principal.team_id or (team_id and team_id != principal.team_id):
        raise Forbidden("a team lead reads their own team's performance only")
    return principal.team_id


async def performance(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, q: PerformanceQuery) -> d.Doc:
    team_id = _team_of(principal, q.team_id)
    start, end = q.month, next_month(q.month)
    rec = await views.recovered(conn, start, end, q.client_id, team_id)
    con = await views.contacts(conn, start, end, q.client_id, team_id, ctx.clock.today())
    daily = await views.daily(conn, start, end, q.client_id, team_id) if q.by_day else []
    rec_by = {r["collector_id"]: r for r in rec if r["collector_id"] is not None}
    con_by = {r["collector_id"]: r for r in con}
    unattributed = next((r for r in rec if r["collector_id"] is None), None)
    ids = sorted(set(rec_by) | set(con_by))
    teams = await views.teams(conn, ids)
    days: dict[str, list[d.Doc]] = {}
    for row in daily:
        days.setdefault(row["collector_id"], []).append({
            "day": row["day"], "contacts": row["contacts"], "calls": row["calls"],
            "effective_contacts": row["effective_contacts"], "ptps_made": row["ptps_made"]})
    out = [_collector(cid, rec_by.get(cid), con_by.get(cid), teams, days.get(cid, []) if q.by_day else None)
           for cid in ids]
    out.sort(key=lambda x: (-x["recovered"], x["collector_id"]))
    unattributed_amount = unattributed["recovered"] if unattributed else ZERO
    return {"month": month_label(start), "team_id": team_id, "client_id": q.client_id,
            "definitions": DEFINITIONS, "collectors": out, "unattributed": unattributed_amount,
            "unattributed_repayments": unattributed["repayments"] if unattributed else 0,
            "total_recovered": sum((x["recovered"] for x in out), ZERO) + unattributed_amount}


def _collector(cid: str, r: Any, c: Any, teams: dict[str, str | None], daily: list[d.Doc] | None) -> d.Doc:
    """One collector's row from their recovered (r) and contact (c) figures, either may be None."""
    kept, decided = (c["ptps_kept"], c["ptps_decided"]) if c else (0, 0)
    rate = kept_rate(kept, decided)
    return {
        "collector_id": cid, "team_id": teams.get(cid) or (r["team_id"] if r else None),
        "recovered": r["recovered"] if r else ZERO, "repayments": r["repayments"] if r else 0,
        "cases_with_repayments": r["cases"] if r else 0, "contacts": c["contacts"] if c else 0,
        "calls": c["calls"] if c else 0, "effective_contacts": c["effective_contacts"] if c else 0,
        "active_days": c["active_days"] if c else 0, "ptps_made": c["ptps_made"] if c else 0,
        "ptps_kept": kept, "ptps_decided": decided, "ptp_kept_rate": rate, "ptp_kept_rate_pct": fmt_pct(rate),
        "daily": daily}
