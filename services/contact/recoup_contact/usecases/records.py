"""Contact records (催记): a collector records an attempt or a conversation — validated against the
client's code table (rules/codes.py), passed through THE GATE when it is an outbound attempt, then
written with everything it implies: the R-22 status and next follow-up, the promise (R-23), the
contact point's state, skip-trace findings (R-25), a claimed repayment (待银行对账), a dispute
(R-17), and contact.logged."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.compliance import Channel as GateChannel
from recoup_shared.compliance import Exemption

from ..context import Ctx
from ..rules import (Channel, CodeTable, ContactConfig, ContactStatus, FieldError, InstalmentDraft, Party,
                     PointState, PromiseDraft, RecordContext, RecordDraft, Result, point_state_after,
                     validate_record)
from ..rules.errors import InvalidRecord
from ..store import calls as call_store
from ..store import points as point_store
from . import gate
from .common import check_act, check_workable, client_setup, load_for_work, local_day, lock_case
from .points import AddressIn, PhoneIn
from .record_effects import RecordPlan, apply_record


@dataclass(frozen=True, slots=True)
class InstalmentCmd:
    amount: Decimal
    due_on: date


@dataclass(frozen=True, slots=True)
class PromiseCmd:
    amount: Decimal | None = None
    due_on: date | None = None
    instalments: tuple[InstalmentCmd, ...] = ()
    settlement: bool = False
    waiver_authorisation: str | None = None

    def draft(self) -> PromiseDraft:
        if self.instalments:
            insts = tuple(InstalmentDraft(i.due_on, i.amount) for i in self.instalments)
        else:
            insts = (InstalmentDraft(self.due_on, self.amount),) if self.amount is not None and self.due_on else ()
        return PromiseDraft(insts, settlement=self.settlement, waiver_authorisation=self.waiver_authorisation)


@dataclass(frozen=True, slots=True)
class ClaimCmd:
    amount: Decimal
    paid_on: date
    channel: str | None = None
    proof_ref: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RecordCmd:
    channel: Channel
    party: Party
    result: Result
    code: str
    point_id: UUID | None = None
    status: ContactStatus | None = None
    notes: str = ""
    next_follow_up_on: date | None = None
    promise: PromiseCmd | None = None
    callback_at: datetime | None = None
    dispute_reason: str | None = None
    phones: tuple[PhoneIn, ...] = ()
    addresses: tuple[AddressIn, ...] = ()
    employer: str | None = None
    claimed_payment: ClaimCmd | None = None
    call_id: UUID | None = None
    occurred_at: datetime | None = None
    requested_by_debtor: bool = False          # a call-back the debtor asked for (R-15 exemption)
    callback_requested_at: datetime | None = None
    corrects: UUID | None = field(default=None, compare=False)
    correction_reason: str | None = None


LOGGABLE = frozenset({Channel.OUTBOUND_CALL, Channel.INBOUND_CALL, Channel.SMS})


def _draft(cmd: RecordCmd) -> RecordDraft:
    return RecordDraft(channel=cmd.channel, party=cmd.party, result=cmd.result, code=cmd.code, status=cmd.status,
                       notes=cmd.notes or "", promise=cmd.promise.draft() if cmd.promise else None,
                       callback_at=cmd.callback_at, dispute_reason=cmd.dispute_reason,
                       new_contacts=len(cmd.phones) + len(cmd.addresses) + int(bool(cmd.employer)),
                       claimed_repayment=cmd.claimed_payment is not None)


def _moment_errors(cmd: RecordCmd, ctx: Ctx, now: datetime) -> list[FieldError]:
    if cmd.occurred_at is None:
        return []
    if cmd.occurred_at.tzinfo is None:
        return [FieldError("occurred_at", "must carry a time zone")]
    if cmd.occurred_at > now + timedelta(seconds=ctx.settings.record_future_seconds):
        return [FieldError("occurred_at", "is in the future")]
    if cmd.occurred_at < now - timedelta(hours=ctx.settings.record_backdate_hours):
        return [FieldError("occurred_at", f"older than {ctx.settings.record_backdate_hours} hours")]
    return []


def _point_errors(cmd: RecordCmd, point: Any | None) -> list[FieldError]:
    if cmd.channel not in LOGGABLE:
        return [FieldError("channel", "visits and letters arrive by event", tuple(sorted(LOGGABLE)))]
    if cmd.point_id is not None and point is None:
        return [FieldError("point_id", "no such contact point on this case")]
    if point is None:
        return [] if cmd.channel is Channel.INBOUND_CALL else [FieldError("point_id", "required for this channel")]
    if point["kind"] == "address":
        return [FieldError("point_id", "an address cannot be called or texted")]
    if cmd.channel is Channel.SMS and point["kind"] != "mobile":
        return [FieldError("point_id", "SMS goes to mobiles only")]
    return []


async def _call_errors(conn: asyncpg.Connection, cmd: RecordCmd, case: Any, point: Any | None) -> tuple[Any, list]:
    if cmd.call_id is None:
        return None, []
    call = await call_store.get(conn, cmd.call_id)
    if call is None or call["case_id"] != case["case_id"]:
        return None, [FieldError("call_id", "no such call on this case")]
    if cmd.channel is not Channel.OUTBOUND_CALL:
        return None, [FieldError("call_id", "only an outbound call has a click-to-dial call")]
    if point is not None and call["point_id"] != point["point_id"]:
        return None, [FieldError("call_id", "the call was to another contact point")]
    if call["record_id"] is not None:
        return None, [FieldError("call_id", "the call already has its record; correct that one")]
    return call, []


async def validate(conn: asyncpg.Connection, ctx: Ctx, case: Any, cmd: RecordCmd, now: datetime,
                   points: list[Any]) -> tuple[Any, Any, ContactConfig, CodeTable, Any]:
    """Everything checked before anything is written (422 with every field error, nothing written)."""
    at = cmd.occurred_at or now
    today = local_day(at, case)
    cfg, table = await client_setup(conn, ctx, case["client_id"], today, case)
    point = next((p for p in points if p["point_id"] == cmd.point_id), None) if cmd.point_id else None
    errors = _moment_errors(cmd, ctx, now) + _point_errors(cmd, point)
    check = validate_record(_draft(cmd), table, RecordContext(today, case["outstanding"], case["recall_on"]))
    errors += list(check.errors)
    call, call_errors = await _call_errors(conn, cmd, case, point)
    errors += call_errors
    if cmd.requested_by_debtor and cmd.callback_requested_at is None:
        errors.append(FieldError("callback_requested_at", "when did the debtor ask for the call-back (R-15)?"))
    if errors:
        raise InvalidRecord(errors)
    return point, call, cfg, table, check


async def log_contact(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str,
                      cmd: RecordCmd) -> dict[str, Any]:
    """POST /v1/cases/{case_id}/records — the collector's contact form."""
    await lock_case(conn, case_id)
    case = await load_for_work(conn, ctx, case_id)
    inbound = cmd.channel is Channel.INBOUND_CALL
    if not inbound:           # any collector may log the debtor's inbound call
        check_act(principal, case)
        check_workable(case)
    now = ctx.clock.now()
    points = point_store.with_case(case)   # read with the case, under the lock
    point, call, cfg, table, check = await validate(conn, ctx, case, cmd, now, points)
    at = cmd.occurred_at or now
    record_id = uuid4()
    attempt_id, reservation = await _pass_gate(conn, ctx, principal, case, cmd, point, call, at, record_id, points)
    plan = RecordPlan(case=case, cmd=cmd, point=point, call=call, cfg=cfg, table=table, status=check.status,
                      effective=check.effective, at=at, now=now, record_id=record_id, attempt_id=attempt_id,
                      collector_id=principal.sub, team_id=principal.team_id or case["team_id"],
                      correlation_id=None, points=points, reservation=reservation)
    out = await apply_record(conn, ctx, plan)
    if inbound:
        await gate.record_inbound(conn, ctx, principal, case, point, at, gate.outcome_of(cmd.result), record_id)
    return out


