"""The intake service: the clients' door (placements, uploads, repayments, updates, recalls) and
the staff's case search and reads (R-1..R-7, R-25, R-46).

Run: `uvicorn recoup_intake.app:create_app --factory`.
"""

from __future__ import annotations

import asyncio

from fastapi import FastAPI
from pydantic import Field

from recoup_shared.settings import ServiceSettings
from recoup_shared.web import create_service_app

from .handlers import HANDLERS


class IntakeSettings(ServiceSettings):
    service_name: str = "intake"
    database_url: str = "postgresql://postgres@127.0.0.1:55432/recoup_intake"

    # Size limits (issue 2 §3: at least 100,000 cases per request). Over the limit -> 413.
    max_cases_per_placement: int = Field(default=200_000, ge=1)
    max_repayments_per_request: int = Field(default=1_000_000, ge=1)
    max_updates_per_request: int = Field(default=200_000, ge=1)
    max_recall_accounts: int = Field(default=200_000, ge=1)
    max_upload_bytes: int = Field(default=200 * 1024 * 1024, ge=1)

    # a placement is imported within 1 hour of arrival, 3 hours at most.
    import_sla_target_seconds: int = 3600
    import_sla_max_seconds: int = 3 * 3600
    # contracts.md: recall_on defaults to placed_on + 3 months.
    default_placement_months: int = 3
    # A repayment dated later than now + this tolerance is a row error (clock skew allowance).
    repayment_future_tolerance_seconds: int = 24 * 3600

    # roles that may read full ID/card/phone/address values (each read audit-logged).
    reveal_roles: frozenset[str] = frozenset({"admin", "supervisor", "data_specialist"})
    # Roles that may read a client's placements through the staff door (?client_id=).
    placement_reader_roles: frozenset[str] = frozenset(
        {"admin", "supervisor", "data_specialist", "auditor", "team_lead", "finance"})
    # templates are agency configuration, written by these roles.
    template_writer_roles: frozenset[str] = frozenset({"admin", "data_specialist"})
    audit_reader_roles: frozenset[str] = frozenset({"auditor", "admin"})

    page_default: int = 100
    page_max: int = 10_000
    # Encryption and event building run off the event loop in chunks of this many cases, each
    # chunk's COPY overlapping the preparation of the next.
    prepare_chunk_size: int = Field(default=10_000, ge=1)
    # Worker processes for big placements (validation, encryption, rows, events: pure Python, one
    # core per process); 0 = everything in the service process. Placements of fewer cases than
    # parallel_min_cases stay in the service process (a worker thread).
    placement_workers: int = Field(default=2, ge=0)
    parallel_min_cases: int = Field(default=5_000, ge=1)
    # A JSON body of at least parallel_min_bytes is cut into pieces of about split_segment_bytes
    # that the workers decode themselves (the service never holds the decoded cases).
    parallel_min_bytes: int = Field(default=4 * 1024 * 1024, ge=1)
    split_segment_bytes: int = Field(default=4 * 1024 * 1024, ge=1)
    # at most this many other cases listed per case (events and joint_debt_links).
    max_joint_links: int = Field(default=50, ge=1)


async def _start_workers(app: FastAPI) -> None:
    from .parallel import PlacementWorkers
    from recoup_shared.crypto import Protector

    settings = app.state.settings
    app.state.placement_workers = None
    if settings.placement_workers > 0:
        workers = PlacementWorkers(settings.placement_workers, Protector.from_settings(settings))
        await workers.start()
        app.state.placement_workers = workers


async def _stop_workers(app: FastAPI) -> None:
    workers = getattr(app.state, "placement_workers", None)
    if workers is not None:
        app.state.placement_workers = None
        await asyncio.to_thread(workers.shutdown)


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    from .api import ROUTERS

    return create_service_app(
        name="intake", settings=settings or IntakeSettings(), routers=ROUTERS, handlers=HANDLERS,
        on_startup=_start_workers, on_shutdown=_stop_workers,
        title="Recoup intake",
        description=(
            "Client systems push placements (JSON or CSV/XLSX through an import template), "
            "repayments, balance/contact updates and recalls; staff search and read cases. "
            "Errors are application/problem+json."),
    )
SETTINGS_CLASS = IntakeSettings
