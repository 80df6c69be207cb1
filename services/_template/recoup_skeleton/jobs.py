"""Background jobs (recoup_shared.jobs): each opens its own connection, never a request's."""

from __future__ import annotations

from prometheus_client import Gauge

from recoup_shared.jobs import Job

from .context import Ctx
from .store import cases

STALE_CASES = Gauge("recoup_skeleton_stale_cases", "Cases received longer ago than stale_after_days")


async def count_stale_cases(ctx: Ctx) -> None:
    async with ctx.pool.acquire() as conn:
        STALE_CASES.set(await cases.count_received_before(conn, ctx.clock.now(), ctx.settings.stale_after_days))


JOBS = [
    Job("stale-cases", count_stale_cases, every=60.0, initial_delay=1.0),
]
