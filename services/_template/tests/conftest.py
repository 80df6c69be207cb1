"""Fixtures of this service's tests: its own fresh database on the session's throw-away stack,
and the service running in-process against it (real pool, real broker, real lifespan)."""

from __future__ import annotations

import pytest_asyncio

from recoup_local.inprocess import running_service

SERVICE = "skeleton"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def db_dsn(stack) -> str:
    return await stack.new_database(package=f"recoup_{SERVICE}")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def service(stack, db_dsn):
    async with running_service(stack, SERVICE, database_url=db_dsn) as svc:
        yield svc
