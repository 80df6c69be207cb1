"""Consumed events → billing facts. HANDLERS maps an event type to a thin batch handler
`(conn, ctx, envelopes)`: each gets one run of envelopes of one type inside the consumer's
transaction (with the inbox rows) and writes them set-based. Business dates (repayment dates,
effective dates, contact days) are taken in the business zone, ctx.settings.timezone.

A payload that does not validate raises pydantic.ValidationError and a value billing can never
accept raises PoisonEvent: the consumer isolates the event and dead-letters it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

import asyncpg

from recoup_shared.bus import topics
from recoup_shared.bus.consumer import BatchHandler, PoisonEvent
from recoup_shared.bus.envelope import Envelope
from recoup_shared.bus.events import CaseAllocated, CaseReceived, CaseUpdated, ContactLogged, PaymentPosted

from .context import Ctx
from .store import facts
from .store.facts import Columns


def _case_id(env: Envelope) -> UUID:
    try:
        return UUID(env.case_id)
    except ValueError:
        raise PoisonEvent(f"case_id {env.case_id!r} is not a UUID") from None


def _money(value: Decimal | None, what: str) -> Decimal | None:
    """R-44: exact, two decimals, not negative; anything else can never be billed."""
    if value is None:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise PoisonEvent(f"{what} {value} is not an amount of money (>= 0, 2 decimals)")
    return value


async def on_case_received(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    cols = Columns()
    for env in envelopes:
        p = CaseReceived.model_validate(env.payload)
        if p.dpd < 0:
            raise PoisonEvent(f"dpd {p.dpd} at placement is negative")
        cols.add(case_id=_case_id(env), placement_id=p.placement_id, client_id=env.client_id,
                 placement_ref=p.placement_ref, placed_on=p.placed_on, recall_on=p.recall_on,
                 dpd=p.dpd, bucket=p.dpd_bucket, amount=_money(p.placed_amount, "placed_amount"),
                 event_id=env.event_id, occurred_at=env.occurred_at)
    await facts.upsert_cases(conn, cols)
    # status/recall/balance changes that arrived first (other topic) apply now
    await facts.refresh_cases(conn, cols.data["case_id"])


async def on_case_updated(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    cols = Columns()
    recall_on: dict[tuple[UUID, str | None], date] = {}
    tz = ctx.clock.zone
    for env in envelopes:
        p = CaseUpdated.model_validate(env.payload)
        if p.change == "recall_extended":     # the spell's scheduled end moves, no status change
            if p.recall_on is None:
                raise PoisonEvent("recall_extended without recall_on")
            recall_on[(_case_id(env), p.placement_id)] = p.recall_on
            continue
        placed = p.placed_amount
        if placed is None and p.change == "balance" and None not in (p.principal, p.interest, p.fees):
            placed = p.principal + p.interest + p.fees  # type: ignore[operator]
        effective_on = p.effective_on or env.occurred_at.astimezone(tz).date()
        cols.add(event_id=env.event_id, case_id=_case_id(env), client_id=env.client_id,
                 change=p.change, status=p.status, placed_amount=_money(placed, "placed_amount"),
                 effective_on=effective_on, occurred_at=env.occurred_at, reason=p.reason)
    await facts.insert_changes(conn, cols)
    await facts.move_recall_dates(conn, recall_on)
    await facts.refresh_cases(conn, cols.data.get("case_id", []) + [c for c, _ in recall_on])


async def on_payment_posted(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    cols = Columns()
    for env in envelopes:
        p = PaymentPosted.model_validate(env.payload)
        cols.add(client_id=env.client_id, txn_ref=p.txn_ref, event_id=env.event_id,
                 case_id=_case_id(env), amount=_money(p.amount, "amount"), paid_at=p.paid_at,
                 channel=p.channel, closes_case=p.closes_case)
    inserted = await facts.insert_repayments(conn, cols, ctx.settings.timezone)
    closing = [r["case_id"] for r in inserted if r["closes_case"]]
    await facts.refresh_cases(conn, closing)  # fully repaid → closed


async def on_case_allocated(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    cols = Columns()
    for env in envelopes:
        p = CaseAllocated.model_validate(env.payload)
        cols.add(event_id=env.event_id, case_id=_case_id(env), client_id=env.client_id,
                 collector_id=p.collector_id, team_id=p.team_id, strategy=p.strategy,
                 reason=p.reason, valid_from=p.allocated_at)
    await facts.insert_ownership(conn, cols)


async def on_contact_logged(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    cols = Columns()
    for env in envelopes:
        p = ContactLogged.model_validate(env.payload)
        # A promise: the PTP, else the first instalment of an instalment plan.
        ptp = p.ptp or (min(p.instalments, key=lambda i: i.due_on) if p.instalments else None)
        # What the record is (kept as received; views.py counts the records in force): a promise
        # outcome is no contact (it judges `promise_id`, R-23), a correction replaces `corrects`.
        o = p.promise_outcome
        cols.add(contact_id=p.contact_id, event_id=env.event_id, case_id=_case_id(env),
                 client_id=env.client_id, collector_id=p.collector_id, channel=p.channel,
                 party=p.party, result=p.result, effective=p.effective, status=p.status,
                 ptp_amount=_money(ptp.amount, "ptp.amount") if ptp else None,
                 ptp_due_on=ptp.due_on if ptp else None, occurred_at=p.occurred_at,
                 record_kind=p.record_kind, corrects=p.corrects,
                 promise_id=p.promise_id or (o.promise_id if o else None),
                 outcome=o.outcome if o else None, outcome_instalment=o.instalment if o else None,
                 outcome_on=o.on if o else None)
    await facts.insert_contacts(conn, cols, ctx.settings.timezone)


HANDLERS: dict[str, BatchHandler] = {
    topics.CASE_RECEIVED: on_case_received,
    topics.CASE_UPDATED: on_case_updated,
    topics.PAYMENT_POSTED: on_payment_posted,
    topics.CASE_ALLOCATED: on_case_allocated,
    topics.CONTACT_LOGGED: on_contact_logged,
}
