"""Builders of what this service emits (typed payloads of recoup_shared.bus.events), written to the
outbox in the same transaction as the state change:

- contact.logged — every contact record made here (calls, SMS, corrections) and every promise
  outcome (R-23). Allocation's rotation (a live PTP keeps a case, R-12) and billing's performance
  (contacts, PTP kept, R-43) consume it. Records that arrive by another service's event (visits,
  letters) are not echoed: their producer's event is already on the bus.
- case.pause_requested — a serious complaint where the client asks for the pause (R-47).
- policy.changed — every new version of a contact-policy level (R-14..R-18): fieldops (visits) and
  letters (SMS, holds stop letters) keep the levels they receive; never a synchronous call.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from recoup_shared.bus.envelope import OutboxRecord, event_record
from recoup_shared.bus.events import (AddressOut, CasePauseRequested, ContactLogged, PhoneOut, PolicyChanged,
                                      PromiseOutcomeOut, Ptp)

PRODUCER = "contact"

# The rules' words -> contact.logged's (contracts.md vocabulary).
_CHANNEL = {"outbound_call": "call", "inbound_call": "inbound_call", "sms": "sms", "visit": "visit",
            "letter": "letter"}
_PARTY = {"debtor": "debtor", "contact_person": "contact", "third_party": "third_party"}


def contact_logged(*, record_id: str, case_id: str, client_id: str, collector_id: str, team_id: str | None,
                   channel: str, party: str, result: str, effective: bool, status: str | None,
                   occurred_at: datetime, next_follow_up_on: date | None, code: str | None,
                   code_version: int | None, call_id: str | None, promise_id: str | None,
                   instalments: list[tuple[Decimal, date]], phones: list[dict[str, Any]],
                   addresses: list[dict[str, Any]], employer: str | None, corrects: str | None,
                   correlation_id: str | None) -> OutboxRecord:
    ptp = Ptp(amount=instalments[0][0], due_on=instalments[0][1]) if len(instalments) == 1 else None
    payload = ContactLogged(
        contact_id=record_id, collector_id=collector_id, channel=_CHANNEL[channel], party=_PARTY[party],
        result=result, effective=effective, status=status, ptp=ptp,
        instalments=[Ptp(amount=a, due_on=d) for a, d in instalments] if len(instalments) > 1 else [],
        next_follow_up_on=next_follow_up_on,
        phones_found=[PhoneOut(**{k: v for k, v in p.items() if k != "valid"}) for p in phones],
        addresses_found=[AddressOut(**a) for a in addresses], occurred_at=occurred_at,
        record_kind="correction" if corrects else "contact", corrects=corrects, code=code,
        code_version=code_version, call_id=call_id, promise_id=promise_id, team_id=team_id,
        employer_found=employer)
    return event_record(payload, client_id=client_id, case_id=case_id, producer=PRODUCER,
                        correlation_id=correlation_id, occurred_at=occurred_at)


def promise_outcome(*, case_id: str, client_id: str, collector_id: str, team_id: str | None, promise_id: str,
                    instalment: int | None, outcome: str, on: date, promised: Decimal, paid: Decimal,
                    status: str | None, next_follow_up_on: date | None, occurred_at: datetime) -> OutboxRecord:
    """R-23 kept / broken, as a contact.logged of kind promise_outcome (no contact took place)."""
    part = "all" if instalment is None else str(instalment)
    payload = ContactLogged(
        contact_id=f"{promise_id}:{part}:{outcome}", collector_id=collector_id, channel="other", party="none",
        result=f"ptp_{outcome}", effective=False, status=status, next_follow_up_on=next_follow_up_on,
        occurred_at=occurred_at, record_kind="promise_outcome", promise_id=promise_id, team_id=team_id,
        promise_outcome=PromiseOutcomeOut(promise_id=promise_id, instalment=instalment, outcome=outcome, on=on,
                                          promised=promised, paid=paid))
    return event_record(payload, client_id=client_id, case_id=case_id, producer=PRODUCER, occurred_at=occurred_at)


def pause_requested(*, case_id: str, client_id: str, by: str, complaint_id: str, at: datetime) -> OutboxRecord:
    payload = CasePauseRequested(requested_by=by, reason="serious_complaint", complaint_id=complaint_id,
                                 requested_at=at)
    return event_record(payload, client_id=client_id, case_id=case_id, producer=PRODUCER, occurred_at=at)


def policy_changed(*, level: str, scope_id: str | None, client_id: str, version: int, values: dict[str, Any],
                   effective: dict[str, Any] | None, by: str, at: datetime) -> OutboxRecord:
    """The envelope's case_id (the Kafka key) is the case for a case level, else "<level>:<scope>"."""
    payload = PolicyChanged(level=level, scope_id=scope_id, version=version, values=values, effective=effective,
                            changed_by=by, changed_at=at)
    key = scope_id if level == "case" and scope_id else f"{level}:{scope_id or ''}"
    return event_record(payload, client_id=client_id, case_id=key, producer=PRODUCER, occurred_at=at)
