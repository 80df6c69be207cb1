"""From validated cases to what is stored and what is published (R-2, R-7, R-46). CPU only.

Personal identifiers are encrypted (AES-GCM, the case id as associated data so a ciphertext cannot
be moved to another row), hashed with the blind index for exact-match lookups, and masked for
display. Events carry masked ID and card numbers plus their hashes — never the full values — and
the phones and addresses in full, because contact, letters and fieldops must use them.

This runs off the event loop (asyncio.to_thread): 100,000 cases are ~0.5 M cipher/HMAC calls.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from recoup_shared.bus.envelope import dumps, new_envelope
from recoup_shared.bus.topics import CASE_RECEIVED
from recoup_shared.crypto import BlindIndex, FieldCipher, mask_card_number, mask_id_number

from .rules.identity import PhoneError, parse_id_number, parse_phone
from .rules.validation import ValidAddress, ValidCase, ValidPhone, normalise_account_ref

# Blind-index kinds (domain separation): the same digits hash differently as a card and an ID.
HASH_CARD, HASH_ID, HASH_PHONE = "card", "id", "phone"

CASE_COLUMNS = (
    "id", "client_id", "placement_id", "row_index", "product", "account_ref_enc", "account_hash",
    "account_masked", "debtor_name", "id_number_enc", "id_hash", "id_masked", "gender",
    "birth_date", "currency", "principal", "interest", "fees", "placed_amount", "dpd", "dpd_bucket",
    "overdue_since", "last_payment_on", "last_payment_amount", "credit_limit", "employer", "region",
    "flags", "remarks", "warnings", "received_event_id",
)
PHONE_COLUMNS = ("case_id", "seq", "number_enc", "number_hash", "number_masked", "extension", "kind",
                 "owner", "name", "relationship", "knows_debt", "source")
ADDRESS_COLUMNS = ("case_id", "seq", "kind", "province", "city", "district", "line_enc",
                   "line_masked", "employer", "source")

_DIGIT = re.compile(r"\d")


def new_uuids(n: int) -> list[str]:
    """n new ids as strings, time-ordered (UUID version 7 layout: 48-bit Unix milliseconds, then
    a counter within this batch, then random bits). Ordered ids keep the primary-key and event_id
    indexes append-only when 100,000 rows arrive at once; ~4x faster than uuid.uuid4() in a loop."""
    ms = time.time_ns() // 1_000_000
    head = ms << 80 | 7 << 76 | 0b10 << 62
    raw = os.urandom(6 * n)
    from_bytes = int.from_bytes
    out = []
    for i in range(n):
        # 30-bit counter: 12 bits in rand_a, 18 bits at the top of rand_b (after the variant)
        value = head | (i >> 18 & 0xFFF) << 64 | (i & 0x3FFFF) << 44 | from_bytes(raw[6 * i:6 * i + 6]) >> 4
        h = f"{value:032x}"
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


def mask_address_line(line: str | None) -> str | None:
    """Street kept, house/unit/room numbers hidden: 花园路 88 号 3 单元 502 -> 花园路 ** 号 * 单元 ***."""
    return _DIGIT.sub("*", line) if line else line


def aad(case_id: str) -> bytes:
    return case_id.encode()


class Protector:
    """Encrypt, hash and mask personal identifiers with the service's keys."""

    def __init__(self, cipher: FieldCipher, blind_index: BlindIndex) -> None:
        self.cipher, self.blind_index = cipher, blind_index

    def encrypt(self, case_id: str, value: str | None) -> bytes | None:
        return self.cipher.encrypt(value, aad=aad(case_id))

    def decrypt(self, case_id: str, blob: bytes | None) -> str | None:
        return self.cipher.decrypt(blob, aad=aad(case_id))

    def card_hash(self, account_ref: str) -> str:
        return self.blind_index(HASH_CARD, normalise_account_ref(account_ref))  # type: ignore[return-value]

    def id_hash(self, id_number_18: str) -> str:
        return self.blind_index(HASH_ID, id_number_18)  # type: ignore[return-value]

    def phone_hash(self, canonical_number: str) -> str:
        return self.blind_index(HASH_PHONE, canonical_number)  # type: ignore[return-value]

    # Lookups: the searched value is normalised as on import, then hashed.
    def lookup_id_hash(self, value: str) -> str | None:
        try:
            return self.id_hash(parse_id_number(value).id18)
        except ValueError:
            return None

    def lookup_phone_hash(self, value: str) -> str | None:
        try:
            return self.phone_hash(parse_phone(value).number)
        except PhoneError:
            digits = re.sub(r"\D", "", value)
            return self.phone_hash(digits) if digits else None

    def phone_record(self, case_id: str, seq: int, p: ValidPhone, source: str) -> tuple:
        return (case_id, seq, self.encrypt(case_id, p.number), self.phone_hash(p.number),
                mask_canonical_phone(p.number), p.extension, p.kind, p.owner, p.name, p.relationship,
                p.knows_debt, source)

    def address_record(self, case_id: str, seq: int, a: ValidAddress, source: str) -> tuple:
        return (case_id, seq, a.kind, a.province, a.city, a.district, self.encrypt(case_id, a.line),
                mask_address_line(a.line), a.employer, source)


