"""Builders of what the letters service emits, written to the outbox in the same transaction as the
state change (architecture: outbox):

- letter.dispatched — each letter of a batch marked dispatched (R-33): type, template version, the
  address it went to, mail class, tracking number, check code;
- letter.returned — a letter came back (R-31): the reason, the address it came back from and
  whether that address is now invalid for letters (contact and fieldops consume it: the address
  needs tracing);
- sms.sent — a text the provider accepted (R-27, issue 10): contact counts it in its attempt history
  (its own SMS caps) and shows it on the case timeline.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from recoup_shared.bus.envelope import OutboxRecord, event_record
from recoup_shared.bus.events import AddressOut, LetterDispatched, LetterReturned, SmsSent

from .rules import checkcode
from .rules.facts import DEBTOR

PRODUCER = "letters"


def address_out(r: Mapping[str, Any]) -> AddressOut:
    """The address row as the events carry it (addresses travel in full: contact and fieldops must
    be able to use them, architecture.md data minimisation)."""
    return AddressOut(kind=r["kind"], province=r["province"], city=r["city"], district=r["district"],
                      line=r["line"], postcode=r["postcode"], verified=r["verified_on"] is not None,
                      owner="debtor" if r["party_id"] == DEBTOR else "contact")


def letter_dispatched(r: Mapping[str, Any], *, at: datetime, batch_id: str,
                      correlation_id: str | None = None) -> OutboxRecord:
    payload = LetterDispatched(
        letter_id=r["letter_id"], letter_type=r["letter_type"], template_id=r["template_id"],
        template_version=r["template_version"], address_kind=r["kind"], mail_class=r["mail_class"],
        tracking_no=r["tracking_no"], check_code=checkcode.display(r["check_code"]), dispatched_at=at,
        batch_id=batch_id, recipient_role=r["recipient_role"], address=address_out(r), resend_of=r["resend_of"])
    return event_record(payload, client_id=r["client_id"], case_id=r["case_id"], producer=PRODUCER,
                        correlation_id=correlation_id or batch_id, occurred_at=at)


def letter_returned(letter: Mapping[str, Any], address: Mapping[str, Any], *, reason: str, at: datetime,
                    invalidated: bool) -> OutboxRecord:
    payload = LetterReturned(letter_id=letter["letter_id"], return_reason=reason, returned_at=at,
                             letter_type=letter["letter_type"], tracking_no=letter["tracking_no"],
                             address=address_out(address), address_invalidated=invalidated)
    return event_record(payload, client_id=letter["client_id"], case_id=letter["case_id"], producer=PRODUCER,
                        correlation_id=letter["batch_id"], occurred_at=at)


def sms_sent(m: Mapping[str, Any], *, purpose: str | None, at: datetime, provider: str,
             provider_status: str | None, provider_message_id: str | None) -> OutboxRecord:
    """`m`: the sms_messages row. Only the masked number and its blind index travel."""
    payload = SmsSent(sms_id=m["sms_id"], template_id=m["template_id"], template_version=m["template_version"],
                      purpose=purpose, number_masked=m["phone_masked"], number_hash=m["phone_hash"], sent_at=at,
                      provider=provider, provider_status=provider_status,
                      provider_message_id=provider_message_id, requested_by=m["requested_by"])
    return event_record(payload, client_id=m["client_id"], case_id=m["case_id"], producer=PRODUCER,
                        correlation_id=m["sms_id"], occurred_at=at)
