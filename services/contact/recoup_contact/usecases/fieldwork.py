"""Visits and letters as they arrive (R-31, R-38): each becomes a contact record of its channel
(not re-emitted: its producer's event is on the bus), the timeline and the reminders; a visit's
outcome moves the case (FIELD_VISIT_DONE, or PTP when the agents obtained a promise); a returned
letter makes the address it used undeliverable; a text letters sent is an attempt the gate counts
(channel sms) and a timeline entry; a visit cancelled in fieldops is a timeline entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4, uuid5

import asyncpg

from recoup_shared.bus.events import LetterDispatched, LetterReturned, SmsSent, VisitCancelled, VisitCompleted

from ..context import Ctx
from ..rules import ContactStatus, InstalmentDraft, PromiseDraft, Result, promise_from_draft
from ..store import Columns
from ..store import attempts as attempt_store
from ..store import cases as case_store
from ..store import points as point_store
from ..store import promises as promise_store
from ..store import records as record_store
from ..store import work as work_store
from . import promises as promise_uc
from .common import client_config, local_day, lock_case
from .plan import cadence_values, follow_up_for, status_of
from .points import address_key


def _record(case: Any, *, record_id: UUID, collector: str, channel: str, party: str, result: str,
            status: str | None, effective: bool, at: datetime, now: datetime, source: str, ref: str,
            promise_id: UUID | None = None, next_follow_up: Any = None, notes: str | None = None) -> Columns:
    cols = Columns()
    cols.add(record_id=record_id, case_id=case["case_id"], client_id=case["client_id"], collector_id=collector,
             team_id=case["team_id"], channel=channel, party=party, point_id=None, result=result, code=None,
             code_version=None, status_after=status, effective=effective, notes=notes, callback_at=None,
             dispute_reason=None, promise_id=promise_id, call_id=None, attempt_id=None, requested_by_debtor=False,
             next_follow_up_on=next_follow_up, found=None, corrects=None, correction_reason=None, source=source,
             source_ref=ref, occurred_at=at, occurred_on=local_day(at, case), recorded_at=now)
    return cols


async def apply_visit(conn: asyncpg.Connection, ctx: Ctx, case_id: str, event_id: str, p: VisitCompleted) -> None:
    await lock_case(conn, case_id)
    case = await case_store.get(conn, case_id)
    if case is None:
        return
    now, at = ctx.clock.now(), p.visited_at
    today, cfg = local_day(now, case), await client_config(conn, ctx, case["client_id"])
    met = bool(p.met)
    result = (Result.VISIT_MET if met else Result.VISIT_NOT_MET if p.address_verified
              else Result.VISIT_ADDRESS_INVALID)
    record_id, promise_id = uuid4(), None
    status = ContactStatus.FIELD_VISIT_DONE
    if p.ptp is not None and p.ptp.due_on >= today and p.ptp.amount > 0:   # a promise obtained
        promise_id, status = uuid4(), ContactStatus.PTP
        rule = promise_from_draft(str(promise_id), local_day(at, case),
                                  PromiseDraft((InstalmentDraft(p.ptp.due_on, p.ptp.amount),)))
        await promise_store.create(conn, promise_id=promise_id, case_id=case_id, client_id=case["client_id"],
                                   record_id=record_id, collector_id=case["owner_id"] or p.agent_ids[0],
                                   made_on=rule.made_on, zone=case["zone"], amount=rule.amount,
                                   instalments=promise_uc.instalments_json(rule), settlement=False,
                                   waiver_authorisation=None, judge_from=promise_uc.judge_from(rule, cfg.promises),
                                   now=now)
    values: dict[str, Any] = {"last_visit_outcome_at": now}
    if case["in_worklist"] and case["contact_status"] != ContactStatus.DISPUTE:
        values.update(follow_up_for(ctx, cfg, case, status, today, now=now, visit_done_on=local_day(at, case),
                                    promise_on=p.ptp.due_on if promise_id else None))
        values["contact_status"] = status.value
    if met:
        values["last_effective_on"] = max(filter(None, (case["last_effective_on"], local_day(at, case))))
    inserted = await record_store.add_from_events(conn, _record(
        case, record_id=record_id, collector=p.agent_ids[0] if p.agent_ids else "fieldops", channel="visit",
        party="debtor", result=result.value, status=values.get("contact_status", case["contact_status"]),
        effective=met, at=at, now=now, source="visit", ref=f"visit:{p.visit_id}", promise_id=promise_id,
        next_follow_up=values.get("next_follow_up"), notes=p.next_step))
    if not inserted:
        return
    values.update(await promise_uc.ptp_columns(conn, case_id))
    values.update(cadence_values(ctx, cfg, status=status_of(values.get("contact_status", case["contact_status"])),
                                 allocated_on=case["allocated_on"], outstanding=case["outstanding"],
                                 last_effective_on=values.get("last_effective_on", case["last_effective_on"]),
                                 undialled_since=case["undialled_since"], today=today))
    await case_store.update(conn, case_id, values, now)
    await record_store.timeline_one(conn, case_id, at, "visit", actor="fieldops", ref=p.visit_id,
                                    data={"outcome": p.outcome, "met": p.met, "address_verified": p.address_verified,
                                          "promise": bool(promise_id), "evidence": len(p.evidence)})


async def apply_letters_dispatched(conn: asyncpg.Connection, ctx: Ctx,
                                   batch: list[tuple[str, str, LetterDispatched]]) -> None:
    now = ctx.clock.now()
    await work_store.add_letters(conn, [(p.letter_id, case_id, p.address_kind, p.dispatched_at)
                                        for case_id, _e, p in batch])
    for case_id, _e, p in batch:
        case = await case_store.get(conn, case_id)
        if case is None:
            continue
        await record_store.add_from_events(conn, _record(
            case, record_id=uuid4(), collector="letters", channel="letter", party="debtor",
            result=Result.LETTER_SENT.value, status=case["contact_status"], effective=False, at=p.dispatched_at,
            now=now, source="letter", ref=f"letter:{p.letter_id}:sent"))
        await record_store.timeline_one(conn, case_id, p.dispatched_at, "letter_sent", actor="letters",
                                        ref=p.letter_id, data={"type": p.letter_type, "address_kind": p.address_kind,
                                                               "mail_class": p.mail_class})


async def apply_letter_returned(conn: asyncpg.Connection, ctx: Ctx, case_id: str, p: LetterReturned) -> None:
    """R-31: the address the letter used is undeliverable; the owner is reminded (R-24)."""
    now = ctx.clock.now()
    case = await case_store.get(conn, case_id)
    if case is None:
        return
    letter = await work_store.letter(conn, p.letter_id)
    inserted = await record_store.add_from_events(conn, _record(
        case, record_id=uuid4(), collector="letters", channel="letter", party="debtor",
        result=Result.LETTER_RETURNED.value, status=case["contact_status"], effective=False, at=p.returned_at,
        now=now, source="letter", ref=f"letter:{p.letter_id}:returned", notes=p.return_reason))
    if not inserted:
        return
    if p.address is not None:      # the address it came back from, exactly
        a = p.address
        digest = ctx.protector.blind_index("address", address_key(a.province, a.city, a.district, a.line))
        await point_store.mark_address_hash(conn, case_id, digest, "undeliverable", now)
    elif letter is not None and letter["address_kind"]:
        await point_store.mark_addresses(conn, case_id, letter["address_kind"], "undeliverable", now)
    await case_store.update(conn, case_id, {"last_letter_returned_at": p.returned_at}, now)
    await record_store.timeline_one(conn, case_id, p.returned_at, "letter_returned", actor="letters",
                                    ref=p.letter_id, data={"reason": p.return_reason})


async def apply_visits_cancelled(conn: asyncpg.Connection, batch: list[tuple[str, VisitCancelled]]) -> None:
    """A visit withdrawn or cancelled in fieldops (R-34, R-13): a timeline entry, nothing else — no
    contact was made (the inbox keeps a redelivery from adding it twice)."""
    timeline = Columns()
    for case_id, p in batch:
        timeline.add(case_id=case_id, at=p.cancelled_at, kind="visit_cancelled", actor="fieldops", ref=p.visit_id,
                     data={"previous_state": p.previous_state, "reason": p.reason, "cancelled_by": p.cancelled_by,
                           "collector_id": p.collector_id})
    await record_store.timeline_add(conn, timeline)


_SMS_ATTEMPTS = UUID("6b1f0c3e-5a51-4c1e-9d0e-2f8f3a1c7e42")   # uuid5 namespace: one attempt per text


async def apply_sms_sent(conn: asyncpg.Connection, ctx: Ctx, batch: list[tuple[str, SmsSent]]) -> None:
    """A text letters sent (issue 10): an attempt of channel sms in the gate's history, so contact's
    own SMS caps count it (R-15), and a timeline entry. Not a contact record and never echoed on
    contact.logged (letters counts its own texts; it counts contact's from contact.logged)."""
    for case_id in sorted({c for c, _ in batch}):      # the gate reads history under this lock
        await lock_case(conn, case_id)
    written = await attempt_store.add_sent_elsewhere(conn, [
        (uuid5(_SMS_ATTEMPTS, p.sms_id), case_id, p.sent_at, "sms", p.number_hash) for case_id, p in batch])
    fresh = {r["attempt_id"] for r in written}
    timeline = Columns()
    for case_id, p in batch:
        if uuid5(_SMS_ATTEMPTS, p.sms_id) in fresh:
            timeline.add(case_id=case_id, at=p.sent_at, kind="sms_sent", actor="letters", ref=p.sms_id,
                         data={"template_id": p.template_id, "template_version": p.template_version,
                               "purpose": p.purpose, "number_masked": p.number_masked,
                               "provider_status": p.provider_status, "requested_by": p.requested_by})
    await record_store.timeline_add(conn, timeline)


__all__ = ["apply_visit", "apply_letters_dispatched", "apply_letter_returned", "apply_sms_sent",
           "apply_visits_cancelled"]
