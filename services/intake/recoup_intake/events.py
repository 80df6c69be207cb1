"""Builders of what intake emits (contracts.md §2): `case.received`, `case.updated`,
`payment.posted` — each the envelope of recoup_shared.bus.envelope with the payload of
recoup_shared.bus.events (tests validate them against the typed models and compare the bytes).

Dicts rather than pydantic models: these are bulk paths (100,000 `case.received` per placement, a
million `payment.posted` per repayments batch). Events carry masked ID and card numbers plus their
blind-index hashes — never the full values — and the phones and addresses in full, because
contact, letters and fieldops must use them (R-46). They are written to the outbox in the
transaction of the change (recoup_shared.bus.outbox.write_outbox_records).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import orjson

from recoup_shared.bus.envelope import EnvelopeTemplate, OutboxRecord, dumps, new_envelope, outbox_record
from recoup_shared.bus.topics import CASE_RECEIVED, CASE_UPDATED, PAYMENT_POSTED
from recoup_shared.crypto import mask_phone

from .rules.model import CaseText, Identified, PlacementInfo, ValidAddress, ValidPhone

PRODUCER = "intake"


def phone_out(p: ValidPhone, number_hash: str, masked: str | None = None) -> dict[str, Any]:
    """A PhoneOut payload — the number in full, as contracts.md allows. Fields at their model
    default (owner debtor, valid) are left out; an invalid number says so (R-4: never dialled)."""
    number = p.number
    if masked is None:  # a valid number is canonical digits: masked here without a call
        masked = number[:3] + "****" + number[-4:] if p.invalid is None and len(number) >= 8 else mask_phone(number)
    out: dict[str, Any] = {"number": number, "number_masked": masked, "number_hash": number_hash, "kind": p.kind}
    if p.owner != "debtor":
        out["owner"] = p.owner
    if p.extension:
        out["extension"] = p.extension
    if p.name is not None:
        out["name"] = p.name
    if p.relationship is not None:
        out["relationship"] = p.relationship
    if p.knows_debt is not None:
        out["knows_debt"] = p.knows_debt
    if p.employer is not None:
        out["employer"] = p.employer
    if p.invalid is not None:
        out["valid"] = False
        out["invalid_reason"] = p.invalid
    return out


def address_out(a: ValidAddress) -> dict[str, Any]:
    """An AddressOut payload (defaults left out: not verified, the debtor's, valid)."""
    out: dict[str, Any] = {"kind": a.kind, "line": a.line}
    for key in ("province", "city", "district", "employer", "name", "relationship"):
        v = getattr(a, key)
        if v is not None:
            out[key] = v
    if a.owner != "debtor":
        out["owner"] = a.owner
    if a.invalid is not None:
        out["valid"] = False
        out["invalid_reason"] = a.invalid
    return out


class CaseReceivedRecords:
    """The `case.received` outbox records of one chunk of new cases.

    The envelope is recoup_shared.bus.envelope.new_envelope's, rendered once per chunk with
    placeholders (so its layout is never restated here, and tested equal): a case's record is that
    rendering with its ids and its payload spliced in, the payload's parts common to the placement
    serialised once. Amounts and dates are the exact strings of CaseText, so orjson needs no
    callback. The placement id is the correlation id. Optional fields are left out when empty
    (their model default), and what no consumer reads is not sent (the debtor's birth date, the
    credit limit, the last payment: intake keeps them)."""

    _EVENT_ID = "00000000-0000-4000-8000-0000000000e1"
    _CASE_ID = "00000000-0000-4000-8000-0000000000c1"

    def __init__(self, info: PlacementInfo, occurred_at: datetime) -> None:
        self.client_id, self.placement_id = info.client_id, info.placement_id
        common = {"placement_id": info.placement_id, "placement_ref": info.placement_ref,
                  "placed_on": info.placed_on.isoformat(), "recall_on": info.recall_on.isoformat()}
        rendered = dumps(new_envelope(event_type=CASE_RECEIVED, producer=PRODUCER, client_id=info.client_id,
                                      case_id=self._CASE_ID, payload={"@": 1}, correlation_id=info.placement_id,
                                      occurred_at=occurred_at, event_id=self._EVENT_ID))  # type: ignore[arg-type]
        head, tail = rendered.split(b'{"@":1}')
        self._head = head.split(self._EVENT_ID.encode())
        self._head[1:] = self._head[1].split(self._CASE_ID.encode())
        self._payload_head = orjson.dumps(common)[:-1] + b","
        self._tail = tail
        self.records: list[OutboxRecord] = []

    def add(self, it: Identified, text: CaseText, phone_hashes: Sequence[str], joint: list[str] | None) -> None:
        vc = it.valid_case
        payload: dict[str, Any] = {
            "product": text.product, "account_masked": text.account_masked, "account_hash": it.account_hash,
            "debtor": {"name": vc.debtor_name, "id_number_masked": text.id_masked, "id_hash": it.id_hash,
                       "gender": vc.gender},
            "principal": text.principal, "interest": text.interest,
            "fees": text.fees, "placed_amount": text.placed_amount, "dpd": vc.dpd,
            "dpd_bucket": vc.dpd_bucket, "overdue_since": text.overdue_since,
            "phones": [phone_out(p, h) for p, h in zip(vc.phones, phone_hashes)],
            "addresses": [address_out(a) for a in vc.addresses],
        }
        if vc.currency != "CNY":
            payload["currency"] = vc.currency
        if vc.flags:
            payload["flags"] = vc.flags
        if vc.skip_trace:
            payload["skip_trace"] = True
        if vc.extra:
            payload["extra"] = vc.extra
        if text.employer is not None:
            payload["employer"] = text.employer
        if text.region is not None:
            payload["region"] = text.region
        if vc.remarks is not None:
            payload["remarks"] = vc.remarks
        if joint:
            payload["joint_case_ids"] = joint
        h0, h1, h2 = self._head
        value = b"".join((h0, it.event_id.encode(), h1, it.case_id.encode(), h2, self._payload_head,
                          orjson.dumps(payload)[1:], self._tail))
        self.records.append((it.event_id, CASE_RECEIVED, it.case_id, value))  # type: ignore[arg-type]


def with_joint_case_ids(value: bytes, joint: list[str]) -> bytes:
    """A serialised `case.received` with the debtor's other cases set (R-7: a debtor's cases in
    later parts of a streamed placement are known only after its first events were written)."""
    envelope = orjson.loads(value)
    envelope["payload"]["joint_case_ids"] = joint
    return orjson.dumps(envelope)


def case_updated(*, client_id: str, case_id: str, change: str, status: str,
                 correlation_id: str | None, occurred_at: datetime, reason: str | None = None,
                 effective_on: date | None = None, **fields: Any) -> OutboxRecord:
    """`case.updated` (CaseUpdated): balance, contacts, flags, recall, closed."""
    payload: dict[str, Any] = {"change": change, "status": status}
    if reason is not None:
        payload["reason"] = reason
    if effective_on is not None:
        payload["effective_on"] = effective_on
    payload.update({k: v for k, v in fields.items() if v is not None})
    return outbox_record(CASE_UPDATED, new_envelope(
        event_type=CASE_UPDATED, producer=PRODUCER, client_id=client_id, case_id=case_id, payload=payload,
        correlation_id=correlation_id, occurred_at=occurred_at))


RECALL_EXTENDED = "recall_extended"


def recall_extended_format(*, placement_id: str, recall_on: date, reason: str | None,
                           correlation_id: str | None, occurred_at: datetime) -> tuple[str, tuple[str, ...]]:
    """`case.updated` change=recall_extended (CaseUpdated, R-5) of every case of a placement whose
    recall date the client moved: the envelope as a format string of PostgreSQL's format() and the
    names filling it ("event_id", "client_id", "case_id", "status") — the store writes all of them
    in one INSERT … SELECT over the placement's cases (EnvelopeTemplate.sql_format)."""
    fixed: dict[str, Any] = {"change": RECALL_EXTENDED, "recall_on": recall_on, "placement_id": placement_id}
    if reason is not None:
        fixed["reason"] = reason
    return EnvelopeTemplate(CASE_UPDATED, producer=PRODUCER, slots=("status",), fixed=fixed,
                            correlation_id=correlation_id, occurred_at=occurred_at).sql_format()


def payment_posted(*, client_id: str, case_id: str, event_id: str, correlation_id: str | None,
                   occurred_at: datetime, account_masked: str, amount: Decimal, paid_at: datetime,
                   txn_ref: str, channel: str | None, repaid_total: Decimal, outstanding: Decimal,
                   closes_case: bool) -> OutboxRecord:
    """`payment.posted` (PaymentPosted); `event_id` is the one stored with the repayment."""
    payload: dict[str, Any] = {
        "account_masked": account_masked, "amount": amount, "paid_at": paid_at.isoformat(),
        "txn_ref": txn_ref, "repaid_total": repaid_total, "outstanding": outstanding,
        "closes_case": closes_case}
    if channel is not None:
        payload["channel"] = channel
    return outbox_record(PAYMENT_POSTED, new_envelope(
        event_type=PAYMENT_POSTED, producer=PRODUCER, client_id=client_id, case_id=case_id, payload=payload,
        correlation_id=correlation_id, occurred_at=occurred_at, event_id=event_id))  # type: ignore[arg-type]
