"""Each case's compliance policy, from what fieldops keeps: the levels `policy.changed` brought
(system → client → placement → case, issue 10: by event, never by a synchronous call) and the case
level the client's flags imply (R-16 special population, R-17 holds), for cases contact has not
published a level for yet, or published before the flag arrived.

Merging the case level: contact's published values win key by key — except a hold: while the
client's flag is set, a hold contact lifted stays in force here (nothing overrides a hold; the
client removes its flag with `case.updated`, and that lifts it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

import orjson

from recoup_shared.compliance import (
    LevelKind,
    PolicyLevel,
    SourceKind,
    ZoneSource,
    case_values_from_flags,
    effective_policy,
    resolve_zones,
)

from .visit_gate import CasePolicy

Levels = Mapping[tuple[str, str], tuple[int, dict[str, Any]]]
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def flag_values(flags: Iterable[str]) -> dict[str, Any]:
    """The case-level values the client's flags imply, without a moment (it would only make every
    flagged case's policy different from the next)."""
    out = case_values_from_flags(sorted(set(flags)), since=_EPOCH)
    for key, value in out.items():
        if key.startswith("holds.") and isinstance(value, dict):
            out[key] = {**value, "since": None}
    return out


def case_values(flags: Iterable[str], published: Mapping[str, Any] | None) -> dict[str, Any]:
    implied = flag_values(flags)
    merged = {**implied, **(published or {})}
    for key, value in implied.items():
        if key.startswith("holds.") and merged.get(key) is None:
            merged[key] = value
    return merged


class PolicyBook:
    """CasePolicy per case, built from the stored levels; effective policies and zones are cached
    (most cases share their levels: one policy serves thousands)."""

    def __init__(self, levels: Levels) -> None:
        self._levels = levels
        self._policies: dict[tuple, Any] = {}
        self._zones: dict[tuple[str, str], Any] = {}

    def _level(self, kind: str, scope: str, values: Mapping[str, Any] | None = None,
               version: int | None = None) -> PolicyLevel | None:
        if values is None:
            found = self._levels.get((kind, scope))
            if found is None:
                return None
            version, values = found
        return PolicyLevel.stored(LevelKind(kind), dict(values), scope=scope or None, version=version)

    def case_policy(self, *, case_id: str, client_id: str, placement_id: str | None,
                    flags: Iterable[str], province: str | None) -> CasePolicy:
        published = self._levels.get(("case", case_id))
        values = case_values(flags, published[1] if published else None)
        case_key = orjson.dumps(values, option=orjson.OPT_SORT_KEYS) if values else None
        client = ("client", client_id) if ("client", client_id) in self._levels else None
        placement = (("placement", placement_id) if placement_id
                     and ("placement", placement_id) in self._levels else None)
        key = (client, placement, case_key)
        policy = self._policies.get(key)
        if policy is None:
            levels = [self._level("system", ""), self._level(*client) if client else None,
                      self._level(*placement) if placement else None,
                      self._level("case", case_id, values, published[0] if published else None)
                      if values else None]
            policy = self._policies[key] = effective_policy([lv for lv in levels if lv is not None])
        zkey = (province or "", policy.default_zone)
        zones = self._zones.get(zkey)
        if zones is None:
            sources = [ZoneSource(SourceKind.ADDRESS, region=province)] if province else []
            zones = self._zones[zkey] = resolve_zones(sources, policy.default_zone)
        return CasePolicy(policy, zones)
