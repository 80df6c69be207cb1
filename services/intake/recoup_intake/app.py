"""The intake service: the clients' door (placements, uploads, repayments, updates, recalls) and
the staff's case search and reads (R-1..R-7, R-25, R-46). Wiring only.

Run: `uvicorn recoup_intake.app:create_app --factory`.
"""

from __future__ import annotations

from fastapi import FastAPI

from recoup_shared.web import create_service_app

from .api import ROUTERS
from .context import build
from .handlers import HANDLERS
from .jobs import jobs_for
from .settings import IntakeSettings

SETTINGS_CLASS = IntakeSettings


def create_app(settings: IntakeSettings | None = None) -> FastAPI:
    settings = settings or IntakeSettings()
    return create_service_app(
        name="intake", settings=settings, routers=ROUTERS, handlers=HANDLERS,
        jobs=jobs_for(settings), context=build, title="Recoup intake",
        description=(
            "Client systems push placements (JSON or CSV/XLSX through an import template), "
            "repayments, balance/contact updates and recalls; staff search and read cases. "
            "Errors are application/problem+json."))
