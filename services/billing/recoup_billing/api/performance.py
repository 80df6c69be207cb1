"""Collector performance for the agency's pay scheme (R-43); definitions in store/performance.py."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request

from recoup_shared.auth import Principal, require_roles
from recoup_shared.api import Conn
from recoup_shared.errors import Forbidden, Unauthorized, UnprocessableInput, problem_responses

from .. import schemas as s
from ..closing import month_label
from ..rules import fmt_pct, recovery_rate
from ..store import performance as store
from ..store.close import ZERO, add_months
from .deps import PERFORMANCE_READERS, READERS, business_today, parse_month

router = APIRouter(prefix="/v1/performance", tags=["collector performance"])

Reader = Annotated[Principal, Depends(require_roles(*PERFORMANCE_READERS))]

DEFINITIONS = {
    "recovered": "repayments counted for billing (paid while the case was placed) with paid_on in the month, "
                 "attributed to the case's owner at paid_at (ownership interval from case.allocated)",
    "unattributed": "counted repayments when no collector owned the case at paid_at",
    "calls": "contact records with channel call or inbound_call, by the day logged",
    "effective_contacts": "contact records marked effective (connected, R-15)",
    "ptps_made": "contact records carrying a promise to pay (or the first instalment of a plan)",
    "ptp_kept_rate": "kept ÷ decided; kept (R-23) = the case's repayments from the promise day to the due "
                     "date reach the promised amount; decided = kept or due date passed",
}


def _kept_rate(kept: int, decided: int) -> Decimal | None:
    # a count ratio, truncated to 4 places like recovery rates (recovery_rate works on any
    # non-negative 2-place amounts)
    return recovery_rate(Decimal(kept), Decimal(decided)) if decided else None


@router.get("/{month}", response_model=s.PerformanceOut,
            summary="Recovered amount, calls, effective contacts, PTPs and PTP-kept rate per collector",
            responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput))
async def performance(month: Annotated[str, Path(description="YYYY-MM")], conn: Conn, request: Request,
                      who: Reader, team_id: Annotated[str | None, Query(max_length=64)] = None,
                      client_id: Annotated[str | None, Query(max_length=64)] = None,
                      by_day: bool = False) -> s.PerformanceOut:
    start = parse_month(month)
    if not who.has(*READERS):  # a team lead sees their own team only
        if not who.team_id or (team_id and team_id != who.team_id):
            raise Forbidden("a team lead reads their own team's performance only")
        team_id = who.team_id
    end = add_months(start, 1)
    rec = await store.recovered(conn, start, end, client_id, team_id)
    con = await store.contacts(conn, start, end, client_id, team_id, business_today(request))
    daily = await store.daily(conn, start, end, client_id, team_id) if by_day else []
    rec_by = {r["collector_id"]: r for r in rec if r["collector_id"] is not None}
    con_by = {r["collector_id"]: r for r in con}
    unattributed = next((r for r in rec if r["collector_id"] is None), None)
    ids = sorted(set(rec_by) | set(con_by))
    teams = await store.teams(conn, ids)
    days: dict[str, list[s.CollectorDayOut]] = {}
    for d in daily:
        days.setdefault(d["collector_id"], []).append(s.CollectorDayOut(
            day=d["day"], contacts=d["contacts"], calls=d["calls"],
            effective_contacts=d["effective_contacts"], ptps_made=d["ptps_made"]))
    out = []
    for cid in ids:
        r, c = rec_by.get(cid), con_by.get(cid)
        kept, decided = (c["ptps_kept"], c["ptps_decided"]) if c else (0, 0)
        rate = _kept_rate(kept, decided)
        out.append(s.CollectorPerformanceOut(
            collector_id=cid, team_id=teams.get(cid) or (r["team_id"] if r else None),
            recovered=r["recovered"] if r else ZERO, repayments=r["repayments"] if r else 0,
            cases_with_repayments=r["cases"] if r else 0, contacts=c["contacts"] if c else 0,
            calls=c["calls"] if c else 0, effective_contacts=c["effective_contacts"] if c else 0,
            active_days=c["active_days"] if c else 0, ptps_made=c["ptps_made"] if c else 0,
            ptps_kept=kept, ptps_decided=decided, ptp_kept_rate=rate, ptp_kept_rate_pct=fmt_pct(rate),
            daily=days.get(cid, []) if by_day else None))
    out.sort(key=lambda x: (-x.recovered, x.collector_id))
    total = sum((x.recovered for x in out), ZERO) + (unattributed["recovered"] if unattributed else ZERO)
    return s.PerformanceOut(
        month=month_label(start), team_id=team_id, client_id=client_id, definitions=DEFINITIONS,
        collectors=out, unattributed=unattributed["recovered"] if unattributed else ZERO,
        unattributed_repayments=unattributed["repayments"] if unattributed else 0, total_recovered=total)
