"""Recovery rates per client, bucket, month and cycle, with the formula and inputs (R-40, R-42)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import asyncpg

from .. import schemas as s
from ..rules import explain_recovery_rate, fmt_pct
from ..store import close
from ..store.close import Figures, add_months
from .statement import (COHORT_DEFINITION, Choice, CloseConfig, NoFeeSchedule, _figures, cycle_out,
                        load_schedules, month_label, rate_shown, resolve)


async def recovery_rates(conn: asyncpg.Connection, cfg: CloseConfig, client_id: str, month: date,
                         history: int) -> s.RecoveryRatesOut:
    await close.tune(conn, cfg.work_mem)
    schedules = await load_schedules(conn, client_id)
    target = resolve(schedules, month, client_id, cfg)  # 409 when the month itself has none
    specs: list[tuple[date, Choice]] = []
    for j in range(history, 0, -1):
        m = add_months(month, -j)
        try:
            specs.append((m, resolve(schedules, m, client_id, cfg)))
        except NoFeeSchedule:
            continue
    specs.append((month, target))
    figures = await _figures(conn, client_id, specs, fee_month=None)
    months = []
    for m, choice in specs:
        mf = figures[m]
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
        total = _rate_bucket("total", 0, None, tot, Decimal(0), Decimal(0))
        months.append(s.RateMonthOut(month=month_label(m), schedule_version=choice.schedule.version,
                                     schedule_source=choice.source, cycle=cycle_out(mf.window),
                                     buckets=buckets, total=total))
    return s.RecoveryRatesOut(
        client_id=client_id,
        formula="recovery rate = repaid in cycle ÷ (placed − excluded), truncated to 0.01% (R-40, R-42). "
                + COHORT_DEFINITION,
        months=months)


def _rate_bucket(name: str, dpd_min: int, dpd_max: int | None, f: Figures, benchmark: Decimal,
                 minimum: Decimal) -> s.RateBucketOut:
    expl = explain_recovery_rate(f.cycle, f.placed, f.excluded)
    return s.RateBucketOut(
        bucket=name, dpd_min=dpd_min, dpd_max=dpd_max, cases=f.cases, repayments=f.cycle_n,
        placed_before_exclusions=f.placed, excluded_placed=f.excluded, placed=expl.placed,
        recovered_in_cycle=f.cycle, recovery_rate=expl.rate, recovery_rate_pct=fmt_pct(expl.rate),
        benchmark=rate_shown(benchmark), minimum=rate_shown(minimum), formula=expl.formula)
