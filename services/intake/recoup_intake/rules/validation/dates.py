"""Dates of a case (R-4): ISO dates only; days past due and the overdue date, one derived from the
other (they must agree when both are given); the last payment."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ..model import LAST_PAYMENT_FIELDS, ValidationLimits
from .amounts import parse_amount
from .common import WS, Errs, InvalidValue, nfkc

_DAYS = tuple(timedelta(days=n) for n in range(2000))
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(value: Any) -> date:
    """A date from JSON: `YYYY-MM-DD` only. Raises InvalidValue."""
    if type(value) is not str:
        raise InvalidValue("must be a date string YYYY-MM-DD")
    s = value.strip(WS)
    if len(s) != 10 or _DATE_RE.fullmatch(s) is None:
        raise InvalidValue("must be a date YYYY-MM-DD")
    try:
        d = date.fromisoformat(s)
    except ValueError:
        raise InvalidValue("not a real calendar date") from None
    if d.year < 1900:
        raise InvalidValue("date before 1900")
    return d


def parse_dpd(value: Any, max_dpd: int) -> int:
    """Days past due: a whole number 0..max_dpd (a JSON integer, an integral float or digits)."""
    t = type(value)
    if t is int:
        n = value
    elif t is float and value.is_integer():
        n = int(value)
    elif t is str and (v := nfkc(value).strip(WS)).isdigit() and v.isascii():
        n = int(v)
    else:
        raise InvalidValue("must be a whole number of days")
    if n < 0:
        raise InvalidValue("must be ≥ 0")
    if n > max_dpd:
        raise InvalidValue(f"implausible (more than {max_dpd} days)")
    return n


def _days_before(placed_on: date, dpd: int) -> date:
    return placed_on - _DAYS[dpd] if dpd < len(_DAYS) else placed_on - timedelta(days=dpd)


def validate_overdue(c: dict, placed_on: date, limits: ValidationLimits, errs: Errs) -> tuple[int | None, date | None]:
    """(dpd, overdue_since): give one, the other is derived from the placement date."""
    dpd = overdue_since = None
    raw_dpd, raw_since = c.get("dpd"), c.get("overdue_since")
    if raw_dpd is not None:
        try:
            dpd = parse_dpd(raw_dpd, limits.max_dpd)
        except InvalidValue as e:
            errs.append((".dpd", e.args[0]))
    bad_overdue = False
    if raw_since is not None:
        try:
            overdue_since = parse_iso_date(raw_since)
            if overdue_since > placed_on:
                errs.append((".overdue_since", "after the placement date"))
                bad_overdue = True
        except InvalidValue as e:
            errs.append((".overdue_since", e.args[0]))
            bad_overdue = True
    if dpd is None and overdue_since is None:
        if raw_dpd is None and raw_since is None:
            errs.append((".dpd", "dpd or overdue_since required"))
    elif dpd is None and overdue_since is not None:
        dpd = (placed_on - overdue_since).days
        if dpd > limits.max_dpd:
            errs.append((".overdue_since", f"implausible (more than {limits.max_dpd} days before placement)"))
    elif overdue_since is None and dpd is not None:
        overdue_since = _days_before(placed_on, dpd)
    elif (dpd is not None and overdue_since is not None and not bad_overdue
          and (placed_on - overdue_since).days != dpd):
        errs.append((".dpd", "dpd disagrees with overdue_since (give one of them)"))
    return dpd, overdue_since


def validate_last_payment(c: dict, today: date, max_amount: Decimal,
                          errs: Errs) -> tuple[date | None, Decimal | None]:
    """(on, amount) of the optional `last_payment {on, amount}`; both required when it is given."""
    lp = c.get("last_payment")
    if lp is None:
        return None, None
    if type(lp) is not dict:
        errs.append((".last_payment", "must be an object {on, amount}"))
        return None, None
    lp_on = lp_amount = None
    for k in lp:
        if k not in LAST_PAYMENT_FIELDS:
            errs.append((f".last_payment.{k}", "unknown field"))
    try:
        lp_on = parse_iso_date(lp.get("on"))
        if lp_on > today:
            errs.append((".last_payment.on", "in the future"))
    except InvalidValue as e:
        errs.append((".last_payment.on", "required" if lp.get("on") is None else e.args[0]))
    if lp.get("amount") is None:
        errs.append((".last_payment.amount", "required"))
    else:
        try:
            lp_amount = parse_amount(lp.get("amount"), max_amount)
        except InvalidValue as e:
            errs.append((".last_payment.amount", e.args[0]))
    return lp_on, lp_amount
