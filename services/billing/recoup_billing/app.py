"""The billing service (port 8006): wiring only. Run: `uvicorn recoup_billing.app:create_app --factory`.

Fee schedules, recovery rates, fee tiers, monthly statements and collector performance
(R-39..R-44), built from case.*, payment.posted, case.allocated and contact.logged events.
Definitions: README.md and store/close.py."""

from __future__ import annotations

from fastapi import FastAPI

from recoup_shared.web import create_service_app

from .api import ROUTERS
from .context import build
from .handlers import HANDLERS
from .jobs import JOBS
from .settings import BillingSettings

SETTINGS_CLASS = BillingSettings


def create_app(settings: BillingSettings | None = None) -> FastAPI:
    return create_service_app(
        name="billing", settings=settings or BillingSettings(), routers=ROUTERS, handlers=HANDLERS,
        jobs=JOBS, context=build, title="Recoup billing",
        description="Fee schedules, recovery rates, fee tiers and monthly statements (R-39..R-44); "
                    "collector performance (R-43).",
    )  # no outbox relay: billing emits nothing (deploy/k8s/services.yaml)
