"""Holds that stop all contact (R-17 dispute, fraud claim, stolen card, do-not-contact; R-47 serious
complaint; R-22 deceased pending evidence): placed as a new version of the case's policy level (and
in `case_holds`, the case page's list), lifted only by a role the policy allows for that kind
(`hold_lift_roles.*`: a dispute only on the client's instruction) — the shared engine's
`place_hold` / `lift_hold`. Callers hold the case lock."""

from __future__ import annotations

from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.compliance import HOLD_KINDS, LevelKind, PolicyLevel, lift_hold, place_hold
from recoup_shared.compliance import HoldLiftForbidden as EngineLiftForbidden
from recoup_shared.vocabulary import Role

from ..context import Ctx
from ..rules.errors import CaseForbidden, HoldConflict, HoldLiftForbidden, NotFoundHere
from ..store import policies as policy_store
from ..store import records as record_store
from ..store import work as work_store
from .common import can_act, get_case_for, load_case, lock_case
from .levels import explain, save_case
from .policy import flag_values, policy_for


async def _stored(conn: asyncpg.Connection, case_id: str) -> PolicyLevel:
    row = await policy_store.current(conn, "case", case_id)
    return PolicyLevel.stored(LevelKind.CASE, dict(row["values"]) if row else {}, scope=case_id,
                              version=row["version"] if row else None)


async def hold(conn: asyncpg.Connection, ctx: Ctx, case: Any, kind: str, *, by: str, note: str | None,
               points: list[Any] | None = None) -> bool:
    """Places `kind` on the case (no-op if it is already stored); False when it was already held."""
    now = ctx.clock.now()
    await work_store.place_hold(conn, case["case_id"], kind, since=now, by=by, note=note)
    level = await _stored(conn, case["case_id"])
    if level.values.get(f"holds.{kind}") is not None:
        return False
    level = place_hold(level, kind, since=now, by=by, note=(note or "")[:500] or None)
    await save_case(conn, ctx, case, dict(level.values), points, by=by, reason=note or f"hold {kind} placed")
    return True


async def release(conn: asyncpg.Connection, ctx: Ctx, case: Any, kind: str, roles: frozenset[str] | set[str], *,
                  by: str, note: str | None) -> bool:
    """Lifts a stored hold if one of `roles` may (HoldLiftForbidden: 403); False if none was stored."""
    level = await _stored(conn, case["case_id"])
    if level.values.get(f"holds.{kind}") is None:
        await work_store.lift_hold(conn, case["case_id"], kind, at=ctx.clock.now(), by=by, note=note)
        return False
    policy = await policy_for(conn, ctx, case, [])
    try:
        lifted = lift_hold(level, kind, roles, policy)
    except EngineLiftForbidden as exc:
        raise HoldLiftForbidden(str(exc), allowed=exc.allowed) from None
    await work_store.lift_hold(conn, case["case_id"], kind, at=ctx.clock.now(), by=by, note=note)
    await save_case(conn, ctx, case, dict(lifted.values), None, by=by, reason=note or f"hold {kind} lifted")
    return True


def _kind(kind: str) -> str:
    if kind not in HOLD_KINDS:
        raise NotFoundHere(f"unknown hold kind (known: {', '.join(HOLD_KINDS)})")
    return kind


async def place(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str, kind: str,
                note: str | None) -> dict[str, Any]:
    """POST /v1/cases/{id}/holds: stopping contact is always safe — whoever may act on the case."""
    case = await get_case_for(conn, principal, case_id, act=True, lock=True)
    if await hold(conn, ctx, case, _kind(kind), by=principal.sub, note=note):
        await record_store.timeline_one(conn, case_id, ctx.clock.now(), "hold_placed", actor=principal.sub,
                                        ref=kind, data={"note": note})
    return await explain(conn, ctx, principal, case_id)


async def lift(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str, kind: str,
               note: str | None) -> dict[str, Any]:
    """POST /v1/cases/{id}/holds/{kind}/lift: by a role allowed to lift that kind (R-17, R-47, R-22)."""
    await lock_case(conn, case_id)
    case = await load_case(conn, case_id)
    if principal.has(Role.CLIENT):
        if principal.client_id != case["client_id"]:
            raise NotFoundHere("no such case for this client")
    elif not (can_act(principal, case) or principal.has(Role.ADMIN)):
        raise CaseForbidden("only the case's collector, a lead of its team, a supervisor or an admin may ask")
    _kind(kind)
    if flag_values(case["flags"] or ()).get(f"holds.{kind}") is not None:
        raise HoldConflict("the client's flag holds the case: the client removes the flag (case update)")
    if kind == "dispute" and await work_store.disputes(conn, client_id=None, state="open", case_id=case_id,
                                                       after=None, limit=1):
        raise HoldConflict("an open dispute is resumed or withdrawn by the client's instruction "
                           "(POST /v1/disputes/{id}/instruction)")
    if not await release(conn, ctx, case, kind, principal.roles, by=principal.sub, note=note):
        raise NotFoundHere("the case has no such hold")
    await record_store.timeline_one(conn, case_id, ctx.clock.now(), "hold_lifted", actor=principal.sub, ref=kind,
                                    data={"note": note})
    if principal.has(Role.CLIENT):
        return {"case_id": case_id, "lifted": kind}
    return await explain(conn, ctx, principal, case_id)
