"""The CPU steps of an import (R-2, R-7, R-46), the same in a worker thread or a worker process:
give each valid case its ids and blind-index hashes, then seal its personal data and write its
stored row (store/case_rows.py) and its `case.received` event (events.py).

100,000 cases are ~0.5 M HMAC and 0.1 M cipher calls: this never runs on the event loop.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from recoup_shared.crypto import Protector, mask_card_number, mask_id_number
from recoup_shared.gcpause import gc_paused

from ...events import CaseReceivedRecords
from ...rules.model import CaseText, Identified, PlacementInfo, RowError, ValidCase
from ...rules.placements import one_per_account_hash
from ...rules.validation import region_of, validate_cases
from ...store.case_rows import CaseRows
from ...store.ids import new_uuids
from ...store.personal import placed_personal_data


@dataclass(slots=True)
class PreparedChunk:
    cases: bytes                 # COPY text data, store.case_rows.CASE_COLUMNS
    phones: bytes                # COPY text data, store.case_rows.PHONE_LOOKUP_COLUMNS
    outbox: list[tuple]          # (event_id, topic, key, serialised envelope) for write_outbox_records


def identify(valid: Sequence[ValidCase], protector: Protector) -> list[Identified]:
    """Time-ordered case and event ids, account (card) and ID-number blind-index hashes."""
    ids = new_uuids(2 * len(valid))
    card_hash, id_hash = protector.card_hash, protector.id_hash
    return [Identified(vc, ids[2 * k], ids[2 * k + 1], card_hash(vc.account_ref), id_hash(vc.id_number_18),
                       vc.row, k, vc.notes or None) for k, vc in enumerate(valid)]


def validate_and_identify(raw_cases: list, row_numbers: list[int] | None, index_of: Callable[[int], int],
                          placed_on: date, today: date, protector: Protector) -> tuple[list[RowError], list[Identified]]:
    """The rows judged (R-4), the valid ones identified, an account twice to the blind index
    rejected (R-1) — the in-process path's first step."""
    with gc_paused():
        result = validate_cases(raw_cases, placed_on=placed_on, today=today, row_numbers=row_numbers)
        errors = list(result.errors)
        items = one_per_account_hash(identify(result.valid, protector), errors, index_of)
        return errors, items


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def case_text(vc: ValidCase, product: str) -> CaseText:
    """The values a new case is stored and published with, written once (masks from the
    18-character ID number; the employer and region from the addresses when not given)."""
    addresses = vc.addresses
    return CaseText(
        vc.product or product, mask_card_number(vc.account_ref), mask_id_number(vc.id_number_18),  # type: ignore[arg-type]
        vc.employer or next((a.employer for a in addresses if a.employer), None), region_of(addresses),
        str(vc.principal), str(vc.interest), str(vc.fees), str(vc.placed_amount),
        _iso(vc.birth_date), _iso(vc.overdue_since), _iso(vc.last_payment_on),
        str(vc.last_payment_amount) if vc.last_payment_amount is not None else None,
        str(vc.credit_limit) if vc.credit_limit is not None else None)


def prepare_chunk(items: Sequence[Identified], joint: dict[str, list[str]], info: PlacementInfo,
                  protector: Protector, occurred_at: datetime) -> PreparedChunk:
    """Each case's sealed personal data, its stored row and phone-lookup rows (COPY text) and its
    `case.received` event, with the joint-debt list known now (R-7)."""
    seal, phone_hash = protector.seal, protector.phone_hash
    rows = CaseRows(info)
    events = CaseReceivedRecords(info, occurred_at)
    nonces = os.urandom(12 * len(items))
    for k, it in enumerate(items):
        vc = it.valid_case  # here: in a worker thread, or the worker process keeping it
        text = case_text(vc, info.product)
        phone_hashes = [phone_hash(p.number) for p in vc.phones]  # invalid ones too: skip tracing matches them
        personal_enc = seal(it.case_id, placed_personal_data(vc), nonces[12 * k:12 * k + 12])
        rows.add(it, text, personal_enc, phone_hashes)
        events.add(it, text, phone_hashes, joint.get(it.case_id))
    return PreparedChunk(rows.cases(), rows.phones(), events.records)
