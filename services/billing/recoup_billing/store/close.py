"""Month close in SQL: the figures behind a statement, set-based (R-40, R-42, R-43).

Definitions (the statement and the README quote them):

- **Cycle window** of statement month M: the ``cycle_months`` calendar months ending with M,
  ``[window_start, window_end)`` (rules.cycle_window; 3 months by default: M-2, M-1, M).
- **Cohort** of M: the placement spells of the client with ``placed_on`` in the window. Their
  placed amounts (as of the end of M: the latest balance change effective by then) are the
  denominator of the recovery rate; the bucket is fixed by the DPD at placement (R-39).
- **Counted repayment**: a repayment is counted for the spell whose placement it falls in,
  ``placed_on <= paid_on <= end_on`` (end_on = the recall date, else the scheduled recall_on).
  ``paid_on`` is the business date of ``paid_at`` (Asia/Shanghai by default).
- **Repaid in cycle** (numerator of the rate): counted repayments of cohort spells with
  ``paid_on`` in the window.
- **Recovered** (the fee base, R-39): counted repayments with ``paid_on`` in month M, whatever
  month the spell was placed in — a repayment counts in the month it was received while the case
  was placed. A repayment outside every placement (case unknown, before placement, after the
  recall or after the placement ended) is not counted and shown in the "not counted" section.
- **Exclusions** (R-42): a spell with a recorded death/conviction exclusion leaves the
  denominator of the statement month in which its collection cycle completes — the month whose
  window *begins* with the spell's placement month (the last statement the spell is in) — and
  of every later month; never of the months while its cycle is still running.

One SQL statement per set of months sharing a bucket layout (normally one per statement, the
month and the R-41 history months together): GROUP BY bucket over cases ⋈ repayments with one
FILTER per month. No per-case work in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

import asyncpg

from ..rules.model import MonthFigures, Window
from ..rules.money import ZERO


@lru_cache(maxsize=64)
def aggregate_sql(n: int, with_fee: bool) -> str:
    """$1 client, $2 bucket lower bounds (int[]), $3/$4 overall [lo, hi) of placed_on/paid_on;
    per month i: window start, end, end of first month; then (with_fee) the fee month [start, end)."""
    def p(i: int, k: int) -> str:
        return f"${5 + 3 * i + k}::date"

    placed, paid, corr = [], [], []
    for i in range(n):
        ws, we, w1 = p(i, 0), p(i, 1), p(i, 2)
        cohort = f"c.placed_on >= {ws} AND c.placed_on < {we}"
        placed += [f"count(*) FILTER (WHERE {cohort}) AS cases_{i}",
                   f"sum(c.placed_amount) FILTER (WHERE {cohort}) AS placed_{i}"]
        # paid_on >= placed_on >= window start holds by the join condition
        paid += [f"sum(r.amount) FILTER (WHERE {cohort} AND r.paid_on < {we}) AS cycle_{i}",
                 f"count(*) FILTER (WHERE {cohort} AND r.paid_on < {we}) AS cycle_n_{i}"]
        amount = f"COALESCE(a{i}.placed_amount, c.placed_amount)"
        corr += [f"sum({amount} - c.placed_amount) FILTER (WHERE {cohort}) AS adj_{i}",
                 f"sum({amount}) FILTER (WHERE {cohort} AND x.id IS NOT NULL AND c.placed_on < {w1}) AS excl_{i}"]
    if with_fee:
        fee_month = f"r.paid_on >= ${5 + 3 * n}::date AND r.paid_on < ${6 + 3 * n}::date"
        paid += [f"sum(r.amount) FILTER (WHERE {fee_month}) AS month_repaid",
                 # the few repayments outside every placement, for the not-counted section
                 f"array_agg(r.txn_ref) FILTER (WHERE {fee_month} AND c.case_id IS NULL) AS unmatched_refs"]
    join = "LEFT JOIN" if with_fee else "JOIN"
    laterals = "\n".join(
        f"""    LEFT JOIN LATERAL (
        SELECT a.placed_amount FROM billing_case_changes a
        WHERE a.case_id = c.case_id AND a.placed_amount IS NOT NULL
          AND a.effective_on >= c.placed_on AND a.effective_on <= c.end_on AND a.effective_on < {p(i, 1)}
        ORDER BY a.effective_on DESC, a.occurred_at DESC LIMIT 1) a{i} ON true"""
        for i in range(n))
    return f"""
