"""The delivery guarantees, proven on the real broker (Tansu) and the real PostgreSQL."""

from __future__ import annotations

import asyncio
import uuid

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer

from recoup_shared.bus import (EventConsumer, OutboxRelay, ensure_topics, make_producer,
                               new_envelope, write_outbox)
from recoup_shared.bus.consumer import PoisonEvent
from recoup_shared.db import create_pool, ensure_database, migrate, shared_migrations
from recoup_local.stack import CONSUMER_TIMERS

pytestmark = pytest.mark.asyncio(loop_scope="session")


@pytest.fixture(scope="session")
async def bus_pool(stack):
    await ensure_database(stack.admin_dsn, "recoup_bustest")
    dsn = stack.admin_dsn.rsplit("/", 1)[0] + "/recoup_bustest"
    conn = await asyncpg.connect(dsn)
    try:
        await migrate(conn, [*shared_migrations(), ("test_0001.sql", """
            CREATE TABLE applied (event_id uuid PRIMARY KEY, case_id text NOT NULL, n int NOT NULL);
        """)])
    finally:
        await conn.close()
    pool = await create_pool(dsn, min_size=1, max_size=10)
    yield pool
    await pool.close()


async def fresh_topic(stack, partitions: int = 1) -> str:
    topic = f"bustest-{uuid.uuid4().hex[:10]}"
    await ensure_topics(stack.bootstrap, partitions=partitions, topics=[topic, f"{topic}.dlq"])
    return topic


def envelopes(n: int, event_type: str = "thing.happened") -> list[dict]:
    return [new_envelope(event_type=event_type, producer="test", client_id="c1",
                         case_id=f"case-{i}", payload={"n": i}) for i in range(n)]


async def read_all(stack, topic: str, expect: int, timeout: float = 20) -> list:
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=stack.bootstrap, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    out: list = []
    try:
        deadline = asyncio.get_running_loop().time() + timeout
        while len(out) < expect and asyncio.get_running_loop().time() < deadline:
            batch = await consumer.getmany(timeout_ms=300)
            for records in batch.values():
                out.extend(records)
        await asyncio.sleep(0.3)  # anything beyond `expect` shows up too
        for records in (await consumer.getmany(timeout_ms=300)).values():
            out.extend(records)
    finally:
        await consumer.stop()
    return out


async def wait_for(predicate, timeout: float = 30, interval: float = 0.2):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)


def recording_handler(pool_calls: list | None = None):
    async def handler(conn, _ctx, batch):
        await conn.executemany(
            "INSERT INTO applied (event_id, case_id, n) VALUES ($1, $2, $3)",
            [(e.event_id, e.case_id, e.payload["n"]) for e in batch])
        if pool_calls is not None:
            pool_calls.append(len(batch))
    return handler


async def applied_count(pool, events: list[dict]) -> int:
    return await pool.fetchval("SELECT count(*) FROM applied WHERE event_id = ANY($1::uuid[])",
                               [uuid.UUID(e["event_id"]) for e in events])


async def test_relay_crash_after_publish_redelivers_and_consumer_applies_once(stack, bus_pool):
    topic = await fresh_topic(stack)
    events = envelopes(25)
    async with bus_pool.acquire() as conn, conn.transaction():
        await write_outbox(conn, [(topic, e) for e in events])

    producer = make_producer(stack.bootstrap)
    await producer.start()
    try:
        crashing = OutboxRelay(bus_pool, producer, service="test", batch_size=1000)

        async def crash(rows):
            raise RuntimeError("relay died after publishing, before marking")
        crashing.after_produce_hook = crash
        with pytest.raises(RuntimeError):
            await crashing.publish_batch()
        pending = await bus_pool.fetchval(
            "SELECT count(*) FROM outbox WHERE event_id = ANY($1::uuid[])",
            [uuid.UUID(e["event_id"]) for e in events])
        assert pending == 25  # nothing marked: the crash lost no event

        relay = OutboxRelay(bus_pool, producer, service="test", batch_size=1000, poll_seconds=0.2)
        await relay.start()
        await wait_for(lambda: bus_pool.fetchval(
            "SELECT count(*) = 0 FROM outbox WHERE event_id = ANY($1::uuid[])",
            [uuid.UUID(e["event_id"]) for e in events]))
        await relay.stop()
    finally:
        await producer.stop()

    on_broker = await read_all(stack, topic, expect=50)
    assert len(on_broker) == 50  # every event twice: at-least-once

    consumer = EventConsumer(bus_pool, **CONSUMER_TIMERS, bootstrap_servers=stack.bootstrap, group_id=f"g-{topic}",
                             handlers={"thing.happened": recording_handler()}, service="test",
                             topics=[topic])
    await consumer.start()
    try:
        await wait_for(lambda: _eq(applied_count(bus_pool, events), 25))
        await asyncio.sleep(1.0)
        assert await applied_count(bus_pool, events) == 25  # ... and applied exactly once
    finally:
        await consumer.stop()


