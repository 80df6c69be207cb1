"""Realistic events for the contact service's tests, the end-to-end test and the benchmark: a case as
intake sends it (full phones, addresses, blind-index hashes made with the local keys — the same
keys the services of a test stack use), allocations, pauses, visits, letters, texts letters sent,
signed CDRs."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any

from recoup_shared.bus import new_envelope
from recoup_shared.crypto import Protector, mask_card_number, mask_id_number, mask_phone
from recoup_shared.identifiers import make_id_number, parse_phone
from recoup_shared.settings import ServiceSettings
from recoup_shared.vocabulary import dpd_bucket

from .allocation_seeds import chinese_name
from .factories import updated  # noqa: F401 - re-exported for the contact tests


@lru_cache(maxsize=1)
def protector() -> Protector:
    """The local keys (what every service of a test stack hashes with)."""
    return Protector.from_settings(ServiceSettings(profile="test"))


@lru_cache(maxsize=1)
def _henan_blocks() -> tuple[int, ...]:
    """The 139xxxx number blocks that libphonenumber places in 河南 (about 430 of 10,000)."""
    import phonenumbers
    from phonenumbers import geocoder

    return tuple(p for p in range(1_390_000, 1_400_000) if geocoder.description_for_number(
        phonenumbers.parse(f"{p}0000", "CN"), "zh").startswith("河南"))


def mobile(i: int) -> str:
    """The debtor's mobile, distinct per `i` (up to 4 million), from a 河南 block like the debtor's
    address: a mobile's region is one of the debtor's zones (R-14), and a Xinjiang block (1 in 90
    of them) would move the calling window two hours for a test that never asked for it."""
    blocks = _henan_blocks()
    block, n = blocks[i % len(blocks)], i // len(blocks)
    return f"{block}{(n * 7919) % 10_000:04d}"


def id_number(i: int) -> str:
    return make_id_number("410105", date(1980, 1, 1) + timedelta(days=i % 9000), i % 999 + 1)


def account(i: int) -> str:
    return f"62220202{i:011d}"


def phone_out(number: str, kind: str = "mobile", owner: str = "debtor", **extra: Any) -> dict[str, Any]:
    canonical = parse_phone(number).number
    return {"number": canonical, "number_masked": mask_phone(canonical),
            "number_hash": protector().phone_hash(canonical), "kind": kind, "owner": owner, **extra}


def case_payload(i: int, *, amount: Decimal | str = "13830.50", dpd: int = 95, flags: tuple[str, ...] = (),
                 placed_on: date = date(2026, 11, 20), recall_on: date | None = None, province: str = "河南省",
                 phones: list[dict[str, Any]] | None = None, contact_knows: bool = False,
                 joint: list[str] | None = None, debtor: int | None = None) -> dict[str, Any]:
    """case.received payload of debtor `debtor` (default i): a mobile and a work phone of the debtor, a
    spouse who does not know of the debt (R-18), a household-registration address."""
    amount = Decimal(str(amount))
    d = i if debtor is None else debtor
    ident = id_number(d)
    acct = account(i)
    return {
        "placement_id": "pl-contact", "placement_ref": "REF-CONTACT", "product": "credit_card",
        "placed_on": placed_on.isoformat(), "recall_on": (recall_on or placed_on + timedelta(days=91)).isoformat(),
        "account_masked": mask_card_number(acct), "account_hash": protector().card_hash(acct),
        "debtor": {"name": chinese_name(d), "id_number_masked": mask_id_number(ident),
                   "id_hash": protector().id_hash(ident), "gender": "M"},
        "currency": "CNY", "principal": str(amount), "interest": "0.00", "fees": "0.00",
        "placed_amount": str(amount), "dpd": dpd, "dpd_bucket": dpd_bucket(dpd),
        "phones": phones if phones is not None else [
            phone_out(mobile(d)), phone_out("0371-65432100", kind="work"),
            phone_out(mobile(d + 500_000), owner="contact", name="李娜", relationship="spouse",
                      knows_debt=contact_knows)],
        "addresses": [{"kind": "household_registration", "province": province, "city": "郑州市",
                       "district": "金水区", "line": "花园路 88 号 3 单元 502"}],
        "region": province, "flags": list(flags), "joint_case_ids": joint or [], "status": "open",
    }


def received(case_id: str, client_id: str = "zhbank", i: int = 0, *, occurred_at: datetime | None = None,
             **kw: Any) -> dict[str, Any]:
    return new_envelope(event_type="case.received", producer="intake", client_id=client_id, case_id=case_id,
                        payload=case_payload(i, **kw), occurred_at=occurred_at)


def allocated(case_id: str, collector: str, client_id: str = "zhbank", *, team: str = "t1",
              at: datetime | None = None, reason: str = "allocation") -> dict[str, Any]:
    at = at or datetime.now(timezone.utc)
    return new_envelope(event_type="case.allocated", producer="allocation", client_id=client_id, case_id=case_id,
                        payload={"collector_id": collector, "team_id": team, "strategy": "manual", "reason": reason,
                                 "allocated_at": at.isoformat(), "first_contact_due": (at.date() + timedelta(days=3))
                                 .isoformat()}, occurred_at=at)


def paused(case_id: str, client_id: str = "zhbank", *, by: str = "lead-1", owner: str | None = None) -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    return new_envelope(event_type="case.paused", producer="allocation", client_id=client_id, case_id=case_id,
                        payload={"source": "staff", "paused_by": by, "reason": "client asked",
                                 "released_collector_id": owner, "paused_at": now.isoformat()})


def resumed(case_id: str, collector: str | None, client_id: str = "zhbank", *, team: str = "t1") -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    return new_envelope(event_type="case.resumed", producer="allocation", client_id=client_id, case_id=case_id,
                        payload={"source": "staff", "resumed_by": "lead-1", "reason": "client agreed",
                                 "collector_id": collector, "team_id": team, "resumed_at": now.isoformat()})


def payment(case_id: str, amount: str, *, client_id: str = "zhbank", paid_at: datetime | None = None,
            outstanding: str = "0.00", repaid_total: str | None = None, closes: bool = False,
            txn_ref: str | None = None) -> dict[str, Any]:
    paid_at = paid_at or datetime.now(timezone.utc)
    return new_envelope(event_type="payment.posted", producer="intake", client_id=client_id, case_id=case_id,
                        payload={"account_masked": "622202*************", "amount": amount,
                                 "paid_at": paid_at.isoformat(), "txn_ref": txn_ref or uuid.uuid4().hex,
                                 "channel": "bank", "repaid_total": repaid_total or amount,
                                 "outstanding": outstanding, "closes_case": closes})


def visit(case_id: str, *, client_id: str = "zhbank", met: bool = True, ptp: tuple[str, date] | None = None,
          at: datetime | None = None) -> dict[str, Any]:
    at = at or datetime.now(timezone.utc)
    payload: dict[str, Any] = {"visit_id": uuid.uuid4().hex, "agent_ids": ["fa-1", "fa-2"],
                               "visited_at": at.isoformat(), "address_verified": True,
                               "met": ["debtor"] if met else [], "outcome": "met" if met else "not_met",
                               "evidence": [{"ref": "s3://evidence/1.jpg", "sha256": "ab" * 32, "kind": "photo"}]}
    if ptp:
        payload["ptp"] = {"amount": ptp[0], "due_on": ptp[1].isoformat()}
    return new_envelope(event_type="visit.completed", producer="fieldops", client_id=client_id, case_id=case_id,
                        payload=payload, occurred_at=at)


def letter_dispatched(case_id: str, letter_id: str, *, client_id: str = "zhbank",
                      address_kind: str = "household_registration") -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    return new_envelope(event_type="letter.dispatched", producer="letters", client_id=client_id, case_id=case_id,
                        payload={"letter_id": letter_id, "letter_type": "notice", "template_id": "t", "template_version": 1,
                                 "address_kind": address_kind, "check_code": "X1", "dispatched_at": now.isoformat()})


def letter_returned(case_id: str, letter_id: str, *, client_id: str = "zhbank",
                    address: dict[str, Any] | None = None) -> dict[str, Any]:
    now = datetime.now(timezone.utc)
    payload: dict[str, Any] = {"letter_id": letter_id, "return_reason": "no_such_person", "returned_at": now.isoformat()}
    if address is not None:
        payload.update(address=address, address_invalidated=True)
    return new_envelope(event_type="letter.returned", producer="letters", client_id=client_id, case_id=case_id,
                        payload=payload)


def sms_sent(case_id: str, number: str, *, client_id: str = "zhbank", at: datetime | None = None,
             sms_id: str | None = None) -> dict[str, Any]:
    """sms.sent as the letters service publishes it (events.sms_sent): the masked mobile and its hash."""
    from recoup_shared.bus.events import SmsSent

    at = at or datetime.now(timezone.utc)
    p = phone_out(number)
    payload = SmsSent(sms_id=sms_id or f"sm-{uuid.uuid4().hex[:12]}", template_id="tpl-sms", template_version=1,
                      purpose="repayment_reminder", number_masked=p["number_masked"], number_hash=p["number_hash"],
                      sent_at=at, provider="recording", provider_status="OK", requested_by="clerk-1")
    return new_envelope(event_type="sms.sent", producer="letters", client_id=client_id, case_id=case_id,
                        payload=payload, occurred_at=at)


def visit_cancelled(case_id: str, visit_id: str, *, client_id: str = "zhbank", previous_state: str = "planned",
                    reason: str = "debtor paid at the branch", cancelled_by: str | None = "col-1",
                    at: datetime | None = None) -> dict[str, Any]:
    """visit.cancelled as fieldops publishes it (events.cancelled)."""
    from recoup_shared.bus.events import VisitCancelled

    at = at or datetime.now(timezone.utc)
    payload = VisitCancelled(visit_id=visit_id, collector_id="col-1", previous_state=previous_state, reason=reason,
                             cancelled_by=cancelled_by, cancelled_at=at)
    return new_envelope(event_type="visit.cancelled", producer="fieldops", client_id=client_id, case_id=case_id,
                        payload=payload, occurred_at=at, correlation_id=visit_id)


def updated_status(case_id: str, change: str, status: str, client_id: str = "zhbank") -> dict[str, Any]:
    """case.updated for a recall / close / reopen."""
    return updated(case_id, client_id, change=change, status=status)
