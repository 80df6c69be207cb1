"""One placement's import in the service process (submit.py steps 2 and 3): validated in a worker
thread, then one transaction in which a worker thread prepares chunk k+1 (sealing, rows, events)
while chunk k is COPYed — the database works on its own core meanwhile. `Import` also holds what
the streamed import (streamed.py) shares: the decisive replay check and the placement's row."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.envelope import OutboxRecord
from recoup_shared.bus.outbox import hold_for_hand_over, outbox_last, outbox_mark, write_outbox_records
from recoup_shared.gcpause import gc_paused
from recoup_shared.logging import get_logger

from ...context import Ctx
from ...rules.errors import PlacementRefConflict
from ...rules.model import Identified, PlacementInfo, RowError
from ...rules.placements import joint_case_ids, joint_link_records, not_open_elsewhere
from ...store import placements as store
from .model import LoadedRows, PlacementAnswer, PlacementSubmission
from .prepare import prepare_chunk, validate_and_identify

log = get_logger(__name__)


async def replay_or_conflict(conn: asyncpg.Connection, existing: asyncpg.Record,
                             sub: PlacementSubmission) -> PlacementAnswer:
    """R-1: the stored answer of the same request, or 409 for another body under the same ref."""
    if sub.body_sha256 is None:
        await asyncio.to_thread(sub.ensure_whole)
    if existing["body_sha256"] != sub.body_sha256:
        raise PlacementRefConflict(
            f"placement_ref {existing['placement_ref']} was already received with a different body; "
            "a changed placement needs a new placement_ref",
            placement_id=str(existing["id"]), placement_ref=existing["placement_ref"])
    errors = await store.rejected_rows(conn, existing["id"])
    warnings = await store.row_warnings(conn, existing["id"])
    for e in (*errors, *warnings):
        del e["ordinal"]
    body = dict(existing["response"])
    body["errors"] = errors
    body["warnings"] = warnings or body.get("warnings", [])
    return PlacementAnswer(body, replayed=True)


class Laps:
    """Seconds per step of an import, logged with it (an operator's first question): wall-clock,
    and the service process's CPU (its threads included) — on a shared machine the second says
    what the step costs, the first what it waited."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self._t, self._c = time.perf_counter(), time.process_time()

    def __call__(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.laps[name] = round(self.laps.get(name, 0.0) + now - self._t, 3)
        self.cpu[name] = round(self.cpu.get(name, 0.0) + cpu - self._c, 3)
        self._t, self._c = now, cpu


def index_of(loaded: LoadedRows) -> Callable[[int], int]:
    """Row label -> index into `cases` (the same for JSON; file row -> list index for uploads)."""
    if loaded.row_numbers is None:
        return lambda row: row
    positions = {r: i for i, r in enumerate(loaded.row_numbers)}
    return positions.__getitem__


def _prepare(items, joint, info, protector, occurred_at) -> tuple[bytes, bytes, list[tuple]]:
    """A chunk's case and phone-lookup rows as COPY data, and its outbox records (worker thread)."""
    with gc_paused():
        prepared = prepare_chunk(items, joint, info, protector, occurred_at)
        return prepared.cases, prepared.phones, prepared.outbox


class Import:
    """One placement's import; `here` runs it in the service process."""

    def __init__(self, ctx: Ctx, principal: Principal, sub: PlacementSubmission, info: PlacementInfo,
                 loaded: LoadedRows) -> None:
        self.ctx, self.principal, self.sub, self.info, self.loaded = ctx, principal, sub, info, loaded
        self.settings = ctx.settings
        self.client_id: str = principal.client_id  # type: ignore[assignment]
        self.index_of = index_of(loaded)
        self.lap = Laps()
        self.errors: list[RowError] = []
        self.items: list[Identified] = []
        self.joint: dict[str, list[str]] = {}
        self.outbox_after: int | None = None
        self.outbox_upto: int | None = None
        # The events written, kept to hand over to the relay after the commit (published from
        # memory, not read back: ~2 KB each); None when no relay runs here.
        self.handed: list[OutboxRecord] | None = [] if ctx.relay is not None else None
        self.hold: int | None = None  # their id range held for the hand-over (hold_for_hand_over)
        self.worker_cpu: dict[str, float] = {}  # worker processes' CPU seconds per step (streamed)
        self._log: dict[str, Any] = {}

    def bulk_write(self) -> contextlib.AbstractContextManager:
        """Around the import's transaction: the relay here pauses its fallback polls, which would
        walk past the uncommitted rows (OutboxRelay.bulk_write)."""
        return self.ctx.relay.bulk_write() if self.ctx.relay is not None else contextlib.nullcontext()

    async def begin(self, conn: asyncpg.Connection) -> PlacementAnswer | None:
        """Locks and the decisive replay check (R-1): an answer when this is a replay."""
        h = self.sub.header
        await store.lock_placement_ref(conn, self.client_id, h.placement_ref)
        existing = await store.get_placement(conn, self.client_id, h.placement_ref)
        if existing is not None:
            return await replay_or_conflict(conn, existing, self.sub)
        await store.lock_client_cases(conn, self.client_id)
        return None

    async def here(self, today: date) -> PlacementAnswer:
        """Validate in a worker thread, then store in one transaction of its own connection."""
        h = self.sub.header
        self.errors, items = await asyncio.to_thread(
            validate_and_identify, self.loaded.raw_cases, self.loaded.row_numbers, self.index_of,
            h.placed_on, today, self.ctx.protector)
        self.loaded.raw_cases = []
        self.lap("validate")
        with self.bulk_write():  # the relay's fallback polls wait (OutboxRelay.bulk_write)
            async with self.ctx.pool.acquire() as conn, conn.transaction():  # type: ignore[union-attr]
                replay = await self.begin(conn)
                if replay is not None:
                    return replay
                still_open = await store.open_accounts(conn, self.client_id, [it.account_hash for it in items])
                items = self.items = not_open_elsewhere(items, still_open, self.errors, self.index_of)
                # the debtor's other open cases, any client, and the other new cases of the batch.
                stored = await store.open_cases_by_id_hash(conn, [it.id_hash for it in items])
                self.joint = joint_case_ids(items, stored, max_links=self.settings.max_joint_links)
                self.lap("checks")
                if items:
                    self.outbox_after = await outbox_mark(conn)
                    await self._store_in_chunks(conn)
                answer = await self.finish(conn)
        return self.committed(answer)

    async def _store_in_chunks(self, conn: asyncpg.Connection) -> None:
        """Pipeline: the worker thread prepares chunk k+1 (encryption, rows, events) while chunk k
        is COPYed — the database works on its own core meanwhile."""
        items, size, lap = self.items, self.settings.prepare_chunk_size, self.lap
        args = (self.joint, self.info, self.ctx.protector, self.ctx.clock.now())
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
                await self.write_events(conn, outbox)
                lap("copy_outbox")
                del cases_copy, phones_copy, outbox
        finally:
            if not pending.done():  # a COPY failed: let the worker finish before the rollback
                await asyncio.wait([pending])
            if not pending.cancelled():
                pending.exception()  # retrieved: a failure is reported by the COPY error already

    async def write_events(self, conn: asyncpg.Connection, records: list[OutboxRecord]) -> None:
        """The case.received of a chunk into the outbox; kept for the hand-over when a relay runs
        here (then no NOTIFY: the relay's usual path would race the hand-over for them)."""
        await write_outbox_records(conn, records, notify=self.handed is None)
        if self.handed is not None:
            self.handed += records

    def _warnings(self) -> list[dict[str, Any]]:
        """The accepted rows' R-4 warnings (a malformed phone or address kept invalid, skip
        tracing, the stated total kept...) with an upload's notes (file level, cells read with a
        warning), in row order."""
        index_of, field_of = self.index_of, self.loaded.field_of
        rows = [RowError(it.row, f"cases[{index_of(it.row)}]{suffix}", reason)
                for it in self.items if it.notes for suffix, reason in it.notes]
        out = list(self.loaded.warnings) + [
            {"row": e.row, "field": field_of(e) if field_of else e.field, "reason": e.reason} for e in rows]
        out.sort(key=lambda w: w["row"] or 0)  # stable: within a row, the file's notes first
        return out

    def _answer(self) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]], int]:
        """The 202 body (without `errors` and `warnings`: stored apart), the row errors and
        warnings as answered, the rejected row count."""
        loaded, h = self.loaded, self.sub.header
        row_errors = list(loaded.errors) + self.errors
        row_errors.sort(key=lambda e: e.row)  # stable: a row's errors keep their order
        field_of = loaded.field_of
        error_dicts = [{"row": e.row, "field": field_of(e) if field_of else e.field, "reason": e.reason}
                       for e in row_errors]
        rejected = len({e.row for e in row_errors})
        warnings = self._warnings()
        answer: dict[str, Any] = {"placement_id": self.info.placement_id, "placement_ref": h.placement_ref,
                                  "received": loaded.received, "accepted": len(self.items), "rejected": rejected,
                                  "warned": sum(1 for it in self.items if it.notes)}
        return answer, error_dicts, warnings, rejected

    async def finish(self, conn: asyncpg.Connection) -> PlacementAnswer:
        """The placement row with its answer, rejected rows, joint-debt links, publication range."""
        h, items, joint, clock = self.sub.header, self.items, self.joint, self.ctx.clock
        answer, error_dicts, warning_dicts, rejected = self._answer()
        placement_id, source = self.info.placement_id, self.loaded.source or self.sub.source
        await store.insert_placement(
            conn, placement_id=placement_id, client_id=self.client_id, placement_ref=h.placement_ref,
            product=h.product, placed_on=h.placed_on, recall_on=h.recall_on, source=source,
            template_name=self.sub.template_name, template_version=self.sub.template_version,
            body_sha256=self.sub.body_sha256, received=self.loaded.received, accepted=len(items),  # type: ignore[arg-type]
            rejected=rejected, response=answer, received_by=self.principal.sub,
            received_at=self.sub.received_at, now=clock.now())
        await store.copy_rejected_rows(conn, placement_id, error_dicts)
        await store.copy_row_warnings(conn, placement_id, warning_dicts)
        outbox_upto = None
        if items:
            outbox_upto = self.outbox_upto = await outbox_last(conn)
            if self.handed:  # the relay's usual path keeps off them: they are handed over after the commit
                self.hold = await hold_for_hand_over(conn, self.outbox_after, outbox_upto)  # type: ignore[arg-type]
            id_hash_of = {it.case_id: it.id_hash for it in items}
            await store.copy_joint_links(conn, joint_link_records(joint, set(id_hash_of), id_hash_of))
            self.lap("joint_links")
        imported_at = await store.finish_placement(
            conn, placement_id, outbox_after=self.outbox_after if items else None, outbox_upto=outbox_upto,
            nothing_to_publish=not items, now=clock.now())
        self._log = dict(placement_id=placement_id, placement_ref=h.placement_ref, client_id=self.client_id,
                         source=source, received=self.loaded.received, accepted=len(items), rejected=rejected,
                         warned=answer["warned"],
                         joint_links=sum(len(v) for v in joint.values()),
                         seconds_from_arrival=round((imported_at - self.sub.received_at).total_seconds(), 3))
        answer["errors"] = error_dicts
        answer["warnings"] = warning_dicts
        return PlacementAnswer(answer, replayed=False)

    def committed(self, answer: PlacementAnswer) -> PlacementAnswer:
        self.lap("commit")
        if self.handed and self.outbox_after is not None and self.outbox_upto is not None:
            self.ctx.relay.hand_over(self.handed, self.outbox_after, self.outbox_upto,  # type: ignore[union-attr]
                                     self.hold)
        self.handed = None
        if self.worker_cpu:
            self._log["worker_cpu"] = {k: round(v, 3) for k, v in self.worker_cpu.items()}
            self._log["worker_cpu_seconds"] = round(sum(self.worker_cpu.values()), 3)
        log.info("placement imported", laps=self.lap.laps, laps_cpu=self.lap.cpu, **self._log)
        return answer
