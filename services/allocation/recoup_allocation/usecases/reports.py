"""R-8 SLA report: per client and arrival day, how long cases waited for their first owner."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import asyncpg

from recoup_shared.auth import Principal

from .. import views
from ..context import Ctx
from ..rules import sla_deadline
from ..rules.errors import required_field
from .scope import check_client_visible, reading_team

MAX_DAYS = 366


async def sla_report(conn: asyncpg.Connection, ctx: Ctx, p: Principal, *, client_id: str | None,
                     date_from: date | None, date_to: date | None) -> dict[str, Any]:
    """Default range: the last 30 days to business today."""
    day_to = date_to or ctx.clock.today()
    day_from = date_from or (day_to - timedelta(days=30))
    if day_from > day_to:
        raise required_field("date_from", "after date_to", "date_from is after date_to")
    if (day_to - day_from).days > MAX_DAYS:
        raise required_field("date_from", "range over 366 days", "at most one year per report")
    team = await reading_team(conn, p)  # a team lead: the clients whose rules allow their team
    if client_id is not None:
        await check_client_visible(conn, client_id, team)
    s, zone = ctx.settings, ctx.clock.zone
    days = await views.reports.sla_days(conn, tz=s.timezone, client_id=client_id,
                                        day_from=day_from, day_to=day_to, team=team)
    rows = await views.reports.sla_figures(
        conn, tz=s.timezone, client_id=client_id, days=days,
        deadlines=[sla_deadline(d, ctx.calendar, s.sla_working_days, zone) for d in days],
        now=ctx.clock.now(), team=team)
    return {"sla_working_days": s.sla_working_days, "rows": views.reports.sla_rows(rows)}
