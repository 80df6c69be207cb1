"""The fieldops service: wiring only. Run: `uvicorn recoup_fieldops.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from recoup_shared.web import create_service_app

from .api import ROUTERS
from .context import build
from .handlers import HANDLERS
from .jobs import jobs_for
from .settings import FieldopsSettings

SETTINGS_CLASS = FieldopsSettings


def create_app(settings: FieldopsSettings | None = None) -> FastAPI:
    settings = settings or FieldopsSettings()
    return create_service_app(
        name="fieldops", settings=settings, routers=ROUTERS, handlers=HANDLERS,
        jobs=jobs_for(settings), context=build, title="Recoup fieldops",
        description="Field visits (外访): requests and two approvals, deadlines and escalation, "
                    "daily plans per team, an agent's day, visit records with evidence "
                    "(R-34..R-38; R-14..R-17, R-36 through the compliance engine).")
