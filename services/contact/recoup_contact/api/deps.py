"""Typed dependencies of this service's routes: Conn (one transaction per request; ReadConn for GETs:
no transaction), Context (the service's Ctx) and the role dependencies (R-45).

Conn differs from the shared one in one respect: a problem raised with `keeps_writes` (the gate's
refusal, GateRefused) commits what the request wrote before it — the recorded refusal — and then
answers the problem; every other error rolls the whole request back, so bad input writes nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

import asyncpg
from fastapi import Depends, Path, Request

from recoup_shared.api import roles
from recoup_shared.auth import ClientSystem, Staff  # noqa: F401 - re-exported for routes

from ..context import Ctx
from ..settings import (CASE_READERS, COMPLAINT_RESOLVERS, CONFIG_ADMINS, CONTACT_WRITERS, INBOUND_LOGGERS,
                        RECONCILERS, REPORTERS)


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


async def _ctx(request: Request) -> Ctx:
    """The service's Ctx (an async dependency: a sync one would cost a thread hop per request)."""
    return request.app.state.ctx


async def _read_conn(request: Request) -> AsyncIterator[asyncpg.Connection]:
    """Reads (GET): a connection without BEGIN/COMMIT. Under READ COMMITTED every statement has its
    own snapshot inside a transaction too, so a read-only request loses nothing and saves two round
    trips (the worklist and the case page are the collectors' busiest routes)."""
    async with request.app.state.pool.acquire() as conn:
        yield conn


Conn = Annotated[asyncpg.Connection, Depends(_conn)]
ReadConn = Annotated[asyncpg.Connection, Depends(_read_conn)]
Context = Annotated[Ctx, Depends(_ctx)]

CaseReader = roles(*CASE_READERS)
ContactWriter = roles(*CONTACT_WRITERS)
InboundLogger = roles(*INBOUND_LOGGERS)
ConfigAdmin = roles(*CONFIG_ADMINS)
Reconciler = roles(*RECONCILERS)
Reporter = roles(*REPORTERS)
ComplaintResolver = roles(*COMPLAINT_RESOLVERS)

CaseId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
ClientId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:\-]+$")]
