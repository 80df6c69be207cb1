"""Contact-policy levels (R-14..R-18): read, change, explain. Every change is validated whole
(`validate_level`: 422 with the field, nothing saved), stored as a new version with who, when and
why, in force at once (the gate reads the newest version in the same transaction), and published on
`policy.changed` for fieldops and letters.

Who may write (R-45): the system level the admin; a client's or a placement's level a supervisor or
an admin; a case's level — the debtor's own requests (windows they asked for, a call-back, contact
persons not to be called or who know of the debt) — the case's collector, a lead of its team or a
supervisor, who alone may set other case values (caps, special population). Holds have their own
use case (holds.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.compliance import LevelKind, PolicyInvalid, PolicyLevel, effective_policy, validate_level
from recoup_shared.compliance.keys import spec_for
from recoup_shared.errors import Forbidden
from recoup_shared.locks import xact_lock
from recoup_shared.vocabulary import Role

from .. import events
from ..context import Ctx
from ..rules.errors import FieldError, InvalidPolicy, NotFoundHere
from ..store import points as point_store
from ..store import policies as policy_store
from ..store import records as record_store
from .common import check_read, get_case_for, load_for_work
from .policy import case_values, flag_values, point_values, policy_for, system_level, zones_for

AGENCY = "agency"   # the envelope's client_id for the system level
WRITERS: dict[LevelKind, frozenset[str]] = {
    LevelKind.SYSTEM: frozenset({Role.ADMIN}),
    LevelKind.CLIENT: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    LevelKind.PLACEMENT: frozenset({Role.SUPERVISOR, Role.ADMIN}),
}
# what the debtor asked for, which the case's collector may record
DEBTOR_REQUESTS = ("debtor_windows.", "exemptions.callback_requested_at", "third_parties.",
                   "special_population.kind")


def invalid(exc: PolicyInvalid, prefix: str) -> InvalidPolicy:
    return InvalidPolicy([FieldError(f"{prefix}.{e['field']}" if e["field"] != "values" else prefix, e["reason"])
                          for e in exc.errors])


def level_out(kind: LevelKind, scope: str, row: Any | None, values: Mapping[str, Any] | None = None) -> dict:
    vals = dict(values if values is not None else (row["values"] if row else {}))
    return {"level": kind.value, "scope_id": scope or None, "version": row["version"] if row else 0,
            "values": PolicyLevel.stored(kind, vals).nested(), "changed_by": row["changed_by"] if row else None,
            "changed_at": row["changed_at"] if row else None, "reason": row["reason"] if row else None}


async def _client_of(conn: asyncpg.Connection, kind: LevelKind, scope: str) -> str:
    if kind == LevelKind.SYSTEM:
        return AGENCY
    if kind == LevelKind.CLIENT:
        return scope
    client = await policy_store.placement_client(conn, scope)
    if client is None:
        raise NotFoundHere("no case of this placement has arrived here")
    return client


async def read_level(conn: asyncpg.Connection, ctx: Ctx, kind: LevelKind, scope: str) -> dict[str, Any]:
    row = await policy_store.current(conn, kind.value, scope)
    if row is None and kind == LevelKind.SYSTEM:   # before the first save: the setting
        return level_out(kind, scope, None, ctx.settings.compliance_system_policy)
    return level_out(kind, scope, row)


async def history(conn: asyncpg.Connection, kind: LevelKind, scope: str, before: int | None,
                  limit: int) -> list[dict[str, Any]]:
    return [level_out(kind, scope, r) for r in await policy_store.versions(conn, kind.value, scope, before=before,
                                                                              limit=limit)]


async def save(conn: asyncpg.Connection, ctx: Ctx, kind: LevelKind, scope: str, client_id: str,
               values: dict[str, Any], *, by: str, reason: str, effective: dict[str, Any] | None = None) -> dict:
    """A new version of the level (the caller holds the level's lock), and its policy.changed."""
    row = await policy_store.current(conn, kind.value, scope)
    version = (row["version"] if row else 0) + 1
    now = ctx.clock.now()
    await policy_store.insert(conn, level=kind.value, scope=scope, version=version, values=values, by=by, at=now,
                              reason=reason)
    ctx.parsed[("policy", f"{kind.value}:{scope}", version)] = values
    await write_outbox_records(conn, [events.policy_changed(
        level=kind.value, scope_id=scope or None, client_id=client_id, version=version, values=values,
        effective=effective, by=by, at=now)])
    return {"level": kind.value, "scope_id": scope or None, "version": version,
            "values": PolicyLevel.stored(kind, values).nested(), "changed_by": by, "changed_at": now,
            "reason": reason}


async def put_level(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, kind: LevelKind, scope: str,
                    raw: Mapping[str, Any], reason: str) -> dict[str, Any]:
    """PUT a system, client or placement level: the whole level, replaced by a new version."""
    if not principal.has(*WRITERS[kind]):
        raise Forbidden(f"the {kind.value} level is changed by: {', '.join(sorted(WRITERS[kind]))}")
    client_id = await _client_of(conn, kind, scope)
    await xact_lock(conn, "policy-level", kind.value, scope)
    try:
        level = validate_level(raw, kind, scope=scope or None)
    except PolicyInvalid as exc:
        raise invalid(exc, "values") from None
    return await save(conn, ctx, kind, scope, client_id, level.values, by=principal.sub, reason=reason)


def _case_key_errors(principal: Principal, keys: Sequence[str], persons: set[str], field: str) -> list[FieldError]:
    errors = []
    for key in keys:
        if key.startswith("holds."):
            errors.append(FieldError(f"{field}.{key}", "holds are placed and lifted with /holds (R-17)"))
        elif not key.startswith(DEBTOR_REQUESTS) and not principal.has(Role.SUPERVISOR):
            errors.append(FieldError(f"{field}.{key}", "only a supervisor sets this for one case; the collector "
                                                        "records the debtor's own requests"))
        elif key.startswith("third_parties.") and key.split(".")[1] not in persons:
            errors.append(FieldError(f"{field}.{key}", "no such contact person on this case"))
    return errors


async def change_case(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str,
                      changes: Mapping[str, Any], unset: Sequence[str], reason: str) -> dict[str, Any]:
    """PATCH a case's level: set some keys, unset others (back to what the levels above say)."""
    case = await get_case_for(conn, principal, case_id, act=True, lock=True)
    try:
        flat = validate_level(changes, LevelKind.CASE, scope=case_id).values
    except PolicyInvalid as exc:
        raise invalid(exc, "set") from None
    points = await point_store.of_case(conn, case_id)
    persons = {str(p["point_id"]) for p in points if p["party"] != "debtor" and p["kind"] != "address"}
    errors = _case_key_errors(principal, sorted(flat), persons, "set")
    errors += [FieldError(f"unset[{i}]", "unknown rule or key") for i, k in enumerate(unset) if spec_for(k) is None]
    errors += _case_key_errors(principal, [k for k in unset if spec_for(k) is not None], persons, "unset")
    if errors:
        raise InvalidPolicy(errors)
    row = await policy_store.current(conn, "case", case_id)
    values = {k: v for k, v in {**(row["values"] if row else {}), **flat}.items() if k not in set(unset)}
    try:
        values = validate_level(values, LevelKind.CASE, scope=case_id).values
    except PolicyInvalid as exc:
        raise invalid(exc, "set") from None
    await save_case(conn, ctx, case, values, points, by=principal.sub, reason=reason)
    await record_store.timeline_one(conn, case_id, ctx.clock.now(), "policy_changed", actor=principal.sub,
                                    data={"keys": sorted(flat) + sorted(unset)})
    return await explain(conn, ctx, principal, case_id)


async def save_case(conn: asyncpg.Connection, ctx: Ctx, case: Any, values: dict[str, Any],
                    points: list[Any] | None, *, by: str, reason: str) -> dict[str, Any]:
    """A new case-level version (under the case lock) with the case's full effective values."""
    if points is None:
        points = await point_store.of_case(conn, case["case_id"])
    merged = case_values(case["flags"] or (), points, values)
    return await save(conn, ctx, LevelKind.CASE, case["case_id"], case["client_id"], values, by=by, reason=reason,
                      effective=await _effective(conn, ctx, case, merged))


async def _effective(conn: asyncpg.Connection, ctx: Ctx, case: Any, merged: dict[str, Any]) -> dict[str, Any]:
    """The full effective values of the case once `merged` is its case level (for policy.changed)."""
    v = await policy_store.for_case(conn, case["case_id"])
    levels = [await system_level(conn, ctx, v["system_policy_v"])]
    for kind, scope, version in ((LevelKind.CLIENT, case["client_id"], v["client_policy_v"]),
                                 (LevelKind.PLACEMENT, case["placement_id"], v["placement_policy_v"])):
        if version is not None:
            found = await policy_store.values_of(conn, kind.value, scope, version)
            levels.append(PolicyLevel.stored(kind, found, scope=scope, version=version))
    levels.append(PolicyLevel.stored(LevelKind.CASE, merged, scope=case["case_id"]))
    return dict(effective_policy(levels).values)


async def explain(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str) -> dict[str, Any]:
    """GET /v1/cases/{id}/policy: every effective value and the level (and version) that set it."""
    case = await load_for_work(conn, ctx, case_id)
    check_read(principal, case)
    points = point_store.with_case(case)
    policy = await policy_for(conn, ctx, case, points)
    stored = case["case_policy"][1] if case["case_policy"] else {}
    implied, from_points = flag_values(case["flags"] or ()), point_values(points)
    values = []
    for item in policy.explain():
        key, source = item["key"], None
        if item["level"] == "case":
            source = ("client_flag" if key in implied and stored.get(key) is None
                      else "contact_point" if key in from_points and key not in stored else "case_level")
        values.append({**item, "source": source})
    zones = zones_for(policy, case, points, None)
    return {"case_id": case_id, "fingerprint": policy.fingerprint, "values": values,
            "levels": [{"level": lv, "version": case[f"{lv}_policy_v"]} for lv in ("system", "client", "placement")]
            + [{"level": "case", "version": case["case_policy"][0] if case["case_policy"] else None}],
            "zones": {"names": list(zones.names), "used": [list(u) for u in zones.used],
                      "unresolved": list(zones.unresolved)}}


async def seed_system_level(ctx: Ctx) -> float | None:
    """Job: RECOUP_COMPLIANCE_SYSTEM_POLICY becomes the stored system level (version 1, published to
    fieldops and letters) when none was saved yet — once, whichever replica gets the lock first."""
    values = ctx.settings.compliance_system_policy
    if not values:
        return None
    async with ctx.pool.acquire() as conn, conn.transaction():
        await xact_lock(conn, "policy-level", LevelKind.SYSTEM.value, "")
        if await policy_store.current(conn, LevelKind.SYSTEM.value, "") is None:
            await save(conn, ctx, LevelKind.SYSTEM, "", AGENCY, dict(values), by="settings",
                       reason="RECOUP_COMPLIANCE_SYSTEM_POLICY at start")
    return None
