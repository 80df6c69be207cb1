"""The allocation service (port 8002): collectors, teams, client rules, the case pool, every
strategy of R-10, automatic allocation inside the SLA (R-8), monthly rotation (R-12), lifecycle
(R-13) and the ownership history billing attributes repayments by. Wiring only.

Run: `uvicorn recoup_allocation.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from recoup_shared.web import create_service_app

from .api import ROUTERS
from .context import build
from .handlers import HANDLERS
from .jobs import JOBS
from .settings import AllocationSettings

SETTINGS_CLASS = AllocationSettings


def create_app(settings: AllocationSettings | None = None) -> FastAPI:
    return create_service_app(
        name="allocation", settings=settings or AllocationSettings(), routers=ROUTERS,
        handlers=HANDLERS, jobs=JOBS, context=build, title="Recoup allocation",
        description="Collectors, teams, client rules; allocation strategies with preview/commit; "
                    "automatic allocation (R-8), rotation (R-12), lifecycle (R-13), ownership history.")
