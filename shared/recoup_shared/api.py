"""What every service's `api/deps.py` builds on: typed FastAPI dependencies.

    from recoup_shared.api import Conn, get_context, roles
    Context = Annotated[Ctx, Depends(get_context)]         # the service's own Ctx type
    TeamLead = roles(Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN)

    @router.post("/v1/things")
    async def create(body: ThingIn, conn: Conn, ctx: Context, who: TeamLead) -> ThingOut:
        return await usecases.things.create(conn, ctx, who, body)

`Conn` is one connection and ONE transaction per request, committed when the route returns and
rolled back when it raises: use cases and store functions never commit (architecture.md). A
problem class with `keeps_writes = True` (e.g. a compliance refusal that must stay recorded) commits
what the request wrote before raising it, then answers the problem; every other error rolls the
whole request back, so bad input writes nothing. `ReadConn` is for read-only routes: no
BEGIN/COMMIT (under READ COMMITTED a transaction adds no consistency to separate reads, and costs
two round trips on the busiest routes).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request

from .auth import Authenticated, ClientSystem, Principal, Staff, require_roles  # noqa: F401


async def _conn(request: Request) -> AsyncIterator[asyncpg.Connection]:
    async with request.app.state.pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        try:
            yield conn
        except BaseException as exc:
            if getattr(exc, "keeps_writes", False):
                await tx.commit()
            else:
                await tx.rollback()
            raise
        else:
            await tx.commit()


async def _read_conn(request: Request) -> AsyncIterator[asyncpg.Connection]:
    async with request.app.state.pool.acquire() as conn:
        yield conn


async def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


async def get_context(request: Request) -> Any:
    """The service's Ctx (context.py), built once in the lifespan (async: a sync dependency would
    cost a thread hop per request)."""
    return request.app.state.ctx


Conn = Annotated[asyncpg.Connection, Depends(_conn)]
ReadConn = Annotated[asyncpg.Connection, Depends(_read_conn)]
Pool = Annotated[asyncpg.Pool, Depends(_pool)]


def roles(*allowed: str) -> Any:
    """A typed role dependency: `TeamLead = roles(Role.TEAM_LEAD, Role.SUPERVISOR)` (R-45)."""
    return Annotated[Principal, Depends(require_roles(*allowed))]
