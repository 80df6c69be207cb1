"""Named rule sets a client selects with `preset` (system or client level).

A preset's values sit just below the level that selects it: that level's own values still override
them, and the explanation names the preset. `cn_default` is the domain itself (the built-in defaults:
R-14 windows, R-15 caps, R-16, R-17, R-18). `us_regf` proves the engine is general: U.S. Regulation F —
12 CFR 1006.14(b)(2)(i): no more than 7 calls to a person about a debt within 7 consecutive days, none
within the 7 days that start with the day of a telephone conversation; 1006.14(b)(3)(i): calls placed
with the person's prior consent, given directly within the last 7 days (that day first), are excluded
(our `callback_requested` exemption); 1006.14(b)(3)(ii): calls not connected to the dialled number do
not count; 1006.6(b)(1)(i): 8 a.m. to 9 p.m. at the consumer's location, every day of the year.
"""
from __future__ import annotations

from typing import Any

from .catalog import REGF_WINDOW
from .levels import check_values
from .windows import DAY_KEYS

_REGF: dict[str, Any] = {
    **{f"windows.{d}": ["08:00-21:00"] for d in DAY_KEYS},
    "windows.holiday": None,            # Chinese public holidays mean nothing under Reg F
    "windows.blackout": [],             # the 8-21 window is the whole rule
    "windows.ref": REGF_WINDOW,
    "caps.effective_calls_per_day": None,   # R-15 gives way to the Reg F frequencies
    "caps.call_attempts_per_day": None,
    "caps.visits_per_day": None,
    "regf.calls_per_period": 7,
    "regf.call_period_days": 7,
    "regf.conversation_quiet_days": 7,
    "exemptions.callback_requested": ["cap", "interval", "regf"],
    "exemptions.callback_valid_days": 7,    # 1006.14(b)(3)(i): consent lasts 7 days, its day first
    "visits.workplace_on_working_days_only": False,   # the Chinese working-day calendar does not apply
}


def _checked(values: dict[str, Any]) -> dict[str, Any]:
    out, errors = check_values(values, None)
    if errors:  # a programming error, caught by the test suite at import
        raise ValueError(f"invalid preset: {errors}")
    return out


PRESETS: dict[str, dict[str, Any]] = {
    "cn_default": {},
    "us_regf": _checked(_REGF),
}
