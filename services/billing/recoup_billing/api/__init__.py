"""Routes only: parse, authorise (typed dependencies in deps.py), call one use case, answer."""

from .exclusions import router as exclusions_router
from .performance import router as performance_router
from .schedules import router as schedules_router
from .statements import router as statements_router

ROUTERS = [schedules_router, statements_router, exclusions_router, performance_router]

__all__ = ["ROUTERS"]
