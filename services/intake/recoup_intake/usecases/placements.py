"""Receiving a placement (R-1, R-2, R-4, R-6, R-7): the hot path of intake.

1. Idempotency (R-1): one placement per (client_id, placement_ref), keyed by the SHA-256 of the
   canonical request. A replay gets the stored answer; a different body under the same reference
   gets 409. A quick look before any work answers replays cheaply; the decisive check runs again
   under an advisory lock on (client_id, placement_ref) inside the insert transaction, and the
   unique constraint backs it up — two identical requests at once never insert twice.
2. Off the event loop (a worker thread): parse (uploads) and validate every row, give each valid
   case its ids and its account / ID-number blind-index hashes.
3. One transaction, a handful of round trips whatever the size: the open-account check of the
   re-placement rule and the joint-debt lookup (one query each for the whole batch), the placement
   and its rejected rows, then the cases in chunks — the worker thread encrypts and builds the
   rows and `case.received` events of chunk k+1 while chunk k is COPYed (cases, phone lookup,
   outbox) — and the joint-debt links (COPY).

Big placements (`parallel_min_cases`) go through worker processes instead (parallel.py), as a
stream of chunks inside the one transaction: while the database COPYs chunk k, the workers
validate and prepare the next ones, and the service applies the rules across rows (duplicates,
in row order), the re-placement check and the joint-debt lookup chunk by chunk. A debtor's cases
in a later chunk are added to the joint-debt lists of the earlier events at the end (their outbox
rows rewritten, same transaction) — the result is the same as the two steps above.

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
import orjson

from recoup_shared.bus.outbox import (outbox_last, outbox_mark, pending_values, rewrite_pending,
                                   write_outbox_records)
from recoup_shared.errors import Conflict
from recoup_shared.logging import get_logger

from ..inputs import CanonicalCasesHash, PlacementHeader, SplitBody
from ..parallel import (MAX_PARTS, CheckedPart, PlacementWorkers, SegmentError, check_part, pack_rows,
                        prepare_part)
from recoup_shared.crypto import Protector
from ..records import Identified, PlacementContext, identify, joint_case_ids, joint_link_records
                       prepare_chunk)
from ..rules.validation import RowCollector, RowError, validate_cases
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
    body_sha256: str | None              # None for a split body until its pieces are decoded
    load: Callable[[], LoadedRows] | None  # CPU work, run in a worker thread after the replay check
    source: str = "json"                 # json | csv | xlsx
    template_name: str | None = None
    template_version: int | None = None
    # A big JSON body cut into pieces (inputs.split_placement_body) for the worker processes, and
    # how to decode it whole instead: () -> (body_sha256, load) — for a replay, or when a piece
    # turns out not to be whole cases.
    split: SplitBody | None = None
    decode_whole: Callable[[], tuple[str, Callable[[], LoadedRows]]] | None = None

    def ensure_whole(self) -> None:
        """Decode a split body whole (CPU: a worker thread); sets body_sha256 and load."""
        if self.load is None:
            assert self.decode_whole is not None
            self.body_sha256, self.load = self.decode_whole()
        self.split = None


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


def _load(sub: PlacementSubmission) -> LoadedRows:
    with gc_paused():
        return sub.load()


def _one_per_account_hash(items: list[Identified], errors: list[RowError], index_of: Callable[[int], int],
                          first_row: dict[str, int] | None = None) -> list[Identified]:
    """The blind index folds letter case ("ab12" = "AB12"), the rules' duplicate check does not:
    two such rows would be one account twice — the second is rejected here."""
    first_row = {} if first_row is None else first_row
    kept: list[Identified] = []
    for it in items:
        first = first_row.setdefault(it.account_hash, it.row)
        if first == it.row:
            kept.append(it)
        else:
            errors.append(RowError(it.row, f"cases[{index_of(it.row)}].account_ref",
                                   f"duplicate account_ref in this placement (first at row {first})"))
    return kept


def _still_open(items: list[Identified], still_open: dict[str, str], errors: list[RowError],
                index_of: Callable[[int], int]) -> list[Identified]:
    """R-1 re-placement: an account still open in another placement is a row error."""
    if not still_open:
        return items
    kept = []
    for it in items:
        ref = still_open.get(it.account_hash)
        if ref is None:
            kept.append(it)
        else:
            errors.append(RowError(it.row, f"cases[{index_of(it.row)}].account_ref",
                                   f"account already placed in placement {ref} and still open"))
    return kept


def _validate(loaded: LoadedRows, placed_on: date, today: date,
              protector: Protector) -> tuple[list[RowError], list[Identified]]:
    """Validate, identify (worker thread)."""
    with gc_paused():
        result = validate_cases(loaded.raw_cases, placed_on=placed_on, today=today,
                                row_numbers=loaded.row_numbers)
        errors = list(result.errors)
        items = _one_per_account_hash(identify(result.valid, protector), errors, _index_of(loaded))
        return errors, items


def _prepare(items, joint, ctx, protector, occurred_at) -> tuple[bytes, bytes, list[tuple]]:
    """A chunk's case and phone-lookup rows as COPY data, and its outbox records (worker thread)."""
    with gc_paused():
        prepared = prepare_chunk(items, joint, ctx, protector, occurred_at)
        return prepared.cases, prepared.phones, prepared.outbox


