"""Consumed events: HANDLERS maps an event type to a thin batch handler, called inside the
consumer's transaction (the inbox has already dropped repeated event ids). Each folds its batch and
writes it set-based; letters not yet dispatched of a case that became blocked are cancelled at once
(R-31); a new address wakes the re-send job (R-31).

    case.received / case.updated / payment.posted / case.paused / case.resumed   (intake, allocation;
                     case.updated recall_extended moves the recall date only)
    contact.logged   addresses and mobiles a collector found (R-25), instalment plans, texts sent
                     (contact's own: contact never echoes the texts sent here, announced by sms.sent)
    visit.completed  an address a field visit verified (R-29, R-38)
    policy.changed   compliance levels (issue 10): holds stop letters, the SMS gate uses them
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import asyncpg

from recoup_shared.bus import BatchHandler, Envelope
from recoup_shared.bus.events import (AddressOut, CasePaused, CaseReceived, CaseResumed, CaseUpdated,
                                      ContactLogged, PaymentPosted, PhoneOut, PolicyChanged, VisitCompleted)
from recoup_shared.bus.topics import (CASE_PAUSED, CASE_RECEIVED, CASE_RESUMED, CASE_UPDATED, CONTACT_LOGGED,
                                      PAYMENT_POSTED, POLICY_CHANGED, VISIT_COMPLETED)

from .context import Ctx
from .rules import facts
from .store import addresses as address_store
from .store import cases as case_store
from .store import configs as config_store
from .store import sms as sms_store
from .usecases.planning import cancel_blocked

_STATUS = {"recall": "recalled", "closed": "closed", "reopened": "open"}


def _day(ctx: Ctx, at: datetime) -> date:
    return at.astimezone(ctx.clock.zone).date()


def address_row(case_id: str, a: AddressOut, *, source: str, found_on: date, verified_on: date | None,
                at: datetime) -> dict[str, Any]:
    party = facts.party_of_owner(a.owner)
    return {"address_id": facts.address_id(case_id, party, a.province, a.city, a.district, a.line),
            "case_id": case_id, "party_id": party, "kind": a.kind, "province": a.province, "city": a.city,
            "district": a.district, "line": a.line, "postcode": a.postcode, "employer": a.employer,
            "source": source, "found_on": found_on, "verified_on": verified_on, "at": at}


def phone_rows(case_id: str, phones: Iterable[PhoneOut], at: datetime) -> list[dict[str, Any]]:
    """R-4: a number intake marked invalid is never texted: not kept here."""
    return [{"case_id": case_id, "number_hash": p.number_hash, "number": p.number, "number_masked": p.number_masked,
             "kind": p.kind, "owner": p.owner, "at": at} for p in phones if p.valid]


def _fold(changes: dict[str, dict[str, Any]], case_id: str, at: datetime, **fields: Any) -> None:
    """One row per case and batch, the later event's fields over the earlier's (partition order)."""
    row = changes.setdefault(case_id, {"case_id": case_id, "at": at})
    row.update({k: v for k, v in fields.items() if v is not None}, at=max(row["at"], at))


async def on_case_received(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    cases, addresses, phones = {}, [], []
    for env in envelopes:
        p = CaseReceived.model_validate(env.payload)
        at, day = env.occurred_at, _day(ctx, env.occurred_at)
        cases[env.case_id] = {
            "case_id": env.case_id, "client_id": env.client_id, "placement_id": p.placement_id,
            "placement_ref": p.placement_ref, "product": p.product, "placed_on": p.placed_on,
            "recall_on": p.recall_on, "dpd_at_placement": p.dpd, "overdue_since": p.overdue_since,
            "currency": p.currency, "principal": p.principal, "interest": p.interest, "fees": p.fees,
            "placed_amount": p.placed_amount, "status": p.status, "flags": p.flags, "debtor_name": p.debtor.name,
            "debtor_gender": p.debtor.gender, "id_number_masked": p.debtor.id_number_masked,
            "account_masked": p.account_masked, "region": p.region, "at": at}
        addresses += [address_row(env.case_id, a, source="client", found_on=day,   # never to an invalid one
                                  verified_on=day if a.verified else None, at=at) for a in p.addresses if a.valid]
        phones += phone_rows(env.case_id, p.phones, at)
    await case_store.upsert_received(conn, list(cases.values()))
    await address_store.upsert(conn, addresses)
    await address_store.upsert_phones(conn, phones)
    await cancel_blocked(conn, ctx, [c for c, r in cases.items() if r["flags"] or r["status"] != "open"])


async def on_case_updated(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    changes: dict[str, dict[str, Any]] = {}
    addresses, phones = [], []
    for env in envelopes:
        p = CaseUpdated.model_validate(env.payload)
        at, day = env.occurred_at, _day(ctx, env.occurred_at)
        if p.change == "recall_extended":     # only the date moves (the status is no change)
            _fold(changes, env.case_id, at, recall_on=p.recall_on)
            continue
        _fold(changes, env.case_id, at, status=_STATUS.get(p.change, p.status), flags=p.flags,
              placed_amount=p.placed_amount, principal=p.principal, interest=p.interest, fees=p.fees,
              outstanding=p.outstanding)
        addresses += [address_row(env.case_id, a, source="client", found_on=day,
                                  verified_on=day if a.verified else None, at=at)
                      for a in p.addresses_added if a.valid]
        phones += phone_rows(env.case_id, p.phones_added, at)
    known = await case_store.apply_changes(conn, list(changes.values()))
    await address_store.upsert(conn, addresses)
    await address_store.upsert_phones(conn, phones)
    await cancel_blocked(conn, ctx, known)


async def on_payment_posted(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    changes: dict[str, dict[str, Any]] = {}
    for env in envelopes:
        p = PaymentPosted.model_validate(env.payload)
        _fold(changes, env.case_id, env.occurred_at, outstanding=p.outstanding,
              status="closed" if p.closes_case else None)        # fully repaid -> settled
    known = await case_store.apply_changes(conn, list(changes.values()))
    await cancel_blocked(conn, ctx, [c for c in known if changes[c].get("status") == "closed"])


async def on_case_paused(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    changes: dict[str, dict[str, Any]] = {}
    for env in envelopes:
        paused = env.event_type == CASE_PAUSED
        (CasePaused if paused else CaseResumed).model_validate(env.payload)
        changes.setdefault(env.case_id, {"case_id": env.case_id, "at": env.occurred_at})["paused"] = paused
    known = await case_store.apply_changes(conn, list(changes.values()))
    await cancel_blocked(conn, ctx, [c for c in known if changes[c]["paused"]])   # a paused case waits


async def on_contact_logged(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    """R-25: what a collector found flows to letters — an address found in collection counts as
    verified (R-29: the newest verified address is the second choice); the debtor's instalment plan
    (R-22 PTP_INSTALMENT) is confirmed by letter; texts sent by contact count toward SMS caps."""
    addresses, phones, texts, plans = [], [], [], {}
    for env in envelopes:
        if env.payload.get("record_kind") == "promise_outcome":    # a promise judged, not a contact
            continue
        p = ContactLogged.model_validate(env.payload)
        at, day = p.occurred_at, _day(ctx, p.occurred_at)
        addresses += [address_row(env.case_id, a, source="skip_trace", found_on=day, verified_on=day, at=at)
                      for a in p.addresses_found]
        phones += phone_rows(env.case_id, p.phones_found, at)
        if p.channel == "sms" and p.record_kind != "correction":    # a correction is the same text again
            texts.append((p.contact_id, env.case_id, at))
        plan = facts.plan_from_contact(p.contact_id, day, p.status, [(i.amount, i.due_on) for i in p.instalments])
        if plan is not None:
            _fold(plans, env.case_id, at, set_plan=True, instalment_plan=plan)
    stored = await address_store.upsert(conn, addresses)
    await address_store.upsert_phones(conn, phones)
    await sms_store.record_external(conn, texts)
    await case_store.apply_changes(conn, list(plans.values()))
    if stored:
        await conn.execute("SELECT pg_notify('letters_resend', '')")


async def on_visit_completed(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    """R-38: an address a visit verified (`address`, sent by fieldops only when the agents verified
    it) is a verified address (R-29), valid again even if a letter came back from it before (the
    visit is newer evidence than the return); an address learned at the door (`addresses_found`,
    R-25) is verified there too."""
    rows = []
    for env in envelopes:
        p = VisitCompleted.model_validate(env.payload)
        day = _day(ctx, p.visited_at)
        visited = [p.address] if p.address is not None and p.address_verified else []
        rows += [address_row(env.case_id, a, source="visit", found_on=day, verified_on=day, at=p.visited_at)
                 for a in [*visited, *p.addresses_found] if a.valid]
    if await address_store.upsert(conn, rows):
        await conn.execute("SELECT pg_notify('letters_resend', '')")


async def on_policy_changed(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    """Compliance levels (issue 10) for the SMS gate; a hold placed on a case stops its letters too
    (R-17: collection stops — letters are collection)."""
    rows, cases = [], []
    for env in envelopes:
        p = PolicyChanged.model_validate(env.payload)
        rows.append((p.level, p.scope_id, p.version, p.values, p.changed_by, p.changed_at))
        if p.level == "case" and p.scope_id:
            cases.append(p.scope_id)
    await config_store.upsert_levels(conn, rows)
    await cancel_blocked(conn, ctx, sorted(set(cases)))


HANDLERS: dict[str, BatchHandler] = {
    CASE_RECEIVED: on_case_received,
    CASE_UPDATED: on_case_updated,
    PAYMENT_POSTED: on_payment_posted,
    CASE_PAUSED: on_case_paused,
    CASE_RESUMED: on_case_paused,
    CONTACT_LOGGED: on_contact_logged,
    VISIT_COMPLETED: on_visit_completed,
    POLICY_CHANGED: on_policy_changed,
}