async def _eq(awaitable, value):
    return (await awaitable) == value


async def test_relay_retries_when_broker_write_fails(stack, bus_pool):
    """A failed produce is retried, never abandoned (eShop's stuck-outbox gap)."""
    topic = await fresh_topic(stack)
    events = envelopes(5)
    async with bus_pool.acquire() as conn, conn.transaction():
        await write_outbox(conn, [(topic, e) for e in events])
    producer = make_producer(stack.bootstrap)
    await producer.start()
    relay = OutboxRelay(bus_pool, producer, service="test", poll_seconds=0.1)
    failures = {"left": 2}
    real_send_batch = producer.send_batch   # the relay produces record batches (produce_all)

    async def flaky_send_batch(*args, **kwargs):
        if failures["left"] > 0:
            failures["left"] -= 1
            raise ConnectionError("broker unreachable")
        return await real_send_batch(*args, **kwargs)
    producer.send_batch = flaky_send_batch  # type: ignore[method-assign]
    try:
        await relay.start()
        await wait_for(lambda: bus_pool.fetchval(
            "SELECT count(*) = 0 FROM outbox WHERE event_id = ANY($1::uuid[])",
            [uuid.UUID(e["event_id"]) for e in events]))
        assert failures["left"] == 0  # both failed attempts happened, then it went through
    finally:
        await relay.stop()
        await producer.stop()
    assert len(await read_all(stack, topic, expect=5)) == 5


async def publish_raw(stack, topic: str, values: list[bytes]) -> None:
    producer = make_producer(stack.bootstrap)
    await producer.start()
    try:
        for v in values:
            await (await producer.send(topic, value=v, key=b"k"))
    finally:
        await producer.stop()


async def test_failing_handler_is_retried_not_skipped(stack, bus_pool):
    topic = await fresh_topic(stack)
    events = envelopes(6)
    from recoup_shared.bus import dumps
    await publish_raw(stack, topic, [dumps(e) for e in events])
    bad = events[2]["event_id"]
    failures = {"left": 3}
    inner = recording_handler()

    async def sometimes_failing(conn, _ctx, batch):
        if failures["left"] > 0 and any(str(e.event_id) == bad for e in batch):
            failures["left"] -= 1
            raise RuntimeError("database hiccup")
        await inner(conn, _ctx, batch)

    consumer = EventConsumer(bus_pool, **CONSUMER_TIMERS, bootstrap_servers=stack.bootstrap, group_id=f"g-{topic}",
                             handlers={"thing.happened": sometimes_failing}, service="test",
                             topics=[topic], max_attempts=10, retry_backoff=0.05)
    await consumer.start()
    try:
        await wait_for(lambda: _eq(applied_count(bus_pool, events), 6))
    finally:
        await consumer.stop()
    assert failures["left"] == 0
    dead = await bus_pool.fetchval("SELECT count(*) FROM dead_letters WHERE topic = $1", topic)
    assert dead == 0
    # Order within the partition kept: the failing event did not let later ones jump ahead in
    # the committed offsets; the committed offset is past all six now.
    assert len(await read_all(stack, f"{topic}.dlq", expect=0, timeout=1)) == 0


