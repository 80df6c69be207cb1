"""What every service's `api/deps.py` builds on: typed FastAPI dependencies.

    from recoup_shared.api import Conn, get_context, roles
    Context = Annotated[Ctx, Depends(get_context)]         # the service's own Ctx type
    TeamLead = roles(Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN)

    @router.post("/v1/things")
    async def create(body: ThingIn, conn: Conn, ctx: Context, who: TeamLead) -> ThingOut:
        return await usecases.things.create(conn, ctx, who, body)

`Conn` is one connection and ONE transaction per request, committed when the route returns and
rolled back when it raises: use cases and store functions never commit (architecture.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request

from .auth import Authenticated, ClientSystem, Principal, Staff, require_roles  # noqa: F401


async def _conn(request: Request) -> AsyncIterator[asyncpg.Connection]:
    async with request.app.state.pool.acquire() as conn, conn.transaction():
        yield conn


async def _pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


def get_context(request: Request) -> Any:
    """The service's Ctx (context.py), built once in the lifespan."""
    return request.app.state.ctx


Conn = Annotated[asyncpg.Connection, Depends(_conn)]
Pool = Annotated[asyncpg.Pool, Depends(_pool)]


def roles(*allowed: str) -> Any:
    """A typed role dependency: `TeamLead = roles(Role.TEAM_LEAD, Role.SUPERVISOR)` (R-45)."""
    return Annotated[Principal, Depends(require_roles(*allowed))]
