"""Transactional outbox: `write_outbox` in the caller's transaction, `OutboxRelay` publishes.

The relay claims pending rows in id order with FOR UPDATE SKIP LOCKED (several replicas share the
work) and deletes them, produces them all, waits for every ack (acks=all), and only then commits
(recording the batch in outbox_batches). A crash between produce and commit rolls the delete
back and re-publishes the batch (at-least-once), before any later one (order kept on failure);
consumers de-duplicate on event_id. A failed produce rolls back and is retried with backoff —
rows are never abandoned (eShop's "stuck forever" gap).

A bulk producer that still holds what it wrote (a placement's 100,000 case.received) holds their
id range in its transaction (`hold_for_hand_over`) and hands the records to the relay after its
commit (`OutboxRelay.hand_over`): the relay produces them from memory and, once the broker has
acknowledged them all, deletes their rows (read back: only their count) — the table stays the
record of what is owed, so a crash or a failed produce leaves the rows to the usual path.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from datetime import datetime, timezone
from typing import Any

import asyncpg

from ..logging import get_logger
from ..notify import Listener
from ..metrics import OUTBOX_BACKLOG, OUTBOX_PUBLISHED, OUTBOX_PUBLISH_FAILURES
from .envelope import OutboxRecord, outbox_record
from .produce import Producers, send_all
from ..waiting import wait_event

log = get_logger(__name__)

NOTIFY_CHANNEL = "recoup_outbox"

# The longest a hand-over's rows are kept from the usual path while their writer's session lives:
# far beyond a hand-over's own time (~1 s per 100,000 events). A writer that died lets go at once.
HAND_OVER_HOLD_SECONDS = 120.0
# A hold `h` of outbox_holds still holds: not expired, and its writer's database session (pid and
# start, so a reused pid does not count) still there.
_HOLD_LIVE = """h.until > now() AND EXISTS (
    SELECT 1 FROM pg_stat_activity a WHERE a.pid = h.owner_pid AND a.backend_start = h.owner_start)"""


async def write_outbox(conn: asyncpg.Connection, events: Iterable[tuple[str, dict[str, Any]]]) -> int:
    """Queue (topic, envelope) pairs for publication, inside the caller's transaction.

    COPY for any size (one round trip for 100,000 events); NOTIFY wakes the relay on commit."""
    return await write_outbox_records(conn, [outbox_record(topic, env) for topic, env in events])


async def write_outbox_records(conn: asyncpg.Connection,
                               records: Sequence[OutboxRecord], *, notify: bool = True) -> int:
    """`write_outbox` for records already built with `outbox_record` — so a bulk producer can
    serialise 100,000 envelopes in a worker thread instead of on the event loop. `notify=False`:
    for records that will be handed over to the relay after the commit (`OutboxRelay.hand_over`),
    so that the relay's usual path does not race it for them (its poll still finds them if the
    hand-over never comes, and `hold_for_hand_over` keeps the other replicas off them)."""
    if not records:
        return 0
    if len(records) < 50:
        await conn.executemany(
            "INSERT INTO outbox (event_id, topic, key, value) VALUES ($1, $2, $3, $4)", records)
    else:
        await conn.copy_records_to_table(
            "outbox", records=records, columns=["event_id", "topic", "key", "value"])
    if notify:
        await conn.execute(f"NOTIFY {NOTIFY_CHANNEL}")
    return len(records)


async def write_outbox_select(conn: asyncpg.Connection, topic: str, template: tuple[str, Sequence[str]],
                              rows_sql: str, *args: Any) -> int:
    """The events of a set of rows in one statement, built in the database: `template` is
    `EnvelopeTemplate.sql_format()` (the envelope as a format() string, the names that fill it);
    `rows_sql` a SELECT (its parameters `args`) with a column for each of those names but the
    event_id, one row per event — a fresh event_id each, the key its case_id. For a producer whose
    events follow from rows it holds (a placement's cases): no row read back, no round trip per
    event. Returns how many were written; NOTIFY wakes the relay on commit."""
    fmt, names = template
    n = len(args)
    values = ", ".join(f"r.{name}::text" for name in names)
    count = await conn.fetchval(
        f"""WITH r AS MATERIALIZED (SELECT gen_random_uuid() AS event_id, q.* FROM ({rows_sql}) AS q),
                 w AS (INSERT INTO outbox (event_id, topic, key, value)
                       SELECT r.event_id, ${n + 1}::text, r.case_id::text,
                              convert_to(format(${n + 2}::text, {values}), 'UTF8')
                       FROM r RETURNING 1)
            SELECT count(*) FROM w""", *args, topic, fmt)
    if count:
        await conn.execute(f"NOTIFY {NOTIFY_CHANNEL}")
    return int(count)


def outbox_cte(records: Sequence[OutboxRecord], param: Callable[[Any, str], str]) -> tuple[str, str]:
    """For a producer that folds its state change and its events into one statement (one round trip
    instead of three): the body of a data-modifying CTE that writes `records`, and the expression that
    wakes the relay (`SELECT <it> FROM <the statement's last CTE>`; delivered at commit, like NOTIFY).
    `param(value, cast)` binds a value and returns its placeholder."""
    ids, topics, keys, values = (list(col) for col in zip(*records)) if records else ([], [], [], [])
    body = ("INSERT INTO outbox (event_id, topic, key, value) SELECT * FROM unnest("
            f"{param(ids, '::uuid[]')}, {param(topics, '::text[]')}, {param(keys, '::text[]')}, "
            f"{param(values, '::bytea[]')}) RETURNING 1")
    return body, f"pg_notify('{NOTIFY_CHANNEL}', '')"


# --- what a producer may ask of its outbox (the table's internals stay in this module) ------------

OUTBOX_SEQUENCE = "outbox_id_seq"


async def outbox_mark(conn: asyncpg.Connection) -> int:
    """Before writing: a position every row this transaction writes afterwards lies after."""
    return await conn.fetchval(f"SELECT nextval('{OUTBOX_SEQUENCE}')")


async def outbox_last(conn: asyncpg.Connection) -> int:
    """After writing: the position of the last row this session wrote."""
    return await conn.fetchval(f"SELECT currval('{OUTBOX_SEQUENCE}')")


async def hold_for_hand_over(conn: asyncpg.Connection, after: int, upto: int,
                             seconds: float = HAND_OVER_HOLD_SECONDS) -> int:
    """After writing rows (after, upto] that this writer hands over to its relay after the commit
    (in the same transaction): every relay's usual path keeps off the range until the hand-over
    releases it, this database session ends (the process died before or during the hand-over:
    the rows go the usual way at once) or `seconds` pass. Rows other writers interleaved in the
    range wait with them (about the hand-over's second). Returns the hold, for
    `OutboxRelay.hand_over`."""
    return await conn.fetchval(
        """INSERT INTO outbox_holds (after_id, upto_id, owner_pid, owner_start, until)
           SELECT $1, $2, a.pid, a.backend_start, clock_timestamp() + make_interval(secs => $3)
           FROM pg_stat_activity a WHERE a.pid = pg_backend_pid()
           RETURNING id""",
        after, upto, float(seconds))


async def outbox_pending(conn: asyncpg.Connection, after: int, upto: int) -> bool:
    """Whether any row in (after, upto] still waits for the broker (the relay deletes rows as it
    publishes them)."""
    return await conn.fetchval("SELECT EXISTS (SELECT 1 FROM outbox WHERE id > $1 AND id <= $2)",
                               after, upto)


async def published_at(conn: asyncpg.Connection, after: int, upto: int) -> datetime | None:
    """When the last relay batch overlapping (after, upto] was acknowledged (None while rows are
    pending, or once its record passed the outbox retention)."""
    if await outbox_pending(conn, after, upto):
        return None
    return await conn.fetchval(
        "SELECT max(published_at) FROM outbox_batches WHERE last_id > $1 AND first_id <= $2",
        after, upto)


async def pending_values(conn: asyncpg.Connection, event_ids: Sequence[str]) -> list[tuple[str, bytes]]:
    """(event_id, serialised envelope) of rows this transaction wrote (not yet visible to the relay)."""
    rows = await conn.fetch(
        "SELECT event_id::text AS event_id, value FROM outbox WHERE event_id = ANY($1::uuid[])",
        list(event_ids))
    return [(r["event_id"], r["value"]) for r in rows]


async def rewrite_pending(conn: asyncpg.Connection, rows: Sequence[tuple[str, bytes]]) -> None:
    """Replace envelopes this transaction wrote earlier (before the relay can see them)."""
    if rows:
        await conn.execute(
            """UPDATE outbox o SET value = u.value
               FROM unnest($1::uuid[], $2::bytea[]) AS u(event_id, value)
               WHERE o.event_id = u.event_id""", [r[0] for r in rows], [r[1] for r in rows])


class UndeclaredTopic(RuntimeError):
    """An outbox row for a topic the service is not declared to emit (services.yaml)."""


class OutboxRelay:
    def __init__(self, pool: asyncpg.Pool, producers: Producers, *, service: str,
                 batch_size: int = 5000, poll_seconds: float = 1.0, retention_days: int = 7,
                 max_backoff: float = 30.0, topics: Collection[str] | None = None) -> None:
        self.pool, self.producers, self.service = pool, producers, service
        # The topics this service may publish (services.yaml `emits`; None: any). A row for
        # another topic is not published and the batch is retried, as the production ACLs would
        # do, so a missing `emits` entry fails the tests instead of production.
        self.topics = frozenset(topics) if topics is not None else None
        self.batch_size, self.poll_seconds = batch_size, poll_seconds
        self.retention_days, self.max_backoff = retention_days, max_backoff
        self._wake = asyncio.Event()
        self._handed: list[tuple[Sequence[OutboxRecord], int, int, int | None, float]] = []
        self._stopping = False
        self._bulk_writes = 0  # transactions of this process writing many rows (`bulk_write`)
        self._task: asyncio.Task | None = None
        self._listener: Listener | None = None
        # Test hook: called after produce, before the rows are marked (simulates a crash there).
        self.after_produce_hook = None

    async def start(self) -> None:
        # NOTIFY on commit wakes the relay; the LISTEN survives database restarts (notify.py)
        self._listener = Listener(self.pool, {NOTIFY_CHANNEL: self._wake.set}, name=f"{self.service}-relay")
        await self._listener.start()
        self._task = asyncio.create_task(self._run(), name=f"outbox-relay-{self.service}")

    async def stop(self, *, flush_timeout: float = 10.0) -> None:
        """Flush what is pending (bounded by flush_timeout), then stop."""
        self._stopping = True
        self._wake.set()
        if self._task:
            try:
                await asyncio.wait_for(self._task, timeout=flush_timeout)
            except asyncio.TimeoutError:
                self._task.cancel()
            except Exception:  # noqa: BLE001 - already logged by the loop
                pass
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None

    async def _run(self) -> None:
        backoff = 0.2
        last_cleanup = 0.0
        loop = asyncio.get_running_loop()
        while True:
            # Cleared before the work, not after it: a wake-up (NOTIFY, a hand-over) that comes
            # while a batch is in flight is kept, and the wait below returns at once. Cleared
            # after, it was lost, and what it announced waited for the next poll (up to
            # poll_seconds: a placement's hand-over waited 1.08 s in one benchmark run of three).
            self._wake.clear()
            try:
                while self._handed:
                    await self.publish_handed(*self._handed.pop(0))
                published = await self.publish_batch()
                backoff = 0.2
                if loop.time() - last_cleanup > 600:
                    last_cleanup = loop.time()
                    await self.delete_old_published()
            except Exception as exc:  # noqa: BLE001 - retried, never abandoned
                OUTBOX_PUBLISH_FAILURES.labels(self.service).inc()
                log.warning("outbox publish failed; will retry", error=repr(exc), backoff=backoff)
                if self._stopping:
                    return
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            if published >= self.batch_size:
                continue  # more is waiting
            if self._stopping:
                return
            # While a bulk write of this process is open, every scan of the outbox walks past its
            # uncommitted rows (~0.05-0.2 s per 100,000, and growing with the write): the timer's
            # fallback polls wait for its end; wake-ups (NOTIFY, hand-overs) are served as ever.
            while not await wait_event(self._wake, self.poll_seconds) and self._bulk_writes:
                pass

    @contextlib.contextmanager
    def bulk_write(self):
        """Around a transaction of this process that writes many outbox rows (a placement's
        100,000 events): the relay's fallback polls pause until it ends (see `_run`)."""
        self._bulk_writes += 1
        try:
            yield
        finally:
            self._bulk_writes -= 1

    async def publish_batch(self) -> int:
        """Claim and delete the oldest pending rows, produce them, wait for every ack, then commit.

        One statement claims (SKIP LOCKED: replicas share the work) and deletes; a produce failure
        or a crash before commit rolls the delete back, so the rows are published again later —
        before anything after them. Deleting instead of marking halves the writes (no second copy
        of each 2 KB row); the publication itself is recorded per batch in outbox_batches (id
        range, count, time). (Claiming the next batch while this one's acks come back was tried
        for issue 15: no gain measured here, where the relay is CPU-bound on a shared machine.)"""
        async with self.pool.acquire() as conn:
            batch = await self._open_batch(conn)
            if batch is None:
                return 0
            _, tx, rows = batch
            try:
                await self._acked(await self._send(rows), rows)
                if self.after_produce_hook is not None:
                    await self.after_produce_hook(rows)
                # clock_timestamp(): when the acks were in, not when this transaction began
                await conn.execute(
                    """INSERT INTO outbox_batches (first_id, last_id, events, published_at)
                       VALUES ($1, $2, $3, clock_timestamp())""",
                    rows[0]["id"], rows[-1]["id"], len(rows))
                await tx.commit()
            except BaseException:
                await tx.rollback()
                raise
        OUTBOX_PUBLISHED.labels(self.service).inc(len(rows))
        return len(rows)

    def hand_over(self, records: Sequence[OutboxRecord], after: int, upto: int, hold: int | None = None) -> None:
        """Publish `records`, which the caller wrote (ids in (after, upto]), held (`hold`, from
        `hold_for_hand_over`) and has committed, from memory: the rows are not read back (for
        100,000 events, ~200 MB the database does not send and the relay does not decode) and are
        deleted only once the broker has them all — the delete's database work off the path to the
        broker. Rows another replica took first (the hold expired) are published twice
        (at-least-once: consumers de-duplicate); rows a failure leaves behind go the usual way."""
        if records:
            self._handed.append((records, after, upto, hold, time.perf_counter()))
            self._wake.set()

    async def publish_handed(self, records: Sequence[OutboxRecord], after: int, upto: int,
                             hold: int | None = None, handed_at: float | None = None) -> int:
        """`hand_over`'s work: the records produced from memory in id order; every ack; then, in
        one statement, their rows still pending deleted, the publication recorded (when the acks
        were in, R-6) and the hold released. On failure the hold is released and the rows stay for
        `publish_batch` (nothing is retried from memory)."""
        t0 = time.perf_counter()
        try:
            self._check_topics({topic for _, topic, _, _ in records})
            # COPY numbered the rows in the order written: `records` is in id order
            acks = await send_all(self.producers, [(t, k, v) for _, t, k, v in records])
            t1 = time.perf_counter()
            await asyncio.gather(*acks)
            acked_at = datetime.now(timezone.utc)
            t2 = time.perf_counter()
            # No SKIP LOCKED: a row in a batch another relay has in flight (its hold expired) is
            # waited for and, deleted by it, left out. A join, not `= ANY($3)`: a parameter array
            # would be searched linearly for each row of a generic plan. Only what the publication
            # record needs comes back, not 100,000 ids.
            claimed = await self.pool.fetchrow(
                """WITH d AS (DELETE FROM outbox o USING unnest($3::uuid[]) AS h(event_id)
                              WHERE o.event_id = h.event_id AND o.id > $1 AND o.id <= $2
                              RETURNING o.id),
                        s AS (SELECT count(*) AS n, min(id) AS first_id, max(id) AS last_id FROM d),
                        b AS (INSERT INTO outbox_batches (first_id, last_id, events, published_at)
                              SELECT first_id, last_id, n, $4 FROM s WHERE n > 0),
                        r AS (DELETE FROM outbox_holds WHERE id = $5)
                   SELECT n FROM s""",
                after, upto, [r[0] for r in records], acked_at, hold)
        except Exception as exc:  # noqa: BLE001 - the rows are still in the outbox: the usual path
            OUTBOX_PUBLISH_FAILURES.labels(self.service).inc()
            log.warning("hand-over publish failed; the rows go the usual way", error=repr(exc),
                        events=len(records))
            await self._release(hold)
            self._wake.set()
            return 0
        laps = {"waited": round(t0 - handed_at, 3) if handed_at is not None else None,
                "sent": round(t1 - t0, 3), "acked": round(t2 - t0, 3),
                "deleted": round(time.perf_counter() - t0, 3)}
        if claimed["n"] < len(records):
            log.info("hand-over: rows published by another relay too (duplicates, de-duplicated "
                     "by consumers)", events=len(records), claimed=claimed["n"])
        OUTBOX_PUBLISHED.labels(self.service).inc(claimed["n"])
        log.info("hand-over published", events=len(records), seconds=laps)
        return claimed["n"]

    async def _release(self, hold: int | None) -> None:
        """A failed hand-over's rows to the usual path at once, not when the hold expires."""
        if hold is None:
            return
        try:
            await self.pool.execute("DELETE FROM outbox_holds WHERE id = $1", hold)
        except Exception:  # noqa: BLE001 - then the hold expires
            pass

    def _check_topics(self, topics: set[str]) -> None:
        if self.topics is not None:
            undeclared = sorted(topics - self.topics)
            if undeclared:
                raise UndeclaredTopic(
                    f"{self.service} writes {undeclared} to its outbox but deploy/k8s/services.yaml "
                    f"declares it emits only {sorted(self.topics)}: add them to its `emits` and "
                    "run deploy/k8s/tools/generate.py")

    async def _open_batch(self, conn: asyncpg.Connection) -> tuple[asyncpg.Connection, Any, list] | None:
        """A transaction on `conn` holding the oldest pending rows, claimed and deleted; None (and
        nothing held) when there are none."""
        tx = conn.transaction()
        await tx.start()
        try:
            # rows held for a hand-over (hold_for_hand_over) are left to it while the hold lasts
            # and its writer's session lives (pg_stat_activity is read only when a hold exists)
            rows = await conn.fetch(
                f"""DELETE FROM outbox WHERE id IN (
                       WITH held AS MATERIALIZED (
                           SELECT h.after_id, h.upto_id FROM outbox_holds h WHERE {_HOLD_LIVE})
                       SELECT o.id FROM outbox o
                       WHERE NOT EXISTS (SELECT 1 FROM held WHERE o.id > held.after_id AND o.id <= held.upto_id)
                       ORDER BY o.id LIMIT $1 FOR UPDATE OF o SKIP LOCKED)
                   RETURNING id, topic, key, value""",
                self.batch_size)
            if not rows:
                await tx.commit()
                OUTBOX_BACKLOG.labels(self.service).set(0)
                return None
            rows.sort(key=lambda r: r["id"])  # RETURNING order is not guaranteed; publish in id order
            self._check_topics({r["topic"] for r in rows})
        except BaseException:
            await tx.rollback()
            raise
        return conn, tx, rows

    async def _send(self, rows: list) -> list[asyncio.Future]:
        try:
            return await send_all(self.producers, [(r["topic"], r["key"], r["value"]) for r in rows])
        except Exception as exc:
            self._failed(rows, exc)
            raise

    async def _acked(self, acks: list[asyncio.Future], rows: list) -> None:
        try:
            await asyncio.gather(*acks)
        except Exception as exc:
            self._failed(rows, exc)
            raise

    def _failed(self, rows: list, exc: Exception) -> None:
        """Record the failure outside the (rolled-back) transaction, for operators."""
        ids = [r["id"] for r in rows]
        asyncio.get_running_loop().create_task(self._record_failure(ids, repr(exc)))

    async def _record_failure(self, ids: list[int], error: str) -> None:
        try:
            async with self.pool.acquire() as conn:
                await conn.execute(
                    "UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = ANY($1::bigint[])",
                    ids, error[:2000])
        except Exception:  # noqa: BLE001 - bookkeeping only
            pass

    async def backlog(self) -> int:
        async with self.pool.acquire() as conn:
            n = await conn.fetchval("SELECT count(*) FROM outbox")
        OUTBOX_BACKLOG.labels(self.service).set(n)
        return n

    async def delete_old_published(self) -> None:
        async with self.pool.acquire() as conn:
            await conn.execute(
                "DELETE FROM outbox_batches WHERE published_at < now() - make_interval(days => $1)",
                self.retention_days)
            # holds that no longer hold anything: expired, or their writer gone
            await conn.execute(f"DELETE FROM outbox_holds h WHERE NOT ({_HOLD_LIVE})")