async def test_unparseable_message_goes_to_dlq_and_partition_moves_on(stack, bus_pool):
    topic = await fresh_topic(stack)
    good = envelopes(3)
    from recoup_shared.bus import dumps
    await publish_raw(stack, topic, [dumps(good[0]), b"{not json at all", dumps(good[1]),
                                     b'{"event_type": "x"}', dumps(good[2])])
    consumer = EventConsumer(bus_pool, **CONSUMER_TIMERS, bootstrap_servers=stack.bootstrap, group_id=f"g-{topic}",
                             handlers={"thing.happened": recording_handler()}, service="test",
                             topics=[topic])
    await consumer.start()
    try:
        await wait_for(lambda: _eq(applied_count(bus_pool, good), 3))
    finally:
        await consumer.stop()
    dlq = await read_all(stack, f"{topic}.dlq", expect=2)
    assert [r.value for r in dlq] == [b"{not json at all", b'{"event_type": "x"}']
    headers = dict(dlq[0].headers)
    assert headers["source_topic"].decode() == topic
    assert b"unparseable" in headers["error"]
    assert await bus_pool.fetchval("SELECT count(*) FROM dead_letters WHERE topic = $1", topic) == 2


async def test_always_failing_event_is_dead_lettered_after_max_attempts(stack, bus_pool):
    topic = await fresh_topic(stack)
    events = envelopes(4)
    from recoup_shared.bus import dumps
    await publish_raw(stack, topic, [dumps(e) for e in events])
    doomed = events[1]["event_id"]
    inner = recording_handler()

    async def handler(conn, _ctx, batch):
        if any(str(e.event_id) == doomed for e in batch):
            raise RuntimeError("bug in handler")
        await inner(conn, _ctx, batch)

    consumer = EventConsumer(bus_pool, **CONSUMER_TIMERS, bootstrap_servers=stack.bootstrap, group_id=f"g-{topic}",
                             handlers={"thing.happened": handler}, service="test", topics=[topic],
                             max_attempts=3, retry_backoff=0.05)
    await consumer.start()
    try:
        await wait_for(lambda: _eq(applied_count(bus_pool, events), 3))
    finally:
        await consumer.stop()
    row = await bus_pool.fetchrow("SELECT attempts, error FROM dead_letters WHERE event_id = $1",
                                  uuid.UUID(doomed))
    assert row["attempts"] == 3 and "bug in handler" in row["error"]
    # Not marked processed: a replay after the fix is applied.
    assert not await bus_pool.fetchval("SELECT 1 FROM processed_events WHERE event_id = $1", uuid.UUID(doomed))


async def test_poison_event_raised_by_handler_is_dead_lettered_at_once(stack, bus_pool):
    topic = await fresh_topic(stack)
    events = envelopes(2)
    from recoup_shared.bus import dumps
    await publish_raw(stack, topic, [dumps(e) for e in events])
    inner = recording_handler()

    async def handler(conn, _ctx, batch):
        if any(e.payload["n"] == 0 for e in batch):
            raise PoisonEvent("amount is negative")
        await inner(conn, _ctx, batch)

    consumer = EventConsumer(bus_pool, **CONSUMER_TIMERS, bootstrap_servers=stack.bootstrap, group_id=f"g-{topic}",
                             handlers={"thing.happened": handler}, service="test", topics=[topic],
                             max_attempts=50)
    await consumer.start()
    try:
        await wait_for(lambda: _eq(applied_count(bus_pool, events[1:]), 1))
    finally:
        await consumer.stop()
    assert await bus_pool.fetchval("SELECT attempts FROM dead_letters WHERE event_id = $1",
                                   uuid.UUID(events[0]["event_id"])) == 1


async def test_restarted_consumer_resumes_from_committed_offset(stack, bus_pool):
    topic = await fresh_topic(stack, partitions=3)
    first, second = envelopes(30), envelopes(30)
    from recoup_shared.bus import dumps
    await publish_raw(stack, topic, [dumps(e) for e in first])
    calls: list[int] = []
    group = f"g-{topic}"
    # Tansu keeps a departed member until its session ends: the local stack's short timers
    c1 = EventConsumer(bus_pool, **CONSUMER_TIMERS, bootstrap_servers=stack.bootstrap, group_id=group,
                       handlers={"thing.happened": recording_handler(calls)}, service="test", topics=[topic])
    await c1.start()
    await wait_for(lambda: _eq(applied_count(bus_pool, first), 30))
    await c1.stop()
    await publish_raw(stack, topic, [dumps(e) for e in second])
    calls.clear()
    c2 = EventConsumer(bus_pool, **CONSUMER_TIMERS, bootstrap_servers=stack.bootstrap, group_id=group,
                       handlers={"thing.happened": recording_handler(calls)}, service="test", topics=[topic])
    await c2.start()
    try:
        await wait_for(lambda: _eq(applied_count(bus_pool, second), 30))
    finally:
        await c2.stop()
    assert sum(calls) == 30  # only the new events reached the handler: offsets were committed


