"""Routes only: parse, authorise, call a use case, shape the answer. One module per sub-domain."""

from .clients import router as clients_router
from .placements import router as placements_router
from .staff import router as staff_router
from .templates import router as templates_router
from .uploads import router as uploads_router

# uploads before placements: POST /v1/placements/upload is a fixed path beside /v1/placements/{ref}.
ROUTERS = [uploads_router, placements_router, clients_router, staff_router, templates_router]
