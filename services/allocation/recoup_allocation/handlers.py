"""Consumed events, one batch handler per type, each called inside the consumer's transaction
(the inbox has already dropped repeated event ids). Every handler is set-based: a batch of 2,000
events costs a few statements, never a round trip per event.

Decisions (documented here because they shape the pool):
- case.received: a new case enters the pool unassigned; a repeated or re-delivered case.received
  for an open case refreshes its description only (owner, status, outstanding and the SLA clock
  stay); a re-placement of a closed/recalled case reopens it (unassigned, new SLA clock).
- case.updated: recall / closed release the owner (the ownership interval ends at the event's
  time) and leave the case out of every allocation (R-13); `reopened` returns it to the pool;
  balance changes update amounts; flags are recorded.
- Client flags (R-17: dispute, fraud_claim, stolen_card, do_not_contact) stop collection — the
  contact service enforces that — but do not take the owner away: the owner reports to the client
  and acts on the client's instruction, so every placed case is allocated. Flags listed in
  RECOUP_PAUSE_ON_FLAGS (default none) instead pause the case (owner released) on arrival or when
  set, and return it to the pool when the client lifts them; a staff pause is never lifted by a
  flag change. Either is announced (case.paused / case.resumed, by "client"). Rotation skips
  cases whose collection a flag stopped.
- payment.posted: month facts (idempotent on txn_ref), outstanding; closes_case closes the case
  and releases the owner (end reason "repaid").
- contact.logged: the latest PTP due date promised (PTP or instalments) and the last contact per
  month; a PTP is live while its due date has not passed (R-12 rotation looks at it).
- case.pause_requested: contact asks for a pause (R-47: a serious complaint, where the client's
  configuration says so): the case is paused like a staff pause (owner released, case.paused with
  the requester as paused_by); a case already paused, closed or recalled stays as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import asyncpg

from recoup_shared.bus import BatchHandler, Envelope
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.bus.events import CasePauseRequested, CaseReceived, CaseUpdated, ContactLogged, PaymentPosted
from recoup_shared.bus.topics import (CASE_PAUSE_REQUESTED, CASE_RECEIVED, CASE_UPDATED, CONTACT_LOGGED,
                                      PAYMENT_POSTED)
from recoup_shared.logging import get_logger
from recoup_shared.vocabulary import TERMINAL_CASE_STATUSES

from . import events
from .context import Ctx
from .store import facts, pool
from .store.pool import ReceivedRow, join_flags
from .usecases.lifecycle import PauseItem, pause_cases

log = get_logger(__name__)

FLAG_LIFTED = "client lifted the pausing flag (R-17)"


async def on_case_received(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    rows: dict[str, ReceivedRow] = {}
    for env in envelopes:  # in partition order: the last event of a case wins
        p = CaseReceived.model_validate(env.payload)
        rows[env.case_id] = ReceivedRow(
            case_id=env.case_id, client_id=env.client_id, placement_id=p.placement_id,
            placement_ref=p.placement_ref, product=p.product, placed_amount=p.placed_amount,
            dpd=p.dpd, dpd_bucket=p.dpd_bucket, region=p.region, flags=list(p.flags),
            joint_key=p.debtor.id_hash, recall_on=p.recall_on, received_at=env.occurred_at)
    inserted = await pool.upsert_received(conn, list(rows.values()))
    await _announce(conn, await pool.apply_flag_pauses(
        conn, {cid: r.received_at for cid, r in rows.items()}, ctx.settings.pause_on_flags))
    await pool.wake(conn)
    log.info("cases received", events=len(envelopes), new_cases=inserted)


@dataclass(slots=True)
class _Fold:
    """One case's case.updated events of a batch, folded in order."""
    at: datetime
    terminal: str | None = None          # recalled | closed (the last one seen)
    terminal_at: datetime | None = None
    reopen_at: datetime | None = None    # a reopening after the last terminal status
    placed: Decimal | None = None
    outstanding: Decimal | None = None
    flags: str | None = None
    flags_changed: bool = False
    recall_on: date | None = None        # recall_extended: the placement's new recall date


