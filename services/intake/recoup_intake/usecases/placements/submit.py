"""Receiving a placement (R-1, R-2, R-4, R-6, R-7): the hot path of intake.

1. Idempotency (R-1): one placement per (client_id, placement_ref), keyed by the SHA-256 of the
   canonical request. A replay gets the stored answer; a different body under the same reference
   gets 409. A quick look before any work answers replays cheaply; the decisive check runs again
   under an advisory lock on (client_id, placement_ref) inside the insert transaction, and the
   unique constraint backs it up — two identical requests at once never insert twice.
2. Off the event loop: parse (uploads) and validate every row, give each valid case its ids and
   its account / ID-number blind-index hashes — in a worker thread (importer.py) or, for big
   placements, streamed through the worker processes (streamed.py).
3. One transaction, a handful of round trips whatever the size: the open-account check of the
   re-placement rule and the joint-debt lookup, the placement and its rejected rows, the cases in
   chunks (COPY), their `case.received` events (outbox, same transaction), the joint-debt links.

Re-placement (R-1): an account of this client that is still open in another placement is a row
error ("account already placed in placement X and still open"); once that case is recalled or
closed the account may be placed again (a new case; the old one keeps its history).

Unlike the other use cases, a placement opens its own connection from ctx.pool instead of taking
the request's: its rows are decoded and validated (seconds, for 100,000 cases) before the
transaction starts, and a big one streams to the worker processes while it runs — a request
transaction held open from the first byte of a 93 MB body would pin a connection and an old
snapshot for all that time, and the replay check would run outside the lock anyway.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.gcpause import gc_paused
from recoup_shared.logging import get_logger

from ...context import Ctx
from ...rules.model import PlacementInfo
from ...store import placements as store
from .importer import Import, replay_or_conflict
from .model import LoadedRows, PlacementAnswer, PlacementSubmission
from .streamed import DecodeWhole, Pieces, Rows, StreamedImport

log = get_logger(__name__)


async def submit_placement(ctx: Ctx, principal: Principal, sub: PlacementSubmission) -> PlacementAnswer:
    """Import a placement (or answer its replay); commits before it returns (see the module doc
    for why it opens its own connection)."""
    client_id = principal.client_id
    assert client_id, "client routes are bound to a client_id"
    h = sub.header
    async with ctx.pool.acquire() as conn:  # type: ignore[union-attr]
        existing = await store.get_placement(conn, client_id, h.placement_ref)
        if existing is not None:
            return await replay_or_conflict(conn, existing, sub)
        await _fresh_statistics(conn)

    info = PlacementInfo(client_id, str(uuid.uuid4()), h.placement_ref, h.product, h.placed_on, h.recall_on)
    today = ctx.clock.today()
    workers = ctx.workers
    if sub.split is not None and workers is not None:
        try:
            return await StreamedImport(ctx, principal, sub, info, LoadedRows([])).run(
                workers, today, Pieces(sub.split))
        except DecodeWhole as exc:  # rolled back; decoded whole below, with the usual errors
            log.info("placement decoded whole instead of in pieces", placement_ref=h.placement_ref,
                     client_id=client_id, reason=exc.args[0] if exc.args else "")
        finally:
            workers.release(info.placement_id)
    loaded = await asyncio.to_thread(_load, sub)
    if loaded.received is None:
        loaded.received = len(loaded.raw_cases)
    if workers is None or len(loaded.raw_cases) < ctx.settings.parallel_min_cases:
        return await Import(ctx, principal, sub, info, loaded).here(today)
    try:
        return await StreamedImport(ctx, principal, sub, info, loaded).run(
            workers, today, Rows(loaded, ctx.settings.prepare_chunk_size))
    finally:
        workers.release(info.placement_id)


async def _fresh_statistics(conn: asyncpg.Connection) -> None:
    """Before a placement's lookups (R-1, R-7): the planner's statistics of `cases` brought up to
    date if a bulk load made them stale (store.refresh_case_statistics), outside the import's
    transaction; a look at the table's size otherwise."""
    t0 = time.perf_counter()
    if await store.refresh_case_statistics(conn):
        log.info("case statistics refreshed before a placement", seconds=round(time.perf_counter() - t0, 3))


def _load(sub: PlacementSubmission) -> LoadedRows:
    """Decode (a split body whole) or parse (an upload) the rows — in a worker thread."""
    sub.ensure_whole()
    with gc_paused():
        return sub.load()  # type: ignore[misc]
