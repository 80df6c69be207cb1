"""The consumer loop: batched, manual commits after the database commit, inbox de-duplication,
seek-back-and-retry on failure, poison events to `<topic>.dlq`, rebalance-safe, graceful stop.

Handlers take a batch: `async def on_x(conn, ctx, envelopes: list[Envelope]) -> None` (ctx: the
service's context, context.py), so a service can apply 2,000 events with a few set-based
statements instead of 2,000 round trips. The batch of one
partition runs in ONE transaction together with the inbox rows; only after it commits is the
Kafka offset committed. On a handler error the batch is rolled back and replayed event by event
to isolate the failing one: the events before it are applied, the failing one is retried with
backoff (the partition does not move past it), and after `max_attempts` it is dead-lettered.
An error that says the database was out of reach (db.is_transient: a restart, a failover, a cut
connection) is no fault of the event: it is retried with backoff for as long as it lasts and never
counts towards dead-lettering. Nothing fetched is ever skipped: whatever interrupts a batch (the
database gone while dead-lettering, a failed commit), the partition is read again from the first
record not yet done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
import pydantic
from aiokafka import AIOKafkaConsumer, ConsumerRecord, TopicPartition
from aiokafka.abc import ConsumerRebalanceListener
from aiokafka.errors import CommitFailedError, KafkaError

from ..db import is_transient
from ..logging import get_logger
from ..metrics import (CONSUMER_LAG, EVENTS_CONSUMED, EVENTS_DEAD_LETTERED, EVENTS_DUPLICATE,
                       EVENTS_FAILED)
from .envelope import Envelope, parse
from .produce import make_producer
from .topics import dlq

log = get_logger(__name__)

BatchHandler = Callable[[asyncpg.Connection, Any, list[Envelope]], Awaitable[None]]


class PoisonEvent(Exception):
    """Raised by a handler for an event that can never succeed (it is dead-lettered at once)."""


@dataclass
class _Failure:
    offset: int
    attempts: int           # failures of the event itself (towards max_attempts)
    error: str
    waits: int = 0          # transient failures (the database out of reach): backoff only


class _Rebalance(ConsumerRebalanceListener):
    def __init__(self, owner: "EventConsumer") -> None:
        self.owner = owner

    async def on_partitions_revoked(self, revoked: Any) -> None:
        # Wait for the batch in flight to finish and commit before the partitions move.
        async with self.owner._lock:
            for tp in revoked:
                self.owner._failures.pop(tp, None)

    async def on_partitions_assigned(self, assigned: Any) -> None:
        log.info("partitions assigned", group=self.owner.group_id,
                 partitions=sorted(f"{tp.topic}:{tp.partition}" for tp in assigned))


class EventConsumer:
    def __init__(self, pool: asyncpg.Pool, *, bootstrap_servers: str, group_id: str,
                 handlers: dict[str, BatchHandler], service: str, context: Any = None,
                 topics: Sequence[str] | None = None,
                 batch_max: int = 2000, max_attempts: int = 5, retry_backoff: float = 0.5,
                 max_backoff: float = 10.0, security: dict[str, Any] | None = None,
                 **consumer_overrides: Any) -> None:
        self.pool, self.group_id, self.handlers, self.service = pool, group_id, handlers, service
        self.context = context
        self.topics = list(topics or handlers.keys())
        self.batch_max, self.max_attempts = batch_max, max_attempts
        self.retry_backoff, self.max_backoff = retry_backoff, max_backoff
        self.bootstrap_servers = bootstrap_servers
        # `security`: bus.security.client_kwargs(settings) — TLS/SASL for both clients.
        security = security or {}
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers, group_id=group_id, enable_auto_commit=False,
            auto_offset_reset="earliest", max_partition_fetch_bytes=4 * 1024 * 1024,
            **security, **consumer_overrides)
        self._dlq_producer = make_producer(bootstrap_servers, **security)
        self._lock = asyncio.Lock()
        self._failures: dict[TopicPartition, _Failure] = {}
        self._stopping = False
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        await self._dlq_producer.start()
        self._consumer.subscribe(self.topics, listener=_Rebalance(self))
        await self._consumer.start()
        self._task = asyncio.create_task(self._run(), name=f"consumer-{self.group_id}")

    async def stop(self, timeout: float = 20.0) -> None:
        """Finish the batch in flight, commit, leave the group."""
        self._stopping = True
        if self._task:
            try:
                await asyncio.wait_for(self._task, timeout=timeout)
            except asyncio.TimeoutError:
                self._task.cancel()
            except Exception:  # noqa: BLE001 - logged in the loop
                pass
        await self._consumer.stop()
        await self._dlq_producer.stop()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                batch = await self._consumer.getmany(timeout_ms=500, max_records=self.batch_max)
                if not batch:
                    continue
                async with self._lock:
                    for tp, records in batch.items():
                        if self._stopping and not records:
                            continue
                        await self._process_partition(tp, records)
                await self._update_lag(batch.keys())
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - never let the loop die
                log.error("consumer loop error", group=self.group_id, error=repr(exc))
                await asyncio.sleep(1)

    # --- one partition's batch -----------------------------------------------------------

    async def _process_partition(self, tp: TopicPartition, records: list[ConsumerRecord]) -> None:
        try:
            await self._process_records(tp, records)
        except Exception as exc:  # noqa: BLE001 - nothing fetched may be skipped
            # Interrupted past the isolation below (the database gone while dead-lettering, a
            # commit refused): read the batch again; the inbox makes re-applying harmless.
            log.warning("batch interrupted; reading it again", topic=tp.topic, partition=tp.partition,
                        first_offset=records[0].offset, error=repr(exc))
            self._consumer.seek(tp, records[0].offset)  # aiokafka does not redeliver by itself
            prev = self._failures.get(tp)
            same = prev is not None and prev.offset == records[0].offset
            self._failures[tp] = _Failure(records[0].offset, prev.attempts if same else 0,
                                          repr(exc)[:2000], prev.waits + 1 if same else 1)
            await asyncio.sleep(self._backoff(self._failures[tp]))

    def _backoff(self, failure: _Failure) -> float:
        n = max(failure.attempts, failure.waits, 1)
        return min(self.retry_backoff * 2 ** (n - 1), self.max_backoff)

    async def _process_records(self, tp: TopicPartition, records: list[ConsumerRecord]) -> None:
        try:
            await self._apply(tp.topic, records)
        except Exception as exc:  # noqa: BLE001
            EVENTS_FAILED.labels(self.service, tp.topic).inc()
            log.warning("batch failed; isolating", topic=tp.topic, partition=tp.partition,
                        first_offset=records[0].offset, size=len(records), error=repr(exc))
            done_upto = await self._apply_one_by_one(tp, records)
            if done_upto is None:
                await self._commit(tp, records[-1].offset + 1)
            else:
                await self._commit(tp, done_upto)
                self._consumer.seek(tp, done_upto)  # aiokafka does not redeliver by itself
                await asyncio.sleep(self._backoff(self._failures[tp]))
            return
        self._failures.pop(tp, None)
        await self._commit(tp, records[-1].offset + 1)

    async def _apply(self, topic: str, records: list[ConsumerRecord]) -> None:
        """All records of the batch in one transaction with their inbox rows."""
        envelopes: list[Envelope] = []
        poison: list[tuple[ConsumerRecord, str]] = []
        for rec in records:
            try:
                envelopes.append(parse(rec.value))
            except (ValueError, pydantic.ValidationError) as exc:
                poison.append((rec, f"unparseable: {exc!r}"[:2000]))
        for rec, error in poison:
            await self._dead_letter(rec, error, attempts=1, reason="unparseable")
        async with self.pool.acquire() as conn, conn.transaction():
            await self._handle(conn, topic, envelopes)

    async def _handle(self, conn: asyncpg.Connection, topic: str, envelopes: list[Envelope]) -> None:
        if not envelopes:
            return
        unique: dict[Any, Envelope] = {}
        for env in envelopes:
            unique.setdefault(env.event_id, env)
        fresh_ids = {
            r["event_id"] for r in await conn.fetch(
                """INSERT INTO processed_events (event_id, topic, event_type)
                   SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
                   ON CONFLICT (event_id) DO NOTHING RETURNING event_id""",
                list(unique), [topic] * len(unique), [e.event_type for e in unique.values()])
        }
        duplicates = len(envelopes) - len(fresh_ids)
        if duplicates:
            EVENTS_DUPLICATE.labels(self.service, topic).inc(duplicates)
        fresh = [e for e in unique.values() if e.event_id in fresh_ids]
        # Runs of one event type, in partition order (one case's events stay ordered).
        run: list[Envelope] = []
        for env in fresh:
            if run and run[-1].event_type != env.event_type:
                await self._dispatch(conn, topic, run)
                run = []
            run.append(env)
        if run:
            await self._dispatch(conn, topic, run)

    async def _dispatch(self, conn: asyncpg.Connection, topic: str, run: list[Envelope]) -> None:
        handler = self.handlers.get(run[0].event_type)
        if handler is None:
            return  # a type this service does not need; recorded as processed
        await handler(conn, self.context, run)
        EVENTS_CONSUMED.labels(self.service, topic, run[0].event_type).inc(len(run))

    async def _apply_one_by_one(self, tp: TopicPartition, records: list[ConsumerRecord]) -> int | None:
        """Returns None when every record is done (applied or dead-lettered), else the offset
        of the record to retry later."""
        for rec in records:
            try:
                env = parse(rec.value)
            except (ValueError, pydantic.ValidationError) as exc:
                await self._dead_letter(rec, f"unparseable: {exc!r}"[:2000], attempts=1, reason="unparseable")
                continue
            try:
                async with self.pool.acquire() as conn, conn.transaction():
                    await self._handle(conn, tp.topic, [env])
            except (PoisonEvent, pydantic.ValidationError) as exc:
                await self._dead_letter(rec, repr(exc)[:2000], attempts=1, reason="poison", event_id=env.event_id)
            except Exception as exc:  # noqa: BLE001
                prev = self._failures.get(tp)
                same = prev is not None and prev.offset == rec.offset
                if is_transient(exc):
                    # the database was out of reach: wait for it, however long; not the event's fault
                    waits = prev.waits + 1 if same else 1
                    self._failures[tp] = _Failure(rec.offset, prev.attempts if same else 0,
                                                  repr(exc)[:2000], waits)
                    log.warning("event waits for the database", topic=tp.topic, partition=tp.partition,
                                offset=rec.offset, event_id=str(env.event_id), wait=waits, error=repr(exc))
                    return rec.offset
                attempts = prev.attempts + 1 if same else 1
                self._failures[tp] = _Failure(rec.offset, attempts, repr(exc)[:2000])
                log.warning("event failed", topic=tp.topic, partition=tp.partition, offset=rec.offset,
                            event_id=str(env.event_id), case_id=env.case_id, attempt=attempts,
                            error=repr(exc))
                if attempts >= self.max_attempts:
                    await self._dead_letter(rec, repr(exc)[:2000], attempts=attempts,
                                            reason="max_attempts", event_id=env.event_id)
                    self._failures.pop(tp, None)
                    continue
                return rec.offset
        return None

    async def _dead_letter(self, rec: ConsumerRecord, error: str, *, attempts: int, reason: str,
                           event_id: Any = None) -> None:
        """Publish to <topic>.dlq (acked) and record it; only then may the offset move past it.
        Not recorded in processed_events, so a replay after a fix is applied here."""
        headers = [
            ("error", error.encode()), ("source_topic", rec.topic.encode()),
            ("source_partition", str(rec.partition).encode()), ("source_offset", str(rec.offset).encode()),
            ("consumer_group", self.group_id.encode()), ("service", self.service.encode()),
            ("attempts", str(attempts).encode()),
        ]
        fut = await self._dlq_producer.send(dlq(rec.topic), value=rec.value, key=rec.key, headers=headers)
        await fut
        async with self.pool.acquire() as conn:
            await conn.execute(
                """INSERT INTO dead_letters (topic, partition, "offset", event_id, error, attempts)
                   VALUES ($1, $2, $3, $4, $5, $6)""",
                rec.topic, rec.partition, rec.offset, event_id, error, attempts)
        EVENTS_DEAD_LETTERED.labels(self.service, rec.topic, reason).inc()
        log.error("event dead-lettered", topic=rec.topic, partition=rec.partition, offset=rec.offset,
                  event_id=str(event_id) if event_id else None, reason=reason, error=error)

    async def _commit(self, tp: TopicPartition, offset: int) -> None:
        try:
            await self._consumer.commit({tp: offset})
        except (CommitFailedError, KafkaError) as exc:
            # Lost the partition in a rebalance: the next owner re-reads from the last commit and
            # the inbox makes the replay harmless.
            log.warning("offset commit failed", topic=tp.topic, partition=tp.partition, error=repr(exc))

    async def _update_lag(self, tps: Any) -> None:
        for tp in tps:
            try:
                high = self._consumer.highwater(tp)
                if high is not None:
                    lag = high - await self._consumer.position(tp)
                    CONSUMER_LAG.labels(self.service, tp.topic, str(tp.partition)).set(max(lag, 0))
            except Exception:  # noqa: BLE001 - metrics only
                continue
