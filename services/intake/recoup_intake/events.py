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

from recoup_shared.bus.envelope import OutboxRecord, new_envelope, outbox_record
from recoup_shared.bus.topics import CASE_RECEIVED, CASE_UPDATED, PAYMENT_POSTED
from recoup_shared.crypto import mask_phone

from .rules.model import CaseText, Identified, PlacementInfo, ValidAddress, ValidPhone

PRODUCER = "intake"


def phone_out(p: ValidPhone, number_hash: str, masked: str | None = None) -> dict[str, Any]:
    """A PhoneOut payload — the number in full, as contracts.md allows. Fields at their model
    default (owner debtor, valid) are left out; an invalid number says so (R-4: never dialled)."""
    out: dict[str, Any] = {"number": p.number, "number_masked": masked or mask_phone(p.number),
                           "number_hash": number_hash, "kind": p.kind}
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

    The envelope is recoup_shared.bus.envelope.new_envelope's dict, built here directly with the
    constant parts computed once (tested equal); amounts and dates are the exact strings of
    CaseText, so orjson needs no callback. The placement id is the correlation id."""

    def __init__(self, info: PlacementInfo, occurred_at: datetime) -> None:
        self.client_id, self.placement_id = info.client_id, info.placement_id
        self._common = {"placement_id": info.placement_id, "placement_ref": info.placement_ref,
                        "placed_on": info.placed_on.isoformat(), "recall_on": info.recall_on.isoformat()}
        self._occurred = occurred_at.isoformat()
        self.records: list[OutboxRecord] = []

    def add(self, it: Identified, text: CaseText, phone_hashes: Sequence[str], joint: list[str] | None) -> None:
        vc = it.case  # never None here
        payload: dict[str, Any] = {
            **self._common, "product": text.product,
            "account_masked": text.account_masked, "account_hash": it.account_hash,
            "debtor": {"name": vc.debtor_name, "id_number_masked": text.id_masked, "id_hash": it.id_hash,
                       "gender": vc.gender, "birth_date": text.birth_date},
            "currency": vc.currency, "principal": text.principal, "interest": text.interest,
            "fees": text.fees, "placed_amount": text.placed_amount, "dpd": vc.dpd,
            "dpd_bucket": vc.dpd_bucket, "overdue_since": text.overdue_since,
            "phones": [phone_out(p, h) for p, h in zip(vc.phones, phone_hashes)],
            "addresses": [address_out(a) for a in vc.addresses],
        }
        if vc.flags:
            payload["flags"] = vc.flags
        if vc.skip_trace:
            payload["skip_trace"] = True
        if vc.extra:
            payload["extra"] = vc.extra
        if text.last_payment_on is not None and text.last_payment_amount is not None:
            payload["last_payment"] = {"on": text.last_payment_on, "amount": text.last_payment_amount}
        if text.credit_limit is not None:
            payload["credit_limit"] = text.credit_limit
        if text.employer is not None:
            payload["employer"] = text.employer
        if text.region is not None:
            payload["region"] = text.region
        if vc.remarks is not None:
            payload["remarks"] = vc.remarks
        if joint:
            payload["joint_case_ids"] = joint
        envelope = {"event_id": it.event_id, "event_type": CASE_RECEIVED, "event_version": 1,
                    "occurred_at": self._occurred, "producer": PRODUCER, "correlation_id": self.placement_id,
                    "client_id": self.client_id, "case_id": it.case_id, "payload": payload}
        self.records.append((it.event_id, CASE_RECEIVED, it.case_id, orjson.dumps(envelope)))  # type: ignore[arg-type]


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