async def on_case_updated(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    folds: dict[str, _Fold] = {}
    for env in envelopes:
        p = CaseUpdated.model_validate(env.payload)
        f = folds.setdefault(env.case_id, _Fold(at=env.occurred_at))
        f.at = env.occurred_at
        if p.change == "recall_extended":    # only the date moves: the status it carries is no change
            f.recall_on = p.recall_on
            continue
        if p.status in TERMINAL_CASE_STATUSES:
            f.terminal, f.terminal_at, f.reopen_at = p.status, env.occurred_at, None
        elif p.change == "reopened" or (p.status == "open" and f.terminal is not None):
            f.reopen_at = env.occurred_at
        if p.placed_amount is not None:
            f.placed = p.placed_amount
        if p.outstanding is not None:
            f.outstanding = p.outstanding
        if p.flags is not None:
            f.flags, f.flags_changed = join_flags(p.flags), True

    attrs = {cid: f for cid, f in folds.items()
             if f.placed is not None or f.outstanding is not None or f.flags_changed}
    if attrs:
        await pool.update_attributes(conn, list(attrs), [f.placed for f in attrs.values()],
                                     [f.outstanding for f in attrs.values()],
                                     [f.flags for f in attrs.values()])
    await pool.update_recall_on(conn, {cid: f.recall_on for cid, f in folds.items() if f.recall_on is not None})
    released = 0
    for status in TERMINAL_CASE_STATUSES:
        ids = [cid for cid, f in folds.items() if f.terminal == status]
        released += len(await pool.release(conn, ids, [folds[c].terminal_at for c in ids], status))
    reopen = [cid for cid, f in folds.items() if f.reopen_at is not None]
    reopened = await pool.reopen(conn, reopen, [folds[c].reopen_at for c in reopen])
    flagged = await pool.apply_flag_pauses(
        conn, {cid: f.at for cid, f in folds.items() if f.flags_changed or cid in set(reopened)},
        ctx.settings.pause_on_flags)
    await _announce(conn, flagged)
    if reopened or flagged.resumed:
        await pool.wake(conn)
    log.info("cases updated", events=len(envelopes), released=released, reopened=len(reopened),
             paused=len(flagged.paused), resumed=len(flagged.resumed))


async def on_payment_posted(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    case_ids, refs, amounts, paid = [], [], [], []
    outstanding: dict[str, Decimal] = {}
    closes: dict[str, datetime] = {}
    for env in envelopes:
        p = PaymentPosted.model_validate(env.payload)
        case_ids.append(env.case_id)
        refs.append(p.txn_ref)
        amounts.append(p.amount)
        paid.append(p.paid_at)
        outstanding[env.case_id] = p.outstanding
        if p.closes_case:
            closes[env.case_id] = p.paid_at
    new = await facts.record_payments(conn, case_ids, refs, amounts, paid, ctx.settings.timezone)
    await facts.set_outstanding(conn, list(outstanding), list(outstanding.values()))
    closed = await pool.release(conn, list(closes), list(closes.values()), "closed", end_reason="repaid")
    log.info("payments posted", events=len(envelopes), new_month_facts=new, closed=len(closed))


async def on_contact_logged(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    case_ids: list[str] = []
    occurred: list[datetime] = []
    ptp_until: list[date | None] = []
    for env in envelopes:
        p = ContactLogged.model_validate(env.payload)
        dues = [x.due_on for x in ([p.ptp] if p.ptp else []) + list(p.instalments)]
        case_ids.append(env.case_id)
        occurred.append(p.occurred_at)
        ptp_until.append(max(dues) if dues else None)
    await facts.record_contacts(conn, case_ids, occurred, ptp_until, ctx.settings.timezone)


async def on_case_pause_requested(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    """R-47: contact asks to pause a case (a serious complaint the client wants paused)."""
    items = []
    for env in envelopes:
        p = CasePauseRequested.model_validate(env.payload)
        why = f"R-47 {p.reason}" + (f" (complaint {p.complaint_id})" if p.complaint_id else "")
        items.append(PauseItem(env.case_id, p.requested_by, why, p.requested_at))
    paused = await pause_cases(conn, items)
    log.info("pauses requested", events=len(envelopes), paused=len(paused))


async def _announce(conn: asyncpg.Connection, flagged: pool.FlagPauses) -> None:
    """R-13/R-17: a case a client flag paused (or whose flag was lifted) leaves (or rejoins) every
    worklist downstream: case.paused / case.resumed, one outbox write for the batch."""
    records = [events.case_paused(client_id=r.client_id, case_id=r.case_id, source="flag",
                                  by=pool.FLAG_PAUSED_BY, reason=reason, at=r.at,
                                  released_collector_id=r.collector_id, released_team_id=r.team_id)
               for r, reason in flagged.paused]
    records += [events.case_resumed(client_id=client_id, case_id=case_id, source="flag",
                                    by=pool.FLAG_PAUSED_BY, reason=FLAG_LIFTED, at=at)
                for case_id, client_id, at in flagged.resumed]
    await write_outbox_records(conn, records)


HANDLERS: dict[str, BatchHandler] = {
    CASE_RECEIVED: on_case_received,
    CASE_UPDATED: on_case_updated,
    PAYMENT_POSTED: on_payment_posted,
    CONTACT_LOGGED: on_contact_logged,
    CASE_PAUSE_REQUESTED: on_case_pause_requested,
}