async def submit_placement(app: FastAPI, principal: Principal, sub: PlacementSubmission,
                           received_at: datetime) -> PlacementAnswer:
    settings = settings_of(app)
    client_id = principal.client_id
    assert client_id, "client routes are bound to a client_id"
    h = sub.header

    async with app.state.pool.acquire() as conn:
        existing = await store.get_placement(conn, client_id, h.placement_ref)
        if existing is not None:
            if sub.body_sha256 is None:
                await asyncio.to_thread(sub.ensure_whole)
            return await _replay_or_conflict(conn, existing, sub.body_sha256)  # type: ignore[arg-type]

    placement_id = str(uuid.uuid4())
    ctx = PlacementContext(client_id, placement_id, h.placement_ref, h.product, h.placed_on, h.recall_on)
    today = datetime.now(ZoneInfo(settings.timezone)).date()
    workers: PlacementWorkers | None = getattr(app.state, "placement_workers", None)
    if sub.split is not None and workers is not None:
        try:
            return await _Import(app, principal, sub, received_at, ctx, LoadedRows([])).in_workers(
                workers, today, _Pieces(sub.split))
        except _DecodeWhole as exc:  # rolled back; decoded whole below, with the usual errors
            log.info("placement decoded whole instead of in pieces", placement_ref=h.placement_ref,
                     client_id=client_id, reason=exc.args[0] if exc.args else "")
        finally:
            workers.release(placement_id)
    if sub.load is None:
        await asyncio.to_thread(sub.ensure_whole)
    loaded = await asyncio.to_thread(_load, sub)  # type: ignore[arg-type]
    if loaded.received is None:
        loaded.received = len(loaded.raw_cases)
    importer = _Import(app, principal, sub, received_at, ctx, loaded)
    if workers is None or len(loaded.raw_cases) < settings.parallel_min_cases:
        return await importer.here(today)
    try:
        return await importer.in_workers(workers, today, _Rows(loaded, settings.prepare_chunk_size))
    finally:
        workers.release(placement_id)


class _DecodeWhole(Exception):
    """A split body cannot be imported piece by piece (a piece that is not whole cases, too many
    cases, integers orjson cannot write): decode it whole instead."""


