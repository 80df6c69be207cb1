"""Fixtures of allocation's tests: a fresh database per test (on the session's throw-away stack)
with a pool, and the service's Ctx built the way the app builds it."""

from __future__ import annotations

from typing import Any

import pytest
import pytest_asyncio

from recoup_allocation.context import Ctx
from recoup_allocation.settings import AllocationSettings
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
