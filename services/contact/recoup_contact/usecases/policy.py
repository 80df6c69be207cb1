"""Where the gate's policy levels and the debtor's zones come from — the one place the compliance
issue replaces (stored, versioned, audited levels system → client → placement → case).

Today: the system level from settings (RECOUP_COMPLIANCE_SYSTEM_POLICY, validated at start); no
client or placement level; the case level derived from what this service knows about the case —
the client's flags (R-16, R-17: `case_values_from_flags`), the holds placed here (a DISPUTE record,
a serious complaint: R-17, R-47) and its contact persons (R-18: who does not know of the debt, who
asked not to be called). The effective policy is compiled once per distinct set of values.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import asyncpg
import orjson

from recoup_shared.compliance import (EffectivePolicy, LevelKind, LocalZones, PolicyLevel, SourceKind, ZoneSource,
                                      case_values_from_flags, effective_policy, resolve_zones)

from ..context import Ctx
from ..store import work as work_store

_CACHE: OrderedDict[bytes, EffectivePolicy] = OrderedDict()
_CACHE_SIZE = 4096


async def case_values(conn: asyncpg.Connection, case: Any, points: list[Any]) -> dict[str, Any]:
    """The case level's values (R-16, R-17, R-18, R-47)."""
    values = case_values_from_flags(case["flags"] or (), since=case["received_at"])
    holds = case.get("holds")   # read with the case (store.casepage.for_work), else here
    if holds is None:
        holds = await work_store.active_holds(conn, case["case_id"])
    for hold in holds:
        since = hold["since"]
        values[f"holds.{hold['kind']}"] = {"since": since if isinstance(since, str) else since.isoformat(),
                                           "by": hold["placed_by"], "note": hold["note"]}
    for p in points:
        if p["party"] == "debtor" or p["kind"] == "address":
            continue
        key = f"third_parties.{p['point_id']}"
        if p["knows_debt"]:
            values[f"{key}.knows_debt"] = True
        if p["state"] == "do_not_call":
            values[f"{key}.do_not_call"] = True
    return values


def compile_policy(ctx: Ctx, values: dict[str, Any]) -> EffectivePolicy:
    """system → (client, placement: the compliance issue) → case, cached by the values themselves."""
    system = ctx.settings.compliance_system_policy
    key = orjson.dumps([system, values], option=orjson.OPT_SORT_KEYS, default=str)
    policy = _CACHE.get(key)
    if policy is not None:
        _CACHE.move_to_end(key)
        return policy
    levels = [PolicyLevel.stored(LevelKind.SYSTEM, system)]
    if values:
        levels.append(PolicyLevel.stored(LevelKind.CASE, values, scope=None))
    policy = effective_policy(levels)
    _CACHE[key] = policy
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return policy


async def policy_for(conn: asyncpg.Connection, ctx: Ctx, case: Any, points: list[Any]) -> EffectivePolicy:
    return compile_policy(ctx, await case_values(conn, case, points))


def zones_for(policy: EffectivePolicy, case: Any, points: list[Any], point: Any | None) -> LocalZones:
    """R-14: the debtor's zones from the case — its addresses' provinces and the household region —
    and the region of the number being dialled; only what is safe in all of them is allowed."""
    sources = [ZoneSource(SourceKind.ADDRESS, region=p["province"]) for p in points
               if p["kind"] == "address" and p["party"] == "debtor" and p["province"]]
    if case["region"]:
        sources.append(ZoneSource(SourceKind.ADDRESS, region=case["region"]))
    if point is not None and point["region"]:
        sources.append(ZoneSource(SourceKind.CONTACT_POINT, region=point["region"]))
    return resolve_zones(sources, policy.default_zone)
