"""Exact money and rate arithmetic for billing (R-44).

Money is ``Decimal`` with at most two decimal places (CNY fen); rates are ``Decimal`` fractions
(0.85 = 85%). ``float`` is rejected with ``TypeError`` everywhere: a binary float cannot hold
0.1 exactly, so it must never reach a fee. Products of money and rates are computed exactly
(``Inexact`` is trapped) and rounded once, at the end, with the schedule's stated rounding mode.
"""
from __future__ import annotations

import decimal
from decimal import Context, Decimal

__all__ = [
    "BillingRuleError",
    "MONEY_QUANTUM",
    "RATE_QUANTUM",
    "RATE_ROUNDING",
    "DEFAULT_ROUNDING",
    "ROUNDING_MODES",
    "ZERO",
    "as_decimal",
    "money",
    "rate",
    "exact_mul",
    "exact_sub",
    "round_money",
    "fmt_money",
    "fmt_pct",
]


class BillingRuleError(ValueError):
    """A billing input or configuration breaks a rule; the message says which and why."""


MONEY_QUANTUM = Decimal("0.01")  # CNY fen: every amount and every fee is quantised to this
# Recovery rates keep 4 decimal places (= a percentage with 2 places, as statements print them)
# and are truncated, never rounded up: with thresholds of at most 4 places, comparing the
# truncated rate is then exactly the same as comparing the true quotient (never flatters a bucket).
RATE_QUANTUM = Decimal("0.0001")
RATE_ROUNDING = decimal.ROUND_DOWN
DEFAULT_ROUNDING = decimal.ROUND_HALF_UP  # fees: 四舍五入 to 0.01 CNY unless the contract says otherwise
ROUNDING_MODES = frozenset({
    decimal.ROUND_HALF_UP,
    decimal.ROUND_HALF_EVEN,
    decimal.ROUND_HALF_DOWN,
    decimal.ROUND_DOWN,
    decimal.ROUND_UP,
    decimal.ROUND_FLOOR,
    decimal.ROUND_CEILING,
})
ZERO = Decimal("0.00")

# Products and differences must be exact: trap Inexact/Rounded so a silent precision loss fails loudly.
_EXACT = Context(prec=80, traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation,
                                 decimal.Overflow, decimal.DivisionByZero])
# Rounding to a quantum is intentional, so only invalid operations trap here.
_ROUND = Context(prec=80, traps=[decimal.InvalidOperation, decimal.Overflow])


def as_decimal(value: object, field: str) -> Decimal:
    """Decimal or int only; float (and bool) → TypeError; NaN/Infinity → BillingRuleError."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        kind = type(value).__name__
        hint = " (floats are never accepted for money or rates, R-44)" if isinstance(value, float) else ""
        raise TypeError(f"{field} must be a Decimal or int, got {kind}{hint}")
    d = value if isinstance(value, Decimal) else Decimal(value)
    if not d.is_finite():
        raise BillingRuleError(f"{field} must be a finite number, got {d}")
    return d


def money(value: object, field: str) -> Decimal:
    """A non-negative amount with at most 2 decimal places, returned quantised to 0.01.

    More decimal places are refused rather than rounded: an input with fractions of a fen is a bug
    upstream, and silently rounding it would make the statement unreproducible.
    """
    d = as_decimal(value, field)
    if d < 0:
        raise BillingRuleError(f"{field} must not be negative, got {d}")
    try:
        q = d.quantize(MONEY_QUANTUM, context=_ROUND)
    except decimal.InvalidOperation:
        raise BillingRuleError(f"{field} is too large to be an amount of money: {d}") from None
    if q != d:
        raise BillingRuleError(f"{field} must have at most 2 decimal places (CNY fen), got {d}")
    return q


def rate(value: object, field: str, *, max_places: int | None = None) -> Decimal:
    """A fraction in [0, 1] (0.85 = 85%), optionally with at most ``max_places`` decimal places."""
    d = as_decimal(value, field)
    if d < 0 or d > 1:
        raise BillingRuleError(f"{field} must be a fraction between 0 and 1 (e.g. 0.85 for 85%), got {d}")
    if max_places is not None and d != d.quantize(Decimal(1).scaleb(-max_places), context=_ROUND):
        raise BillingRuleError(f"{field} must have at most {max_places} decimal places, got {d}")
    return d


def exact_mul(a: Decimal, b: Decimal) -> Decimal:
    return _EXACT.multiply(a, b)


def exact_sub(a: Decimal, b: Decimal) -> Decimal:
    return _EXACT.subtract(a, b)


def round_money(amount: Decimal, rounding: str) -> Decimal:
    """Round an exact amount to 0.01 CNY with the stated mode (one rounding per fee, R-44)."""
    return amount.quantize(MONEY_QUANTUM, rounding=rounding, context=_ROUND)


def fmt_money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def fmt_pct(fraction: Decimal | None) -> str:
    """0.8500 → '85.00%', 0.28875 → '28.875%' (never hides a significant digit)."""
    if fraction is None:
        return "n/a"
    pct = _EXACT.multiply(fraction, Decimal(100))
    places = max(2, -pct.normalize().as_tuple().exponent) if pct else 2
    return f"{pct:.{places}f}%"
