"""What the worker processes do with a part of a big placement (adapters/workers.py), in two
rounds, each part staying in the worker that checked it:

1. `check_part`: a piece of the JSON body's `cases` text (adapters.json_body.split_placement_body;
   the service never decodes it) or decoded rows (uploads: marshal, or pickle for other types) are
   decoded and judged row by row (rules.validation.check_rows), and the valid rows identified
   (time-ordered ids counted by part and position, account / ID-number blind-index hashes). The
   worker keeps the cases and answers with what the rules across rows and the database checks
   need — each row's account key, its errors, the valid rows' ids and hashes — and, for a JSON
   piece, its canonical JSON for the request hash (R-1).
2. `prepare_part`, once the service has applied the rules across rows (duplicates), the
   re-placement check and the joint-debt lookup: the worker seals, builds the COPY rows and the
   `case.received` events of the part minus the rejected rows (prepare.prepare_chunk) — while the
   service COPYs the parts before (streamed.py).
"""

from __future__ import annotations

import marshal
import pickle
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ...adapters.json_body import canonical_rows, decode_segment
from ...adapters.workers import keep, take, worker_protector
from ...rules.model import DEFAULT_LIMITS, Identified, PlacementInfo, ValidationLimits
from ...rules.validation import check_rows
from ...store.ids import new_uuids
from .prepare import prepare_chunk

MAX_PARTS = 1 << 9          # ids count (part, row in part) in 9 + 20 of the 30 counter bits
MAX_PART_ROWS = 1 << 20


class SegmentError(ValueError):
    """A piece of a split JSON body is not a run of whole JSON values (the service then decodes
    the body whole)."""


@dataclass(slots=True)
class CheckedPart:
    keys: list[str | None]                             # per row: account key (duplicate rule)
    errors: dict[int, list[tuple[str, str]] | None]    # rejected rows (index in the part): errors
    valid: list[tuple[int, str, str, str, str, list | None]] = field(default_factory=list)
    # ^ (index in the part, case_id, event_id, account_hash, id_hash, R-4 warnings) of the rows
    #   valid on their own
    canonical: bytes | None = None                     # JSON pieces: their canonical JSON (R-1 hash)
    cpu: float = 0.0                                   # seconds of the worker's CPU


@dataclass(slots=True)
class PreparedPart:
    cases: bytes                 # COPY text data (store.case_rows)
    phones: bytes                # COPY text data
    outbox: list[tuple]          # outbox records
    cpu: float = 0.0


def pack_rows(rows: list[Any]) -> tuple[bytes, str]:
    """Raw JSON rows for a worker: marshal (fast) unless they hold other types (Decimals)."""
    try:
        return marshal.dumps(rows), "marshal"
    except ValueError:
        return pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), "pickle"


def _rows_of(payload: bytes, codec: str) -> tuple[list[Any], bytes | None]:
    """(rows, canonical JSON of a JSON piece)."""
    if codec != "json":
        return (marshal.loads(payload) if codec == "marshal" else pickle.loads(payload)), None
    try:
        rows = decode_segment(payload)
    except (ValueError, RecursionError) as exc:
        raise SegmentError(str(exc)[:200]) from None
    return rows, canonical_rows(rows)


def check_part(job: str, part: int, payload: bytes, codec: str, placed_on: date, today: date, ms: int,
               limits: ValidationLimits = DEFAULT_LIMITS) -> CheckedPart:
    """Rows of part `part`: "json" (a piece of the body's `cases` text), "marshal" or "pickle"
    (decoded rows, pack_rows). Indexes in the answer are positions in the part: where the part
    starts in the placement is known in the service only once the parts before are decoded."""
    protector = worker_protector()
    cpu = time.process_time()
    rows, canonical = _rows_of(payload, codec)
    del payload
    if part >= MAX_PARTS or len(rows) >= MAX_PART_ROWS:
        raise SegmentError("too many parts or rows in a part")
    checks = check_rows(rows, placed_on=placed_on, today=today, limits=limits)
    del rows
    ids = new_uuids(2 * len(checks), start=2 * part * MAX_PART_ROWS, ms=ms)
    card_hash, id_hash = protector.card_hash, protector.id_hash
    out = CheckedPart([], {}, canonical=canonical)
    kept: list[Identified] = []
    for j, (vc, errs, key) in enumerate(checks):
        out.keys.append(key)
        if vc is None:
            out.errors[j] = errs
            continue
        notes = vc.notes or None
        it = Identified(vc, ids[2 * j], ids[2 * j + 1], card_hash(vc.account_ref), id_hash(vc.id_number_18), j, j,
                        notes)
        kept.append(it)
        out.valid.append((j, it.case_id, it.event_id, it.account_hash, it.id_hash, notes))
    keep(job, part, kept)
    out.cpu = time.process_time() - cpu
    return out


def prepare_part(job: str, part: int, start: int, labels: Sequence[int] | None, rejected: frozenset[int],
                 joint: dict[str, list[str]], info: PlacementInfo, occurred_at: datetime) -> PreparedPart:
    """The part's cases minus `rejected` (positions in the part): COPY data for cases and
    phone_lookup, and the outbox records of their case.received events. The part's first row is
    row `start` of the placement; `labels`: the rows' labels (file row numbers), else the index."""
    cpu = time.process_time()
    items = [it for it in take(job, part) if it.index not in rejected]
    for it in items:
        it.case.row = it.row = labels[it.index] if labels is not None else start + it.index  # type: ignore[union-attr]
    prepared = prepare_chunk(items, joint, info, worker_protector(), occurred_at)
    del items
    return PreparedPart(prepared.cases, prepared.phones, prepared.outbox, time.process_time() - cpu)
