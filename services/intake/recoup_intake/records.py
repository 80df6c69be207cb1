"""From validated cases to what is stored and what is published (R-2, R-7, R-46). CPU only.

Personal data at rest: everything identifying about a case — account (card) number, ID number,
phones (with their contact persons) and addresses — is ONE AES-GCM blob per case (`personal_enc`,
the case id as associated data so a ciphertext cannot be moved to another row): one cipher call
and one row per case instead of one per identifier. What lookups and lists need stays in columns
or narrow tables: blind-index hashes (account and ID number on the case; each phone in
`phone_lookup`, R-25) and masked account / ID numbers. Events carry masked ID and card numbers
plus their hashes — never the full values — and the phones and addresses in full, because
contact, letters and fieldops must use them.

This runs off the event loop (a worker thread, or worker processes — parallel.py): 100,000 cases
are ~0.5 M HMAC and 0.1 M cipher calls, and their rows are written as COPY text here too.
"""

from __future__ import annotations

import binascii
import os
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import orjson

from recoup_shared.bus.topics import CASE_RECEIVED
from recoup_shared.crypto import Protector, mask_card_number, mask_id_number, mask_phone

from .rules.validation import ValidAddress, ValidCase, ValidPhone


CASE_COLUMNS = (
    "id", "client_id", "placement_id", "row_index", "product", "personal_enc", "account_hash",
    "account_masked", "debtor_name", "id_hash", "id_masked", "gender", "birth_date", "currency",
    "principal", "interest", "fees", "placed_amount", "dpd", "dpd_bucket", "overdue_since",
    "last_payment_on", "last_payment_amount", "credit_limit", "employer", "region", "flags",
    "remarks", "warnings", "received_event_id",
)
PHONE_LOOKUP_COLUMNS = ("number_hash", "case_id")



def new_uuids(n: int, *, start: int = 0, ms: int | None = None) -> list[str]:
    """n new ids as strings, time-ordered (UUID version 7 layout: 48-bit Unix milliseconds, then
    a counter within this batch, then random bits). Ordered ids keep the primary-key and event_id
    indexes append-only when 100,000 rows arrive at once; ~4x faster than uuid.uuid4() in a loop.
    Parts of one batch made apart (worker processes) share `ms` and continue the counter (`start`)."""
    if ms is None:
        ms = time.time_ns() // 1_000_000
    head = ms << 80 | 7 << 76 | 0b10 << 62
    raw = os.urandom(6 * n)
    from_bytes = int.from_bytes
    out = []
    for k in range(n):
        i = start + k
        # 30-bit counter: 12 bits in rand_a, 18 bits at the top of rand_b (after the variant)
        value = head | (i >> 18 & 0xFFF) << 64 | (i & 0x3FFFF) << 44 | from_bytes(raw[6 * k:6 * k + 6]) >> 4
        h = f"{value:032x}"
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out


def aad(case_id: str) -> bytes:
    return case_id.encode()


