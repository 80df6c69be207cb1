"""The contact service: wiring only. Run: `uvicorn recoup_contact.app:create_app --factory`."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from recoup_shared.context import Context
from recoup_shared.web import create_service_app

from .api import ROUTERS
from .context import build
from .handlers import HANDLERS
from .jobs import jobs_for
from .settings import ContactSettings

SETTINGS_CLASS = ContactSettings


def create_app(settings: ContactSettings | None = None) -> FastAPI:
    settings = settings or ContactSettings()
    app: Any = None

    async def context(base: Context):
        return await build(base, app=app)   # the local PBX calls this very app back

    app = create_service_app(
        name="contact", settings=settings, routers=ROUTERS, handlers=HANDLERS, jobs=jobs_for(settings),
        context=context, title="Recoup contact",
        description="The collector's working day: worklists, case pages, contact records, promises, "
                    "click-to-dial through the contact policy, disputes, complaints (R-13..R-25, R-47, R-49).")
    return app
