"""SIGTERM during work: nothing lost, nothing applied twice (issue 5; architecture.md).

Real uvicorn processes on the throw-away stack. uvicorn stops accepting connections, lets the
in-flight request finish, then the lifespan stops the consumer (batch finished, offsets
committed, group left) and flushes the outbox relay.
"""

from __future__ import annotations

import asyncio
import signal
import uuid

import asyncpg
import httpx
import orjson
import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition

from recoup_local.demo import make_placement
from recoup_shared.auth import mint_token
from recoup_shared.bus import make_producer, new_envelope, produce_all

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def topic_end(bootstrap: str, topic: str) -> dict:
    """The topic's end offsets now: reading from there sees only what comes after."""
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await consumer.start()
    try:
        await consumer.topics()  # metadata
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        return await consumer.end_offsets(partitions)
    finally:
        await consumer.stop()


async def read_topic(bootstrap: str, topic: str, *, until, timeout: float = 90, start: dict | None = None) -> list:
    """The topic's records (from `start`, else from the beginning) until `until(records)`."""
    consumer = AIOKafkaConsumer(*(() if start else (topic,)), bootstrap_servers=bootstrap,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    records: list = []
    try:
        if start:
            consumer.assign(list(start))
            for tp, offset in start.items():
                consumer.seek(tp, offset)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not until(records) and loop.time() < deadline:
            for batch in (await consumer.getmany(timeout_ms=500, max_records=5000)).values():
                records.extend(batch)
    finally:
        await consumer.stop()
    return records


async def test_sigterm_during_a_placement_loses_nothing(stack):
    url = await stack.start_service("intake")
    proc = stack.services["intake"].proc
    client_id = f"shutdown-{uuid.uuid4().hex[:6]}"
    body = make_placement(20000, seed=7)
    token = mint_token(sub=client_id, roles=["client"], client_id=client_id)
    async with httpx.AsyncClient(timeout=120) as client:
        request = asyncio.create_task(client.post(
            f"{url}/v1/placements", content=orjson.dumps(body),
            headers={"authorization": f"Bearer {token}", "content-type": "application/json"}))
        await asyncio.sleep(0.3)
        assert not request.done()  # the request is in flight when the signal lands
        proc.send_signal(signal.SIGTERM)
        response = await request
    assert response.status_code == 202, response.text
    accepted = response.json()["accepted"]
    assert accepted == 20000
    code = await asyncio.to_thread(proc.wait, 60)
    assert code in (0, -signal.SIGTERM)  # uvicorn re-raises SIGTERM after a clean shutdown
    await stack.stop_service("intake")

    conn = await asyncpg.connect(stack.dsn("intake"))
    try:
        pending = await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
    finally:
        await conn.close()
    assert pending == 0  # the relay flushed before the process left

    placement_id = response.json()["placement_id"]
    records = await read_topic(stack.bootstrap, "case.received",
                               until=lambda rs: sum(1 for r in rs if orjson.loads(r.value)["correlation_id"] == str(placement_id)) >= accepted)
    ours = [orjson.loads(r.value) for r in records]
    ours = [e for e in ours if e["correlation_id"] == str(placement_id)]
    assert len({e["case_id"] for e in ours}) == accepted
    assert len({e["event_id"] for e in ours}) == accepted


async def test_sigterm_while_consuming_applies_each_event_once(stack):
    """Allocation consumes a burst of case.received and auto-allocates; SIGTERM lands while it
    works; after a restart every case is in the pool once and has exactly one case.allocated."""
    from recoup_local.factories import publish, received, wait_until
    from recoup_local.demo_allocation import setup_demo_team

    client_id = f"sigterm-{uuid.uuid4().hex[:6]}"
    url = await stack.start_service("allocation")
    await setup_demo_team(url, client_id)
    proc = stack.services["allocation"].proc
    case_ids = [str(uuid.uuid4()) for _ in range(4000)]
    # read back only what comes after (the topic holds every earlier test's allocations)
    allocated_from = await topic_end(stack.bootstrap, "case.allocated")
    await publish(stack.bootstrap, [received(cid, client_id) for cid in case_ids])

    conn = await asyncpg.connect(stack.dsn("allocation"))
    try:
        async def pooled() -> int:
            return await conn.fetchval("SELECT count(*) FROM cases WHERE client_id = $1", client_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 60
        while await pooled() == 0 and loop.time() < deadline:
            await asyncio.sleep(0.02)
        in_pool_at_signal = await pooled()
        proc.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(proc.wait, 60)
        assert code in (0, -signal.SIGTERM)
        await stack.stop_service("allocation")
        assert in_pool_at_signal < len(case_ids), "the signal should land mid-stream"

        await stack.start_service("allocation")  # resumes from the committed offsets
        deadline = loop.time() + 120
        while loop.time() < deadline:
            done = await conn.fetchval(
                "SELECT count(*) FROM cases WHERE client_id = $1 AND status = 'assigned'", client_id)
            if done == len(case_ids):
                break
            await asyncio.sleep(0.5)
        rows = await conn.fetch("SELECT case_id::text, count(*) AS n FROM cases WHERE client_id = $1 GROUP BY 1",
                                client_id)
        assert len(rows) == len(case_ids) and all(r["n"] == 1 for r in rows)
        current_owners = await conn.fetchval(
            "SELECT count(*) FROM ownership o JOIN cases c USING (case_id) WHERE c.client_id = $1 AND o.valid_to IS NULL",
            client_id)
        assert current_owners == len(case_ids)
        # the relay has published every case.allocated (their rows deleted)
        await wait_until(lambda: conn.fetchval("SELECT count(*) = 0 FROM outbox"), timeout=60,
                         what="the relay to publish every case.allocated")
    finally:
        await conn.close()
        await stack.stop_service("allocation")

    wanted = set(case_ids)
    records = await read_topic(stack.bootstrap, "case.allocated", start=allocated_from,
                               until=lambda rs: len({orjson.loads(r.value)["case_id"] for r in rs} & wanted) >= len(wanted))
    ours = [orjson.loads(r.value) for r in records]
    ours = [e for e in ours if e["case_id"] in wanted]
    per_case: dict[str, int] = {}
    for e in ours:
        per_case[e["case_id"]] = per_case.get(e["case_id"], 0) + 1
    assert len(per_case) == len(case_ids)
    assert max(per_case.values()) == 1  # no case allocated twice across the restart
