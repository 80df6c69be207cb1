"""Money (R-4): amounts are exact decimals with at most two places, never floats; the client's
stated total wins over principal + interest + fees (flagged when they disagree)."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from ..model import DEFAULT_LIMITS, W_BREAKDOWN_MISSING, W_TOTAL_MISMATCH, ValidationLimits
from .common import SCI_RE, WS, Errs, InvalidValue, nfkc

Q2 = Decimal("0.01")
ZERO = Decimal("0.00")
_PLAIN_AMOUNT_RE = re.compile(r"\d{1,17}(?:\.\d{1,2})?")
_AMOUNT_RE = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")


def _amount_text(value: Any) -> str:
    """The decimal text of a JSON amount that is not a plain "13830.50". Raises InvalidValue."""
    t = type(value)
    if t is str:
        s = nfkc(value).strip(WS)
        if _AMOUNT_RE.fullmatch(s) is None:
            if "," in s:
                raise InvalidValue("thousands separators are not accepted; send a plain decimal like 13830.50")
            if SCI_RE.fullmatch(s):
                raise InvalidValue("amount in scientific notation is not accepted")
            raise InvalidValue("must be a decimal amount like 13830.50")
        return s
    if t is int:
        return str(value)
    if t is float:
        if not math.isfinite(value):
            raise InvalidValue("must be a finite amount")
        s = repr(value)
        return format(Decimal(s), "f") if "e" in s else s
    if t is Decimal:
        if not value.is_finite():
            raise InvalidValue("must be a finite amount")
        return format(value, "f")
    raise InvalidValue("must be a decimal string or a number")


def parse_amount(value: Any, max_amount: Decimal = DEFAULT_LIMITS.max_amount) -> Decimal:
    """A money amount from JSON: a decimal string or a number, ≥ 0, at most two decimals (zeros
    beyond the second are harmless). A float goes through its shortest repr, so 13830.5 is fine
    and 0.1+0.2 (0.30000000000000004) is refused, never rounded. Returns the amount quantised to
    0.01. Raises InvalidValue."""
    if type(value) is str and _PLAIN_AMOUNT_RE.fullmatch(value) is not None:  # the common case, fast
        d = Decimal(value)
        if d > max_amount:
            raise InvalidValue(f"amount too large (at most {max_amount})")
        return d if value[-3:-2] == "." else d.quantize(Q2)
    s = _amount_text(value)
    frac = s.partition(".")[2]
    if len(frac) > 2 and frac[2:].strip("0"):
        raise InvalidValue("amount has more than two decimals")
    if s[0] == "-":
        if s.strip("-0."):
            raise InvalidValue("must be ≥ 0")
        return Decimal("0.00")
    d = Decimal(s)
    if d > max_amount:
        raise InvalidValue(f"amount too large (at most {max_amount})")
    return d.quantize(Q2)


def _amount(v: Any, key: str, max_amount: Decimal, errs: Errs, bad: Decimal | None) -> Decimal | None:
    """v (not None) as an amount; `bad` stands in for an invalid one (error listed)."""
    try:
        return parse_amount(v, max_amount)
    except InvalidValue as e:
        errs.append(("." + key, e.args[0]))
        return bad


def validate_currency(c: dict, errs: Errs) -> str | None:
    currency = c.get("currency")
    if currency is None:
        return "CNY"
    if type(currency) is str and len(currency) == 3 and currency.isascii() and currency.isupper() \
            and currency.isalpha():
        return currency  # already an ISO 4217 code (the common case, fast)
    if type(currency) is not str or _CURRENCY_RE.fullmatch(cur := currency.strip(WS).upper()) is None:
        errs.append((".currency", "must be a 3-letter ISO 4217 code like CNY"))
        return None
    return cur


def validate_amounts(c: dict, limits: ValidationLimits, errs: Errs, warnings: list[str]) -> tuple:
    """R-4: (principal, interest, fees, placed_amount, credit_limit). Without a breakdown the
    total is the principal (flagged); without a total it is the sum of the parts; a stated total
    that differs from the parts wins (flagged)."""
    max_amount = limits.max_amount
    get = c.get
    principal = None if (v := get("principal")) is None else _amount(v, "principal", max_amount, errs, Decimal(0))
    interest = None if (v := get("interest")) is None else _amount(v, "interest", max_amount, errs, Decimal(0))
    fees = None if (v := get("fees")) is None else _amount(v, "fees", max_amount, errs, Decimal(0))
    placed = None if (v := get("placed_amount")) is None else _amount(v, "placed_amount", max_amount, errs, Decimal(0))
    if placed is None and principal is None and interest is None and fees is None:
        errs.append((".placed_amount", "placed_amount or principal/interest/fees required"))
    elif principal is None and interest is None and fees is None:
        principal, interest, fees = placed, ZERO, ZERO
        warnings.append(W_BREAKDOWN_MISSING)
    else:
        principal = principal if principal is not None else ZERO
        interest = interest if interest is not None else ZERO
        fees = fees if fees is not None else ZERO
        total = principal + interest + fees
        if placed is None:
            placed = total
            if placed > max_amount:
                errs.append((".placed_amount", f"amount too large (at most {max_amount})"))
        elif total != placed:
            warnings.append(W_TOTAL_MISMATCH)   # the client's stated total wins, flagged
    credit_limit = None if (v := get("credit_limit")) is None else _amount(v, "credit_limit", max_amount, errs, None)
    return principal, interest, fees, placed, credit_limit
