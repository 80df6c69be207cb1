"""The routes of the letters service."""

from .batches import router as batches_router
from .letters import router as letters_router
from .qc import router as qc_router
from .sms import router as sms_router
from .templates import router as templates_router

ROUTERS = [templates_router, letters_router, batches_router, qc_router, sms_router]
