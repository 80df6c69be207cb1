"""R-8 SLA report: per client and arrival day, how long cases waited for their first owner."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from fastapi import APIRouter, Query

from recoup_shared.api import Conn
from recoup_shared.errors import Forbidden, Unauthorized, UnprocessableInput, problem_responses

from ..schemas import SlaReport
from ..store import facts
from .deps import Context, Reader

router = APIRouter(prefix="/v1", tags=["reports"])


def sla_deadline(ctx: Any, day: date) -> datetime:
    """R-8: allocated the day it arrives, 1 working day at most → the end (24:00, debtor's zone)
    of the `sla_working_days`-th working day after the arrival day (Chinese calendar)."""
    last_day = ctx.calendar.add_working_days(day, ctx.settings.sla_working_days)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=ctx.tz)


@router.get("/reports/sla", response_model=SlaReport,
            responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
            summary="Allocation SLA per client and arrival day: p50/p95/max wait and breaches")
async def sla_report(p: Reader, conn: Conn, ctx: Context, client_id: str | None = None,
                     date_from: date | None = Query(default=None, description="default: 30 days ago"),
                     date_to: date | None = Query(default=None, description="default: today")) -> Any:
    today = ctx.today()
    day_to = date_to or today
    day_from = date_from or (day_to - timedelta(days=30))
    if day_from > day_to:
        raise UnprocessableInput("date_from is after date_to",
                                 errors=[{"field": "date_from", "reason": "after date_to"}])
    if (day_to - day_from).days > 366:
        raise UnprocessableInput("at most one year per report",
                                 errors=[{"field": "date_from", "reason": "range over 366 days"}])
    tz = ctx.settings.timezone
    days = sorted({r["day"] for r in await facts.sla_days(conn, tz=tz, client_id=client_id,
                                                            day_from=day_from, day_to=day_to)})
    rows = await facts.sla_figures(conn, tz=tz, client_id=client_id, days=days,
                                   deadlines=[sla_deadline(ctx, d) for d in days], now=ctx.now())
    return {"sla_working_days": ctx.settings.sla_working_days, "rows": [{
        "client_id": r["client_id"], "day": r["day"], "deadline": r["deadline"],
        "received": r["received"], "allocated": r["allocated"], "pending": r["pending"],
        "p50_seconds": _f(r["p50"]), "p95_seconds": _f(r["p95"]), "max_seconds": _f(r["max_s"]),
        "breaches": r["breaches"]} for r in rows]}


def _f(v: Any) -> float | None:
    return None if v is None else round(float(v), 3)
