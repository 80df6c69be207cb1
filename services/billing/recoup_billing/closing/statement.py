"""Month close use cases: draft statements, issue and re-issue, issued reads.

The figures come from store.close (SQL, set-based; definitions in its docstring); the fee
arithmetic from the pure rules (R-39..R-44). A draft is computed on every read; an issued
revision is frozen with its lines, the spells behind them and the repayments not counted.

No fee schedule: a client without a schedule in force for the month gets 409 (problem type
``no-fee-schedule``) unless ``BillingSettings.default_schedule_fallback`` is on (off by default);
then the built-in ``rules.default_schedule`` is used and the statement says ``source: default``.
Guessing a client's fee rates would bill with numbers nobody agreed to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

import asyncpg

from recoup_shared.errors import Conflict, NotFound

from .. import schemas as s
from ..rules import (
    BucketInput,
    FeeSchedule,
    StatementLine,
    compute_statement,
    consecutive_months_below_minimum,
    default_schedule,
    explain_recovery_rate,
    fmt_pct,
    schedule_from_dict,
    schedule_to_dict,
)
from ..store import close, schedules as sched_store, statements as st_store
from ..store.close import Figures, MonthFigures, Window, add_months


class NoFeeSchedule(Conflict):
    type, title = "no-fee-schedule", "No fee schedule"


class AlreadyIssued(Conflict):
    type, title = "statement-already-issued", "Statement already issued"


class NotIssued(Conflict):
    type, title = "statement-not-issued", "Statement not issued"


class MonthNotOver(Conflict):
    type, title = "month-not-over", "The month is not over"


COHORT_DEFINITION = (
    "Cycle window = the schedule's cycle_months calendar months ending with the statement month. "
    "Cohort = placement spells of the client placed (placed_on) in the window; placed = their placed "
    "amounts as of the end of the month (latest balance change effective by then), minus R-42 "
    "exclusions of spells placed in the window's first month (their cycle completes in this statement). "
    "Repaid in cycle = repayments of the cohort paid in the window while the case was placed. "
    "Recovered (fee base) = repayments paid in the statement month while the case was placed, "
    "whatever month it was placed in. Recovery rate = repaid in cycle / placed, truncated to 0.01%."
)

NOT_COUNTED_RULE = (
    "A repayment counts in the month it was received (paid_on, business date) if the case was placed "
    "at the time: placed_on <= paid_on <= recall date (else the scheduled recall_on). Repayments for a "
    "recalled case after the recall, after the placement ended, before placement, or for a case billing "
    "has not received are listed here with the reason and not billed."
)


@dataclass(frozen=True)
class CloseConfig:
    default_schedule_fallback: bool = False
    not_counted_sample: int = 50
    allow_issue_open_month: bool = False
    work_mem: str | None = "256MB"  # for the month-close hash joins; transaction-local


@dataclass(frozen=True)
class Choice:
    schedule: FeeSchedule
    source: str  # configured | default


def month_label(m: date) -> str:
    return f"{m.year:04d}-{m.month:02d}"


def resolve(schedules: list[FeeSchedule], month: date, client_id: str, cfg: CloseConfig) -> Choice:
    """The version in force on the month's first day (one month, one version)."""
    found = sched_store.in_force(schedules, month)
    if found is not None:
        return Choice(found, "configured")
    if cfg.default_schedule_fallback:
        return Choice(default_schedule(client_id), "default")
    raise NoFeeSchedule(f"client {client_id} has no fee schedule in force on {month.isoformat()}; "
                        f"PUT /v1/fee-schedules/{client_id} first")


def lower_bounds(schedule: FeeSchedule) -> tuple[int, ...]:
    return tuple(b.dpd_min for b in schedule.buckets)


async def load_schedules(conn: asyncpg.Connection, client_id: str) -> list[FeeSchedule]:
    return [sc for sc, _ in await sched_store.load_schedules(conn, client_id)]


def cycle_out(w: Window) -> s.CycleOut:
    return s.CycleOut(month_start=w.month, month_end=date.fromordinal(add_months(w.month, 1).toordinal() - 1),
                      window_start=w.start, window_end=date.fromordinal(w.end.toordinal() - 1),
                      definition=COHORT_DEFINITION)


def schedule_ref(choice: Choice) -> s.ScheduleRef:
    sc = choice.schedule
    return s.ScheduleRef(version=sc.version, source=choice.source, effective_from=sc.effective_from,
                         rounding=sc.rounding, reduction_mode=sc.reduction_mode.value,
                         reduction_pct=sc.reduction_pct, cycle_months=sc.cycle_months,
                         consecutive_months_to_zero=sc.consecutive_months_to_zero)