async def test_dlq_replay_after_fix_applies_once(stack, bus_pool):
    from recoup_shared.bus import dumps
    from recoup_shared.bus.replay import replay_dlq

    topic = await fresh_topic(stack)
    events = envelopes(3)
    await publish_raw(stack, topic, [dumps(e) for e in events])
    fixed = {"yes": False}
    inner = recording_handler()

    async def handler(conn, _ctx, batch):
        if not fixed["yes"] and any(e.payload["n"] == 1 for e in batch):
            raise RuntimeError("bug")
        await inner(conn, _ctx, batch)

    consumer = EventConsumer(bus_pool, **CONSUMER_TIMERS, bootstrap_servers=stack.bootstrap, group_id=f"g-{topic}",
                             handlers={"thing.happened": handler}, service="test", topics=[topic],
                             max_attempts=2, retry_backoff=0.05)
    await consumer.start()
    try:
        await wait_for(lambda: _eq(applied_count(bus_pool, events), 2))
        fixed["yes"] = True
        import io
        out = io.StringIO()
        assert await replay_dlq(stack.bootstrap, topic, idle_seconds=1.5, out=out) == 1
        assert await replay_dlq(stack.bootstrap, topic, idle_seconds=1.0, out=out) == 0  # once only
        await wait_for(lambda: _eq(applied_count(bus_pool, events), 3))
    finally:
        await consumer.stop()


async def test_relay_publishes_only_the_topics_the_service_declares(stack, bus_pool):
    """services.yaml `emits` (bus/topology.py) bounds what a service's relay publishes, as its
    Kafka ACLs do in production: a row for another topic stays in the outbox (nothing lost) and
    the relay fails loudly instead of publishing it."""
    from recoup_shared.bus.outbox import UndeclaredTopic

    declared, other = await fresh_topic(stack), await fresh_topic(stack)
    events = envelopes(3)
    async with bus_pool.acquire() as conn, conn.transaction():
        await write_outbox(conn, [(declared, events[0]), (other, events[1]), (declared, events[2])])
    ids = [uuid.UUID(e["event_id"]) for e in events]
    producer = make_producer(stack.bootstrap)
    await producer.start()
    try:
        relay = OutboxRelay(bus_pool, producer, service="svc", topics=[declared])
        with pytest.raises(UndeclaredTopic, match=other):
            await relay.publish_batch()
        assert await bus_pool.fetchval(
            "SELECT count(*) FROM outbox WHERE event_id = ANY($1::uuid[])", ids) == 3
        assert await read_all(stack, declared, expect=0, timeout=1) == []
    finally:
        await producer.stop()
        await bus_pool.execute("DELETE FROM outbox WHERE event_id = ANY($1::uuid[])", ids)


@pytest.mark.parametrize("connections", [1, 2])
async def test_produce_all_batches_per_partition_keeping_the_partition_and_order_of_send(stack, connections):
    """The relay's produce (issue 15: one record batch per partition, not a send per message): each
    message lands on the partition `send` would choose for its key, a key's messages in order, and
    a message bigger than a batch still goes (alone); every ack is awaited. On several connections
    (settings.relay_connections) a partition always goes on the same one, p % n."""
    from aiokafka.partitioner import DefaultPartitioner

    from recoup_shared.bus.produce import produce_all

    topic = await fresh_topic(stack, partitions=4)
    producers = [make_producer(stack.bootstrap, max_batch_size=16 * 1024)   # several batches per partition
                 for _ in range(connections)]
    sent_on: dict[int, set[int]] = {}
    for n, producer in enumerate(producers):
        await producer.start()
        send_batch = producer.send_batch

        async def counted(batch, topic, *, partition, _n=n, _send=send_batch):
            sent_on.setdefault(_n, set()).add(partition)
            return await _send(batch, topic, partition=partition)
        producer.send_batch = counted  # type: ignore[method-assign]
    try:
        messages = [(topic, f"case-{i % 37}", f"{i:06d}".encode() + b"x" * 600) for i in range(2000)]
        messages.insert(1000, (topic, "case-big", b"B" * 100_000))         # over a batch
        await produce_all(producers if connections > 1 else producers[0], messages)
    finally:
        for producer in producers:
            await producer.stop()
    assert sent_on == {n: {p for p in range(4) if p % connections == n} for n in range(connections)}
    records = await read_all(stack, topic, len(messages))
    assert len(records) == len(messages)
    parts = sorted({r.partition for r in records})
    partitioner = DefaultPartitioner()
    for r in records:
        assert r.partition == partitioner(r.key, [0, 1, 2, 3], [0, 1, 2, 3])
    by_key: dict[bytes, list[bytes]] = {}
    for r in sorted(records, key=lambda r: (r.partition, r.offset)):
        by_key.setdefault(r.key, []).append(r.value[:6])
    expected: dict[bytes, list[bytes]] = {}
    for _, key, value in messages:
        expected.setdefault(key.encode(), []).append(value[:6])
    assert by_key == expected and len(parts) == 4


