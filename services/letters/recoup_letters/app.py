"""The letters service (R-26..R-33): wiring only. Run: `uvicorn recoup_letters.app:create_app --factory`."""

from __future__ import annotations

from fastapi import FastAPI

from recoup_shared.web import create_service_app

from .api import ROUTERS
from .context import build
from .handlers import HANDLERS
from .jobs import jobs
from .settings import LettersSettings

SETTINGS_CLASS = LettersSettings


def create_app(settings: LettersSettings | None = None) -> FastAPI:
    settings = settings or LettersSettings()
    return create_service_app(
        name="letters", settings=settings, routers=ROUTERS, handlers=HANDLERS, jobs=jobs(settings),
        context=build, title="Recoup letters",
        description="Approved letters, to the right address, provably in the right envelope; SMS with "
                    "approved wording (R-26..R-33). README: services/letters/README.md.")
