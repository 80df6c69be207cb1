"""POST /v1/compliance/evaluate: the gate's decision for a case, channel, party, contact point and
moment — as of that moment, without side effects (no lock, nothing reserved or recorded). The case
page's and the worklist's "callable now / next at" are the same evaluation; quality inspection
re-checks history with the engine's replay; tests check any moment without waiting.

Visits are fieldops's: their history lives there (GET /v1/cases/{id}/visit-policy in fieldops)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.compliance import Channel, Exemption

from ..context import Ctx
from ..rules.errors import FieldError, InvalidRecord
from ..store import points as point_store
from . import gate
from .common import check_read, load_for_work

EVALUABLE = (Channel.CALL, Channel.SMS)


@dataclass(frozen=True, slots=True)
class EvaluateCmd:
    case_id: str
    channel: Channel = Channel.CALL
    party: str | None = None                 # debtor | third_party (from the contact point when omitted)
    point_id: UUID | None = None
    at: datetime | None = None               # default: now
    callback_requested_at: datetime | None = None


def _errors(cmd: EvaluateCmd, point: Any | None, now: datetime, horizon_days: int) -> list[FieldError]:
    errors = []
    if cmd.channel not in EVALUABLE:
        errors.append(FieldError("channel", "visits are evaluated by fieldops", tuple(c.value for c in EVALUABLE)))
    if cmd.point_id is not None and point is None:
        errors.append(FieldError("point_id", "no such contact point on this case"))
    if point is not None and point["kind"] == "address":
        errors.append(FieldError("point_id", "an address cannot be called or texted"))
    party = "debtor" if point is None or point["party"] == "debtor" else "third_party"
    if cmd.party is not None and cmd.party != party:
        errors.append(FieldError("party", f"the contact point is the {party}'s"))
    if cmd.party == "third_party" and point is None:
        errors.append(FieldError("point_id", "a third party is named by their contact point"))
    if cmd.at is not None and abs(cmd.at - now) > timedelta(days=horizon_days):
        errors.append(FieldError("at", f"must lie within {horizon_days} days of now"))
    if cmd.callback_requested_at is not None and cmd.at is not None and cmd.callback_requested_at > cmd.at:
        errors.append(FieldError("callback_requested_at", "after the moment evaluated"))
    return errors


async def evaluate(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, cmd: EvaluateCmd) -> dict[str, Any]:
    case = await load_for_work(conn, ctx, cmd.case_id)
    check_read(principal, case)
    points = point_store.with_case(case)
    point = next((p for p in points if p["point_id"] == cmd.point_id), None) if cmd.point_id else None
    now = ctx.clock.now()
    errors = _errors(cmd, point, now, ctx.settings.evaluate_max_days)
    if errors:
        raise InvalidRecord(errors)
    decision = await gate.evaluate(conn, ctx, gate.GateRequest(
        case=case, channel=cmd.channel, at=cmd.at or now, point=point,
        exemption=Exemption.CALLBACK_REQUESTED if cmd.callback_requested_at else None,
        exemption_at=cmd.callback_requested_at), points=points)
    return {"case_id": cmd.case_id, "channel": cmd.channel.value, "point_id": cmd.point_id,
            "party": "debtor" if point is None or point["party"] == "debtor" else "third_party",
            **decision.to_dict()}
