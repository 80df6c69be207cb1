"""Balance figures of a plan for the preview (R-10: "preview before commit")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal, localcontext

from .model import BalanceSummary, CollectorBalance, CollectorLoad, from_cents, to_cents

_CENT = Decimal("0.01")
_PCT = Decimal("0.0001")


def summarize(counts: list[int], cents: list[int]) -> BalanceSummary:
    """Mean and maximum deviation from the mean, in count and in amount (cents in, CNY out).
    Rounding: half-up, 0.01 for means/deviations, 0.0001 for percentages of the mean."""
    n = len(counts)
    if n == 0:
        zero = Decimal("0.00")
        return BalanceSummary(0, zero, zero, zero, Decimal("0.0000"), zero, Decimal("0.0000"))
    with localcontext() as ctx:
        ctx.prec = 50
        ctx.rounding = ROUND_HALF_UP
        mean_c = Decimal(sum(counts)) / n
        mean_a = Decimal(sum(cents)) / n
        dev_c = max(Decimal(max(counts)) - mean_c, mean_c - Decimal(min(counts)))
        dev_a = max(Decimal(max(cents)) - mean_a, mean_a - Decimal(min(cents)))
        pct_c = dev_c * 100 / mean_c if mean_c else Decimal(0)
        pct_a = dev_a * 100 / mean_a if mean_a else Decimal(0)
        return BalanceSummary(
            collectors=n,
            mean_cases=mean_c.quantize(_CENT),
            mean_amount=mean_a.scaleb(-2).quantize(_CENT),
            max_dev_cases=dev_c.quantize(_CENT),
            max_dev_cases_pct=pct_c.quantize(_PCT),
            max_dev_amount=dev_a.scaleb(-2).quantize(_CENT),
            max_dev_amount_pct=pct_a.quantize(_PCT),
        )


def build_balance(
    collectors: Mapping[str, CollectorLoad],
    new_cases: Mapping[str, int], new_cents: Mapping[str, int],
    released_cases: Mapping[str, int], released_cents: Mapping[str, int],
    participants: Iterable[str],
) -> tuple[dict[str, CollectorBalance], BalanceSummary, BalanceSummary]:
    """Per-collector figures for every collector given, plus the summaries over `participants`."""
    balance: dict[str, CollectorBalance] = {}
    after_cases: dict[str, int] = {}
    after_cents: dict[str, int] = {}
    for cid in sorted(collectors):
        c = collectors[cid]
        nc, na = new_cases.get(cid, 0), new_cents.get(cid, 0)
        rc, ra = released_cases.get(cid, 0), released_cents.get(cid, 0)
        after_cases[cid] = c.open_cases - rc + nc
        after_cents[cid] = to_cents(c.open_amount) - ra + na
        balance[cid] = CollectorBalance(
            collector_id=cid, team_id=c.team_id,
            new_cases=nc, new_amount=from_cents(na),
            released_cases=rc, released_amount=from_cents(ra),
            open_cases_after=after_cases[cid], open_amount_after=from_cents(after_cents[cid]),
        )
    part = sorted(set(participants))
    summary = summarize([new_cases.get(p, 0) for p in part], [new_cents.get(p, 0) for p in part])
    summary_after = summarize([after_cases[p] for p in part], [after_cents[p] for p in part])
    return balance, summary, summary_after