async def test_a_failed_batch_is_never_overtaken_by_the_next(stack):
    """A batch whose acks fail is rolled back and published again before anything after it (the
    relay's order on failure, whatever it does to go faster)."""
    # A database of its own: rows other tests leave in the shared outbox would shift the batches.
    own_pool = await create_pool(await stack.new_database(), min_size=1, max_size=4)
    topic = await fresh_topic(stack)
    events = [new_envelope(event_type="thing.happened", producer="test", client_id="c1", case_id="case-1",
                           payload={"n": i}) for i in range(9)]
    async with own_pool.acquire() as conn, conn.transaction():
        await write_outbox(conn, [(topic, e) for e in events])
    producer = make_producer(stack.bootstrap)
    await producer.start()
    relay = OutboxRelay(own_pool, producer, service="test", batch_size=3, poll_seconds=0.1)
    calls = {"n": 0}
    real_send_batch = producer.send_batch

    async def second_batch_fails_once(batch, topic_, *, partition):
        calls["n"] += 1
        future = await real_send_batch(batch, topic_, partition=partition)
        if calls["n"] == 2:        # the second batch: queued, then its ack fails
            failed = asyncio.get_running_loop().create_future()
            failed.set_exception(ConnectionError("broker went away"))
            return failed
        return future
    producer.send_batch = second_batch_fails_once  # type: ignore[method-assign]
    try:
        await relay.start()
        await wait_for(lambda: own_pool.fetchval(
            "SELECT count(*) = 0 FROM outbox WHERE event_id = ANY($1::uuid[])",
            [uuid.UUID(e["event_id"]) for e in events]))
    finally:
        await relay.stop()
        await producer.stop()
        await own_pool.close()
    import orjson
    seen = [orjson.loads(r.value)["payload"]["n"] for r in await read_all(stack, topic, expect=12)]
    # at least once: the failed batch (its messages did land) again, and nothing of the next batch
    # before it
    assert seen == [0, 1, 2, 3, 4, 5, 3, 4, 5, 6, 7, 8]


async def test_database_out_of_reach_is_waited_for_never_dead_lettered(stack, bus_pool):
    """The fault suite's PostgreSQL restart: an event that fails because the database is away
    (refused, cut, starting up) is retried for as long as that lasts — far past max_attempts —
    and never dead-lettered; the events after it are not skipped."""
    topic = await fresh_topic(stack)
    events = envelopes(4)
    from recoup_shared.bus import dumps
    await publish_raw(stack, topic, [dumps(e) for e in events])
    outage = {"left": 8}
    inner = recording_handler()

    async def handler(conn, _ctx, batch):
        if outage["left"] > 0:
            outage["left"] -= 1
            try:
                raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")
            except ConnectionRefusedError as exc:
                raise RuntimeError("could not store the batch") from exc  # wrapped: still transient
        await inner(conn, _ctx, batch)

    consumer = EventConsumer(bus_pool, **CONSUMER_TIMERS, bootstrap_servers=stack.bootstrap, group_id=f"g-{topic}",
                             handlers={"thing.happened": handler}, service="test", topics=[topic],
                             max_attempts=2, retry_backoff=0.01, max_backoff=0.05)
    await consumer.start()
    try:
        await wait_for(lambda: _eq(applied_count(bus_pool, events), 4))
    finally:
        await consumer.stop()
    assert outage["left"] == 0
    assert await bus_pool.fetchval("SELECT count(*) FROM dead_letters WHERE topic = $1", topic) == 0