def mask_canonical_phone(number: str) -> str:
    """recoup_shared.crypto.mask_phone for a number already in canonical digits-only form (what
    the rules give), without its regex: 13800138000 -> 138****8000 (tested equal)."""
    return number[:3] + "****" + number[-4:] if len(number) >= 8 else "*" * len(number)


def phone_out(p: ValidPhone, number_hash: str, masked: str | None = None) -> dict[str, Any]:
    """A PhoneOut payload (recoup_shared.bus.events) — the number in full, as contracts.md allows."""
    out: dict[str, Any] = {"number": p.number, "number_masked": masked or mask_canonical_phone(p.number),
                           "number_hash": number_hash, "kind": p.kind, "owner": p.owner}
    if p.extension:
        out["extension"] = p.extension
    if p.name is not None:
        out["name"] = p.name
    if p.relationship is not None:
        out["relationship"] = p.relationship
    if p.knows_debt is not None:
        out["knows_debt"] = p.knows_debt
    return out


def address_out(a: ValidAddress) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": a.kind, "line": a.line, "verified": False}
    for key in ("province", "city", "district", "employer"):
        v = getattr(a, key)
        if v is not None:
            out[key] = v
    return out


def region_of(addresses: Sequence[ValidAddress]) -> str | None:
    """Province/city of the household-registration address (else the first with a province)."""
    chosen = next((a for a in addresses if a.kind == "household_registration" and a.province), None)
    chosen = chosen or next((a for a in addresses if a.province), None)
    if chosen is None:
        return None
    if chosen.city and chosen.city != chosen.province:
        return f"{chosen.province}/{chosen.city}"
    return chosen.province


@dataclass(frozen=True)
class PlacementContext:
    client_id: str
    placement_id: str
    placement_ref: str
    product: str
    placed_on: date
    recall_on: date


@dataclass(slots=True)
class Identified:
    """A valid case with its ids and lookup hashes — what the checks before storing need."""
    case: ValidCase
    case_id: str
    event_id: str
    account_hash: str
    id_hash: str

    @property
    def row(self) -> int:
        return self.case.row


def identify(valid: Sequence[ValidCase], protector: Protector) -> list[Identified]:
    """Time-ordered case and event ids, account (card) and ID-number blind-index hashes."""
    ids = new_uuids(2 * len(valid))
    card_hash, id_hash = protector.card_hash, protector.id_hash
    return [Identified(vc, ids[2 * k], ids[2 * k + 1], card_hash(vc.account_ref), id_hash(vc.id_number_18))
            for k, vc in enumerate(valid)]


def joint_case_ids(items: Sequence[Identified], existing: dict[str, list[str]], *,
                   max_links: int = 50) -> dict[str, list[str]]:
    """R-7: per new case, the other open cases of the same debtor — already stored (`existing`:
    id_hash -> case ids, any client) and other new cases of this placement. At most `max_links`
    per case (a real debtor has a handful of accounts; a batch of one ID number on every row must
    not become a quadratic list)."""
    by_hash: dict[str, list[str]] = {}
    for it in items:
        by_hash.setdefault(it.id_hash, []).append(it.case_id)
    out: dict[str, list[str]] = {}
    for it in items:
        group = by_hash[it.id_hash]
        if len(group) == 1 and it.id_hash not in existing:
            continue
        candidates = existing.get(it.id_hash, [])[:max_links + 1] + group[:max_links + 1]
        others = [c for c in candidates if c != it.case_id][:max_links]
        if others:
            out[it.case_id] = others
    return out


