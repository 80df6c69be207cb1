"""Small helpers shared by the use cases."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from recoup_shared.gcpause import gc_paused  # noqa: F401 - used across intake

from recoup_shared.crypto import Protector


def settings_of(app: FastAPI):
    return app.state.settings


def protector_of(app: FastAPI) -> Protector:
    protector = getattr(app.state, "protector", None)
    if protector is None:
        protector = app.state.protector = Protector.from_settings(app.state.settings)
    return protector


def local_now(app: FastAPI) -> datetime:
    return datetime.now(ZoneInfo(settings_of(app).timezone))