def phone_out(p: ValidPhone, number_hash: str, masked: str | None = None) -> dict[str, Any]:
    """A PhoneOut payload (recoup_shared.bus.events) — the number in full, as contracts.md allows."""
    out: dict[str, Any] = {"number": p.number, "number_masked": masked or mask_phone(p.number),
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
    """A valid case with its ids and lookup hashes — what the checks before storing need.
    `case` is None where the case itself stays in a worker process (parallel.py); `index` is the
    case's position in the placement's rows."""
    case: ValidCase | None
    case_id: str
    event_id: str
    account_hash: str
    id_hash: str
    row: int
    index: int = 0


def identify(valid: Sequence[ValidCase], protector: Protector) -> list[Identified]:
    """Time-ordered case and event ids, account (card) and ID-number blind-index hashes."""
    ids = new_uuids(2 * len(valid))
    card_hash, id_hash = protector.card_hash, protector.id_hash
    return [Identified(vc, ids[2 * k], ids[2 * k + 1], card_hash(vc.account_ref), id_hash(vc.id_number_18),
                       vc.row, k) for k, vc in enumerate(valid)]


def joint_case_ids(items: Sequence[Identified], existing: dict[str, list[str]], *,
                   max_links: int = 50, batch: dict[str, list[str]] | None = None) -> dict[str, list[str]]:
    """R-7: per new case, the other open cases of the same debtor — already stored (`existing`:
    id_hash -> case ids, any client) and other new cases of this placement (`batch`: id_hash ->
    case ids in row order; by default those of `items`). At most `max_links` per case (a real
    debtor has a handful of accounts; a batch of one ID number on every row must not become a
    quadratic list)."""
    by_hash = batch
    if by_hash is None:
        by_hash = {}
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


# --- the personal-data blob --------------------------------------------------------------------
# Phones and addresses are positional lists (trailing nulls left out): the blob is hex-encoded in
# the COPY stream and parsed by the server, so its size is time.
PHONE_KEPT = ("number", "kind", "owner", "extension", "name", "relationship", "knows_debt", "source",
              "added_at")
ADDRESS_KEPT = ("kind", "line", "province", "city", "district", "employer", "source", "added_at")


def _trimmed(values: list) -> list:
    while values and values[-1] is None:
        values.pop()
    return values


def phone_kept(p: ValidPhone, source: str | None = None, added_at: str | None = None) -> list:
    """A phone as the blob keeps it (placement phones carry no source/added_at: the case's)."""
    if source is None and p.name is None and p.relationship is None and p.knows_debt is None and not p.extension:
        return [p.number, p.kind, p.owner]
    return _trimmed([p.number, p.kind, p.owner, p.extension or None, p.name, p.relationship, p.knows_debt,
                     source, added_at])


def address_kept(a: ValidAddress, source: str | None = None, added_at: str | None = None) -> list:
    return _trimmed([a.kind, a.line, a.province, a.city, a.district, a.employer, source, added_at])


def unpack_phone(kept: list) -> dict[str, Any]:
    return dict(zip(PHONE_KEPT, kept))


def unpack_address(kept: list) -> dict[str, Any]:
    return dict(zip(ADDRESS_KEPT, kept))


@dataclass(slots=True)
class PreparedChunk:
    cases: bytes                 # COPY text data, CASE_COLUMNS (parse_copy_rows reads it back)
    phones: bytes                # COPY text data, PHONE_LOOKUP_COLUMNS
    outbox: list[tuple]          # (event_id, topic, key, serialised envelope) for write_outbox_records


# --- COPY text format ---------------------------------------------------------------------------
# Rows are written here as COPY text (asyncpg's binary COPY spends ~12 µs of the caller's time per
# case row in its numeric and text[] encoders), with the strings the event uses as well.

_NULL = "\\N"
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]")
_UNESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


def copy_text(value: str | None) -> str:
    """A text value for COPY ... (FORMAT text)."""
    if value is None:
        return _NULL
    return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE.search(value) else value


def parse_copy_rows(data: bytes, columns: Sequence[str]) -> list[dict[str, str | None]]:
    """COPY text data back into {column: text or None} (tests and tools; bytea stays `\\x..`)."""
    rows = []
    for line in data.decode().split("\n")[:-1]:
        fields = line.split("\t")
        assert len(fields) == len(columns), (len(fields), len(columns))
        rows.append({c: None if f == _NULL else _UNESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(1)), f)
                     for c, f in zip(columns, fields)})
    return rows


