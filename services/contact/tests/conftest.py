"""Fixtures of the contact service's tests: its own fresh database on the session's throw-away stack,
a context and a pool for use-case and handler tests, the service running in-process (real pool,
real broker, real lifespan), and a business clock the tests move through a clock file."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from types import SimpleNamespace

import pytest
import pytest_asyncio

from recoup_local import contact_factories as cf
from recoup_local.factories import as_envelopes
from recoup_local.inprocess import running_service
from recoup_shared.auth import Principal
from recoup_shared.clock import write_clock_file
from recoup_shared.context import base_context
from recoup_shared.db import create_pool

SERVICE = "contact"
# A Monday in the debtor's zone, inside the 08:00-21:00 window; 2026's calendar is published.
START = "fixed:2026-12-07T10:00:00+08:00"


@pytest.fixture(scope="module")
def clock_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("clock") / "clock"
    write_clock_file(str(path), START)
    return path


@pytest.fixture
def at(clock_file):
    """at("2026-12-07T20:59:59+08:00"): move the business clock of the tests' contexts and services."""
    def move(moment: str) -> None:
        write_clock_file(str(clock_file), f"fixed:{moment}")
    yield move
    write_clock_file(str(clock_file), START)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def db_dsn(stack) -> str:
    return await stack.new_database(package=f"recoup_{SERVICE}")


def settings(db_dsn: str, clock_file: Path, **overrides):
    from recoup_contact.settings import ContactSettings

    values = dict(profile="test", database_url=db_dsn, clock_file=str(clock_file), local_pbx_delay_seconds=0.05,
                  pbx_kind="local")
    values.update(overrides)
    return ContactSettings(**values)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def ctx(db_dsn, clock_file) -> AsyncIterator:
    """The service's context on the test database, for use-case, handler and job tests."""
    from recoup_contact.context import build

    pool = await create_pool(db_dsn, min_size=1, max_size=8)
    base = base_context(SERVICE, settings(db_dsn, clock_file), pool=pool)
    c = await build(base)
    yield c
    await c.close()
    await pool.close()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def service(stack, db_dsn, clock_file):
    async with running_service(stack, SERVICE, database_url=db_dsn, clock_file=str(clock_file),
                               local_pbx_delay_seconds=0.05, local_pbx_answer_pct=100) as svc:
        yield svc


def who(sub: str = "col-1", *roles: str, team: str | None = "t1", client_id: str | None = None) -> Principal:
    return Principal(sub=sub, roles=frozenset(roles or ("collector",)), team_id=team, client_id=client_id)


async def apply(ctx, envelopes: list[dict]) -> None:
    """Run the service's handlers on these events, as the consumer would (one transaction per type)."""
    from recoup_contact.handlers import HANDLERS

    by_type: dict[str, list[dict]] = {}
    for env in envelopes:
        by_type.setdefault(env["event_type"], []).append(env)
    async with ctx.pool.acquire() as conn, conn.transaction():
        for event_type, envs in by_type.items():
            await HANDLERS[event_type](conn, ctx, as_envelopes(envs))


async def new_case(ctx, *, owner: str = "col-1", team: str = "t1", client_id: str = "zhbank", i: int | None = None,
                   allocated_at: str = "2026-12-07T09:00:00+08:00", **kw) -> str:
    """A received and allocated case; returns its id."""
    from datetime import datetime

    case_id = str(uuid.uuid4())
    n = i if i is not None else uuid.UUID(case_id).int % 1_000_000
    await apply(ctx, [cf.received(case_id, client_id, n, **kw)])
    await apply(ctx, [cf.allocated(case_id, owner, client_id, team=team,
                                   at=datetime.fromisoformat(allocated_at))])
    return case_id


@pytest.fixture
def h():
    """Helpers shared by the tests (a namespace: tests cannot import conftest)."""
    return SimpleNamespace(who=who, apply=apply, new_case=new_case, cf=cf)