async def test_a_batch_interrupted_while_dead_lettering_is_read_again_not_skipped(stack, bus_pool):
    """Dead-lettering needs the database (the dead_letters row); when that fails the batch is
    read again from its first record — before, the loop's safety net dropped the rest of the
    fetched records and later commits moved past them (lost)."""
    topic = await fresh_topic(stack)
    events = envelopes(5)
    from recoup_shared.bus import dumps
    await publish_raw(stack, topic, [dumps(e) for e in events])
    doomed = events[1]["event_id"]
    inner = recording_handler()

    async def handler(conn, _ctx, batch):
        if any(str(e.event_id) == doomed for e in batch):
            raise RuntimeError("bug in handler")
        await inner(conn, _ctx, batch)

    consumer = EventConsumer(bus_pool, **CONSUMER_TIMERS, bootstrap_servers=stack.bootstrap, group_id=f"g-{topic}",
                             handlers={"thing.happened": handler}, service="test", topics=[topic],
                             max_attempts=1, retry_backoff=0.01, max_backoff=0.05)
    real_dead_letter, refused = consumer._dead_letter, {"left": 2}

    async def dead_letter_while_database_away(*args, **kwargs):
        if refused["left"] > 0:
            refused["left"] -= 1
            raise ConnectionResetError(104, "Connection reset by peer")
        await real_dead_letter(*args, **kwargs)

    consumer._dead_letter = dead_letter_while_database_away
    await consumer.start()
    try:
        await wait_for(lambda: _eq(applied_count(bus_pool, events), 4))
        await wait_for(lambda: bus_pool.fetchval("SELECT count(*) FROM dead_letters WHERE topic = $1", topic))
    finally:
        await consumer.stop()
    assert refused["left"] == 0
    assert await bus_pool.fetchval("SELECT event_id::text FROM dead_letters WHERE topic = $1", topic) == doomed


async def test_what_counts_as_the_database_out_of_reach():
    from recoup_shared.db import is_transient

    assert is_transient(ConnectionRefusedError(111, "refused"))
    assert is_transient(OSError("Multiple exceptions: [Errno 111] Connect call failed ('::1', 5432)"))
    assert is_transient(TimeoutError())
    assert is_transient(asyncpg.exceptions.ConnectionDoesNotExistError("connection was closed in the middle"))
    assert is_transient(asyncpg.exceptions.AdminShutdownError("terminating connection due to administrator command"))
    assert is_transient(asyncpg.exceptions.CannotConnectNowError("the database system is starting up"))
    assert is_transient(asyncpg.exceptions.SerializationError("could not serialize access"))
    assert is_transient(asyncpg.InterfaceError("cannot call Connection.fetch(): connection is closed"))
    try:
        try:
            raise ConnectionResetError(104, "reset")
        except ConnectionResetError as exc:
            raise RuntimeError("store failed") from exc
    except RuntimeError as wrapped:
        assert is_transient(wrapped)
    # the work itself wrong: counted towards dead-lettering as before
    assert not is_transient(RuntimeError("bug"))
    assert not is_transient(asyncpg.exceptions.DataError("value out of int32 range"))
    assert not is_transient(asyncpg.exceptions.QueryCanceledError("canceling statement due to statement timeout"))
    assert not is_transient(FileNotFoundError(2, "No such file"))
    assert not is_transient(asyncpg.InterfaceError("cannot perform operation: another operation is in progress"))