def prepare_chunk(items: Sequence[Identified], joint: dict[str, list[str]], ctx: PlacementContext,
                  protector: Protector, occurred_at: datetime) -> PreparedChunk:
    """The stored row (COPY text), the phone-lookup rows and the `case.received` event of each case.

    The envelope is recoup_shared.bus.envelope.new_envelope's dict, built here directly with the
    constant parts computed once (tested equal). Amounts and dates are written once as strings,
    for the row and the event alike: decimal strings are exact, and orjson needs no callback."""
    seal, phone_hash, dumps, hexlify, t = protector.seal, protector.phone_hash, orjson.dumps, binascii.hexlify, copy_text
    client_id, placement_id = ctx.client_id, ctx.placement_id
    placement_common = {"placement_id": placement_id, "placement_ref": ctx.placement_ref,
                        "placed_on": ctx.placed_on.isoformat(), "recall_on": ctx.recall_on.isoformat()}
    occurred = occurred_at.isoformat()
    row_head = f"\t{t(client_id)}\t{placement_id}\t"
    null = _NULL
    nonces = os.urandom(12 * len(items))
    cases: list[bytes] = []
    phones: list[str] = []
    outbox: list[tuple] = []
    for k, it in enumerate(items):
        vc, case_id, account_hash, id_hash = it.case, it.case_id, it.account_hash, it.id_hash
        account_masked = mask_card_number(vc.account_ref)
        id_masked = mask_id_number(vc.id_number_18)
        product = vc.product or ctx.product
        addresses = vc.addresses
        employer = vc.employer or next((a.employer for a in addresses if a.employer), None)
        region = region_of(addresses)
        principal, interest, fees, placed = str(vc.principal), str(vc.interest), str(vc.fees), str(vc.placed_amount)
        birth_date = vc.birth_date.isoformat() if vc.birth_date is not None else None
        overdue_since = vc.overdue_since.isoformat() if vc.overdue_since is not None else None
        last_on = vc.last_payment_on.isoformat() if vc.last_payment_on is not None else None
        last_amount = str(vc.last_payment_amount) if vc.last_payment_amount is not None else None
        credit_limit = str(vc.credit_limit) if vc.credit_limit is not None else None
        phones_out = []
        for p in vc.phones:
            h = phone_hash(p.number)
            phones.append(f"{h}\t{case_id}\n")
            phones_out.append(phone_out(p, h))
        personal_enc = seal(case_id, {"account_ref": vc.account_ref, "id_number": vc.id_number,
                                      "phones": [phone_kept(p) for p in vc.phones],
                                      "addresses": [address_kept(a) for a in addresses]},
                            nonces[12 * k:12 * k + 12])
        # hashes are hex, masked identifiers [0-9A-Za-z_./*] (validated), currency, DPD bucket,
        # flags and warnings are vocabularies: only free text is escaped.
        cases += (
            f"{case_id}{row_head}{vc.row}\t{t(product)}\t\\\\x".encode(), hexlify(personal_enc),
            (f"\t{account_hash}\t{account_masked}\t{t(vc.debtor_name)}\t{id_hash}\t{id_masked}\t"
             f"{t(vc.gender)}\t{birth_date or null}\t{vc.currency}\t{principal}\t{interest}\t{fees}\t"
             f"{placed}\t{vc.dpd}\t{vc.dpd_bucket}\t{overdue_since or null}\t{last_on or null}\t"
             f"{last_amount or null}\t{credit_limit or null}\t{t(employer)}\t{t(region)}\t"
             f"{{{','.join(vc.flags)}}}\t{t(vc.remarks)}\t{{{','.join(vc.warnings)}}}\t{it.event_id}\n").encode())
        payload: dict[str, Any] = {
            **placement_common, "product": product,
            "account_masked": account_masked, "account_hash": account_hash,
            "debtor": {"name": vc.debtor_name, "id_number_masked": id_masked, "id_hash": id_hash,
                       "gender": vc.gender, "birth_date": birth_date},
            "currency": vc.currency, "principal": principal, "interest": interest,
            "fees": fees, "placed_amount": placed, "dpd": vc.dpd,
            "dpd_bucket": vc.dpd_bucket, "overdue_since": overdue_since,
            "phones": phones_out, "addresses": [address_out(a) for a in addresses],
            "flags": vc.flags, "status": "open",
        }
        if last_on is not None and last_amount is not None:
            payload["last_payment"] = {"on": last_on, "amount": last_amount}
        if credit_limit is not None:
            payload["credit_limit"] = credit_limit
        if employer is not None:
            payload["employer"] = employer
        if region is not None:
            payload["region"] = region
        if vc.remarks is not None:
            payload["remarks"] = vc.remarks
        others = joint.get(case_id)
        if others:
            payload["joint_case_ids"] = others
        envelope = {"event_id": it.event_id, "event_type": CASE_RECEIVED, "event_version": 1,
                    "occurred_at": occurred, "producer": "intake", "correlation_id": placement_id,
                    "client_id": client_id, "case_id": case_id, "payload": payload}
        outbox.append((it.event_id, CASE_RECEIVED, case_id, dumps(envelope)))
    return PreparedChunk(b"".join(cases), "".join(phones).encode(), outbox)
