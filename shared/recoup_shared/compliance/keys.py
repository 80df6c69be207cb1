"""The policy's key space: every value a level may set, its type, its domain default and the levels
allowed to set it. A policy is a flat map of these dotted keys; inheritance and the explanation work
key by key. Keys with an id inside (third_parties.<id>.*) are matched by pattern.

Null means "explicitly none" where a key is nullable: no cap, no holiday-specific window, no hold.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .catalog import HOLD_KINDS, HOLD_LIFT_ROLES, ROLES, SPECIAL_POPULATION_KINDS
from .model import EXEMPTABLE_GROUPS, Group, LevelKind
from .windows import DAY_KEYS, HOLIDAY, WindowError, canonical
from .zones import DEFAULT_ZONE, is_zone

PRESET_NAMES: tuple[str, ...] = ("cn_default", "us_regf")


class FieldError(ValueError):
    """A value that is not valid for its key; `sub` extends the field path (e.g. "[1]", ".since")."""

    def __init__(self, reason: str, sub: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.sub = sub


_ALL = frozenset({LevelKind.SYSTEM, LevelKind.CLIENT, LevelKind.PLACEMENT, LevelKind.CASE})
_POLICY = frozenset({LevelKind.SYSTEM, LevelKind.CLIENT, LevelKind.PLACEMENT})
_AGENCY = frozenset({LevelKind.SYSTEM, LevelKind.CLIENT})
_SYSTEM = frozenset({LevelKind.SYSTEM})
_CASE = frozenset({LevelKind.CASE})


@dataclass(frozen=True, slots=True)
class KeySpec:
    check: Callable[[Any], Any]   # returns the canonical (JSON-ready) value or raises FieldError
    default: Any
    levels: frozenset[LevelKind]
    nullable: bool = False


# --- value checkers -----------------------------------------------------------------------------

def _int(minimum: int, maximum: int = 100_000) -> Callable[[Any], int]:
    def check(v: Any) -> int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise FieldError("must be an integer")
        if v < minimum:
            raise FieldError(f"must be >= {minimum}")
        if v > maximum:
            raise FieldError(f"must be <= {maximum}")
        return v
    return check


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise FieldError("must be true or false")
    return v


def _windows(v: Any) -> list[str]:
    try:
        return canonical(v)
    except WindowError as e:
        raise FieldError(e.reason, f"[{e.index}]" if e.index >= 0 else "") from None


def _zone(v: Any) -> str:
    if not is_zone(v):
        raise FieldError("unknown time zone (use an IANA name like Asia/Shanghai)")
    return v


def _one_of(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(v: Any) -> str:
        if v not in options:
            raise FieldError(f"must be one of: {', '.join(options)}")
        return v
    return check


def _text(v: Any) -> str:
    if not isinstance(v, str) or not v.strip() or len(v) > 200:
        raise FieldError("must be a non-empty text of at most 200 characters")
    return v


def _list_of(options: tuple[str, ...], what: str, empty_ok: bool) -> Callable[[Any], list[str]]:
    def check(v: Any) -> list[str]:
        if not isinstance(v, (list, tuple)) or (not v and not empty_ok):
            raise FieldError(f"must be a {'' if empty_ok else 'non-empty '}list of {what}")
        for i, item in enumerate(v):
            if item not in options:
                raise FieldError(f"unknown {what[:-1]} (known: {', '.join(options)})", f"[{i}]")
        return sorted(set(v))
    return check


def _instant(v: Any) -> str:
    try:
        at = datetime.fromisoformat(v) if isinstance(v, str) else v
    except ValueError:
        at = None
    if not isinstance(at, datetime) or at.tzinfo is None:
        raise FieldError("must be an ISO date-time with a zone offset")
    return at.isoformat()


def _hold(v: Any) -> dict[str, Any]:
    """A hold in force: {"since": ISO instant, "by": who set it, "note": why} — all optional."""
    if not isinstance(v, dict):
        raise FieldError("must be an object {since, by, note}")
    out: dict[str, Any] = {"since": None, "by": None, "note": None}
    for k, val in v.items():
        if k not in out:
            raise FieldError("unknown field (known: since, by, note)", f".{k}")
        if val is None:
            continue
        if k == "since":
            try:
                at = datetime.fromisoformat(val) if isinstance(val, str) else val
            except ValueError:
                at = None
            if not isinstance(at, datetime) or at.tzinfo is None:
                raise FieldError("must be an ISO date-time with a zone offset", ".since")
            out[k] = at.isoformat()
        elif not isinstance(val, str) or len(val) > 500:
            raise FieldError("must be a text of at most 500 characters", f".{k}")
        else:
            out[k] = val
    return out


_GROUPS = tuple(sorted(g.value for g in EXEMPTABLE_GROUPS))
_ROLES = ROLES


# --- the key space ------------------------------------------------------------------------------

def _static() -> dict[str, KeySpec]:
    cap, days = _int(0), _int(1, 366)
    keys: dict[str, KeySpec] = {
        "preset": KeySpec(_one_of(PRESET_NAMES), "cn_default", _AGENCY),
        "zone.default": KeySpec(_zone, DEFAULT_ZONE, _POLICY),
        "windows.blackout": KeySpec(_windows, ["00:00-08:00"], _AGENCY),      # R-14 never 00-08
        f"windows.{HOLIDAY}": KeySpec(_windows, None, _POLICY, nullable=True),
        "windows.ref": KeySpec(_text, "R-14", _SYSTEM),
        # R-15 caps per case per debtor-local day; the per-point/person caps are off unless set.
        "caps.effective_calls_per_day": KeySpec(cap, 3, _ALL, nullable=True),
        "caps.call_attempts_per_day": KeySpec(cap, 10, _ALL, nullable=True),
        "caps.visits_per_day": KeySpec(cap, 2, _ALL, nullable=True),
        "caps.sms_per_day": KeySpec(cap, None, _ALL, nullable=True),
        "caps.calls_per_contact_point_per_day": KeySpec(cap, None, _ALL, nullable=True),
        "caps.calls_per_contact_person_per_day": KeySpec(cap, None, _ALL, nullable=True),
        "caps.min_minutes_between_calls": KeySpec(_int(1, 10_080), None, _ALL, nullable=True),
        # R-16 special populations
        "special_population.kind": KeySpec(_one_of(SPECIAL_POPULATION_KINDS), None, _CASE, nullable=True),
        "special_population.calls_per_period": KeySpec(cap, 1, _POLICY, nullable=True),
        "special_population.call_period_days": KeySpec(days, 2, _POLICY),
        "special_population.visits_per_period": KeySpec(cap, 1, _POLICY, nullable=True),
        "special_population.visit_period_days": KeySpec(days, 7, _POLICY),
        "special_population.max_visit_agents": KeySpec(_int(1, 20), 2, _POLICY, nullable=True),
        # R-36 visits
        "visits.min_agents": KeySpec(_int(1, 20), 2, _POLICY),
        "visits.workplace_on_working_days_only": KeySpec(_bool, True, _POLICY),
        # Reg F (off unless the us_regf preset or a level sets them)
        "regf.calls_per_period": KeySpec(cap, None, _POLICY, nullable=True),
        "regf.call_period_days": KeySpec(days, 7, _POLICY),
        "regf.conversation_quiet_days": KeySpec(days, None, _POLICY, nullable=True),
        # R-15 exemptions: which rule groups each exemption skips; how long a call-back request holds
        "exemptions.inbound": KeySpec(_list_of(_GROUPS, "groups", True), list(_GROUPS), _AGENCY),
        "exemptions.callback_requested": KeySpec(
            _list_of(_GROUPS, "groups", True), ["cap", "interval", "regf"], _AGENCY),
        "exemptions.callback_valid_days": KeySpec(days, 2, _AGENCY),
        # when the debtor asked to be called back (the case's own request; exempts the debtor's
        # calls while valid, until the next conversation)
        "exemptions.callback_requested_at": KeySpec(_instant, None, _CASE, nullable=True),
    }
    for day in DAY_KEYS:
        keys[f"windows.{day}"] = KeySpec(_windows, ["08:00-21:00"], _POLICY)
    for day in (*DAY_KEYS, HOLIDAY):
        keys[f"debtor_windows.{day}"] = KeySpec(_windows, None, _CASE, nullable=True)
    for kind in HOLD_KINDS:
        keys[f"holds.{kind}"] = KeySpec(_hold, None, _CASE, nullable=True)
        keys[f"hold_lift_roles.{kind}"] = KeySpec(
            _list_of(_ROLES, "roles", False), sorted(HOLD_LIFT_ROLES[kind]), _AGENCY)
    return keys


STATIC_KEYS: dict[str, KeySpec] = _static()
DEFAULTS: dict[str, Any] = {k: s.default for k, s in STATIC_KEYS.items()}

_ID = r"[A-Za-z0-9_\-:]{1,64}"
_DYNAMIC: tuple[tuple[re.Pattern[str], KeySpec], ...] = (
    (re.compile(rf"^third_parties\.{_ID}\.knows_debt$"), KeySpec(_bool, False, _CASE)),
    (re.compile(rf"^third_parties\.{_ID}\.do_not_call$"), KeySpec(_bool, False, _CASE)),
)
_DYNAMIC_BRANCHES = (re.compile(r"^third_parties$"), re.compile(rf"^third_parties\.{_ID}$"))
_STATIC_BRANCHES = frozenset(k.rsplit(".", i)[0] for k in STATIC_KEYS for i in range(1, k.count(".") + 1))


def spec_for(key: str) -> KeySpec | None:
    spec = STATIC_KEYS.get(key)
    if spec is not None:
        return spec
    for pattern, dyn in _DYNAMIC:
        if pattern.match(key):
            return dyn
    return None


def is_branch(path: str) -> bool:
    """True for a path that leads to keys (e.g. "caps", "third_parties.cp-1")."""
    return path in _STATIC_BRANCHES or any(p.match(path) for p in _DYNAMIC_BRANCHES)


__all__ = ["DEFAULTS", "FieldError", "Group", "KeySpec", "PRESET_NAMES", "STATIC_KEYS", "is_branch",
           "spec_for"]
