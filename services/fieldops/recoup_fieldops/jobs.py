"""Background jobs (recoup_shared.jobs): each opens its own connection, never a request's; work
that must happen once across replicas takes a try-lock and skips when another replica has it.

- escalate-visits (R-35): visits not done 5 days after approval are marked escalated (the list:
  GET /v1/visits/escalated); counted, and the open ones gauged, for Prometheus;
- release-unvisited: planned visits of past days nobody started go back to the approved pool;
- auto-plan (R-34): from `auto_plan_at` (business zone) tomorrow is planned once, unless a plan
  run for it exists already.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from prometheus_client import Counter, Gauge

from recoup_shared.jobs import Job
from recoup_shared.locks import try_xact_lock

from .context import Ctx
from .store import plans, visits
from .usecases import planning

VISITS_ESCALATED = Counter("recoup_fieldops_visits_escalated_total",
                           "Visits escalated: not done within the escalation days of approval (R-35)")
ESCALATED_OPEN = Gauge("recoup_fieldops_visits_escalated_open",
                       "Escalated visits still open (approved, planned or under way)")
VISITS_RELEASED = Counter("recoup_fieldops_visits_released_total",
                          "Planned visits nobody started, returned to the approved pool")
PLANS_MADE = Counter("recoup_fieldops_auto_plans_total", "Days planned by the auto-plan job")


async def escalate_visits(ctx: Ctx) -> None:
    async with ctx.pool.acquire() as conn, conn.transaction():
        if not await try_xact_lock(conn, "job", "escalate-visits"):
            return
        n = await visits.escalate_due(conn, ctx.clock.now())
        VISITS_ESCALATED.inc(n)
        ESCALATED_OPEN.set(await visits.count_open_escalated(conn))


async def release_unvisited(ctx: Ctx) -> None:
    async with ctx.pool.acquire() as conn, conn.transaction():
        if not await try_xact_lock(conn, "job", "release-unvisited"):
            return
        VISITS_RELEASED.inc(await planning.release_past_days(conn, ctx))


def _due(ctx: Ctx, now: datetime) -> bool:
    local = now.astimezone(ctx.clock.zone)
    return local.time() >= ctx.auto_plan_at


async def auto_plan(ctx: Ctx) -> None:
    now = ctx.clock.now()
    if not _due(ctx, now):
        return
    day = now.astimezone(ctx.clock.zone).date() + timedelta(days=1)
    async with ctx.pool.acquire() as conn, conn.transaction():
        if not await try_xact_lock(conn, "job", "auto-plan") or await plans.last_run(conn, day):
            return
        await planning.plan(conn, ctx, "system:auto-plan", day)
        PLANS_MADE.inc()


def jobs_for(settings) -> list[Job]:
    """The jobs with the intervals of the settings (RECOUP_*_SECONDS)."""
    return [
        Job("escalate-visits", escalate_visits, every=settings.escalation_check_seconds, initial_delay=1.0),
        Job("release-unvisited", release_unvisited, every=settings.release_check_seconds,
            initial_delay=5.0),
        Job("auto-plan", auto_plan, every=settings.auto_plan_check_seconds, initial_delay=10.0,
            enabled=lambda s: s.auto_plan),
    ]
