"""Monthly statements (R-43): the draft computed on every read, issue and re-issue (frozen
revisions), issued reads and the list of revisions.

The figures come from store/close.py (SQL, set-based; definitions in its docstring); the fee
arithmetic from the pure rules (R-39..R-44). A draft is computed on every read; an issued
revision is frozen with its lines, the spells behind them and the repayments not counted.
No fee schedule in force: 409 ``no-fee-schedule`` unless RECOUP_DEFAULT_SCHEDULE_FALLBACK is on
(rules/close.py choose_schedule).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.clock import add_months, month_label
from recoup_shared.paging import page

from .. import views
from ..context import Ctx
from ..rules import (BucketInput, FeeSchedule, Statement, StatementLine, compute_statement,
                     consecutive_months_below_minimum, schedule_to_dict)
from ..rules.close import choose_schedule, history_months, lower_bounds, rate4, rate_of, rate_shown
from ..rules.errors import AlreadyIssued, MonthNotOver, NoFeeSchedule, NotIssued, StatementNotFound
from ..rules.model import Choice, MonthFigures, Window
from ..store import close, statements as st_store
from . import documents as d
from .common import drafts_allowed, load_schedules, month_figures


@dataclass(frozen=True)
class StatementRef:
    """A client's statement month: the current issued revision (else a draft), or one revision."""
    client_id: str
    month: date
    revision: int | None = None


@dataclass(frozen=True)
class Issue:
    client_id: str
    month: date
    reason: str | None = None   # why a re-issue is needed
    reissue: bool = False


@dataclass(frozen=True)
class StatementList:
    client_id: str
    after: tuple[date, int] | None = None   # (month, revision) of the previous page's last row
    limit: int = 100


@dataclass
class Draft:
    doc: d.Doc
    choice: Choice
    window: Window
    lines: tuple[StatementLine, ...]
    counts: list[tuple[int, int]]  # (cases, repayments) per line


# --- reads ----------------------------------------------------------------------------------------

async def read_statement(conn: asyncpg.Connection, ctx: Ctx, principal: Principal,
                         ref: StatementRef) -> d.Doc:
    drafts = drafts_allowed(principal, ref.client_id)
    head = await st_store.get_issued(conn, ref.client_id, ref.month, ref.revision)
    if head is not None:
        return await issued_doc(conn, head)
    if ref.revision is not None:
        raise StatementNotFound(f"{month_label(ref.month)} of {ref.client_id} has no revision {ref.revision}")
    if not drafts:
        raise StatementNotFound(f"no issued statement for {ref.client_id} {month_label(ref.month)}")
    return (await compute_draft(conn, ctx, ref.client_id, ref.month)).doc


async def list_statements(conn: asyncpg.Connection, ctx: Ctx, principal: Principal,
                          q: StatementList) -> d.Doc:
    drafts_allowed(principal, q.client_id)
    rows = await views.list_statements(conn, q.client_id, after=q.after, limit=q.limit + 1)
    got = page(rows, q.limit, key=lambda r: [r["month"], r["revision"]])
    return {"client_id": q.client_id, "next_cursor": got["next_cursor"], "statements": [{
        "month": month_label(r["month"]), "revision": r["revision"], "status": r["status"],
        "schedule_version": r["schedule_version"], "total_placed": r["total_placed"],
        "total_recovered": r["total_recovered"], "total_fee": r["total_fee"], "issued_at": r["issued_at"],
        "issued_by": r["issued_by"], "reason": r["reason"], "superseded_at": r["superseded_at"]}
        for r in got["items"]]}


async def issued_doc(conn: asyncpg.Connection, head: asyncpg.Record) -> d.Doc:
    lines = await st_store.lines(conn, head["id"])
    latest = await st_store.latest_revision(conn, head["client_id"], head["month"])
    return d.issued_doc(head, lines, latest)


# --- the draft ------------------------------------------------------------------------------------