WITH placed AS (
    SELECT width_bucket(c.dpd_at_placement, $2::int[]) AS b, {", ".join(placed)}
    FROM billing_cases c
    WHERE c.client_id = $1 AND c.placed_on >= $3::date AND c.placed_on < $4::date
    GROUP BY 1
), paid AS (
    SELECT width_bucket(c.dpd_at_placement, $2::int[]) AS b, {", ".join(paid)}
    FROM billing_repayments r
    {join} billing_cases c ON c.case_id = r.case_id AND c.client_id = r.client_id
         AND r.paid_on BETWEEN c.placed_on AND c.end_on
    WHERE r.client_id = $1 AND r.paid_on >= $3::date AND r.paid_on < $4::date
    GROUP BY 1
), corr AS (
    -- balance changes and exclusions touch few spells: start from them, not from the cohort
    SELECT width_bucket(c.dpd_at_placement, $2::int[]) AS b, {", ".join(corr)}
    FROM (SELECT case_id FROM billing_case_changes WHERE client_id = $1 AND placed_amount IS NOT NULL
          UNION SELECT case_id FROM billing_exclusions WHERE client_id = $1) s
    -- a parameterised lookup per special case (OFFSET 0 keeps it one): never a scan of all cases
    JOIN LATERAL (SELECT * FROM billing_cases k WHERE k.case_id = s.case_id AND k.client_id = $1
                  AND k.placed_on >= $3::date AND k.placed_on < $4::date OFFSET 0) c ON true
    LEFT JOIN billing_exclusions x ON x.case_id = c.case_id AND x.placement_id = c.placement_id
{laterals}
    GROUP BY 1
)
SELECT * FROM placed FULL JOIN paid USING (b) FULL JOIN corr USING (b)
"""


async def tune(conn: asyncpg.Connection, work_mem: str | None) -> None:
    """Transaction-local settings of a month close: memory for its hash joins and aggregates, and
    a plan per execution (a cached generic plan cannot see how wide the date windows are)."""
    await conn.execute("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)")
    if work_mem:
        await conn.execute("SELECT set_config('work_mem', $1, true)", work_mem)


def _d(v: Any) -> Decimal:
    return ZERO if v is None else v


async def aggregate(conn: asyncpg.Connection, client_id: str, lower_bounds: Sequence[int],
                    windows: Sequence[Window], fee_window: Window | None) -> list[MonthFigures]:
    """Figures per bucket for each window (one SQL statement); the fee month's recovered amount
    and unmatched repayments when ``fee_window`` is given (it must be one of ``windows``)."""
    lo = min(w.start for w in windows)
    hi = max(w.end for w in windows)
    args: list[Any] = [client_id, list(lower_bounds), lo, hi]
    for w in windows:
        args += [w.start, w.end, w.first_month_end]
    if fee_window is not None:
        args += [fee_window.month, fee_window.month_end]
    rows = await conn.fetch(aggregate_sql(len(windows), fee_window is not None), *args)
    out = [MonthFigures(w) for w in windows]
    for row in rows:
        b = row["b"]
        if b is None:  # repayments outside every placement
            if fee_window is not None:
                mf = out[windows.index(fee_window)]
                mf.unmatched_refs = list(row["unmatched_refs"] or [])
                mf.unmatched_n = len(mf.unmatched_refs)
                mf.unmatched = _d(row["month_repaid"])
            continue
        for i, mf in enumerate(out):
            f = mf.bucket(b)
            f.cases = row[f"cases_{i}"] or 0
            f.placed = _d(row[f"placed_{i}"]) + _d(row[f"adj_{i}"])
            f.excluded = _d(row[f"excl_{i}"])
            f.cycle = _d(row[f"cycle_{i}"])
            f.cycle_n = row[f"cycle_n_{i}"] or 0
            if fee_window is not None and mf.window == fee_window:
                f.recovered = _d(row["month_repaid"])
    return out


# --- the cases behind a line (drill-down of a draft, and the snapshot of an issued statement) ---

# $1 client, $2 lower bounds, $3 window start, $4 window end, $5 end of the window's first month,
# $6 fee month start. The same definitions as aggregate_sql, per spell.
PER_CASE_CTE = """
WITH adj AS (
    SELECT DISTINCT ON (c.case_id, c.placement_id) c.case_id, c.placement_id, a.placed_amount
    FROM billing_case_changes a
    JOIN billing_cases c ON c.case_id = a.case_id AND a.effective_on >= c.placed_on
         AND a.effective_on <= c.end_on
    WHERE a.client_id = $1 AND a.placed_amount IS NOT NULL AND a.effective_on < $4::date
      AND c.client_id = $1 AND c.placed_on >= $3::date AND c.placed_on < $4::date
    ORDER BY c.case_id, c.placement_id, a.effective_on DESC, a.occurred_at DESC
), cohort AS (
    SELECT c.case_id, c.placement_id, c.placed_on, c.end_on,
           width_bucket(c.dpd_at_placement, $2::int[]) AS b,
           COALESCE(adj.placed_amount, c.placed_amount) AS placed,
           (x.id IS NOT NULL AND c.placed_on < $5::date) AS excluded
    FROM billing_cases c
    LEFT JOIN adj ON adj.case_id = c.case_id AND adj.placement_id = c.placement_id
    LEFT JOIN billing_exclusions x ON x.case_id = c.case_id AND x.placement_id = c.placement_id
    WHERE c.client_id = $1 AND c.placed_on >= $3::date AND c.placed_on < $4::date
), pay AS (
    SELECT c.case_id, c.placement_id, c.placed_on, c.end_on,
           width_bucket(c.dpd_at_placement, $2::int[]) AS b,
           COALESCE(sum(r.amount) FILTER (WHERE c.placed_on >= $3::date), 0) AS cyc,
           COALESCE(sum(r.amount) FILTER (WHERE r.paid_on >= $6::date), 0) AS mon
    FROM billing_repayments r
    JOIN billing_cases c ON c.case_id = r.case_id AND c.client_id = r.client_id
         AND r.paid_on BETWEEN c.placed_on AND c.end_on
    WHERE r.client_id = $1 AND r.paid_on >= $3::date AND r.paid_on < $4::date
    GROUP BY 1, 2, 3, 4, 5
), per_case AS (
    SELECT COALESCE(co.case_id, p.case_id) AS case_id,
           COALESCE(co.placement_id, p.placement_id) AS placement_id,
           COALESCE(co.b, p.b) AS b, COALESCE(co.placed_on, p.placed_on) AS placed_on,
           COALESCE(co.end_on, p.end_on) AS end_on, co.case_id IS NOT NULL AS in_cohort,
           COALESCE(co.placed, 0) AS placed, COALESCE(co.excluded, false) AS excluded,
           COALESCE(p.cyc, 0) AS recovered_in_cycle, COALESCE(p.mon, 0) AS recovered_in_month
    FROM cohort co FULL JOIN pay p ON p.case_id = co.case_id AND p.placement_id = co.placement_id
    WHERE co.case_id IS NOT NULL OR p.mon > 0
)
"""


def _per_case_args(client_id: str, lower_bounds: Sequence[int], w: Window) -> list[Any]:
    return [client_id, list(lower_bounds), w.start, w.end, w.first_month_end, w.month]


async def cases_page(conn: asyncpg.Connection, client_id: str, lower_bounds: Sequence[int],
                     w: Window, position: int, limit: int,
                     after: tuple[Any, str] | None = None) -> tuple[asyncpg.Record, list[asyncpg.Record]]:
    """(sums over the whole line, one page of its spells ordered by case, after the keyset
    (case_id, placement_id) of the previous page's last spell)."""
    args = [*_per_case_args(client_id, lower_bounds, w), position]
    sums = await conn.fetchrow(
        PER_CASE_CTE + """SELECT count(*) AS total, count(*) FILTER (WHERE in_cohort) AS cases,
               COALESCE(sum(placed), 0) AS placed,
               COALESCE(sum(placed) FILTER (WHERE excluded), 0) AS excluded_placed,
               COALESCE(sum(recovered_in_cycle), 0) AS recovered_in_cycle,
               COALESCE(sum(recovered_in_month), 0) AS recovered
        FROM per_case WHERE b = $7""", *args)
    case_after, placement_after = after or (None, None)
    rows = await conn.fetch(
        PER_CASE_CTE + """SELECT * FROM per_case WHERE b = $7
          AND ($9::uuid IS NULL OR (case_id, placement_id) > ($9::uuid, $10::text))
        ORDER BY case_id, placement_id LIMIT $8""", *args, limit, case_after, placement_after)
    return sums, rows


async def snapshot_cases(conn: asyncpg.Connection, statement_id: int, client_id: str,
                         lower_bounds: Sequence[int], w: Window) -> None:
    """Freeze the spells behind every line of an issued statement (one INSERT ... SELECT)."""
    await conn.execute(
        PER_CASE_CTE + """INSERT INTO billing_statement_cases (statement_id, position, case_id,
            placement_id, placed_on, end_on, in_cohort, placed, excluded, recovered_in_cycle,
            recovered_in_month)
        SELECT $7, b, case_id, placement_id, placed_on, end_on, in_cohort, placed, excluded,
               recovered_in_cycle, recovered_in_month FROM per_case""",
        *_per_case_args(client_id, lower_bounds, w), statement_id)


async def repayments_of_spells(conn: asyncpg.Connection, client_id: str, spells: Sequence[asyncpg.Record],
                               w: Window, recorded_by: Any = None) -> list[asyncpg.Record]:
    """Counted repayments of the given spells within the window (drill-down detail);
    ``recorded_by`` (database time) limits to what was known when an issued statement was written."""
    if not spells:
        return []
    return await conn.fetch(
        """SELECT s.case_id, s.placement_id, r.txn_ref, r.amount, r.paid_at, r.paid_on, r.channel,
                  (s.in_cohort) AS counted_in_cycle, (r.paid_on >= $6::date) AS counted_in_month
           FROM unnest($2::uuid[], $3::text[], $4::date[], $5::date[], $9::boolean[])
                AS s(case_id, placement_id, placed_on, end_on, in_cohort)
           JOIN billing_repayments r ON r.case_id = s.case_id AND r.client_id = $1
                AND r.paid_on BETWEEN s.placed_on AND s.end_on
           WHERE r.paid_on >= $7::date AND r.paid_on < $8::date
             AND ($10::timestamptz IS NULL OR r.recorded_at <= $10)
           ORDER BY s.case_id, s.placement_id, r.paid_at, r.txn_ref""",
        client_id, [s["case_id"] for s in spells], [s["placement_id"] for s in spells],
        [s["placed_on"] for s in spells], [s["end_on"] for s in spells], w.month, w.start, w.end,
        [s["in_cohort"] for s in spells], recorded_by)


# --- repayments of the month that are not counted, with the reason ---------------------------

def _not_counted_cte(known: bool) -> str:
    """All repayments of the month outside every placement (a scan of the month), or — cheap —
    only the given txn_refs the month-close aggregate found unmatched ($4)."""
    if known:
        where = "r.client_id = $1 AND r.paid_on >= $2::date AND r.paid_on < $3::date AND r.txn_ref = ANY($4::text[])"
    else:
        where = """r.client_id = $1 AND r.paid_on >= $2::date AND r.paid_on < $3::date
      AND NOT EXISTS (SELECT 1 FROM billing_cases c WHERE c.case_id = r.case_id
                      AND c.client_id = r.client_id AND r.paid_on BETWEEN c.placed_on AND c.end_on)"""
    return NOT_COUNTED_CTE.replace("{where}", where)


NOT_COUNTED_CTE = """
WITH nc AS (
    SELECT r.txn_ref, r.case_id, r.amount, r.paid_at, r.paid_on,
           sp.placement_id, sp.placed_on, sp.end_on, sp.recalled_on, sp.recall_on,
           CASE WHEN sp.case_id IS NULL THEN
                    CASE WHEN EXISTS (SELECT 1 FROM billing_cases k WHERE k.case_id = r.case_id)
                         THEN 'before_placement' ELSE 'case_unknown' END
                WHEN sp.client_id <> r.client_id THEN 'other_client'
                WHEN sp.recalled_on IS NOT NULL AND r.paid_on > sp.recalled_on THEN 'after_recall'
                ELSE 'after_placement_end' END AS reason
    FROM billing_repayments r
    LEFT JOIN LATERAL (SELECT * FROM billing_cases c WHERE c.case_id = r.case_id
                       AND c.placed_on <= r.paid_on ORDER BY c.placed_on DESC LIMIT 1) sp ON true
    WHERE {where}
)
"""

async def not_counted(conn: asyncpg.Connection, client_id: str, w: Window, limit: int,
                      after: tuple[date, str] | None = None, refs: list[str] | None = None
                      ) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    """(totals by reason, one page of the repayments after the keyset (paid_on, txn_ref) of the
    previous page), in one statement. ``refs``: the txn_refs the aggregate found unmatched (no
    second scan of the month)."""
    known = refs is not None
    n = 5 if known else 4
    paid_after, txn_after = after or (None, None)
    rows = await conn.fetch(
        _not_counted_cte(known) + f"""
        , agg AS (SELECT reason, count(*) AS count, sum(amount) AS amount FROM nc GROUP BY reason)
        , page AS (SELECT * FROM nc
                   WHERE ${n + 1}::date IS NULL OR (paid_on, txn_ref) > (${n + 1}::date, ${n + 2}::text)
                   ORDER BY paid_on, txn_ref LIMIT ${n})
        SELECT true AS is_total, reason, count, amount, NULL::text AS txn_ref, NULL::uuid AS case_id,
               NULL::date AS paid_on FROM agg
        UNION ALL
        SELECT false, reason, NULL, amount, txn_ref, case_id, paid_on FROM page
        ORDER BY 1 DESC, 2""",
        *([client_id, w.month, w.month_end, refs] if known else [client_id, w.month, w.month_end]),
        limit, paid_after, txn_after)
    by_reason = [r for r in rows if r["is_total"]]
    page = sorted((r for r in rows if not r["is_total"]), key=lambda r: (r["paid_on"], r["txn_ref"]))
    return by_reason, page


async def snapshot_not_counted(conn: asyncpg.Connection, statement_id: int, client_id: str,
                               w: Window) -> None:
    await conn.execute(
        _not_counted_cte(False) + """INSERT INTO billing_statement_not_counted
            (statement_id, txn_ref, case_id, amount, paid_on, reason)
        SELECT $4, txn_ref, case_id, amount, paid_on, reason FROM nc""",
        client_id, w.month, w.month_end, statement_id)
