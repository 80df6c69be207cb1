"""Telephony (R-19): click-to-dial through THE GATE to the PBX adapter, the PBX's signed CDR
webhook (idempotent on the call id), recording references kept >= 2 years, and the cross-checks
for quality inspection (a conversation recorded on an unanswered call; a call with no record)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.compliance import Channel as GateChannel
from recoup_shared.compliance import Exemption, Outcome

from ..adapters.pbx import Originate, PbxError, PbxUnavailable
from ..context import Ctx
from ..rules import CONVERSATION_RESULTS, ContactPoint, FieldError, Party, PointKind, PointState, Result, dialable
from ..rules.errors import InvalidRecord, NotFoundHere, TelephonyFailed, TelephonyOff
from ..store import attempts as attempt_store
from ..store import calls as call_store
from ..store import points as point_store
from ..store import records as record_store
from . import gate
from .common import check_act, check_workable, client_config, load_for_work, lock_case


async def dial(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str, point_id: UUID, *,
               callback_requested_at: datetime | None = None) -> dict[str, Any]:
    """POST /v1/cases/{case_id}/dial: the gate decides (409 with the reasons and the next allowed
    moment when it refuses), then the PBX rings the collector's line and dials the debtor."""
    await lock_case(conn, case_id)
    case = await load_for_work(conn, ctx, case_id)
    check_act(principal, case)
    check_workable(case)
    points = point_store.with_case(case)
    point = next((p for p in points if p["point_id"] == point_id), None)
    if point is None:
        raise NotFoundHere("no such contact point on this case")
    cfg = await client_config(conn, ctx, case["client_id"])
    rule_point = ContactPoint(id=str(point_id), kind=PointKind(point["kind"]), party=Party(point["party"]),
                              state=PointState(point["state"]))
    third_party_dnc = point["party"] != "debtor" and point["state"] == PointState.DO_NOT_CALL
    if not third_party_dnc and not dialable(rule_point, cfg.dialling):   # 空号, wrong party, invalid...
        raise InvalidRecord([FieldError("point_id", f"this contact point may not be dialled ({point['state']})")])
    # a contact person who asked not to be called is the gate's refusal, recorded and counted
    extension = principal.claims.get("extension") or await call_store.agent_line(conn, principal.sub)
    if not extension:
        raise InvalidRecord([FieldError("agent", "no PBX line is set for this collector (PUT /v1/agent-lines)")])
    now = ctx.clock.now()
    call_id = uuid4()
    result = await gate.check_and_reserve(conn, ctx, principal, gate.GateRequest(
        case=case, channel=GateChannel.CALL, at=now, point=point, purpose="dial", call_id=call_id,
        exemption=Exemption.CALLBACK_REQUESTED if callback_requested_at else None,
        exemption_at=callback_requested_at), points=points, locked=True)
    if not result.allowed:
        raise gate.refused(result)
    await call_store.create(conn, call_id=call_id, case_id=case_id, point_id=point_id, collector_id=principal.sub,
                            attempt_id=result.attempt_id, requested_at=now)
    encrypted, number_extension = await point_store.number_of(conn, point_id)
    number = ctx.protector.decrypt(str(point_id), encrypted)
    try:   # inside the transaction: a PBX that refuses leaves no reservation and no call behind
        placed = await ctx.pbx.originate(Originate(call_id=str(call_id), agent_extension=str(extension),
                                                   number=number or "", extension=number_extension))
    except PbxUnavailable as exc:
        raise TelephonyOff(str(exc)) from None
    except PbxError as exc:
        raise TelephonyFailed(str(exc)) from None
    await call_store.set_pbx_ref(conn, call_id, placed.pbx_ref)
    await record_store.timeline_one(conn, case_id, now, "dial", actor=principal.sub, ref=str(call_id),
                                    data={"number": point["number_masked"], "point_id": str(point_id)})
    return {"call_id": call_id, "attempt_id": result.attempt_id, "state": "originated", "point_id": point_id,
            "number_masked": point["number_masked"], "notices": [n.to_dict() for n in result.decision.notices],
            "zones": list(result.decision.zones)}


@dataclass(frozen=True, slots=True)
class Cdr:
    call_id: UUID
    answered: bool
    ring_seconds: int
    talk_seconds: int
    started_at: datetime | None
    ended_at: datetime | None
    hangup_cause: str | None
    recording_uri: str | None
    recording_sha256: str | None
    recording_bytes: int | None


_NOT_CONNECTED = frozenset({"USER_BUSY", "UNALLOCATED_NUMBER", "NO_ROUTE_DESTINATION", "NETWORK_OUT_OF_ORDER",
                            "SUBSCRIBER_ABSENT", "CALL_REJECTED", "NUMBER_CHANGED"})