async def compute_draft(conn: asyncpg.Connection, ctx: Ctx, client_id: str, month: date) -> Draft:
    """The month's statement computed now: one aggregate for the month and the R-41 history
    months not issued yet, then the fee rules."""
    await close.tune(conn, ctx.settings.close_work_mem or None)
    schedules = await load_schedules(conn, client_id)
    fallback = ctx.settings.default_schedule_fallback
    choice = choose_schedule(schedules, month, client_id, fallback=fallback)
    # issued months are taken as issued (what the client was told), the others computed
    hist_months = history_months(month, choice.schedule.consecutive_months_to_zero)
    issued = await st_store.issued_history(conn, client_id, hist_months)
    specs: list[tuple[date, Choice]] = [(month, choice)]
    hist_choice: dict[date, Choice | None] = {}
    for m in hist_months:
        if m in issued:
            continue
        try:
            hist_choice[m] = choose_schedule(schedules, m, client_id, fallback=fallback)
            specs.append((m, hist_choice[m]))  # type: ignore[arg-type]
        except NoFeeSchedule:
            hist_choice[m] = None
    figures = await month_figures(conn, client_id, specs, fee_month=month)
    history, below = _history(hist_months, issued, hist_choice, figures)
    target = figures[month]
    statement, counts, before = _statement(choice.schedule, target, [below[m] for m in hist_months])
    by_reason: list[Any] = []
    sample: list[Any] = []
    if target.unmatched_n:
        by_reason, sample = await close.not_counted(conn, client_id, target.window,
                                                    ctx.settings.not_counted_sample, refs=target.unmatched_refs)
    lines = [d.line_doc(pos, ln, cases, reps, bef)
             for pos, (ln, (cases, reps), bef) in enumerate(zip(statement.lines, counts, before), start=1)]
    doc = {
        "client_id": client_id, "month": month_label(month), "status": "draft", "revision": None,
        "latest_revision": await st_store.latest_revision(conn, client_id, month),
        "schedule": d.schedule_ref(choice), "cycle": d.cycle_doc(target.window), "lines": lines,
        "totals": d.totals_doc(sum(c for c, _ in counts), statement.total_placed_before_exclusions,
                               statement.total_excluded_placed, statement.total_placed,
                               statement.total_recovered, statement.total_recovered_in_cycle,
                               statement.total_recovery_rate, statement.total_fee),
        "below_minimum_history": history,
        "not_counted": d.not_counted_doc(target.unmatched_n, target.unmatched, by_reason, sample),
        "computed_at": ctx.clock.now(), "issued_at": None, "issued_by": None, "reason": None,
        "superseded_at": None}
    return Draft(doc, choice, target.window, statement.lines, counts)


def _history(months: list[date], issued: dict[date, Any], choices: dict[date, Choice | None],
             figures: dict[date, MonthFigures]) -> tuple[list[d.Doc], dict[date, dict[str, bool]]]:
    """The R-41 history months as the statement shows them, and below-minimum per bucket."""
    history: list[d.Doc] = []
    below: dict[date, dict[str, bool]] = {}
    for m in months:
        if m in issued:
            head, lns = issued[m]
            buckets = [d.history_bucket_doc(ln["bucket"], ln["placed"], ln["recovered_in_cycle"],
                                            rate4(ln["recovery_rate"]), rate_shown(ln["minimum_rate"]),
                                            ln["months_below_minimum"] > 0) for ln in lns]
            history.append(d.history_month_doc(month_label(m), f"issued r{head['revision']}",
                                               head["schedule_version"], buckets))
        elif choices.get(m) is None:
            buckets = []
            history.append(d.history_month_doc(month_label(m), "no schedule in force", None, []))
        else:
            c = choices[m]
            assert c is not None
            buckets = []
            for pos, terms in enumerate(c.schedule.buckets, start=1):
                f = figures[m].bucket(pos)
                rate = rate_of(f)
                buckets.append(d.history_bucket_doc(
                    terms.name, f.placed - f.excluded, f.cycle, rate, rate_shown(terms.minimum_rate),
                    rate is not None and rate < terms.minimum_rate))
            history.append(d.history_month_doc(month_label(m), "computed", c.schedule.version, buckets))
        below[m] = {b["bucket"]: b["below_minimum"] for b in buckets}
    return history, below


