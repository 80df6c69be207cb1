"""The statement document, as plain data shaped like the API's StatementOut (schemas.py): built
from the rules' results for a draft, or from the frozen rows of an issued revision. Exports
(adapters/exports.py) render the same document, so an export never disagrees with the API."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg

from recoup_shared.clock import month_label

from ..rules import StatementLine, fmt_pct, schedule_from_dict
from ..rules.close import COHORT_DEFINITION, NOT_COUNTED_REASONS, NOT_COUNTED_RULE, rate4, rate_shown
from ..rules.model import Choice, Window

Doc = dict[str, Any]
_DAY = timedelta(days=1)


def cycle_doc(w: Window) -> Doc:
    return {"month_start": w.month, "month_end": w.end - _DAY, "window_start": w.start,
            "window_end": w.end - _DAY, "definition": COHORT_DEFINITION}


def schedule_ref(choice: Choice) -> Doc:
    sc = choice.schedule
    return {"version": sc.version, "source": choice.source, "effective_from": sc.effective_from,
            "rounding": sc.rounding, "reduction_mode": sc.reduction_mode.value,
            "reduction_pct": sc.reduction_pct, "cycle_months": sc.cycle_months,
            "consecutive_months_to_zero": sc.consecutive_months_to_zero}


def line_doc(pos: int, ln: StatementLine, cases: int, repayments: int, before: int) -> Doc:
    return {
        "position": pos, "bucket": ln.bucket, "dpd_min": ln.dpd_min, "dpd_max": ln.dpd_max, "cases": cases,
        "repayments": repayments, "placed_before_exclusions": ln.placed_before_exclusions,
        "excluded_placed": ln.excluded_placed, "placed": ln.placed, "recovered": ln.recovered,
        "recovered_in_cycle": ln.recovered_in_cycle, "recovery_rate": ln.recovery_rate,
        "recovery_rate_pct": fmt_pct(ln.recovery_rate), "benchmark": rate_shown(ln.benchmark_rate),
        "minimum": rate_shown(ln.minimum_rate), "base_rate": rate_shown(ln.base_rate), "tier": ln.tier.value,
        "fee_rate": ln.fee_rate, "fee_rate_pct": fmt_pct(ln.fee_rate), "fee": ln.fee,
        "months_below_minimum_before": before, "months_below_minimum": ln.months_below_minimum,
        "formula": ln.rate_formula, "explanation": ln.explanation}


def issued_line_doc(r: asyncpg.Record) -> Doc:
    return {
        "position": r["position"], "bucket": r["bucket"], "dpd_min": r["dpd_min"], "dpd_max": r["dpd_max"],
        "cases": r["cases"], "repayments": r["repayments"],
        "placed_before_exclusions": r["placed_before_exclusions"], "excluded_placed": r["excluded_placed"],
        "placed": r["placed"], "recovered": r["recovered"], "recovered_in_cycle": r["recovered_in_cycle"],
        "recovery_rate": rate4(r["recovery_rate"]), "recovery_rate_pct": fmt_pct(r["recovery_rate"]),
        "benchmark": rate_shown(r["benchmark_rate"]), "minimum": rate_shown(r["minimum_rate"]),
        "base_rate": rate_shown(r["base_rate"]), "tier": r["tier"], "fee_rate": r["fee_rate"],
        "fee_rate_pct": fmt_pct(r["fee_rate"]), "fee": r["fee"],
        "months_below_minimum_before": r["months_below_minimum_before"],
        "months_below_minimum": r["months_below_minimum"], "formula": r["rate_formula"],
        "explanation": r["explanation"]}


def totals_doc(cases: int, placed_before: Decimal, excluded: Decimal, placed: Decimal, recovered: Decimal,
               in_cycle: Decimal, rate: Decimal | None, fee: Decimal) -> Doc:
    return {"cases": cases, "placed_before_exclusions": placed_before, "excluded_placed": excluded,
            "placed": placed, "recovered": recovered, "recovered_in_cycle": in_cycle, "recovery_rate": rate,
            "recovery_rate_pct": fmt_pct(rate), "fee": fee}


def reason_doc(r: Any) -> Doc:
    return {"reason": r["reason"], "description": NOT_COUNTED_REASONS.get(r["reason"], ""),
            "count": r["count"], "amount": r["amount"]}


def not_counted_repayment_doc(r: Any) -> Doc:
    return {"txn_ref": r["txn_ref"], "case_id": r["case_id"], "amount": r["amount"], "paid_on": r["paid_on"],
            "reason": r["reason"]}


def not_counted_doc(count: int, amount: Decimal, by_reason: list[Any], sample: list[Any]) -> Doc:
    return {"count": count, "amount": amount, "rule": NOT_COUNTED_RULE,
            "by_reason": [reason_doc(r) for r in by_reason],
            "sample": [not_counted_repayment_doc(r) for r in sample]}


def history_bucket_doc(bucket: str, placed: Decimal | None, in_cycle: Decimal | None, rate: Decimal | None,
                       minimum: Decimal | None, below: bool) -> Doc:
    return {"bucket": bucket, "placed": placed, "recovered_in_cycle": in_cycle, "recovery_rate": rate,
            "minimum": minimum, "below_minimum": below}


def history_month_doc(month: str, source: str, version: int | None, buckets: list[Doc]) -> Doc:
    return {"month": month, "source": source, "schedule_version": version, "buckets": buckets}


def jsonable(value: Any) -> Any:
    """What an issued revision freezes in its `inputs` column: decimals as their exact strings,
    dates as ISO text, ids as text (as the API writes them)."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, (Decimal, UUID)):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def issued_doc(head: asyncpg.Record, lines: list[asyncpg.Record], latest_revision: int | None) -> Doc:
    """An issued (or superseded) revision as it was frozen."""
    choice = Choice(schedule_from_dict(head["schedule"]), head["schedule_source"])
    window = Window(head["month"], head["window_start"], head["window_end"])
    inputs = head["inputs"]
    line_docs = [issued_line_doc(r) for r in lines]
    return {
        "client_id": head["client_id"], "month": month_label(head["month"]), "status": head["status"],
        "revision": head["revision"], "latest_revision": latest_revision,
        "schedule": schedule_ref(choice), "cycle": cycle_doc(window), "lines": line_docs,
        "totals": totals_doc(
            inputs.get("total_cases", sum(ln["cases"] for ln in line_docs)),
            head["total_placed_before_exclusions"], head["total_excluded_placed"], head["total_placed"],
            head["total_recovered"], head["total_recovered_in_cycle"], rate4(head["total_recovery_rate"]),
            head["total_fee"]),
        "below_minimum_history": inputs["history"], "not_counted": inputs["not_counted"],
        "computed_at": head["computed_at"], "issued_at": head["issued_at"], "issued_by": head["issued_by"],
        "reason": head["reason"], "superseded_at": head["superseded_at"]}
