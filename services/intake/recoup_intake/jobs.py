"""Background jobs (recoup_shared.jobs): each opens its own connections, never a request's.

- placement-recalls (R-5, R-13): every placement whose recall day has come (the business date of
  ctx.clock; a non-working recall day as the client's contract says, ctx.calendar) has its
  still-open cases recalled, once — several replicas share the work: each placement is taken with
  FOR UPDATE SKIP LOCKED and its run recorded on it (usecases/recalls.py).
"""

from __future__ import annotations

from prometheus_client import Counter

from recoup_shared.jobs import Job

from .context import Ctx
from .settings import IntakeSettings
from .usecases import recalls

CASES_RECALLED_ON_DATE = Counter("recoup_intake_cases_recalled_on_date_total",
                                 "Cases recalled because their placement's recall date came (R-5)")


async def placement_recalls(ctx: Ctx) -> float | None:
    today = ctx.clock.today()
    async with ctx.pool.acquire() as conn:  # type: ignore[union-attr]
        for p in await recalls.due_placements(conn, ctx, today):
            async with conn.transaction():  # one placement per transaction: 100,000 cases at most
                recalled = await recalls.recall_on_date(conn, ctx, p["id"], today)
            if recalled:
                CASES_RECALLED_ON_DATE.inc(recalled)
    return None


def jobs_for(settings: IntakeSettings) -> list[Job]:
    return [Job("placement-recalls", placement_recalls, every=settings.recall_check_seconds, initial_delay=5.0,
                enabled=lambda s: s.recall_job)]

