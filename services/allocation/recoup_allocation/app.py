"""The allocation service (port 8002): collectors, teams, client rules, the case pool, every
strategy of R-10, automatic allocation inside the SLA (R-8), monthly rotation (R-12), lifecycle
(R-13) and the ownership history billing attributes repayments by.

`create_app()` builds on the shared factory: the lifespan gives the pool, calendar, producer,
outbox relay and the consumer of case.received / case.updated / payment.posted / contact.logged;
on top of it this service starts its scheduler (auto-allocation and monthly rotation loops).
"""

from __future__ import annotations

from fastapi import FastAPI
from pydantic import Field, field_validator

from recoup_shared.settings import ServiceSettings
from recoup_shared.web import create_service_app

from .api import ROUTERS
from .handlers import Config, handlers_for
from .rules import FIRST_CONTACT_WORKING_DAYS, Strategy
from .scheduler import Scheduler


class AllocationSettings(ServiceSettings):
    """Environment: RECOUP_<FIELD> (e.g. RECOUP_AUTO_ALLOCATE_INTERVAL_SECONDS=10)."""

    service_name: str = "allocation"

    # R-8 automatic allocation: woken by NOTIFY after new cases, plus this periodic poll.
    auto_allocate_enabled: bool = True
    auto_allocate_interval_seconds: float = Field(default=30.0, gt=0)
    auto_allocate_debounce_seconds: float = Field(default=0.3, ge=0)
    # A case no collector could take is retried after this back-off (or at once when staff,
    # collectors or client rules change).
    auto_allocate_retry_seconds: float = Field(default=300.0, ge=0)
    auto_allocate_max_cases: int = Field(default=200_000, gt=0)
    # Clients with no client_rules row: allocated automatically (so nothing silently misses the
    # SLA) with this strategy. A client row overrides both.
    auto_allocate_unconfigured_clients: bool = True
    default_strategy: Strategy = Strategy.AUTO_MATCH

    # R-8 SLA: allocated within this many working days of arrival (end of that day, local time).
    sla_working_days: int = Field(default=1, ge=0)
    # R-20 first contact due-by: working days after allocation.
    first_contact_working_days: int = Field(default=FIRST_CONTACT_WORKING_DAYS, ge=0)

    # Previews: a plan not committed within this many minutes expires.
    plan_ttl_minutes: int = Field(default=30, gt=0)
    plan_retention_days: int = Field(default=30, gt=0)   # items of uncommitted plans are purged
    preview_max_cases: int = Field(default=200_000, gt=0)

    # R-12 monthly rotation: checked by a background loop; runs once per month and client on or
    # after the month's first working day, evaluating the month just ended.
    rotation_enabled: bool = True
    rotation_auto_commit: bool = False   # otherwise the run leaves a preview for the team lead
    rotation_strategy: Strategy = Strategy.BY_AMOUNT
    rotation_check_interval_seconds: float = Field(default=3600.0, gt=0)
    rotation_plan_ttl_minutes: int = Field(default=3 * 24 * 60, gt=0)
    # Cases whose collection a client flag stopped are not rotated.
    rotation_skip_flags: list[str] = ["dispute", "fraud_claim", "stolen_card", "do_not_contact"]

    # R-17 client flags stop collection (the contact service enforces it); by default the case
    # keeps its owner. Flags listed here pause the case instead (owner released) until lifted.
    pause_on_flags: list[str] = []

    page_size_max: int = Field(default=500, gt=0)

    @field_validator("default_strategy", "rotation_strategy")
    @classmethod
    def _planning_strategy(cls, v: Strategy) -> Strategy:
        if v is Strategy.MANUAL:
            raise ValueError("manual needs a collector: choose a planning strategy")
        return v


SETTINGS_CLASS = AllocationSettings


def create_app(settings: AllocationSettings | None = None) -> FastAPI:
    settings = settings or AllocationSettings(service_name="allocation")

    async def on_startup(app: FastAPI) -> None:
        app.state.scheduler = Scheduler(app.state.pool, settings, app.state.calendar)
        await app.state.scheduler.start()

    async def on_shutdown(app: FastAPI) -> None:
        scheduler = getattr(app.state, "scheduler", None)
        if scheduler is not None:
            await scheduler.stop()

    return create_service_app(
        name="allocation", settings=settings, routers=ROUTERS,
        handlers=handlers_for(Config(timezone=settings.timezone,
                                     pause_on_flags=tuple(settings.pause_on_flags))),
        title="Recoup allocation",
        description="Collectors, teams, client rules; allocation strategies with preview/commit; "
                    "automatic allocation (R-8), rotation (R-12), lifecycle (R-13), ownership history.",
        on_startup=on_startup, on_shutdown=on_shutdown)
