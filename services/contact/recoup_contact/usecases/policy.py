"""Where the gate's policy comes from: the stored, versioned levels system → client → placement →
case (R-14..R-18, R-47; `policy_levels`), and the debtor's zones.

The case level in force is the stored one laid over what the case itself implies: the client's flags
(R-16 special population, R-17 holds — a hold a flag implies stays while the flag is set, whatever
the stored level says: nothing overrides a hold, the client lifts it by removing the flag) and its
contact persons as the placement described them (R-18: who knows of the debt, who asked not to be
called). Fieldops and letters build a case's policy the same way from `policy.changed`.

Versions are immutable: the values of a system, client or placement version are read once and
cached; the effective policy is compiled once per distinct set of levels.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

import asyncpg
import orjson

from recoup_shared.compliance import (EffectivePolicy, LevelKind, LocalZones, PolicyLevel, SourceKind, ZoneSource,
                                      case_values_from_flags, effective_policy, resolve_zones)

from ..context import Ctx
from ..store import policies as policy_store

_CACHE: OrderedDict[tuple, EffectivePolicy] = OrderedDict()
_CACHE_SIZE = 4096
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
SCOPED = (LevelKind.CLIENT, LevelKind.PLACEMENT)


def flag_values(flags: Iterable[str]) -> dict[str, Any]:
    """What the client's flags imply at the case level (R-16, R-17), without a moment (as fieldops)."""
    out = case_values_from_flags(sorted(set(flags or ())), since=_EPOCH)
    for key, value in out.items():
        if key.startswith("holds.") and isinstance(value, dict):
            out[key] = {**value, "since": None}
    return out


def point_values(points: Iterable[Any]) -> dict[str, Any]:
    """R-18 as the case's contact points say it (a person marked here is also a stored version)."""
    out: dict[str, Any] = {}
    for p in points:
        if p["party"] == "debtor" or p["kind"] == "address":
            continue
        key = f"third_parties.{p['point_id']}"
        if p["knows_debt"]:
            out[f"{key}.knows_debt"] = True
        if p["state"] == "do_not_call":
            out[f"{key}.do_not_call"] = True
    return out


def case_values(flags: Iterable[str], points: Iterable[Any], stored: Mapping[str, Any] | None) -> dict[str, Any]:
    """The case level in force: implied values, the stored level over them, flag holds kept."""
    implied = flag_values(flags)
    merged = {**point_values(points), **implied, **(stored or {})}
    for key, value in implied.items():
        if key.startswith("holds.") and merged.get(key) is None:
            merged[key] = value
    return merged


async def _level_values(conn: asyncpg.Connection, ctx: Ctx, kind: LevelKind, scope: str,
                        version: int | None) -> dict[str, Any] | None:
    if version is None:
        return None
    key = ("policy", f"{kind.value}:{scope}", version)
    found = ctx.parsed.get(key)
    if found is None:
        found = ctx.parsed[key] = await policy_store.values_of(conn, kind.value, scope, version)
    return found


async def _versions(conn: asyncpg.Connection, case: Any) -> Any:
    """The level versions read with the case (store.casepage), else read here."""
    if case.get("system_policy_v", ...) is not ...:
        return case
    return await policy_store.for_case(conn, case["case_id"])


async def policy_for(conn: asyncpg.Connection, ctx: Ctx, case: Any, points: list[Any]) -> EffectivePolicy:
    v = await _versions(conn, case)
    stored = v["case_policy"]
    case_version, stored_values = (stored[0], stored[1]) if stored else (None, None)
    values = case_values(case["flags"] or (), points, stored_values)
    system = v["system_policy_v"] if v["system_policy_v"] is not None else id(ctx.settings)   # the setting's
    key = (system, case["client_id"], v["client_policy_v"], case["placement_id"],
           v["placement_policy_v"], case_version, orjson.dumps(values, option=orjson.OPT_SORT_KEYS))
    policy = _CACHE.get(key)
    if policy is not None:
        _CACHE.move_to_end(key)
        return policy
    levels = [await system_level(conn, ctx, v["system_policy_v"])]
    for kind, scope, version in ((LevelKind.CLIENT, case["client_id"], v["client_policy_v"]),
                                 (LevelKind.PLACEMENT, case["placement_id"], v["placement_policy_v"])):
        found = await _level_values(conn, ctx, kind, scope or "", version)
        if found is not None:
            levels.append(PolicyLevel.stored(kind, found, scope=scope, version=version))
    if values:
        levels.append(PolicyLevel.stored(LevelKind.CASE, values, scope=case["case_id"], version=case_version))
    policy = effective_policy(levels)
    _CACHE[key] = policy
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return policy


async def system_level(conn: asyncpg.Connection, ctx: Ctx, version: int | None) -> PolicyLevel:
    """The stored system level; before the first one is saved, RECOUP_COMPLIANCE_SYSTEM_POLICY."""
    found = await _level_values(conn, ctx, LevelKind.SYSTEM, "", version)
    if found is None:
        return PolicyLevel.stored(LevelKind.SYSTEM, ctx.settings.compliance_system_policy)
    return PolicyLevel.stored(LevelKind.SYSTEM, found, version=version)


def zones_for(policy: EffectivePolicy, case: Any, points: list[Any], point: Any | None) -> LocalZones:
    """R-14: the debtor's zones from the case — its addresses' provinces and the household region —
    and the region of the number being dialled (号码归属地, libphonenumber); only what is safe in all
    of them is allowed; none: the client's `zone.default` (Asia/Shanghai unless set)."""
    sources = [ZoneSource(SourceKind.ADDRESS, region=p["province"]) for p in points
               if p["kind"] == "address" and p["party"] == "debtor" and p["province"]]
    if case["region"]:
        sources.append(ZoneSource(SourceKind.ADDRESS, region=case["region"]))
    if point is not None and point["region"]:
        sources.append(ZoneSource(SourceKind.CONTACT_POINT, region=point["region"]))
    return resolve_zones(sources, policy.default_zone)
