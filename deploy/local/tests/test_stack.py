"""The throw-away stack the tests run on, and the launcher's building blocks."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid

import asyncpg
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient

from recoup_local import procs, services
from recoup_local.postgres import EmbeddedPostgres
from recoup_local.stack import CONSUMER_TIMERS, Stack


async def test_every_service_database_accepts_connections(stack: Stack) -> None:
    for name in services.SERVICES:
        conn = await asyncpg.connect(stack.dsn(name))
        try:
            assert await conn.fetchval("SELECT current_database()") == f"recoup_{name}"
            assert await conn.fetchval("SHOW server_encoding") == "UTF8"
        finally:
            await conn.close()


async def test_stack_points_this_process_and_services_at_itself(stack: Stack) -> None:
    assert os.environ["RECOUP_PROFILE"] == "test"
    assert os.environ["RECOUP_KAFKA_BOOTSTRAP_SERVERS"] == stack.bootstrap == f"127.0.0.1:{stack.kafka_port}"
    assert stack.admin_dsn == f"postgresql://postgres@127.0.0.1:{stack.pg_port}/postgres"
    env = stack.env("intake")
    assert env["RECOUP_DATABASE_URL"].endswith(f":{stack.pg_port}/recoup_intake")
    assert env["RECOUP_SERVICE_NAME"] == "intake"
    # Never the fixed ports of `make up`, which may be running beside the tests.
    assert stack.pg_port != 55432 and stack.kafka_port != 9092


async def test_existing_services_are_migrated(stack: Stack) -> None:
    for name in services.existing():
        conn = await asyncpg.connect(stack.dsn(name))
        try:
            assert await conn.fetchval("SELECT to_regclass('outbox') IS NOT NULL")
        finally:
            await conn.close()


async def test_every_topic_and_its_dlq_exist(stack: Stack) -> None:
    from recoup_shared.bus.topics import all_topics

    admin = AIOKafkaAdminClient(bootstrap_servers=stack.bootstrap)
    await admin.start()
    try:
        existing = set(await admin.list_topics())
    finally:
        await admin.close()
    assert set(all_topics()) <= existing
    assert "case.received.dlq" in existing


async def test_new_database_carries_the_bus_tables(stack: Stack) -> None:
    dsn = await stack.new_database()
    conn = await asyncpg.connect(dsn)
    try:
        for table in ("outbox", "processed_events", "schema_migrations"):
            assert await conn.fetchval("SELECT to_regclass($1) IS NOT NULL", table)
    finally:
        await conn.close()


async def test_broker_round_trip_with_non_idempotent_producer_and_manual_commit(stack: Stack) -> None:
    topic = await stack.new_topic("roundtrip", partitions=3)
    producer = AIOKafkaProducer(bootstrap_servers=stack.bootstrap, acks="all",
                                enable_idempotence=False)
    await producer.start()
    try:
        sent = {f"case-{i}": f"event-{i}".encode() for i in range(30)}
        for key, value in sent.items():
            await producer.send_and_wait(topic, value, key=key.encode())
    finally:
        await producer.stop()

    group = f"g-{uuid.uuid4().hex[:8]}"
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=stack.bootstrap, group_id=group,
                                enable_auto_commit=False, auto_offset_reset="earliest", **CONSUMER_TIMERS)
    await consumer.start()
    got: dict[str, bytes] = {}
    try:
        async with asyncio.timeout(30):
            while len(got) < len(sent):
                batch = await consumer.getmany(timeout_ms=500)
                for records in batch.values():
                    for r in records:
                        got[r.key.decode()] = r.value
        await consumer.commit()
        committed = {tp: await consumer.committed(tp) for tp in consumer.assignment()}
    finally:
        await consumer.stop()
    assert got == sent
    assert sum(committed.values()) == len(sent)

    # The group's committed offsets survive the consumer: a reader of the same group resumes at
    # the end. (Checked with assign(), not subscribe(): Tansu keeps a departed member for its
    # session timeout, so re-joining the same group costs ~15 s.)
    check = AIOKafkaConsumer(bootstrap_servers=stack.bootstrap, group_id=group,
                             enable_auto_commit=False)
    await check.start()
    try:
        tps = list(committed)
        check.assign(tps)
        assert {tp: await check.committed(tp) for tp in tps} == committed
        end = await check.end_offsets(tps)
        assert committed == end
    finally:
        await check.stop()


# --- PostgreSQL restarts: after a clean stop, over a live leftover, after a crash ------------

@pytest.fixture
def pg_dir(tmp_path):
    yield tmp_path
    # whatever a failing test left running
    for proc in EmbeddedPostgres(tmp_path / "data", port=1, socket_dir=tmp_path / "run",
                                 log_file=tmp_path / "pg.log")._holders():
        procs.stop_process(proc, signal.SIGQUIT, timeout=5)


def _pg(tmp_path, port: int) -> EmbeddedPostgres:
    return EmbeddedPostgres(tmp_path / "data", port=port, socket_dir=tmp_path / "run",
                            log_file=tmp_path / "pg.log", durable=False, shared_buffers="32MB")


async def _write_then_read(first: EmbeddedPostgres, second: EmbeddedPostgres) -> str:
    conn = await asyncpg.connect(first.admin_dsn)
    await conn.execute("CREATE TABLE IF NOT EXISTS kept (v text); INSERT INTO kept VALUES ('x')")
    await conn.close()
    await second.start()
    try:
        conn = await asyncpg.connect(second.admin_dsn)
        try:
            return await conn.fetchval("SELECT string_agg(v, '') FROM kept")
        finally:
            await conn.close()
    finally:
        await second.stop()


async def test_postgres_restart_keeps_data(pg_dir) -> None:
    first = _pg(pg_dir, procs.free_port())
    await first.start()
    conn = await asyncpg.connect(first.admin_dsn)
    await conn.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('x')")
    await conn.close()
    await first.stop()
    second = _pg(pg_dir, procs.free_port())
    await second.start()
    try:
        conn = await asyncpg.connect(second.admin_dsn)
        assert await conn.fetchval("SELECT v FROM kept") == "x"
        await conn.close()
    finally:
        await second.stop()
    assert not second._holders()


async def test_postgres_start_takes_over_from_a_live_leftover(pg_dir) -> None:
    leftover = _pg(pg_dir, procs.free_port())
    await leftover.start()  # never stopped: as if its launcher had been killed
    assert await _write_then_read(leftover, _pg(pg_dir, procs.free_port())) == "x"
    assert leftover.poll() is not None  # the leftover was shut down, not killed mid-write


async def test_postgres_starts_after_a_crash(pg_dir) -> None:
    crashed = _pg(pg_dir, procs.free_port())
    await crashed.start()
    conn = await asyncpg.connect(crashed.admin_dsn)
    await conn.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('x')")
    await conn.execute("CHECKPOINT")  # synchronous_commit is off on a throw-away server
    await conn.close()
    crashed.proc.kill()  # SIGKILL: postmaster.pid stays behind
    crashed.proc.wait()
    for backend in crashed._holders():
        backend.wait(10)  # backends notice the dead postmaster and exit
    assert (pg_dir / "data" / "postmaster.pid").exists()
    again = _pg(pg_dir, procs.free_port())
    await again.start()
    try:
        conn = await asyncpg.connect(again.admin_dsn)
        assert await conn.fetchval("SELECT v FROM kept") == "x"
        await conn.close()
    finally:
        await again.stop()


async def test_a_service_runs_as_its_own_process_on_the_stack(stack: Stack) -> None:
    import httpx

    runnable = services.runnable()
    if not runnable:
        pytest.skip("no service with an app module is installed yet")
    name = runnable[0]
    url = await stack.start_service(name)
    try:
        assert int(url.rsplit(":", 1)[1]) not in procs.reserved_ports()  # beside `make up`
        async with httpx.AsyncClient(base_url=url, timeout=10) as client:
            assert (await client.get("/healthz")).status_code == 200
            ready = await client.get("/readyz")
            assert ready.status_code == 200, ready.text
    finally:
        code = await stack.stop_service(name)
    # SIGTERM → graceful shutdown (uvicorn re-raises the signal once done), never a SIGKILL.
    assert code in (0, -signal.SIGTERM)
    assert "Application shutdown complete" in (stack.log_dir / f"{name}.console.log").read_text()
    assert (stack.log_dir / f"{name}.log").exists()  # its JSON log, per RECOUP_LOG_FILE