async def test_a_handed_over_batch_is_published_from_memory_once_and_what_it_cannot_take_stays(stack):
    """`OutboxRelay.hand_over` (a placement's events after its commit): the values are produced
    from memory, the rows deleted once every ack is in, the publication recorded like a batch.
    While the writer's hold lasts, the usual path keeps off the rows; an expired hold does not. A
    failed produce releases the hold and leaves every row for the usual path; rows another relay
    has in flight are waited for and left to it."""
    from recoup_shared.bus.envelope import outbox_record
    from recoup_shared.bus.outbox import (hold_for_hand_over, outbox_last, outbox_mark, published_at,
                                          write_outbox_records)

    dsn = await stack.new_database()
    own_pool = await create_pool(dsn, min_size=2, max_size=4)
    topic = await fresh_topic(stack, partitions=3)
    # event ids as text, as intake's bulk builder carries them
    records = [(str(e), t, k, v) for e, t, k, v in (outbox_record(topic, env) for env in envelopes(130))]
    records, expired, orphaned = records[:120], records[120:125], records[125:]

    async def write_held(conn, recs, seconds: float = 120) -> tuple[int, int, int]:
        async with conn.transaction():
            after = await outbox_mark(conn)
            await write_outbox_records(conn, recs, notify=False)
            upto = await outbox_last(conn)
            return after, upto, await hold_for_hand_over(conn, after, upto, seconds=seconds)

    async with own_pool.acquire() as conn:
        after, upto, hold = await write_held(conn, records)
    producer = make_producer(stack.bootstrap)
    await producer.start()
    relay = OutboxRelay(own_pool, producer, service="test", poll_seconds=60)
    holds = "SELECT count(*) FROM outbox_holds"
    try:
        # held: the usual path leaves them, as long as the hold lasts and its writer's session
        # lives; a writer that died before its hand-over lets go at once
        assert await relay.publish_batch() == 0
        async with own_pool.acquire() as conn:
            await write_held(conn, expired, seconds=-1)
        assert await relay.publish_batch() == 5
        writer = await asyncpg.connect(dsn)  # a writer process of its own
        await write_held(writer, orphaned)
        assert await relay.publish_batch() == 0
        await writer.close()
        published = 0
        for _ in range(50):  # its backend ends a moment after the connection closes
            published += await relay.publish_batch()
            if published:
                break
            await asyncio.sleep(0.1)
        assert published == 5
        assert await own_pool.fetchval("SELECT count(*) FROM outbox") == 120

        # a produce that fails: nothing is lost, every row stays, the hold is released
        real_send_batch = producer.send_batch

        async def broken(*_a, **_k):
            raise ConnectionError("broker went away")
        producer.send_batch = broken  # type: ignore[method-assign]
        assert await relay.publish_handed(records, after, upto, hold) == 0
        assert await own_pool.fetchval("SELECT count(*) FROM outbox") == 120
        assert await own_pool.fetchval(holds) == 2  # only the expired and the orphaned one (cleaned up later)
        producer.send_batch = real_send_batch  # type: ignore[method-assign]
        async with own_pool.acquire() as conn:
            hold = await hold_for_hand_over(conn, after, upto)

        # another relay has the first 20 rows in flight: the hand-over produces all 120
        # (at-least-once), then waits for it and deletes the other 100
        async with own_pool.acquire() as other:
            tx = other.transaction()
            await tx.start()
            await other.execute("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT 20)")
            handed = asyncio.create_task(relay.publish_handed(records, after, upto, hold))
            await asyncio.sleep(0.5)
            assert not handed.done()
            await tx.commit()
            assert await handed == 100
        assert await own_pool.fetchval("SELECT count(*) FROM outbox") == 0
        batches = await own_pool.fetch("SELECT first_id, last_id, events FROM outbox_batches ORDER BY id")
        assert [(b["last_id"] - b["first_id"], b["events"]) for b in batches] == [(4, 5), (4, 5), (99, 100)]
        async with own_pool.acquire() as conn:
            assert await published_at(conn, after, upto) is not None
        await relay.delete_old_published()
        assert await own_pool.fetchval(holds) == 0  # released by the hand-over; the others cleaned up
    finally:
        await producer.stop()
        await own_pool.close()
    on_broker = await read_all(stack, topic, expect=130)
    import orjson
    assert sorted(orjson.loads(r.value)["payload"]["n"] for r in on_broker) == list(range(130))
    assert {r.value for r in on_broker} == {r[3] for r in records + expired + orphaned}