async def _figures(conn: asyncpg.Connection, client_id: str, specs: list[tuple[date, Choice]],
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


def _rate_of(f: Figures) -> Decimal | None:
    return explain_recovery_rate(f.cycle, f.placed, f.excluded).rate


@dataclass
class Draft:
    out: s.StatementOut
    choice: Choice
    window: Window
    lines: tuple[StatementLine, ...]
    counts: list[tuple[int, int]]  # (cases, repayments) per line


async def compute_draft(conn: asyncpg.Connection, cfg: CloseConfig, client_id: str,
                        month: date) -> Draft:
    await close.tune(conn, cfg.work_mem)
    schedules = await load_schedules(conn, client_id)
    choice = resolve(schedules, month, client_id, cfg)
    schedule = choice.schedule
    # the run of months below minimum needs the previous (limit - 1) months; issued ones
    # are taken as issued (what the client was told), the others computed the same way.
    hist_months = [add_months(month, -j) for j in range(schedule.consecutive_months_to_zero - 1, 0, -1)]
    issued = await st_store.issued_history(conn, client_id, hist_months)
    specs: list[tuple[date, Choice]] = [(month, choice)]
    hist_choice: dict[date, Choice | None] = {}
    for m in hist_months:
        if m in issued:
            continue
        try:
            hist_choice[m] = resolve(schedules, m, client_id, cfg)
            specs.append((m, hist_choice[m]))  # type: ignore[arg-type]
        except NoFeeSchedule:
            hist_choice[m] = None
    figures = await _figures(conn, client_id, specs, fee_month=month)

    history: list[s.HistoryMonthOut] = []
    below: dict[date, dict[str, bool]] = {}
    for m in hist_months:
        if m in issued:
            head, lns = issued[m]
            buckets = [s.HistoryBucketOut(bucket=ln["bucket"], placed=ln["placed"],
                                          recovered_in_cycle=ln["recovered_in_cycle"],
                                          recovery_rate=_rate4(ln["recovery_rate"]),
                                          minimum=rate_shown(ln["minimum_rate"]),
                                          below_minimum=ln["months_below_minimum"] > 0) for ln in lns]
            history.append(s.HistoryMonthOut(month=month_label(m), source=f"issued r{head['revision']}",
                                             schedule_version=head["schedule_version"], buckets=buckets))
        elif hist_choice.get(m) is None:
            buckets = []
            history.append(s.HistoryMonthOut(month=month_label(m), source="no schedule in force",
                                             schedule_version=None, buckets=[]))
        else:
            c = hist_choice[m]
            assert c is not None
            mf = figures[m]
            buckets = []
            for pos, terms in enumerate(c.schedule.buckets, start=1):
                f = mf.bucket(pos)
                rate = _rate_of(f)
                buckets.append(s.HistoryBucketOut(
                    bucket=terms.name, placed=f.placed - f.excluded, recovered_in_cycle=f.cycle,
                    recovery_rate=rate, minimum=rate_shown(terms.minimum_rate),
                    below_minimum=rate is not None and rate < terms.minimum_rate))
            history.append(s.HistoryMonthOut(month=month_label(m), source="computed",
                                             schedule_version=c.schedule.version, buckets=buckets))
        below[m] = {b.bucket: b.below_minimum for b in buckets}

    target = figures[month]
    inputs, before, counts = [], [], []
    for pos, terms in enumerate(schedule.buckets, start=1):
        f = target.bucket(pos)
        run = consecutive_months_below_minimum([below[m].get(terms.name, False) for m in hist_months])
        before.append(run)
        counts.append((f.cases, f.cycle_n))
        inputs.append(BucketInput(bucket=terms.name, placed=f.placed, recovered_in_month=f.recovered,
                                  recovered_in_cycle=f.cycle, months_below_minimum_before=run,
                                  excluded_placed=f.excluded))
    statement = compute_statement(schedule, inputs)

    by_reason: list[Any] = []
    sample: list[Any] = []
    if target.unmatched_n:
        by_reason, sample = await close.not_counted(conn, client_id, target.window, cfg.not_counted_sample,
                                                    refs=target.unmatched_refs)
    lines = [line_out(pos, ln, cases, reps, bef)
             for pos, (ln, (cases, reps), bef) in enumerate(zip(statement.lines, counts, before), start=1)]
    out = s.StatementOut(
        client_id=client_id, month=month_label(month), status="draft", revision=None,
        latest_revision=await st_store.latest_revision(conn, client_id, month),
        schedule=schedule_ref(choice), cycle=cycle_out(target.window), lines=lines,
        totals=s.TotalsOut(
            cases=sum(c for c, _ in counts),
            placed_before_exclusions=statement.total_placed_before_exclusions,
            excluded_placed=statement.total_excluded_placed, placed=statement.total_placed,
            recovered=statement.total_recovered, recovered_in_cycle=statement.total_recovered_in_cycle,
            recovery_rate=statement.total_recovery_rate,
            recovery_rate_pct=fmt_pct(statement.total_recovery_rate), fee=statement.total_fee),
        below_minimum_history=history,
        not_counted=not_counted_out(target.unmatched_n, target.unmatched, by_reason, sample),
        computed_at=datetime.now(timezone.utc))
    return Draft(out, choice, target.window, statement.lines, counts)


def line_out(pos: int, ln: StatementLine, cases: int, repayments: int, before: int) -> s.LineOut:
    return s.LineOut(
        position=pos, bucket=ln.bucket, dpd_min=ln.dpd_min, dpd_max=ln.dpd_max, cases=cases,
        repayments=repayments, placed_before_exclusions=ln.placed_before_exclusions,
        excluded_placed=ln.excluded_placed, placed=ln.placed, recovered=ln.recovered,
        recovered_in_cycle=ln.recovered_in_cycle, recovery_rate=ln.recovery_rate,
        recovery_rate_pct=fmt_pct(ln.recovery_rate), benchmark=rate_shown(ln.benchmark_rate),
        minimum=rate_shown(ln.minimum_rate), base_rate=rate_shown(ln.base_rate), tier=ln.tier.value,
        fee_rate=ln.fee_rate, fee_rate_pct=fmt_pct(ln.fee_rate), fee=ln.fee, months_below_minimum_before=before,
        months_below_minimum=ln.months_below_minimum, formula=ln.rate_formula,
        explanation=ln.explanation)


def not_counted_out(count: int, amount: Decimal, by_reason: list[Any], sample: list[Any]) -> s.NotCountedOut:
    return s.NotCountedOut(
        count=count, amount=amount, rule=NOT_COUNTED_RULE,
        by_reason=[reason_out(r) for r in by_reason],
        sample=[s.NotCountedRepaymentOut(txn_ref=r["txn_ref"], case_id=r["case_id"], amount=r["amount"],
                                         paid_on=r["paid_on"], reason=r["reason"]) for r in sample])


def reason_out(r: Any) -> s.NotCountedReasonOut:
    return s.NotCountedReasonOut(reason=r["reason"], description=close.NOT_COUNTED_REASONS.get(r["reason"], ""),
                                 count=r["count"], amount=r["amount"])


# --- issued statements ------------------------------------------------------------------------

async def issue(conn: asyncpg.Connection, cfg: CloseConfig, client_id: str, month: date, by: str,
                today: date, *, reason: str | None = None, reissue: bool = False) -> s.StatementOut:
    """Freeze the statement as revision n+1. Runs in one REPEATABLE READ snapshot, so the
    lines, the spells behind them and the not-counted list are computed from the same facts."""
    await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    await st_store.lock_month(conn, client_id, month)
    current = await st_store.get_issued(conn, client_id, month)
    if reissue and current is None:
        raise NotIssued(f"{month_label(month)} of {client_id} has not been issued; issue it first")
    if not reissue and current is not None:
        raise AlreadyIssued(f"{month_label(month)} of {client_id} is issued (revision {current['revision']}); "
                            "issued statements are immutable — re-issue with a reason",
                            revision=current["revision"])
    if add_months(month, 1) > today and not cfg.allow_issue_open_month:
        raise MonthNotOver(f"{month_label(month)} is not over yet (today is {today.isoformat()})")
    draft = await compute_draft(conn, cfg, client_id, month)
    if current is not None:
        await st_store.supersede(conn, current["id"])
    revision = (await st_store.latest_revision(conn, client_id, month) or 0) + 1
    out, stmt = draft.out, draft.out.totals
    head = {
        "client_id": client_id, "month": month, "revision": revision, "status": "issued",
        "schedule_version": draft.choice.schedule.version, "schedule_source": draft.choice.source,
        "schedule": schedule_to_dict(draft.choice.schedule), "window_start": draft.window.start,
        "window_end": draft.window.end, "total_placed_before_exclusions": stmt.placed_before_exclusions,
        "total_excluded_placed": stmt.excluded_placed, "total_placed": stmt.placed,
        "total_recovered": stmt.recovered, "total_recovered_in_cycle": stmt.recovered_in_cycle,
        "total_recovery_rate": stmt.recovery_rate, "total_fee": stmt.fee,
        "inputs": {"history": [h.model_dump(mode="json") for h in out.below_minimum_history],
                   "not_counted": out.not_counted.model_dump(mode="json"),
                   "total_cases": stmt.cases},
        "computed_at": out.computed_at, "issued_by": by, "reason": reason,
    }
    line_rows = [{
        "position": ln.position, "bucket": ln.bucket, "dpd_min": ln.dpd_min, "dpd_max": ln.dpd_max,
        "cases": ln.cases, "repayments": ln.repayments,
        "placed_before_exclusions": ln.placed_before_exclusions, "excluded_placed": ln.excluded_placed,
        "placed": ln.placed, "recovered": ln.recovered, "recovered_in_cycle": ln.recovered_in_cycle,
        "recovery_rate": ln.recovery_rate, "benchmark_rate": ln.benchmark, "minimum_rate": ln.minimum,
        "base_rate": ln.base_rate, "tier": ln.tier, "fee_rate": ln.fee_rate, "fee": ln.fee,
        "months_below_minimum_before": ln.months_below_minimum_before,
        "months_below_minimum": ln.months_below_minimum, "rate_formula": ln.formula,
        "explanation": ln.explanation} for ln in out.lines]
    row = await st_store.insert_statement(conn, head, line_rows)
    bounds = lower_bounds(draft.choice.schedule)
    await close.snapshot_cases(conn, row["id"], client_id, bounds, draft.window)
    await close.snapshot_not_counted(conn, row["id"], client_id, draft.window)
    return await issued_out(conn, row)


async def issued_out(conn: asyncpg.Connection, head: asyncpg.Record) -> s.StatementOut:
    schedule = schedule_from_dict(head["schedule"])
    choice = Choice(schedule, head["schedule_source"])
    window = Window(head["month"], head["window_start"], head["window_end"])
    lns = await st_store.lines(conn, head["id"])
    inputs = head["inputs"]
    lines = [s.LineOut(
        position=r["position"], bucket=r["bucket"], dpd_min=r["dpd_min"], dpd_max=r["dpd_max"],
        cases=r["cases"], repayments=r["repayments"], placed_before_exclusions=r["placed_before_exclusions"],
        excluded_placed=r["excluded_placed"], placed=r["placed"], recovered=r["recovered"],
        recovered_in_cycle=r["recovered_in_cycle"], recovery_rate=_rate4(r["recovery_rate"]),
        recovery_rate_pct=fmt_pct(r["recovery_rate"]), benchmark=rate_shown(r["benchmark_rate"]),
        minimum=rate_shown(r["minimum_rate"]), base_rate=rate_shown(r["base_rate"]), tier=r["tier"],
        fee_rate=r["fee_rate"], fee_rate_pct=fmt_pct(r["fee_rate"]), fee=r["fee"],
        months_below_minimum_before=r["months_below_minimum_before"],
        months_below_minimum=r["months_below_minimum"], formula=r["rate_formula"],
        explanation=r["explanation"]) for r in lns]
    return s.StatementOut(
        client_id=head["client_id"], month=month_label(head["month"]), status=head["status"],
        revision=head["revision"],
        latest_revision=await st_store.latest_revision(conn, head["client_id"], head["month"]),
        schedule=schedule_ref(choice), cycle=cycle_out(window), lines=lines,
        totals=s.TotalsOut(
            cases=inputs.get("total_cases", sum(ln.cases for ln in lines)),
            placed_before_exclusions=head["total_placed_before_exclusions"],
            excluded_placed=head["total_excluded_placed"], placed=head["total_placed"],
            recovered=head["total_recovered"], recovered_in_cycle=head["total_recovered_in_cycle"],
            recovery_rate=_rate4(head["total_recovery_rate"]),
            recovery_rate_pct=fmt_pct(head["total_recovery_rate"]), fee=head["total_fee"]),
        below_minimum_history=[s.HistoryMonthOut.model_validate(h) for h in inputs["history"]],
        not_counted=s.NotCountedOut.model_validate(inputs["not_counted"]),
        computed_at=head["computed_at"], issued_at=head["issued_at"], issued_by=head["issued_by"],
        reason=head["reason"], superseded_at=head["superseded_at"])


def rate_shown(v: Decimal) -> Decimal:
    """A contract rate with 4 places (0.6500) when it has no more, else 6 — the same for a draft
    and for an issued revision read back from numeric(9,6)."""
    q4 = v.quantize(Decimal("0.0001"))
    return q4 if q4 == v else v.quantize(Decimal("0.000001"))


def _rate4(v: Decimal | None) -> Decimal | None:
    """numeric(9,6) comes back with 6 places; rates are kept with 4 (rules.RATE_QUANTUM)."""
    return None if v is None else v.quantize(Decimal("0.0001"))


async def read_statement(conn: asyncpg.Connection, cfg: CloseConfig, client_id: str, month: date,
                         revision: int | None, drafts_allowed: bool) -> s.StatementOut:
    head = await st_store.get_issued(conn, client_id, month, revision)
    if head is not None:
        return await issued_out(conn, head)
    if revision is not None:
        raise NotFound(f"{month_label(month)} of {client_id} has no revision {revision}")
    if not drafts_allowed:
        raise NotFound(f"no issued statement for {client_id} {month_label(month)}")
    return (await compute_draft(conn, cfg, client_id, month)).out
