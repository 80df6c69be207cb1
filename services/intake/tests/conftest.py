"""Fixtures of the intake tests: the service in-process on the session's throw-away stack (real
PostgreSQL, real Tansu, real lifespan with the outbox relay), tokens, realistic placements."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
import pytest_asyncio

from recoup_intake.settings import IntakeSettings
from recoup_local.demo import make_placement
from recoup_local.inprocess import RunningService, running_service
from recoup_shared.bus.envelope import parse
from recoup_shared.crypto import Protector


# httpx logs every request URL at INFO; identifiers in query strings have no business in test output.
logging.getLogger("httpx").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def intake_log_file(tmp_path_factory) -> Path:
    """Every intake app of the session logs here (logging is process-wide): the tests grep it
    for personal data (R-46)."""
    return tmp_path_factory.mktemp("intake-logs") / "intake.log"


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def intake_dsn(stack) -> str:
    """The intake tests' own database: their apps' outbox relays must not race with services
    that other test files run on the stack's `recoup_intake` database."""
    return await stack.new_database(package="recoup_intake")


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def intake(stack, intake_dsn, intake_log_file) -> AsyncIterator[RunningService]:
    # The recall job is run by its own tests (test_jobs_recalls.py) on a database of their own:
    # here it would recall, at a moment of its choosing, the placements other tests date in the past.
    async with running_service(stack, "intake", database_url=intake_dsn, log_file=str(intake_log_file),
                               log_level="DEBUG", recall_job=False) as svc:
        yield svc


@pytest.fixture(scope="session")
def protector() -> Protector:
    """The Protector of the local keys (what the in-process services use)."""
    return Protector.from_settings(IntakeSettings())


@pytest.fixture
def client_id() -> str:
    """A fresh client per test: tests share one database and must not see each other's data."""
    return f"bank-{uuid.uuid4().hex[:10]}"


def _auth(role: str | list[str], client_id: str | None = None, sub: str | None = None) -> dict[str, str]:
    roles = [role] if isinstance(role, str) else role
    from recoup_shared.auth import mint_token

    token = mint_token(sub=sub or (f"{client_id}-system" if client_id else f"{roles[0]}-1"),
                       roles=roles, client_id=client_id)
    return {"authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def auth() -> Callable[..., dict[str, str]]:
    """auth(role, client_id=None, sub=None) -> Authorization headers (local signing key)."""
    return _auth


@pytest.fixture
def as_client(client_id: str) -> dict[str, str]:
    """Headers of this test's client system."""
    return _auth("client", client_id)


@pytest.fixture
def placement() -> Callable[..., dict[str, Any]]:
    """placement(n, bad_rows=0, seed=None, **kw) -> a realistic contracts.md body, unique ref."""
    def make(n: int = 10, *, bad_rows: int = 0, seed: int | None = None, **kw: Any) -> dict[str, Any]:
        kw.setdefault("placement_ref", f"T-{uuid.uuid4().hex[:12]}")
        return make_placement(n, seed=seed if seed is not None else uuid.uuid4().int % 10**9,
                              bad_rows=bad_rows, **kw)
    return make


async def wait_published(svc: RunningService, ref: str, headers: dict[str, str], timeout: float = 60) -> dict:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        r = await svc.client.get(f"/v1/placements/{ref}", headers=headers)
        assert r.status_code == 200, r.text
        if r.json()["status"] == "published":
            return r.json()
        assert loop.time() < deadline, f"placement {ref} not published within {timeout}s"
        await asyncio.sleep(0.2)


async def outbox_events(svc: RunningService, *, case_ids: list[str] | None = None,
                        topic: str | None = None, timeout: float = 30) -> list[dict[str, Any]]:
    """Envelopes (as dicts) intake emitted, read back from the broker once the outbox relay has
    published them (it deletes rows as it publishes), in publication order per case."""
    from aiokafka import AIOKafkaConsumer, TopicPartition
    from aiokafka.partitioner import DefaultPartitioner

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    async with svc.pool.acquire() as conn:
        while await conn.fetchval(
                """SELECT EXISTS (SELECT 1 FROM outbox WHERE ($1::text[] IS NULL OR key = ANY($1::text[]))
                     AND ($2::text IS NULL OR topic = $2))""", case_ids, topic):
            if loop.time() > deadline:
                raise AssertionError("intake's outbox was not published in time")
            await asyncio.sleep(0.05)
    topics = [topic] if topic else ["case.received", "case.updated", "payment.posted"]
    settings = svc.app.state.settings
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap_servers, group_id=None,
                                enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        await consumer.topics()
        partitioner = DefaultPartitioner()
        tps = []
        for t in topics:
            parts = sorted(consumer.partitions_for_topic(t) or ())
            if case_ids is None:
                tps += [TopicPartition(t, p) for p in parts]
            else:
                tps += sorted({TopicPartition(t, partitioner(k.encode(), parts, parts)) for k in case_ids})
        consumer.assign(tps)
        await consumer.seek_to_beginning(*tps)
        wanted = set(case_ids) if case_ids is not None else None
        out: list[dict[str, Any]] = []
        idle_since = loop.time()
        while loop.time() - idle_since < 1.0:
            batch = await consumer.getmany(timeout_ms=200, max_records=10000)
            if batch:
                idle_since = loop.time()
            for records in batch.values():
                for r in records:
                    if wanted is None or r.key.decode() in wanted:
                        parse(r.value)  # a valid envelope
                        out.append(orjson.loads(r.value))
    finally:
        await consumer.stop()
    # Publication order per case; across cases (other partitions) the order of `case_ids`.
    rank = {c: i for i, c in enumerate(case_ids or ())}
    out.sort(key=lambda e: (e["occurred_at"], rank.get(e["case_id"], 0)))
    return out


@pytest.fixture(scope="session")
def helpers():
    """wait_published(svc, ref, headers) and outbox_events(svc, case_ids=, topic=)."""
    class H:
        pass
    h = H()
    h.wait_published = wait_published  # type: ignore[attr-defined]
    h.outbox_events = outbox_events    # type: ignore[attr-defined]
    return h
