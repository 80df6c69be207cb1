"""Background jobs (recoup_shared.jobs), one runner per replica; each run opens its own
connection from ctx.pool, never a request's.

- auto-allocation (R-8): woken by NOTIFY (new cases, resumed cases, staff/rule changes) after a
  short debounce so a placement's burst of batches becomes one run, plus a periodic poll. Each run
  is one transaction under the allocation advisory lock, taken with a try-lock: with several
  replicas one runs and the others skip (and retry shortly), never allocating a case twice.
- housekeeping: previews past their time become `expired`; items of old uncommitted plans go.
- rotation-check (R-12): on or after the first working day of a month it runs once per client for
  the month just ended — the rotation_runs register makes it once, across restarts and replicas.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from recoup_shared.jobs import Job
from recoup_shared.logging import get_logger

from .context import Ctx
from .store import facts, plans
from .store.staff import WAKE_CHANNEL
from .usecases import auto, rotation

log = get_logger(__name__)

BUSY_RETRY_SECONDS = 0.5  # another replica or a commit holds the allocation lock


async def allocate_once(ctx: Ctx) -> auto.AutoResult:
    """One automatic allocation run in its own transaction."""
    async with ctx.pool.acquire() as conn, conn.transaction():
        result = await auto.auto_allocate(conn, ctx)
    if result.considered:
        log.info("auto-allocation run", considered=result.considered, allocated=result.allocated,
                 unplaced=result.unplaced, plans=result.plan_ids)
    return result


async def auto_allocation(ctx: Ctx) -> float | None:
    result = await allocate_once(ctx)
    if result.busy:
        return BUSY_RETRY_SECONDS
    if result.considered >= ctx.settings.auto_allocate_max_cases:
        return 0  # more is waiting
    return None


async def housekeeping(ctx: Ctx) -> None:
    async with ctx.pool.acquire() as conn:
        expired, purged = await plans.expire_plans(conn, ctx.clock.now(), ctx.settings.plan_retention_days)
    if expired or purged:
        log.info("plans expired", expired=expired, items_purged=purged)


async def rotation_check(ctx: Ctx, today: date | None = None) -> list[dict[str, Any]]:
    """R-12: once per month and client, on or after the month's first working day, for the
    month just ended. Returns what it did (one entry per client run now)."""
    month = rotation.month_due(ctx, today or ctx.clock.today())
    if month is None:
        return []
    async with ctx.pool.acquire() as conn:
        clients = await facts.rotation_clients(conn, True)
    done = []
    for client_id in clients:  # one transaction per client: a failure leaves the others done
        async with ctx.pool.acquire() as conn, conn.transaction():
            ran = await rotation.rotate_client(conn, ctx, month, client_id)
        if ran is not None:
            done.append(ran)
    return done


async def _rotation_job(ctx: Ctx) -> None:
    await rotation_check(ctx)


JOBS = [
    Job("auto-allocation", auto_allocation, every=lambda s: s.auto_allocate_interval_seconds,
        wake_on=WAKE_CHANNEL, debounce=lambda s: s.auto_allocate_debounce_seconds,
        enabled=lambda s: s.auto_allocate_enabled),
    Job("housekeeping", housekeeping, every=lambda s: s.housekeeping_seconds),
    Job("rotation-check", _rotation_job, every=lambda s: s.rotation_check_interval_seconds,
        enabled=lambda s: s.rotation_enabled),
]