async def test_fallback_polls_wait_while_a_bulk_write_of_the_process_is_open(stack):
    """`OutboxRelay.bulk_write` (around a placement's transaction, whose uncommitted rows every
    scan of the outbox walks past): rows only the fallback poll would find wait while it is open
    and go at the first poll after it; a NOTIFY is served at once meanwhile."""
    from recoup_shared.bus.envelope import outbox_record
    from recoup_shared.bus.outbox import write_outbox_records

    own_pool = await create_pool(await stack.new_database(), min_size=2, max_size=4)
    topic = await fresh_topic(stack)
    producer = make_producer(stack.bootstrap)
    await producer.start()
    relay = OutboxRelay(own_pool, producer, service="test", poll_seconds=0.1)
    pending = "SELECT count(*) FROM outbox"

    async def unannounced(n: int) -> None:  # committed without a NOTIFY: found by polling only
        async with own_pool.acquire() as conn, conn.transaction():
            await write_outbox_records(conn, [outbox_record(topic, e) for e in envelopes(n)], notify=False)
    try:
        await relay.start()
        await asyncio.sleep(0.3)  # its first pass over the (empty) outbox is done
        with relay.bulk_write():
            await unannounced(5)
            await asyncio.sleep(0.8)  # eight polls' time
            assert await own_pool.fetchval(pending) == 5
            async with own_pool.acquire() as conn, conn.transaction():
                await write_outbox(conn, [(topic, e) for e in envelopes(3)])
            await wait_for(lambda: own_pool.fetchval("SELECT count(*) = 0 FROM outbox"), timeout=10, interval=0.05)
            await unannounced(4)
            await asyncio.sleep(0.8)
            assert await own_pool.fetchval(pending) == 4
        await wait_for(lambda: own_pool.fetchval("SELECT count(*) = 0 FROM outbox"), timeout=10, interval=0.05)
    finally:
        await relay.stop()
        await producer.stop()
        await own_pool.close()
    assert len(await read_all(stack, topic, expect=12)) == 12


async def test_a_wake_up_during_a_batch_is_not_lost(stack):
    """Rows committed (NOTIFY) while the relay has a batch in flight are published right after
    it, not at the next poll (here a minute away): the wake-up is kept, not cleared after the batch."""
    own_pool = await create_pool(await stack.new_database(), min_size=2, max_size=4)
    topic = await fresh_topic(stack)
    first, second = envelopes(5), envelopes(5)
    async with own_pool.acquire() as conn, conn.transaction():
        await write_outbox(conn, [(topic, e) for e in first])
    producer = make_producer(stack.bootstrap)
    await producer.start()
    relay = OutboxRelay(own_pool, producer, service="test", poll_seconds=60)

    async def more_rows_arrive(_rows):
        relay.after_produce_hook = None
        async with own_pool.acquire() as conn, conn.transaction():
            await write_outbox(conn, [(topic, e) for e in second])
        await asyncio.sleep(0.3)  # the NOTIFY reaches the relay's listener while the batch is open
    relay.after_produce_hook = more_rows_arrive
    try:
        await relay.start()
        await wait_for(lambda: own_pool.fetchval("SELECT count(*) = 0 FROM outbox"), timeout=10, interval=0.1)
    finally:
        await relay.stop()
        await producer.stop()
        await own_pool.close()
    assert len(await read_all(stack, topic, expect=10)) == 10


async def test_an_event_of_a_few_kilobytes_is_kept_inline_and_uncompressed(bus_pool):
    """Migration 0004: a ~2 KB case.received is just over PostgreSQL's compression threshold;
    compressing a row the relay deletes within a second was a fifth of a big import's database
    work. Up to a page, the outbox keeps values as they are; beyond, they are compressed."""
    async with bus_pool.acquire() as conn, conn.transaction():
        small = new_envelope(event_type="thing.happened", producer="test", client_id="c1", case_id="c",
                             payload={"text": "催收 " * 600})     # ~4.2 KB, very compressible
        big = new_envelope(event_type="thing.happened", producer="test", client_id="c1", case_id="c",
                           payload={"text": "催收 " * 3000})    # ~21 KB
        await write_outbox(conn, [("bustest-inline", small), ("bustest-inline", big)])
        stored = await conn.fetch(
            "SELECT event_id::text, pg_column_compression(value) AS how, octet_length(value) AS bytes "
            "FROM outbox WHERE event_id = ANY($1::uuid[])", [small["event_id"], big["event_id"]])
        how = {r["event_id"]: (r["how"], r["bytes"]) for r in stored}
        assert how[small["event_id"]][0] is None and 4000 < how[small["event_id"]][1] < 8000
        assert how[big["event_id"]][0] == "pglz"
        await conn.execute("DELETE FROM outbox WHERE event_id = ANY($1::uuid[])", [small["event_id"], big["event_id"]])
