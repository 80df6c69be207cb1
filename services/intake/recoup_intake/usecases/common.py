"""Small helpers shared by the use cases."""

from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from ..records import Protector


def settings_of(app: FastAPI):
    return app.state.settings


def protector_of(app: FastAPI) -> Protector:
    protector = getattr(app.state, "protector", None)
    if protector is None:
        protector = app.state.protector = Protector.from_settings(app.state.settings)
    return protector


def local_now(app: FastAPI) -> datetime:
    return datetime.now(ZoneInfo(settings_of(app).timezone))


_gc_lock = threading.Lock()
_gc_depth = 0
_gc_was_enabled = True


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector around a bulk CPU stage. Building 100,000 cases makes
    millions of container objects, and every threshold crossing runs a full-heap scan: decoding,
    validating and serialising a placement ran 2-4x slower with it. Nothing here makes cycles
    (reference counting frees it all), and the collector resumes when the last stage ends
    (nesting- and thread-safe)."""
    global _gc_depth, _gc_was_enabled
    with _gc_lock:
        if _gc_depth == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_depth += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_depth -= 1
            if _gc_depth == 0 and _gc_was_enabled:
                gc.enable()
