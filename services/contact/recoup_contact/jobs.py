"""Background jobs (recoup_shared.jobs): each opens its own connection, reads time from ctx.clock, and
is safe with several replicas (rows claimed with FOR UPDATE SKIP LOCKED, per-case locks, idempotent
steps).

- ptp-expiry: promises not kept turn BROKEN_PTP the day after their date in the debtor's zone (R-23).
- settle-reservations: gate reservations whose outcome never came count as unanswered attempts.
- calls-without-record: a call with no contact record after the grace time is flagged (R-19, R-48).
- system-policy: RECOUP_COMPLIANCE_SYSTEM_POLICY stored (and published) as the system level when
  none was saved yet.
- quality-sample: the last full week's contact records sampled into the inspection queue once
  (the week's row is the claim), sampled attempts re-checked by the engine's replay (R-48).
"""

from __future__ import annotations

from recoup_shared.jobs import Job

from .context import Ctx
from .usecases.levels import seed_system_level
from .usecases.promises import judge_due
from .usecases.quality import sample_week
from .usecases.telephony import flag_calls_without_record, settle_stale_reservations


async def ptp_expiry(ctx: Ctx) -> float | None:
    return await judge_due(ctx)


async def settle_reservations(ctx: Ctx) -> float | None:
    return await settle_stale_reservations(ctx)


async def calls_without_record(ctx: Ctx) -> float | None:
    return await flag_calls_without_record(ctx)


async def system_policy(ctx: Ctx) -> float | None:
    return await seed_system_level(ctx)


async def quality_sample(ctx: Ctx) -> float | None:
    return await sample_week(ctx)


def jobs_for(settings) -> list[Job]:
    """JOBS of one app: their intervals are settings (RECOUP_*_EVERY_SECONDS)."""
    return [
        Job("ptp-expiry", ptp_expiry, every=settings.ptp_expiry_every_seconds, initial_delay=1.0),
        Job("settle-reservations", settle_reservations, every=settings.settle_every_seconds, initial_delay=5.0),
        Job("calls-without-record", calls_without_record, every=settings.call_check_every_seconds,
            initial_delay=5.0),
        Job("quality-sample", quality_sample, every=settings.quality_sample_every_seconds, initial_delay=10.0),
        Job("system-policy", system_policy, every=3600.0, initial_delay=1.0,
            enabled=lambda s: bool(s.compliance_system_policy)),
    ]