class _Rows:
    """Decoded rows (an upload, or a body decoded whole) in parts of `size` rows."""

    def __init__(self, loaded: LoadedRows, size: int) -> None:
        self.raw, self.labels = loaded.raw_cases, loaded.row_numbers
        size = max(size, -(-len(self.raw) // MAX_PARTS))
        self.bounds = [(lo, min(lo + size, len(self.raw))) for lo in range(0, len(self.raw), size)]

    def __len__(self) -> int:
        return len(self.bounds)

    async def payload(self, k: int) -> tuple[bytes, str]:
        lo, hi = self.bounds[k]
        payload = await asyncio.to_thread(pack_rows, self.raw[lo:hi])
        self.raw[lo:hi] = [None] * (hi - lo)  # the worker has them now: free the decoded rows
        return payload

    def labels_of(self, k: int) -> list[int] | None:
        lo, hi = self.bounds[k]
        return self.labels[lo:hi] if self.labels is not None else None


class _Pieces:
    """The pieces of a split JSON body, decoded by the workers."""

    def __init__(self, split: SplitBody) -> None:
        self.split = split
        if len(split.segments) > MAX_PARTS:
            raise _DecodeWhole("too many pieces")

    def __len__(self) -> int:
        return len(self.split.segments)

    async def payload(self, k: int) -> tuple[bytes, str]:
        return self.split.segments[k], "json"

    def labels_of(self, k: int) -> None:
        return None


class _Import:
    """One placement's import (step 2 and 3), in a worker thread (`here`) or streamed through the
    worker processes (`in_workers`)."""

    def __init__(self, app: FastAPI, principal: Principal, sub: PlacementSubmission, received_at: datetime,
                 ctx: PlacementContext, loaded: LoadedRows) -> None:
        self.app, self.principal, self.sub, self.received_at = app, principal, sub, received_at
        self.ctx, self.loaded = ctx, loaded
        self.settings = settings_of(app)
        self.protector = protector_of(app)
        self.client_id: str = principal.client_id  # type: ignore[assignment]
        self.index_of = _index_of(loaded)
        self.lap = _Laps()
        self.errors: list[RowError] = []
        self.items: list[Identified] = []
        self.joint: dict[str, list[str]] = {}
        self.outbox_after: int | None = None
        self.worker_cpu = 0.0

    async def _begin(self, conn) -> PlacementAnswer | None:
        """Locks and the decisive replay check (R-1): an answer when this is a replay."""
        h = self.sub.header
        await store.lock_placement_ref(conn, self.client_id, h.placement_ref)
        existing = await store.get_placement(conn, self.client_id, h.placement_ref)
        if existing is not None:
            if self.sub.body_sha256 is None:
                await asyncio.to_thread(self.sub.ensure_whole)
            return await _replay_or_conflict(conn, existing, self.sub.body_sha256)  # type: ignore[arg-type]
        await store.lock_client_cases(conn, self.client_id)
        return None

    # --- in a worker thread ----------------------------------------------------------------------

    async def here(self, today: date) -> PlacementAnswer:
        h = self.sub.header
        self.errors, items = await asyncio.to_thread(_validate, self.loaded, h.placed_on, today, self.protector)
        self.loaded.raw_cases = []
        self.lap("validate")
        async with self.app.state.pool.acquire() as conn, conn.transaction():
            replay = await self._begin(conn)
            if replay is not None:
                return replay
            still_open = await store.open_accounts(conn, self.client_id, [it.account_hash for it in items])
            items = self.items = _still_open(items, still_open, self.errors, self.index_of)
            # the debtor's other open cases, any client, and the other new cases of the batch.
            stored = await store.open_cases_by_id_hash(conn, [it.id_hash for it in items])
            self.joint = joint_case_ids(items, stored, max_links=self.settings.max_joint_links)
            self.lap("checks")
            if items:
                self.outbox_after = await outbox_mark(conn)
                await self._store_in_chunks(conn)
            answer = await self._finish(conn)
        return self._committed(answer)

    async def _store_in_chunks(self, conn) -> None:
        """Pipeline: the worker thread prepares chunk k+1 (encryption, rows, events) while chunk k
        is COPYed — the database works on its own core meanwhile."""
        items, size, lap = self.items, self.settings.prepare_chunk_size, self.lap
        args = (self.joint, self.ctx, self.protector, datetime.now(timezone.utc))
        chunks = [items[i:i + size] for i in range(0, len(items), size)]
        pending = asyncio.ensure_future(asyncio.to_thread(_prepare, chunks[0], *args))
        try:
            for k in range(len(chunks)):
                cases_copy, phones_copy, outbox = await pending
                lap("prepare")
                if k + 1 < len(chunks):
                    pending = asyncio.ensure_future(asyncio.to_thread(_prepare, chunks[k + 1], *args))
                await store.copy_cases(conn, cases_copy, phones_copy)
                lap("copy_cases")
                await write_outbox_records(conn, outbox)
                lap("copy_outbox")
                del cases_copy, phones_copy, outbox
        finally:
            if not pending.done():  # a COPY failed: let the worker finish before the rollback
                await asyncio.wait([pending])
            if not pending.cancelled():
                pending.exception()  # retrieved: a failure is reported by the COPY error already

    # --- streamed through the worker processes -------------------------------------------------

    async def in_workers(self, workers: PlacementWorkers, today: date, parts: _Rows | _Pieces) -> PlacementAnswer:
        """Part k: checked by worker k % size (check_part), then here the rules across rows and
        the checks against stored cases (in row order), then prepared by the same worker
        (prepare_part) and COPYed — while the next parts are checked and prepared."""
        ctx, settings = self.ctx, self.settings
        job = ctx.placement_id
        ms = time.time_ns() // 1_000_000
        checks: dict[int, asyncio.Future] = {}
        prepares: dict[int, asyncio.Future] = {}

        async def submit_check(k: int) -> None:
            payload, codec = await parts.payload(k)
            checks[k] = workers.submit(k % workers.size, check_part, job, k, payload, codec, ctx.placed_on, today, ms)

        ahead = 2 * workers.size          # parts checked ahead of the one decided
        for k in range(min(ahead, len(parts))):
            await submit_check(k)
        occurred_at = datetime.now(timezone.utc)
        self.collector = RowCollector(row_numbers=self.loaded.row_numbers)
        self.first_row: dict[str, int] = {}
        self.by_id_hash: dict[str, list[str]] = {}     # accepted new cases per debtor, row order
        self.stored: dict[str, list[str]] = {}         # stored open cases per debtor
        self.queried: set[str] = set()                 # debtors looked up already
        self.emitted: dict[str, list[str]] = {}        # joint lists put in the events so far
        request_hash = CanonicalCasesHash() if isinstance(parts, _Pieces) else None
        received = 0
        try:
            async with self.app.state.pool.acquire() as conn, conn.transaction():
                replay = await self._begin(conn)
                if replay is not None:
                    return replay
                decided = 0
                for k in range(len(parts)):
                    # decide (and hand to the workers) up to `size` parts ahead of the COPY
                    while decided < len(parts) and decided <= k + workers.size - 1:
                        try:
                            checked = await checks.pop(decided)
                        except SegmentError:
                            raise _DecodeWhole("a piece is not whole cases") from None
                        self.lap("validate")
                        rejected, joint = await self._decide(conn, received, checked)
                        prepares[decided] = workers.submit(decided % workers.size, prepare_part, job, decided,
                                                           received, parts.labels_of(decided), rejected, joint,
                                                           ctx, occurred_at)
                        if decided + ahead < len(parts):  # after the prepare in that worker's queue
                            await submit_check(decided + ahead)
                        if request_hash is not None:  # the request's hash, piece by piece
                            if checked.canonical is None:
                                raise _DecodeWhole("integers beyond 64 bits")
                            request_hash.add(checked.canonical)
                        received += len(checked.keys)
                        if received > settings.max_cases_per_placement and isinstance(parts, _Pieces):
                            raise _DecodeWhole("too many cases")  # decoded whole, the body gets its 413
                        decided += 1
                    prepared = await prepares.pop(k)
                    self.lap("prepare")
                    self.worker_cpu += prepared.cpu
                    if prepared.outbox and self.outbox_after is None:
                        self.outbox_after = await outbox_mark(conn)
                    await store.copy_cases(conn, prepared.cases, prepared.phones)
                    self.lap("copy_cases")
                    await write_outbox_records(conn, prepared.outbox)
                    self.lap("copy_outbox")
                    del prepared
                if request_hash is not None:
                    self.sub.body_sha256 = request_hash.hexdigest(parts.split.header)  # type: ignore[union-attr]
                    self.loaded.received = received
                self.errors = self.collector.errors + self.errors
                await self._complete_joint_lists(conn)
                answer = await self._finish(conn)
            return self._committed(answer)
        finally:
            pending = [*checks.values(), *prepares.values()]
            if pending:  # failed half-way: let the workers finish before the rollback (results dropped)
                await asyncio.wait(pending)
                for future in pending:
                    if not future.cancelled():
                        future.exception()

    async def _decide(self, conn, start: int, checked: CheckedPart) -> tuple[frozenset[int], dict]:
        """A part's rows (the first is row `start`) through the rules across rows (row order), the
        re-placement check and the joint-debt lookup; the positions in the part the worker must
        leave out, and the joint lists of its events as known now."""
        collector = self.collector
        self.worker_cpu += checked.cpu
        candidates: list[Identified] = []
        valid = iter(checked.valid)
        ahead = next(valid, None)
        valid_rows = []
        for j, key in enumerate(checked.keys):
            i = start + j
            if ahead is not None and ahead[0] == j:
                valid_rows.append(i)
                if collector.add(i, [], key):
                    candidates.append(Identified(None, ahead[1], ahead[2], ahead[3], ahead[4], collector.label(i), i))
                ahead = next(valid, None)
            else:
                collector.add(i, checked.errors[j], key)
        candidates = _one_per_account_hash(candidates, self.errors, self.index_of, self.first_row)
        # This placement's cases of earlier parts: no `placements` row yet, the join leaves them out.
        still_open = await store.open_accounts(conn, self.client_id, [it.account_hash for it in candidates])
        accepted = _still_open(candidates, still_open, self.errors, self.index_of)
        self.items += accepted
        new_hashes = {it.id_hash for it in accepted} - self.queried
        self.queried |= new_hashes
        self.stored.update(await store.open_cases_by_id_hash(conn, list(new_hashes),
                                                             exclude_placement=self.ctx.placement_id))
        for it in accepted:
            self.by_id_hash.setdefault(it.id_hash, []).append(it.case_id)
        joint = joint_case_ids(accepted, self.stored, max_links=self.settings.max_joint_links,
                               batch=self.by_id_hash)
        self.emitted.update(joint)
        kept = {it.index for it in accepted}
        self.lap("checks")
        return frozenset(i - start for i in valid_rows if i not in kept), joint

    async def _complete_joint_lists(self, conn) -> None:
        """R-7 with the whole batch known: the joint lists as `here` computes them; events that
        went out with a shorter list (the debtor's cases in later parts) are rewritten."""
        self.joint = joint_case_ids(self.items, self.stored, max_links=self.settings.max_joint_links)
        stale = {c: others for c, others in self.joint.items() if self.emitted.get(c) != others}
        if not stale:
            return
        event_of = {it.case_id: it.event_id for it in self.items if it.case_id in stale}
        rows = await pending_values(conn, list(event_of.values()))
        case_of = {v: k for k, v in event_of.items()}
        patched = []
        for event_id, value in rows:
            envelope = orjson.loads(value)
            envelope["payload"]["joint_case_ids"] = stale[case_of[event_id]]
            patched.append((event_id, orjson.dumps(envelope)))
        await rewrite_pending(conn, patched)
        self.lap("joint_links")

    # --- both ------------------------------------------------------------------------------------

    async def _finish(self, conn) -> PlacementAnswer:
        """The placement row with its answer, rejected rows, joint-debt links, publication range."""
        loaded, h, items, joint, lap = self.loaded, self.sub.header, self.items, self.joint, self.lap
        row_errors = list(loaded.errors) + self.errors
        row_errors.sort(key=lambda e: e.row)  # stable: a row's errors keep their order
        field_of = loaded.field_of
        error_dicts = [{"row": e.row, "field": field_of(e) if field_of else e.field, "reason": e.reason}
                       for e in row_errors]
        received = loaded.received
        rejected = len({e.row for e in row_errors})
        placement_id = self.ctx.placement_id
        answer: dict[str, Any] = {"placement_id": placement_id, "placement_ref": h.placement_ref,
                                  "received": received, "accepted": len(items), "rejected": rejected}
        if loaded.warnings:
            answer["warnings"] = loaded.warnings
        source = loaded.source or self.sub.source
        await store.insert_placement(
            conn, placement_id=placement_id, client_id=self.client_id, placement_ref=h.placement_ref,
            product=h.product, placed_on=h.placed_on, recall_on=h.recall_on, source=source,
            template_name=self.sub.template_name, template_version=self.sub.template_version,
            body_sha256=self.sub.body_sha256, received=received, accepted=len(items),
            rejected=rejected, response=answer, received_by=self.principal.sub, received_at=self.received_at)
        await store.copy_rejected_rows(conn, placement_id, error_dicts)
        outbox_upto = None
        if items:
            outbox_upto = await outbox_last(conn)
            id_hash_of = {it.case_id: it.id_hash for it in items}
            await store.copy_joint_links(conn, joint_link_records(joint, set(id_hash_of), id_hash_of))
            lap("joint_links")
        imported_at = await store.finish_placement(
            conn, placement_id, outbox_after=self.outbox_after if items else None, outbox_upto=outbox_upto,
            nothing_to_publish=not items)
        self._log = dict(placement_id=placement_id, placement_ref=h.placement_ref, client_id=self.client_id,
                         source=source, received=received, accepted=len(items), rejected=rejected,
                         joint_links=sum(len(v) for v in joint.values()),
                         seconds_from_arrival=round((imported_at - self.received_at).total_seconds(), 3))
        answer["errors"] = error_dicts
        return PlacementAnswer(answer, replayed=False)

    def _committed(self, answer: PlacementAnswer) -> PlacementAnswer:
        self.lap("commit")
        if self.worker_cpu:
            self._log["worker_cpu_seconds"] = round(self.worker_cpu, 3)
        log.info("placement imported", laps=self.lap.laps, **self._log)
        return answer
