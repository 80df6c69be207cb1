"""What a validated contact record (or its correction) writes: the record, its promise, the contact
point's state, skip-trace findings, a claimed repayment, a dispute and its hold, the case's status
and next follow-up, the timeline, the telephony cross-check, and contact.logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg


from .. import events
from ..context import Ctx
from ..rules import (CONVERSATION_RESULTS, Channel, CodeTable, ContactConfig, ContactStatus, PointState,
                     point_state_after, promise_from_draft)
from ..store import Columns
from ..store import calls as call_store
from ..store import points as point_store
from ..store import promises as promise_store
from ..store import records as record_store
from ..store import work as work_store
from . import holds
from . import promises as promise_uc
from .common import local_day
from .plan import cadence_values, follow_up_for, status_of
from .points import add_address, add_phone

DEFAULT_BLOCKED = ("do_not_call", "wrong_party", "empty_number", "invalid")


@dataclass(frozen=True, slots=True)
class RecordPlan:
    case: Any
    cmd: Any                      # records.RecordCmd
    point: Any | None
    call: Any | None
    cfg: ContactConfig
    table: CodeTable
    status: ContactStatus | None  # what the record sets (None: the case keeps its status)
    effective: bool
    at: datetime
    now: datetime
    record_id: UUID
    attempt_id: UUID | None
    collector_id: str
    team_id: str | None
    correlation_id: str | None
    original: Any | None = None   # a correction: the record it corrects
    update_case: bool = True
    base_status: Any = ...        # a correction: the status before the original (... = the case's)
    points: list[Any] | None = None   # the case's contact points read under the lock (saves a query)
    reservation: dict[str, Any] | None = None   # the gate's deferred reservation, written with the record


async def _promise(conn: asyncpg.Connection, plan: RecordPlan, today: date) -> tuple[UUID | None, list]:
    cmd = plan.cmd
    if cmd.promise is None:
        return None, []
    promise_id = uuid4()
    rule = promise_from_draft(str(promise_id), today, cmd.promise.draft())
    await promise_store.create(
        conn, promise_id=promise_id, case_id=plan.case["case_id"], client_id=plan.case["client_id"],
        record_id=plan.record_id, collector_id=plan.collector_id, made_on=today, zone=plan.case["zone"],
        amount=rule.amount, instalments=promise_uc.instalments_json(rule), settlement=cmd.promise.settlement,
        waiver_authorisation=cmd.promise.waiver_authorisation,
        judge_from=promise_uc.judge_from(rule, plan.cfg.promises), now=plan.now)
    return promise_id, [(i.amount, i.due_on) for i in rule.instalments]


def _follow_up(ctx: Ctx, plan: RecordPlan, today: date, instalments: list, ptp: dict[str, Any]) -> dict[str, Any]:
    """R-22: the status after the record sets the next follow-up (computed before any write)."""
    base = plan.case["contact_status"] if plan.base_status is ... else plan.base_status
    status = plan.status or status_of(base)
    promise_on = instalments[0][1] if instalments else ptp.get("ptp_due_on")
    if status in (ContactStatus.PTP, ContactStatus.PTP_INSTALMENT) and instalments:
        promise_on = min([d for _, d in instalments] + ([ptp["ptp_due_on"]] if ptp.get("ptp_due_on") else []))
    values = follow_up_for(ctx, plan.cfg, plan.case, status, today, now=plan.at, promise_on=promise_on,
                           last_attempt_at=plan.at, requested=plan.cmd.next_follow_up_on)
    values["contact_status"] = status.value if status else None
    return values


def _found(ctx: Ctx, plan: RecordPlan, today: date) -> tuple[Columns, list, list]:
    cols, phones, addresses = Columns(), [], []
    source = "inbound" if plan.cmd.channel is Channel.INBOUND_CALL else "skip_trace"
    for p in plan.cmd.phones:
        out = add_phone(cols, ctx, plan.case["case_id"], p, source=source, at=plan.now, day=today,
                        by=plan.collector_id, strict=True)
        if out is not None:
            phones.append(out)
    for a in plan.cmd.addresses:
        addresses.append(add_address(cols, ctx, plan.case["case_id"], a, source=source, at=plan.now, day=today,
                                     by=plan.collector_id))
    return cols, phones, addresses


async def _side_records(conn: asyncpg.Connection, ctx: Ctx, plan: RecordPlan, today: date) -> dict[str, Any]:
    """A claimed repayment (待银行对账) and a dispute (R-17: hold, reported to the client)."""
    out: dict[str, Any] = {"claim_id": None, "dispute_id": None}
    case, cmd = plan.case, plan.cmd
    if cmd.claimed_payment is not None:
        c = cmd.claimed_payment
        out["claim_id"] = uuid4()
        await work_store.add_claim(conn, claim_id=out["claim_id"], case_id=case["case_id"], client_id=case["client_id"],
                                   collector_id=plan.collector_id, amount=c.amount, paid_on=c.paid_on,
                                   channel=c.channel, proof_ref=c.proof_ref, note=c.note, record_id=plan.record_id,
                                   now=plan.now)
    if plan.status is ContactStatus.DISPUTE:
        out["dispute_id"] = await work_store.open_dispute(conn, case_id=case["case_id"], client_id=case["client_id"],
                                                          reason=cmd.dispute_reason or "", by=plan.collector_id,
                                                          at=plan.now, record_id=plan.record_id)
        await holds.hold(conn, ctx, case, "dispute", by=plan.collector_id,
                         note="R-17 dispute recorded by the collector", points=plan.points)
    return out


async def apply_record(conn: asyncpg.Connection, ctx: Ctx, plan: RecordPlan) -> dict[str, Any]:
    case, cmd = plan.case, plan.cmd
    today = local_day(plan.at, case)
    ptp_now = {"ptp_due_on": case["ptp_due_on"], "ptp_amount": case["ptp_amount"]}   # kept current on the case
    instalments_preview = [(i.amount, i.due_on) for i in cmd.promise.draft().instalments] if cmd.promise else []
    values = _follow_up(ctx, plan, today, instalments_preview, ptp_now) if plan.update_case else {}
    promise_id, instalments = await _promise(conn, plan, today)
    found_cols, phones, addresses = _found(ctx, plan, today)
    await point_store.add(conn, found_cols)
    side = await _side_records(conn, ctx, plan, today)
    case_values = await _case_values(conn, ctx, plan, today, values, ptp_now, promise_id)
    logged = events.contact_logged(
        record_id=str(plan.record_id), case_id=case["case_id"], client_id=case["client_id"],
        collector_id=plan.collector_id, team_id=plan.team_id, channel=cmd.channel.value, party=cmd.party.value,
        result=cmd.result.value, effective=plan.effective,
        status=values.get("contact_status", case["contact_status"]), occurred_at=plan.at,
        next_follow_up_on=values.get("next_follow_up", case["next_follow_up"]), code=_code(plan),
        code_version=plan.table.version, call_id=str(plan.call["call_id"]) if plan.call else None,
        promise_id=str(promise_id) if promise_id else None, instalments=instalments, phones=phones,
        addresses=addresses, employer=cmd.employer, corrects=str(plan.original["record_id"]) if plan.original else None,
        correlation_id=plan.correlation_id)
    await record_store.write_effects(
        conn, record=_record_row(plan, today, promise_id, values, phones, addresses),
        timeline=_timeline_row(plan, promise_id, values), point=_point_change(plan), case_id=case["case_id"],
        case_values=case_values, now=plan.now, attempt=plan.reservation, events=[logged])
    if promise_id is not None:
        await promise_uc.evaluate_case(conn, ctx, case["case_id"], now=plan.now, cfg=plan.cfg)
    await _telephony_check(conn, plan)
    return {"record_id": plan.record_id, "case_id": case["case_id"],
            "status": values.get("contact_status", case["contact_status"]),
            "next_follow_up": values.get("next_follow_up", case["next_follow_up"]), "effective": plan.effective,
            "promise_id": promise_id, "attempt_id": plan.attempt_id,
            "corrects": plan.original["record_id"] if plan.original else None, **side}


def _point_change(plan: RecordPlan) -> dict[str, Any] | None:
    """The called point's state after the result, its last result and (outbound) one more attempt."""
    if plan.point is None:
        return None
    return {"point_id": plan.point["point_id"], "result": plan.cmd.result.value, "at": plan.at,
            "state": point_state_after(PointState(plan.point["state"]), plan.cmd.result).value,
            "counts": plan.original is None and plan.cmd.channel is not Channel.INBOUND_CALL}


