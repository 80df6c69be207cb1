"""A big placement streamed through the worker processes (parts.py), inside one transaction:
while the database COPYs part k, the workers validate and prepare the next ones, and the service
applies the rules across rows (duplicates, in row order), the re-placement check and the
joint-debt lookup part by part. A debtor's cases in a later part are added to the joint-debt
lists of the earlier events at the end (their outbox rows rewritten, same transaction) — the
result is the same as the in-process import's (tested)."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import asyncpg

from recoup_shared.bus.outbox import outbox_mark, pending_values, rewrite_pending

from ...adapters.json_body import CanonicalCasesHash, SplitBody
from ...adapters.workers import PlacementWorkers
from ...events import with_joint_case_ids
from ...rules.model import Identified
from ...rules.placements import joint_case_ids, not_open_elsewhere, one_per_account_hash
from ...rules.validation import RowCollector
from ...store import placements as store
from .importer import Import
from .model import LoadedRows, PlacementAnswer
from .parts import MAX_PARTS, CheckedPart, SegmentError, check_part, pack_rows, prepare_part


class DecodeWhole(Exception):
    """A split body cannot be imported piece by piece (a piece that is not whole cases, too many
    cases, integers orjson cannot write): decode it whole instead."""


class Rows:
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


class Pieces:
    """The pieces of a split JSON body, decoded by the workers."""

    def __init__(self, split: SplitBody) -> None:
        self.split = split
        if len(split.segments) > MAX_PARTS:
            raise DecodeWhole("too many pieces")

    def __len__(self) -> int:
        return len(self.split.segments)

    async def payload(self, k: int) -> tuple[bytes, str]:
        return self.split.segments[k], "json"

    def labels_of(self, k: int) -> None:
        return None


class StreamedImport(Import):
    """Part k: checked by worker k % size (check_part), then here the rules across rows and the
    checks against stored cases (in row order), then prepared by the same worker (prepare_part)
    and COPYed — while the next parts are checked and prepared."""

    async def run(self, workers: PlacementWorkers, today: date, parts: Rows | Pieces) -> PlacementAnswer:
        self.workers, self.parts, self.today = workers, parts, today
        self.ms = time.time_ns() // 1_000_000   # the ids' time (store.ids.new_uuids)
        self.checks: dict[int, asyncio.Future] = {}
        self.prepares: dict[int, asyncio.Future] = {}
        self.ahead = 2 * workers.size          # parts checked ahead of the one decided
        self.collector = RowCollector(row_numbers=self.loaded.row_numbers)
        self.first_row: dict[str, int] = {}
        self.by_id_hash: dict[str, list[str]] = {}     # accepted new cases per debtor, row order
        self.stored: dict[str, list[str]] = {}         # stored open cases per debtor
        self.queried: set[str] = set()                 # debtors looked up already
        self.emitted: dict[str, list[str]] = {}        # joint lists put in the events so far
        self.request_hash = CanonicalCasesHash() if isinstance(parts, Pieces) else None
        self.received = self.decided = 0
        try:
            for k in range(min(self.ahead, len(parts))):
                await self._submit_check(k)
            self.occurred_at = self.ctx.clock.now()
            with self.bulk_write():  # the relay's fallback polls wait (OutboxRelay.bulk_write)
                async with self.ctx.pool.acquire() as conn, conn.transaction():  # type: ignore[union-attr]
                    replay = await self.begin(conn)
                    if replay is not None:
                        return replay
                    for k in range(len(parts)):
                        # decide (and hand to the workers) up to `size` parts ahead of the COPY
                        await self._decide_up_to(conn, k + workers.size - 1)
                        await self._store_part(conn, k)
                    self._request_hash()
                    self.errors = self.collector.errors + self.errors
                    await self._complete_joint_lists(conn)
                    answer = await self.finish(conn)
            return self.committed(answer)
        finally:
            await self._drain()

    async def _submit_check(self, k: int) -> None:
        payload, codec = await self.parts.payload(k)
        self.checks[k] = self.workers.submit(k % self.workers.size, check_part, self.info.placement_id, k,
                                             payload, codec, self.info.placed_on, self.today, self.ms)

    async def _decide_up_to(self, conn: asyncpg.Connection, last: int) -> None:
        parts, workers = self.parts, self.workers
        while self.decided < len(parts) and self.decided <= last:
            d = self.decided
            try:
                checked = await self.checks.pop(d)
            except SegmentError:
                raise DecodeWhole("a piece is not whole cases") from None
            self.lap("validate")
            rejected, joint = await self._decide(conn, self.received, checked)
            self.prepares[d] = workers.submit(d % workers.size, prepare_part, self.info.placement_id, d,
                                              self.received, parts.labels_of(d), rejected, joint, self.info,
                                              self.occurred_at)
            if d + self.ahead < len(parts):  # after the prepare in that worker's queue
                await self._submit_check(d + self.ahead)
            if self.request_hash is not None:  # the request's hash, piece by piece
                if checked.canonical is None:
                    raise DecodeWhole("integers beyond 64 bits")
                self.request_hash.add(checked.canonical)
            self.received += len(checked.keys)
            if self.received > self.settings.max_cases_per_placement and isinstance(parts, Pieces):
                raise DecodeWhole("too many cases")  # decoded whole, the body gets its 413
            self.decided += 1

    async def _store_part(self, conn: asyncpg.Connection, k: int) -> None:
        prepared = await self.prepares.pop(k)
        self.lap("prepare")
        self.worker_cpu["prepare"] = self.worker_cpu.get("prepare", 0.0) + prepared.cpu
        if prepared.outbox and self.outbox_after is None:
            self.outbox_after = await outbox_mark(conn)
        await store.copy_cases(conn, prepared.cases, prepared.phones)
        self.lap("copy_cases")
        await self.write_events(conn, prepared.outbox)
        self.lap("copy_outbox")

    def _request_hash(self) -> None:
        if self.request_hash is not None:
            self.sub.body_sha256 = self.request_hash.hexdigest(self.parts.split.header)  # type: ignore[union-attr]
            self.loaded.received = self.received

    async def _drain(self) -> None:
        """Failed half-way: let the workers finish before the rollback (results dropped)."""
        pending = [*self.checks.values(), *self.prepares.values()]
        if pending:
            await asyncio.wait(pending)
            for future in pending:
                if not future.cancelled():
                    future.exception()

    def _candidates(self, start: int, checked: CheckedPart) -> tuple[list[Identified], list[int]]:
        """The part's rows through the rules across rows (row order): the rows valid so far, and
        every row valid on its own (placement indexes)."""
        collector = self.collector
        candidates: list[Identified] = []
        valid = iter(checked.valid)
        ahead = next(valid, None)
        valid_rows = []
        for j, key in enumerate(checked.keys):
            i = start + j
            if ahead is not None and ahead[0] == j:
                valid_rows.append(i)
                if collector.add(i, [], key):
                    candidates.append(Identified(None, ahead[1], ahead[2], ahead[3], ahead[4], collector.label(i), i,
                                                 ahead[5]))
                ahead = next(valid, None)
            else:
                collector.add(i, checked.errors[j], key)
        return candidates, valid_rows

    async def _decide(self, conn: asyncpg.Connection, start: int, checked: CheckedPart) -> tuple[frozenset[int], dict]:
        """A part's rows (the first is row `start`) through the rules across rows, the
        re-placement check and the joint-debt lookup; the positions in the part the worker must
        leave out, and the joint lists of its events as known now."""
        self.worker_cpu["validate"] = self.worker_cpu.get("validate", 0.0) + checked.cpu
        candidates, valid_rows = self._candidates(start, checked)
        candidates = one_per_account_hash(candidates, self.errors, self.index_of, self.first_row)
        # This placement's cases of earlier parts: no `placements` row yet, the join leaves them out.
        still_open = await store.open_accounts(conn, self.client_id, [it.account_hash for it in candidates])
        accepted = not_open_elsewhere(candidates, still_open, self.errors, self.index_of)
        self.items += accepted
        new_hashes = {it.id_hash for it in accepted} - self.queried
        self.queried |= new_hashes
        self.stored.update(await store.open_cases_by_id_hash(conn, list(new_hashes),
                                                             exclude_placement=self.info.placement_id))
        for it in accepted:
            self.by_id_hash.setdefault(it.id_hash, []).append(it.case_id)
        joint = joint_case_ids(accepted, self.stored, max_links=self.settings.max_joint_links,
                               batch=self.by_id_hash)
        self.emitted.update(joint)
        kept = {it.index for it in accepted}
        self.lap("checks")
        return frozenset(i - start for i in valid_rows if i not in kept), joint

    async def _complete_joint_lists(self, conn: asyncpg.Connection) -> None:
        """R-7 with the whole batch known: the joint lists as the in-process import computes them;
        events that went out with a shorter list (the debtor's cases in later parts) are
        rewritten before the relay can see them."""
        self.joint = joint_case_ids(self.items, self.stored, max_links=self.settings.max_joint_links)
        stale = {c: others for c, others in self.joint.items() if self.emitted.get(c) != others}
        if not stale:
            return
        event_of = {it.case_id: it.event_id for it in self.items if it.case_id in stale}
        case_of = {v: k for k, v in event_of.items()}
        rows = await pending_values(conn, list(event_of.values()))
        rewritten = [(event_id, with_joint_case_ids(value, stale[case_of[event_id]])) for event_id, value in rows]
        await rewrite_pending(conn, rewritten)
        if self.handed:  # what is handed to the relay is what the outbox holds
            new_value = dict(rewritten)  # by event_id as text, as the records carry them
            self.handed = [(e, t, k, new_value.get(str(e), v)) for e, t, k, v in self.handed]
        self.lap("joint_links")
