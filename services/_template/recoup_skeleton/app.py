"""The skeleton service: wiring only. Run: `uvicorn recoup_skeleton.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from recoup_shared.web import create_service_app

from .api import ROUTERS
from .context import build
from .handlers import HANDLERS
from .jobs import JOBS
from .settings import SkeletonSettings

SETTINGS_CLASS = SkeletonSettings


def create_app(settings: SkeletonSettings | None = None) -> FastAPI:
    return create_service_app(
        name="skeleton", settings=settings or SkeletonSettings(), routers=ROUTERS,
        handlers=HANDLERS, jobs=JOBS, context=build,
        title="Recoup skeleton", description="The service template (docs/architecture.md).")