def _code(plan: RecordPlan) -> str:
    """The code as the client's table spells it (codes are matched case-insensitively)."""
    spec = plan.table.find(plan.cmd.code)
    return spec.code if spec is not None else plan.cmd.code


def _record_row(plan: RecordPlan, today: date, promise_id: UUID | None, values: dict[str, Any], phones: list,
                addresses: list) -> Columns:
    cmd = plan.cmd
    found = None
    if phones or addresses or cmd.employer:
        found = {"phones": [p["number_masked"] for p in phones], "addresses": len(addresses),
                 "employer": bool(cmd.employer)}
    cols = Columns()
    cols.add(record_id=plan.record_id, case_id=plan.case["case_id"], client_id=plan.case["client_id"],
             collector_id=plan.collector_id, team_id=plan.team_id, channel=cmd.channel.value, party=cmd.party.value,
             point_id=plan.point["point_id"] if plan.point is not None else None, result=cmd.result.value,
             code=_code(plan), code_version=plan.table.version,
             status_after=values.get("contact_status", plan.case["contact_status"]), effective=plan.effective,
             notes=cmd.notes or None, callback_at=cmd.callback_at, dispute_reason=cmd.dispute_reason,
             promise_id=promise_id, call_id=plan.call["call_id"] if plan.call else None, attempt_id=plan.attempt_id,
             requested_by_debtor=cmd.requested_by_debtor,
             next_follow_up_on=values.get("next_follow_up", plan.case["next_follow_up"]), found=found,
             corrects=plan.original["record_id"] if plan.original else None,
             correction_reason=cmd.correction_reason, source="collector", source_ref=None,
             occurred_at=plan.at, occurred_on=today, recorded_at=plan.now)
    return cols


