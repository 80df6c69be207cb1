"""Receiving a placement (R-1, R-2, R-4, R-6, R-7): the hot path of intake.

1. Idempotency (R-1): one placement per (client_id, placement_ref), keyed by the SHA-256 of the
   canonical request. A replay gets the stored answer; a different body under the same reference
   gets 409. A quick look before any work answers replays cheaply; the decisive check runs again
   under an advisory lock on (client_id, placement_ref) inside the insert transaction, and the
   unique constraint backs it up — two identical requests at once never insert twice.
2. Off the event loop: parse (uploads) and validate every row, give each valid case its ids and
   its account / ID-number blind-index hashes.
3. One transaction, a handful of round trips whatever the size: the open-account check of the
   re-placement rule and the joint-debt lookup (one query each for the whole batch), the placement
   and its rejected rows, then the cases in chunks — a worker thread encrypts and builds the rows
   and `case.received` events of chunk k+1 while chunk k is COPYed (cases, phones, addresses,
   outbox) — and the joint-debt links (COPY).

Re-placement (R-1): an account of this client that is still open in another placement is a row
error ("account already placed in placement X and still open"); once that case is recalled or
closed the account may be placed again (a new case; the old one keeps its history).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.errors import Conflict
from recoup_shared.logging import get_logger

from ..inputs import PlacementHeader
from ..records import (Identified, PlacementContext, PreparedChunk, Protector, identify,
                       joint_case_ids, joint_link_records, prepare_chunk)
from ..rules.validation import RowError, validate_cases
from ..store import placements as store
from .common import gc_paused, protector_of, settings_of

log = get_logger(__name__)


@dataclass
class LoadedRows:
    """The rows of a placement, ready for validation. For uploads `row_numbers[i]` is the file row
    of `raw_cases[i]` and `errors` the rows the file parser already rejected."""
    raw_cases: list[Any]
    row_numbers: list[int] | None = None
    errors: list[RowError] = field(default_factory=list)
    received: int | None = None          # rows received (defaults to len(raw_cases))
    field_of: Callable[[RowError], str] | None = None  # rewrite a field path (uploads: column names)
    source: str | None = None            # the file format found (uploads)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # file-level notes (uploads)


@dataclass
class PlacementSubmission:
    header: PlacementHeader
    body_sha256: str
    load: Callable[[], LoadedRows]       # CPU work, run in a worker thread after the replay check
    source: str = "json"                 # json | csv | xlsx
    template_name: str | None = None
    template_version: int | None = None


@dataclass
class PlacementAnswer:
    body: dict[str, Any]
    replayed: bool


async def _replay_or_conflict(conn, existing, body_sha256: str) -> PlacementAnswer:
    if existing["body_sha256"] != body_sha256:
        raise Conflict(
            f"placement_ref {existing['placement_ref']} was already received with a different body; "
            "a changed placement needs a new placement_ref",
            placement_id=str(existing["id"]), placement_ref=existing["placement_ref"])
    errors = await store.rejected_rows(conn, existing["id"])
    for e in errors:
        del e["ordinal"]
    body = dict(existing["response"])
    body["errors"] = errors
    return PlacementAnswer(body, replayed=True)


class _Laps:
    """Seconds per step of an import, logged with it (an operator's first question)."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._t = time.perf_counter()

    def __call__(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(self.laps.get(name, 0.0) + now - self._t, 3)
        self._t = now


def _index_of(loaded: LoadedRows) -> Callable[[int], int]:
    """Row label -> index into `cases` (the same for JSON; file row -> list index for uploads)."""
    if loaded.row_numbers is None:
        return lambda row: row
    positions = {r: i for i, r in enumerate(loaded.row_numbers)}
    return positions.__getitem__


def _validate(sub: PlacementSubmission, placed_on: date, today: date,
              protector: Protector) -> tuple[LoadedRows, list[RowError], list[Identified]]:
    """Load, validate, identify (worker thread)."""
    with gc_paused():
        loaded = sub.load()
        result = validate_cases(loaded.raw_cases, placed_on=placed_on, today=today,
                                row_numbers=loaded.row_numbers)
        errors = list(result.errors)
        items: list[Identified] = []
        # The blind index folds letter case ("ab12" = "AB12"), the rules' duplicate check does
        # not: two such rows would be one account twice — the second is rejected here.
        first_row: dict[str, int] = {}
        index_of = _index_of(loaded)
        for it in identify(result.valid, protector):
            first = first_row.setdefault(it.account_hash, it.row)
            if first == it.row:
                items.append(it)
            else:
                errors.append(RowError(it.row, f"cases[{index_of(it.row)}].account_ref",
                                       f"duplicate account_ref in this placement (first at row {first})"))
        return loaded, errors, items


def _prepare(items, joint, ctx, protector, occurred_at) -> PreparedChunk:
    with gc_paused():
        return prepare_chunk(items, joint, ctx, protector, occurred_at)


async def submit_placement(app: FastAPI, principal: Principal, sub: PlacementSubmission,
                           received_at: datetime) -> PlacementAnswer:
    settings = settings_of(app)
    pool = app.state.pool
    protector = protector_of(app)
    client_id = principal.client_id
    assert client_id, "client routes are bound to a client_id"
    h = sub.header
    lap = _Laps()

    async with pool.acquire() as conn:
        existing = await store.get_placement(conn, client_id, h.placement_ref)
        if existing is not None:
            return await _replay_or_conflict(conn, existing, sub.body_sha256)

    placement_id = str(uuid.uuid4())
    ctx = PlacementContext(client_id, placement_id, h.placement_ref, h.product, h.placed_on, h.recall_on)
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    loaded, row_errors, items = await asyncio.to_thread(_validate, sub, h.placed_on, today, protector)
    lap("validate")

    async with pool.acquire() as conn, conn.transaction():
        await store.lock_placement_ref(conn, client_id, h.placement_ref)
        existing = await store.get_placement(conn, client_id, h.placement_ref)
        if existing is not None:
            return await _replay_or_conflict(conn, existing, sub.body_sha256)
        await store.lock_client_cases(conn, client_id)

        # R-1 re-placement: still open in another placement -> row error.
        still_open = await store.open_accounts(conn, client_id, [it.account_hash for it in items])
        if still_open:
            index_of = _index_of(loaded)
            kept = []
            for it in items:
                ref = still_open.get(it.account_hash)
                if ref is None:
                    kept.append(it)
                else:
                    row_errors.append(RowError(it.row, f"cases[{index_of(it.row)}].account_ref",
                                               f"account already placed in placement {ref} and still open"))
            items = kept
        # the debtor's other open cases, any client, and the other new cases of the batch.
        stored = await store.open_cases_by_id_hash(conn, [it.id_hash for it in items])
        joint = joint_case_ids(items, stored, max_links=settings.max_joint_links)
        lap("checks")

        row_errors = list(loaded.errors) + row_errors
        row_errors.sort(key=lambda e: e.row)  # stable: a row's errors keep their order
        field_of = loaded.field_of
        error_dicts = [{"row": e.row, "field": field_of(e) if field_of else e.field, "reason": e.reason}
                       for e in row_errors]
        received = loaded.received if loaded.received is not None else len(loaded.raw_cases)
        rejected = len({e.row for e in row_errors})
        answer: dict[str, Any] = {"placement_id": placement_id, "placement_ref": h.placement_ref,
                                  "received": received, "accepted": len(items), "rejected": rejected}
        if loaded.warnings:
            answer["warnings"] = loaded.warnings
        source = loaded.source or sub.source
        del loaded
        await store.insert_placement(
            conn, placement_id=placement_id, client_id=client_id, placement_ref=h.placement_ref,
            product=h.product, placed_on=h.placed_on, recall_on=h.recall_on, source=source,
            template_name=sub.template_name, template_version=sub.template_version,
            body_sha256=sub.body_sha256, received=received, accepted=len(items),
            rejected=rejected, response=answer, received_by=principal.sub, received_at=received_at)
        await store.copy_rejected_rows(conn, placement_id, error_dicts)

        outbox_after = outbox_upto = None
        if items:
            outbox_after = await store.outbox_position(conn, after_write=False)
            await _store_in_chunks(conn, items, joint, ctx, protector, settings.prepare_chunk_size, lap)
            outbox_upto = await store.outbox_position(conn, after_write=True)
            id_hash_of = {it.case_id: it.id_hash for it in items}
            await store.copy_joint_links(conn, joint_link_records(joint, set(id_hash_of), id_hash_of))
            lap("joint_links")
        imported_at = await store.finish_placement(
            conn, placement_id, outbox_after=outbox_after, outbox_upto=outbox_upto,
            nothing_to_publish=not items)
    lap("commit")

    log.info("placement imported", placement_id=placement_id, placement_ref=h.placement_ref,
             client_id=client_id, source=source, received=received, accepted=len(items),
             rejected=rejected, joint_links=sum(len(v) for v in joint.values()), laps=lap.laps,
             seconds_from_arrival=round((imported_at - received_at).total_seconds(), 3))
    answer["errors"] = error_dicts
    return PlacementAnswer(answer, replayed=False)


async def _store_in_chunks(conn, items: list[Identified], joint: dict[str, list[str]],
                           ctx: PlacementContext, protector: Protector, chunk_size: int, lap: _Laps) -> None:
    """Pipeline: the worker thread prepares chunk k+1 (encryption, rows, events) while chunk k is
    COPYed — the database works on its own core meanwhile."""
    occurred_at = datetime.now(timezone.utc)
    chunks = [items[i:i + chunk_size] for i in range(0, len(items), chunk_size)]
    pending = asyncio.ensure_future(asyncio.to_thread(_prepare, chunks[0], joint, ctx, protector, occurred_at))
    try:
        for k in range(len(chunks)):
            prepared = await pending
            lap("prepare")
            if k + 1 < len(chunks):
                pending = asyncio.ensure_future(
                    asyncio.to_thread(_prepare, chunks[k + 1], joint, ctx, protector, occurred_at))
            await store.copy_cases(conn, prepared.cases, prepared.phones, prepared.addresses)
            lap("copy_cases")
            await write_outbox_records(conn, prepared.outbox)
            lap("copy_outbox")
            del prepared
    finally:
        if not pending.done():  # a COPY failed: let the worker finish before the rollback
            await asyncio.wait([pending])
        if not pending.cancelled():
            pending.exception()  # retrieved: a failure is reported by the COPY error already
