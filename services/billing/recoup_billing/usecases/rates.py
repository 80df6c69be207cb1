"""Recovery rates per client, bucket, month and cycle, with the formula and inputs (R-40, R-42)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.clock import add_months, month_label

from ..context import Ctx
from ..rules import explain_recovery_rate, fmt_pct
from ..rules.close import RATES_FORMULA, choose_schedule, rate_shown
from ..rules.errors import NoFeeSchedule
from ..rules.model import Choice, Figures, MonthFigures
from ..store import close
from . import documents as d
from .common import load_schedules, month_figures


@dataclass(frozen=True)
class RatesQuery:
    client_id: str
    month: date
    history: int = 0   # also the N months before (those without a schedule are left out)


async def recovery_rates(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, q: RatesQuery) -> d.Doc:
    await close.tune(conn, ctx.settings.close_work_mem or None)
    schedules = await load_schedules(conn, q.client_id)
    fallback = ctx.settings.default_schedule_fallback
    target = choose_schedule(schedules, q.month, q.client_id, fallback=fallback)  # 409: the month has none
    specs: list[tuple[date, Choice]] = []
    for j in range(q.history, 0, -1):
        m = add_months(q.month, -j)
        try:
            specs.append((m, choose_schedule(schedules, m, q.client_id, fallback=fallback)))
        except NoFeeSchedule:
            continue
    specs.append((q.month, target))
    figures = await month_figures(conn, q.client_id, specs, fee_month=None)
    return {"client_id": q.client_id, "formula": RATES_FORMULA,
            "months": [_month(m, choice, figures[m]) for m, choice in specs]}


def _month(m: date, choice: Choice, mf: MonthFigures) -> d.Doc:
    buckets = []
    tot = Figures()
    for pos, terms in enumerate(choice.schedule.buckets, start=1):
        f = mf.bucket(pos)
        buckets.append(_rate_bucket(terms.name, terms.dpd_min, terms.dpd_max, f,
                                    terms.benchmark_rate, terms.minimum_rate))
        tot.cases += f.cases
        tot.cycle_n += f.cycle_n
        tot.placed += f.placed
        tot.excluded += f.excluded
        tot.cycle += f.cycle
    return {"month": month_label(m), "schedule_version": choice.schedule.version,
            "schedule_source": choice.source, "cycle": d.cycle_doc(mf.window), "buckets": buckets,
            "total": _rate_bucket("total", 0, None, tot, Decimal(0), Decimal(0))}


def _rate_bucket(name: str, dpd_min: int, dpd_max: int | None, f: Figures, benchmark: Decimal,
                 minimum: Decimal) -> d.Doc:
    expl = explain_recovery_rate(f.cycle, f.placed, f.excluded)
    return {"bucket": name, "dpd_min": dpd_min, "dpd_max": dpd_max, "cases": f.cases, "repayments": f.cycle_n,
            "placed_before_exclusions": f.placed, "excluded_placed": f.excluded, "placed": expl.placed,
            "recovered_in_cycle": f.cycle, "recovery_rate": expl.rate, "recovery_rate_pct": fmt_pct(expl.rate),
            "benchmark": rate_shown(benchmark), "minimum": rate_shown(minimum), "formula": expl.formula}
