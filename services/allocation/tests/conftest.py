"""Fixtures of allocation's tests: a fresh database per test (on the session's throw-away stack)
with a pool, and the service's Ctx built the way the app builds it."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import pytest_asyncio

from recoup_allocation.context import Ctx
from recoup_allocation.settings import AllocationSettings
from recoup_local.allocation_seeds import seed_cases
from recoup_local.inprocess import running_service
from recoup_shared.context import base_context
from recoup_shared.db import create_pool


@pytest_asyncio.fixture(loop_scope="session")
async def db(stack):
    dsn = await stack.new_database(package="recoup_allocation")
    p = await create_pool(dsn, min_size=1, max_size=4)
    yield p
    await p.close()


@pytest.fixture
def make_ctx(db):
    """make_ctx(**settings): the service's Ctx on this test's database, with these settings
    (automatic allocation off unless asked for)."""
    def make(**settings: Any) -> Ctx:
        values: dict[str, Any] = {"profile": "test", "auto_allocate_enabled": False, **settings}
        return Ctx.extend(base_context("allocation", AllocationSettings(**values), pool=db))
    return make


@pytest.fixture
def ctx(make_ctx):
    return make_ctx()


# --- the service over HTTP (test_api*.py) --------------------------------------------------------
PROBLEM = "application/problem+json"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def svc(stack):
    """The service in-process on its own database; automatic allocation off so the tests decide
    who allocates."""
    dsn = await stack.new_database(package="recoup_allocation")
    async with running_service(stack, "allocation", database_url=dsn, auto_allocate_enabled=False,
                               rotation_enabled=False, pause_on_flags=["dispute"]) as s:
        yield s


def _problem(r: Any, status: int, type_: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("https://")
    if type_:
        assert body["type"].endswith("/" + type_), body["type"]
    return body


@pytest.fixture
def problem():
    """problem(response, status, type=None): a problem+json answer of that status (and type)."""
    return _problem


class World:
    """One team with collectors, a client with rules, and unassigned cases — unique per test."""

    def __init__(self, svc, n_collectors=3, n_cases=12, **collector_fields):
        self.svc, self.t = svc, uuid.uuid4().hex[:6]
        self.team, self.client = f"team-{self.t}", f"bank-{self.t}"
        self.lead = f"lead-{self.t}"
        self.collectors = [f"c{i}-{self.t}" for i in range(n_collectors)]
        self.n_cases, self.collector_fields = n_cases, collector_fields
        self.admin = svc.auth("admin", sub="admin-1")
        self.lead_h = svc.auth("team_lead", sub=self.lead, team_id=self.team)
        self.cases: list[str] = []

    def as_collector(self, i: int = 0):
        return self.svc.auth("collector", sub=self.collectors[i])

    async def build(self) -> "World":
        c = self.svc.client
        r = await c.post("/v1/teams", headers=self.admin, json={"team_id": self.team, "name": "催收一组",
                                                                "lead_id": self.lead})
        assert r.status_code == 201, r.text
        for cid in self.collectors:
            r = await c.post("/v1/collectors", headers=self.admin, json={
                "collector_id": cid, "name": "王芳", "team_id": self.team, **self.collector_fields})
            assert r.status_code == 201, r.text
        r = await c.put(f"/v1/client-rules/{self.client}", headers=self.admin,
                        json={"default_strategy": "by_count", "auto_allocate": False})
        assert r.status_code == 201, r.text
        async with self.svc.pool.acquire() as conn:
            self.cases = await seed_cases(conn, n=self.n_cases, client_id=self.client, prefix=self.t)
        return self

    async def allocate(self, strategy="by_count") -> dict:
        r = await self.svc.client.post("/v1/allocations/preview", headers=self.admin,
                                       json={"client_id": self.client, "strategy": strategy,
                                             "team_ids": [self.team]})
        assert r.status_code == 201, r.text
        r = await self.svc.client.post(f"/v1/allocations/{r.json()['plan_id']}/commit", headers=self.admin)
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture
def world(svc):
    """world(n_collectors=3, n_cases=12, **collector fields): a World to `await ....build()`."""
    return lambda *args, **kwargs: World(svc, *args, **kwargs)
