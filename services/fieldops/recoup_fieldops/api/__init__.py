"""The routes of the fieldops service, one module per area."""

from .cases import router as cases_router
from .evidence import router as evidence_router
from .fieldwork import router as fieldwork_router
from .plans import router as plans_router
from .teams import router as teams_router
from .visits import router as visits_router

ROUTERS = [visits_router, fieldwork_router, evidence_router, plans_router, teams_router, cases_router]