def joint_link_records(joint: dict[str, list[str]], new_case_ids: set[str],
                       id_hash_of: dict[str, str]) -> list[tuple[str, str, str]]:
    """Rows of joint_debt_links, both directions: new -> other, and stored -> new (a pair of two
    new cases appears once from each side already)."""
    rows = []
    for case_id, others in joint.items():
        h = id_hash_of[case_id]
        for other in others:
            rows.append((case_id, other, h))
            if other not in new_case_ids:
                rows.append((other, case_id, h))
    return rows


@dataclass(slots=True)
class PreparedChunk:
    cases: list[tuple]
    phones: list[tuple]
    addresses: list[tuple]
    outbox: list[tuple]          # (event_id, topic, key, serialised envelope) for write_outbox_records


def prepare_chunk(items: Sequence[Identified], joint: dict[str, list[str]], ctx: PlacementContext,
                  protector: Protector, occurred_at: datetime) -> PreparedChunk:
    """The stored rows and the `case.received` event of each case (CPU: a worker thread)."""
    enc, phone_hash = protector.encrypt, protector.phone_hash
    placement_common = {"placement_id": ctx.placement_id, "placement_ref": ctx.placement_ref,
                        "placed_on": ctx.placed_on, "recall_on": ctx.recall_on}
    out = PreparedChunk([], [], [], [])
    for it in items:
        vc, case_id, account_hash, id_hash = it.case, it.case_id, it.account_hash, it.id_hash
        account_masked = mask_card_number(vc.account_ref)
        id_masked = mask_id_number(vc.id_number_18)
        product = vc.product or ctx.product
        employer = vc.employer or next((a.employer for a in vc.addresses if a.employer), None)
        region = region_of(vc.addresses)
        out.cases.append((
            case_id, ctx.client_id, ctx.placement_id, vc.row, product, enc(case_id, vc.account_ref),
            account_hash, account_masked, vc.debtor_name, enc(case_id, vc.id_number), id_hash,
            id_masked, vc.gender, vc.birth_date, vc.currency, vc.principal, vc.interest, vc.fees,
            vc.placed_amount, vc.dpd, vc.dpd_bucket, vc.overdue_since, vc.last_payment_on,
            vc.last_payment_amount, vc.credit_limit, employer, region, vc.flags, vc.remarks,
            vc.warnings, it.event_id,
        ))
        phones_out = []
        for seq, p in enumerate(vc.phones):
            h = phone_hash(p.number)
            masked = mask_canonical_phone(p.number)
            out.phones.append((case_id, seq, enc(case_id, p.number), h, masked, p.extension,
                               p.kind, p.owner, p.name, p.relationship, p.knows_debt, "placement"))
            phones_out.append(phone_out(p, h, masked))
        for seq, a in enumerate(vc.addresses):
            out.addresses.append(protector.address_record(case_id, seq, a, "placement"))
        # Amounts as decimal strings: exact, and orjson needs no Python callback per Decimal.
        payload: dict[str, Any] = {
            **placement_common, "product": product,
            "account_masked": account_masked, "account_hash": account_hash,
            "debtor": {"name": vc.debtor_name, "id_number_masked": id_masked, "id_hash": id_hash,
                       "gender": vc.gender, "birth_date": vc.birth_date},
            "currency": vc.currency, "principal": str(vc.principal), "interest": str(vc.interest),
            "fees": str(vc.fees), "placed_amount": str(vc.placed_amount), "dpd": vc.dpd,
            "dpd_bucket": vc.dpd_bucket, "overdue_since": vc.overdue_since,
            "phones": phones_out, "addresses": [address_out(a) for a in vc.addresses],
            "flags": vc.flags, "status": "open",
        }
        if vc.last_payment_on is not None and vc.last_payment_amount is not None:
            payload["last_payment"] = {"on": vc.last_payment_on, "amount": str(vc.last_payment_amount)}
        if vc.credit_limit is not None:
            payload["credit_limit"] = str(vc.credit_limit)
        if employer is not None:
            payload["employer"] = employer
        if region is not None:
            payload["region"] = region
        if vc.remarks is not None:
            payload["remarks"] = vc.remarks
        others = joint.get(case_id)
        if others:
            payload["joint_case_ids"] = others
        envelope = new_envelope(event_type=CASE_RECEIVED, producer="intake", client_id=ctx.client_id,
                                case_id=case_id, payload=payload, correlation_id=ctx.placement_id,
                                occurred_at=occurred_at, event_id=it.event_id)  # type: ignore[arg-type]
        out.outbox.append((it.event_id, CASE_RECEIVED, case_id, dumps(envelope)))
    return out
