"""Inheritance system → client → placement → case, and the effective policy it yields.

Each key takes the value of the most specific level that sets it; a preset sits just below the level
that selects it; the built-in domain defaults are below everything. The effective policy remembers,
key by key, which level (and preset) set the value: `explain()` is the answer to "why is this case
callable only from 09:00?" (GET /v1/cases/{id}/policy).

The effective policy is also compiled once into what the gate needs (window table, counting rules,
holds...), so a decision does no parsing. Services may cache it per (levels, versions).
"""
from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from .caps import DayCap, build_caps
from .catalog import HOLD_KINDS
from .keys import DEFAULTS
from .levels import PolicyLevel
from .model import LEVEL_ORDER, Exemption, Group, LevelKind
from .presets import PRESETS
from .windows import WindowTable, compile_table


@dataclass(frozen=True, slots=True)
class Origin:
    level: LevelKind
    scope: str | None = None
    version: int | None = None
    preset: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level.value, "scope": self.scope, "version": self.version,
                "preset": self.preset}


_DEFAULT = Origin(LevelKind.DEFAULT)


@dataclass(frozen=True, slots=True)
class ThirdParty:
    knows_debt: bool = False     # unknown means not told
    do_not_call: bool = False


class EffectivePolicy:
    """The merged, explainable, compiled policy of one case (or of a scope above it)."""

    __slots__ = ("values", "origins", "windows", "caps", "min_interval", "holds", "skips",
                 "callback_valid_days", "callback_requested_at", "default_zone", "special", "min_agents", "max_special_agents",
                 "workplace_working_days", "window_ref", "horizon", "_third", "_fingerprint")

    def __init__(self, values: dict[str, Any], origins: dict[str, Origin]) -> None:
        v = values
        self.values: Mapping[str, Any] = values
        self.origins: Mapping[str, Origin] = origins
        self.windows: WindowTable = compile_table(v, v["windows.blackout"])
        self.caps: tuple[DayCap, ...] = build_caps(v)
        minutes = v["caps.min_minutes_between_calls"]
        self.min_interval: int | None = minutes
        self.holds: tuple[tuple[str, dict], ...] = tuple(
            (k, v[f"holds.{k}"]) for k in HOLD_KINDS if v.get(f"holds.{k}") is not None)
        self.skips: dict[Exemption, frozenset[Group]] = {
            Exemption.INBOUND: frozenset(Group(g) for g in v["exemptions.inbound"]),
            Exemption.CALLBACK_REQUESTED: frozenset(Group(g) for g in v["exemptions.callback_requested"]),
        }
        self.callback_valid_days: int = v["exemptions.callback_valid_days"]
        asked = v.get("exemptions.callback_requested_at")
        self.callback_requested_at: datetime | None = datetime.fromisoformat(asked) if asked else None
        self.default_zone: str = v["zone.default"]
        self.special: str | None = v["special_population.kind"]
        self.min_agents: int = v["visits.min_agents"]
        self.max_special_agents: int | None = v["special_population.max_visit_agents"] if self.special else None
        self.workplace_working_days: bool = v["visits.workplace_on_working_days_only"]
        self.window_ref: str = v["windows.ref"]
        span = max([c.days for c in self.caps] + [self.callback_valid_days])
        # +2 days: a debtor-local day may start up to ~26 h away from UTC midnight
        self.horizon = timedelta(days=span + 2, minutes=minutes or 0)
        self._third: dict[str, ThirdParty] = {}
        self._fingerprint: str | None = None

    def third_party(self, contact_person: str) -> ThirdParty:
        tp = self._third.get(contact_person)
        if tp is None:
            base = f"third_parties.{contact_person}."
            tp = ThirdParty(knows_debt=bool(self.values.get(base + "knows_debt", False)),
                            do_not_call=bool(self.values.get(base + "do_not_call", False)))
            self._third[contact_person] = tp
        return tp

    @property
    def fingerprint(self) -> str:
        """Identifies the values a decision was made with (stored with every decision for audits)."""
        if self._fingerprint is None:
            blob = orjson.dumps(dict(self.values), option=orjson.OPT_SORT_KEYS)
            self._fingerprint = hashlib.sha256(blob).hexdigest()[:16]
        return self._fingerprint

    def explain(self) -> list[dict[str, Any]]:
        """Every effective value and the level that set it, key by key."""
        return [{"key": k, "value": self.values[k], **self.origins[k].to_dict()} for k in sorted(self.values)]

    def origin(self, key: str) -> Origin:
        return self.origins[key]


def _check_order(levels: Sequence[PolicyLevel]) -> None:
    ranks = [LEVEL_ORDER.index(lv.kind) for lv in levels]
    if any(lv.kind == LevelKind.DEFAULT for lv in levels) or ranks != sorted(set(ranks)):
        raise ValueError("levels must be given least specific first, at most one per kind "
                         "(system, client, placement, case)")


def effective_policy(levels: Sequence[PolicyLevel] = ()) -> EffectivePolicy:
    """Merges the levels over the built-in defaults, key by key, least specific first."""
    _check_order(levels)
    values: dict[str, Any] = dict(DEFAULTS)
    origins: dict[str, Origin] = dict.fromkeys(values, _DEFAULT)
    for lv in levels:
        preset = lv.values.get("preset")
        if preset:
            via = Origin(lv.kind, lv.scope, lv.version, preset)
            for k, val in PRESETS[preset].items():
                values[k] = val
                origins[k] = via
        own = Origin(lv.kind, lv.scope, lv.version)
        for k, val in lv.values.items():
            values[k] = val
            origins[k] = own
    return EffectivePolicy(values, origins)