async def _pass_gate(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case: Any, cmd: RecordCmd,
                     point: Any | None, call: Any | None, at: datetime, record_id: UUID,
                     points: list[Any]) -> tuple[UUID | None, dict[str, Any] | None]:
    """Outbound attempts go through the gate; one dialled through the system passed it at the dial
    and now only gets its outcome. The reservation is written with the record (one statement)."""
    if cmd.channel is Channel.INBOUND_CALL:
        return None, None
    outcome = gate.outcome_of(cmd.result)
    if call is not None:
        await gate.settle(conn, ctx, call["attempt_id"], outcome, record_id=record_id)
        return call["attempt_id"], None
    exemption = Exemption.CALLBACK_REQUESTED if cmd.requested_by_debtor else None
    result = await gate.check_and_reserve(conn, ctx, principal, gate.GateRequest(
        case=case, channel=GateChannel.SMS if cmd.channel is Channel.SMS else GateChannel.CALL, at=at, point=point,
        exemption=exemption, exemption_at=cmd.callback_requested_at, purpose="log", outcome=outcome,
        record_id=record_id), points=points, locked=True, defer=True)
    if not result.allowed:
        raise gate.refused(result)
    return result.attempt_id, result.reservation


def point_state(point: Any, result: Result) -> str:
    return point_state_after(PointState(point["state"]), result).value
