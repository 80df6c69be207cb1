"""Fixtures of the letters service's tests: its own fresh database on the session's throw-away stack,
the service running in-process against it (real pool, real broker, real lifespan, PDF worker
processes), and a context of its own for the use-case and handler tests (real database, no mocks).

The business clock runs from 2026-11-25 10:00 Beijing time (a Wednesday, after the planning hour)."""

from __future__ import annotations

import uuid

import asyncpg
import pytest
import pytest_asyncio

from recoup_letters.context import build
from recoup_letters.settings import LettersSettings
from recoup_local.inprocess import running_service
from recoup_shared.auth import Principal
from recoup_shared.context import base_context
from recoup_shared.db import create_pool

SERVICE = "letters"
CLOCK = "from:2026-11-25T10:00:00+08:00"
CLERK = Principal(sub="clerk-1", roles=frozenset({"letters_clerk"}))
SUPERVISOR = Principal(sub="sup-1", roles=frozenset({"supervisor"}))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def db_dsn(stack) -> str:
    return await stack.new_database(package=f"recoup_{SERVICE}")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("letters-data"))


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def service(stack, db_dsn, data_dir):
    async with running_service(stack, SERVICE, database_url=db_dsn, data_dir=data_dir, clock=CLOCK, clock_file=None,
                               pdf_workers=2, letters_per_file=3, planning_check_seconds=3600) as svc:
        yield svc


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def ctx(db_dsn, data_dir):
    """The service's Ctx without the app (use cases, handlers, jobs), rendering in a thread."""
    settings = LettersSettings(profile="test", database_url=db_dsn, data_dir=data_dir, clock=CLOCK,
                               pdf_workers=0, letters_per_file=2)
    pool = await create_pool(db_dsn, min_size=1, max_size=4)
    ctx = await build(base_context(SERVICE, settings, pool=pool))
    try:
        yield ctx
    finally:
        await ctx.close()
        await pool.close()


@pytest_asyncio.fixture(loop_scope="session")
async def conn(db_dsn):
    c = await asyncpg.connect(db_dsn)
    try:
        yield c
    finally:
        await c.close()


@pytest.fixture
def client_id() -> str:
    """A client of its own per test: tests never see each other's letters."""
    return f"cl-{uuid.uuid4().hex[:8]}"