def cdr_outcome(cdr: Cdr) -> Outcome:
    """Until the collector's record says more: answered counts as a conversation (the effective-call
    cap stays safe), busy / not in service as not connected, the rest as unanswered."""
    if cdr.answered:
        return Outcome.CONNECTED
    return Outcome.NOT_CONNECTED if (cdr.hangup_cause or "").upper() in _NOT_CONNECTED else Outcome.NO_ANSWER


async def receive_cdr(conn: asyncpg.Connection, ctx: Ctx, cdr: Cdr, raw: bytes) -> dict[str, Any]:
    """The PBX's call-detail record (signature already verified): idempotent on the call id."""
    call = await call_store.get(conn, cdr.call_id, for_update=True)
    if call is None:
        raise NotFoundHere("no such call")
    digest = hashlib.sha256(raw).hexdigest()
    if call["cdr_at"] is not None:
        return {"call_id": cdr.call_id, "status": "duplicate", "same_body": call["cdr_sha256"] == digest}
    now = ctx.clock.now()
    ended = cdr.ended_at or now
    retain_until = _retention(ctx, ended.date())
    await call_store.complete(conn, cdr.call_id, {
        "answered": cdr.answered, "ring_seconds": cdr.ring_seconds, "talk_seconds": cdr.talk_seconds,
        "started_at": cdr.started_at, "ended_at": cdr.ended_at, "hangup_cause": cdr.hangup_cause,
        "recording": {"uri": cdr.recording_uri, "sha256": cdr.recording_sha256, "bytes": cdr.recording_bytes}},
        retain_until=retain_until, cdr_sha256=digest, now=now)
    if call["record_id"] is None and call["attempt_id"] is not None:
        await gate.settle(conn, ctx, call["attempt_id"], cdr_outcome(cdr))
    elif call["record_id"] is not None and not cdr.answered:
        record = await record_store.get(conn, call["record_id"])
        if record is not None and Result(record["result"]) in CONVERSATION_RESULTS:   # R-19 mismatch
            await call_store.flag(conn, flag_id=uuid4(), kind="record_connected_call_unanswered",
                                  case_id=call["case_id"], call_id=cdr.call_id, record_id=record["record_id"],
                                  collector_id=call["collector_id"], detail={"result": record["result"]}, now=now)
    await record_store.timeline_one(conn, call["case_id"], ended, "call_ended", actor="pbx", ref=str(cdr.call_id),
                                    data={"answered": cdr.answered, "talk_seconds": cdr.talk_seconds,
                                          "recording": bool(cdr.recording_uri)})
    return {"call_id": cdr.call_id, "status": "recorded", "retain_until": retain_until}


def _retention(ctx: Ctx, ended_on: date) -> date:
    """R-19: recordings are kept at least 2 years (longer if the client asks: the setting's floor is 730 days)."""
    return ended_on + timedelta(days=ctx.settings.recording_retention_days)


async def flag_calls_without_record(ctx: Ctx) -> float | None:
    """Job: a call still without a contact record after the grace time goes to quality inspection."""
    now = ctx.clock.now()
    limit = 500
    async with ctx.pool.acquire() as conn, conn.transaction():
        calls = await call_store.waiting_for_record(
            conn, now - timedelta(minutes=ctx.settings.call_record_grace_minutes), limit)
        for call in calls:
            await call_store.flag(conn, flag_id=uuid4(), kind="call_without_record", case_id=call["case_id"],
                                  call_id=call["call_id"], record_id=None, collector_id=call["collector_id"],
                                  detail={"answered": call["answered"], "talk_seconds": call["talk_seconds"]},
                                  now=now)
        await call_store.mark_no_record_flagged(conn, [c["call_id"] for c in calls])
    return 0 if len(calls) >= limit else None


async def settle_stale_reservations(ctx: Ctx) -> float | None:
    """Job: a reservation whose outcome never came (no CDR, no record) stops counting as a possible
    conversation and counts as an unanswered attempt (the engine's note on stale reservations)."""
    now = ctx.clock.now()
    limit = 1000
    async with ctx.pool.acquire() as conn, conn.transaction():
        n = await attempt_store.settle_stale(conn, now - timedelta(minutes=ctx.settings.attempt_pending_minutes),
                                             Outcome.NO_ANSWER.value, now, limit)
    return 0 if n >= limit else None


async def quality_flags(conn: asyncpg.Connection, *, kind: str | None, collector_id: str | None,
                        after: tuple[datetime, UUID] | None, limit: int) -> list[dict[str, Any]]:
    return [dict(r) for r in await call_store.flags(conn, kind=kind, collector_id=collector_id, after=after,
                                                    limit=limit)]
