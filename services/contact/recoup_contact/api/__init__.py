"""The routes of the contact service (docs/architecture.md: thin — parse, authorise, one use case
or view, answer)."""

from .admin import reports as reports_router
from .admin import router as admin_router
from .cases import router as cases_router
from .compliance import router as compliance_router
from .quality import router as quality_router
from .records import router as records_router
from .telephony import router as telephony_router
from .work import router as work_router
from .worklist import router as worklist_router

ROUTERS = [worklist_router, cases_router, records_router, telephony_router, work_router, admin_router,
           reports_router, compliance_router, quality_router]