def _statement(schedule: FeeSchedule, target: MonthFigures, below: list[dict[str, bool]]
               ) -> tuple[Statement, list[tuple[int, int]], list[int]]:
    """The fee rules over the month's figures: the statement, (cases, repayments) and the
    below-minimum run before this month, per line."""
    inputs, before, counts = [], [], []
    for pos, terms in enumerate(schedule.buckets, start=1):
        f = target.bucket(pos)
        run = consecutive_months_below_minimum([b.get(terms.name, False) for b in below])
        before.append(run)
        counts.append((f.cases, f.cycle_n))
        inputs.append(BucketInput(bucket=terms.name, placed=f.placed, recovered_in_month=f.recovered,
                                  recovered_in_cycle=f.cycle, months_below_minimum_before=run,
                                  excluded_placed=f.excluded))
    return compute_statement(schedule, inputs), counts, before


# --- issue and re-issue ---------------------------------------------------------------------------

async def issue(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, cmd: Issue) -> d.Doc:
    """Freeze the statement as revision n+1. Runs in one REPEATABLE READ snapshot (set first in
    the request's transaction), so the lines, the spells behind them and the not-counted list
    are computed from the same facts."""
    await conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    client_id, month = cmd.client_id, cmd.month
    await st_store.lock_month(conn, client_id, month)
    current = await st_store.get_issued(conn, client_id, month)
    if cmd.reissue and current is None:
        raise NotIssued(f"{month_label(month)} of {client_id} has not been issued; issue it first")
    if not cmd.reissue and current is not None:
        raise AlreadyIssued(f"{month_label(month)} of {client_id} is issued (revision {current['revision']}); "
                            "issued statements are immutable — re-issue with a reason",
                            revision=current["revision"])
    today = ctx.clock.today()
    if add_months(month, 1) > today and not ctx.settings.allow_issue_open_month:
        raise MonthNotOver(f"{month_label(month)} is not over yet (today is {today.isoformat()})")
    draft = await compute_draft(conn, ctx, client_id, month)
    if current is not None:
        await st_store.supersede(conn, current["id"])
    revision = (await st_store.latest_revision(conn, client_id, month) or 0) + 1
    row = await st_store.insert_statement(
        conn, _head(draft, revision, principal.sub, cmd.reason),
        [_line_row(ln) for ln in draft.doc["lines"]])
    await close.snapshot_cases(conn, row["id"], client_id, lower_bounds(draft.choice.schedule), draft.window)
    await close.snapshot_not_counted(conn, row["id"], client_id, draft.window)
    return await issued_doc(conn, row)


def _head(draft: Draft, revision: int, by: str, reason: str | None) -> dict[str, Any]:
    doc, t, sc = draft.doc, draft.doc["totals"], draft.choice.schedule
    return {
        "client_id": doc["client_id"], "month": draft.window.month, "revision": revision, "status": "issued",
        "schedule_version": sc.version, "schedule_source": draft.choice.source,
        "schedule": schedule_to_dict(sc), "window_start": draft.window.start, "window_end": draft.window.end,
        "total_placed_before_exclusions": t["placed_before_exclusions"],
        "total_excluded_placed": t["excluded_placed"], "total_placed": t["placed"],
        "total_recovered": t["recovered"], "total_recovered_in_cycle": t["recovered_in_cycle"],
        "total_recovery_rate": t["recovery_rate"], "total_fee": t["fee"],
        "inputs": d.jsonable({"history": doc["below_minimum_history"], "not_counted": doc["not_counted"],
                              "total_cases": t["cases"]}),
        "computed_at": doc["computed_at"], "issued_by": by, "reason": reason}


def _line_row(ln: d.Doc) -> dict[str, Any]:
    return {**{k: ln[k] for k in (
        "position", "bucket", "dpd_min", "dpd_max", "cases", "repayments", "placed_before_exclusions",
        "excluded_placed", "placed", "recovered", "recovered_in_cycle", "recovery_rate", "base_rate", "tier",
        "fee_rate", "fee", "months_below_minimum_before", "months_below_minimum", "explanation")},
        "benchmark_rate": ln["benchmark"], "minimum_rate": ln["minimum"], "rate_formula": ln["formula"]}