async def _case_values(conn: asyncpg.Connection, ctx: Ctx, plan: RecordPlan, today: date, values: dict[str, Any],
                       ptp_now: dict[str, Any], promise_id: UUID | None) -> dict[str, Any]:
    """The case's columns after the record: status and follow-up (R-22), PTP due, cadence (R-20),
    last contact / effective / follow-up days, the first-dial clock, the owner's "seen"."""
    case, cmd = plan.case, plan.cmd
    if not plan.update_case:
        return {"employer": cmd.employer} if cmd.employer else {}
    last_effective = case["last_effective_on"]
    if plan.effective:
        last_effective = max(filter(None, (last_effective, today)))
    undialled = await _undialled(conn, plan, today)
    out = dict(values)
    out.update(ptp_now if promise_id is None else await promise_uc.ptp_columns(conn, case["case_id"]))
    out.update(cadence_values(ctx, plan.cfg, status=status_of(out.get("contact_status")),
                              allocated_on=case["allocated_on"], outstanding=case["outstanding"],
                              last_effective_on=last_effective, undialled_since=undialled, today=today))
    out.update(last_contact_at=max(filter(None, (case["last_contact_at"], plan.at))),
               last_effective_on=last_effective,
               last_follow_up_on=max(filter(None, (case["last_follow_up_on"], today))),
               undialled_since=undialled)
    if plan.collector_id == case["owner_id"]:
        out["seen_at"] = plan.now          # the owner has seen what the reminders said
    if cmd.employer:
        out["employer"] = cmd.employer
    return out


async def _undialled(conn: asyncpg.Connection, plan: RecordPlan, today: date) -> date | None:
    """R-20: the day the oldest still-undialled phone has waited since (None: all dialled)."""
    case, cmd = plan.case, plan.cmd
    if case["owner_id"] is None or (case["undialled_since"] is None and not cmd.phones):
        return case["undialled_since"]
    if plan.points is not None:   # known under the case lock: no query
        dialled = plan.point["point_id"] if plan.point is not None and cmd.channel is not Channel.INBOUND_CALL else None
        days = [p["added_on"] for p in plan.points if p["kind"] != "address" and p["attempts"] == 0
                and p["state"] not in DEFAULT_BLOCKED and p["point_id"] != dialled]
        days += [today] if cmd.phones else []
        first = min(days, default=None)
    else:
        first = await point_store.undialled_from(conn, case["case_id"], DEFAULT_BLOCKED)
    return max(first, case["allocated_on"]) if first is not None and case["allocated_on"] is not None else first


def _timeline_row(plan: RecordPlan, promise_id: UUID | None, values: dict[str, Any]) -> dict[str, Any]:
    cmd = plan.cmd
    return {"at": plan.at, "kind": "correction" if plan.original else "contact", "actor": plan.collector_id,
            "ref": str(plan.record_id),
            "data": {"channel": cmd.channel.value, "party": cmd.party.value, "result": cmd.result.value,
                     "code": _code(plan), "status": values.get("contact_status", plan.case["contact_status"]),
                     "number": plan.point["number_masked"] if plan.point is not None else None,
                     "promise_id": str(promise_id) if promise_id else None, "effective": plan.effective}}


async def _telephony_check(conn: asyncpg.Connection, plan: RecordPlan) -> None:
    """R-19: the record must match the call — a conversation recorded on a call the PBX says was
    never answered goes to quality inspection."""
    call = plan.call
    if call is None:
        return
    await call_store.link_record(conn, call["call_id"], plan.record_id)
    if call["answered"] is False and plan.cmd.result in CONVERSATION_RESULTS:
        await call_store.flag(conn, flag_id=uuid4(), kind="record_connected_call_unanswered",
                              case_id=plan.case["case_id"], call_id=call["call_id"], record_id=plan.record_id,
                              collector_id=plan.collector_id, detail={"result": plan.cmd.result.value},
                              now=plan.now)


__all__ = ["RecordPlan", "apply_record", "DEFAULT_BLOCKED"]
