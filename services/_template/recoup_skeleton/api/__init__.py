"""The routes of the skeleton service."""

from .cases import router as cases_router

ROUTERS = [cases_router]
