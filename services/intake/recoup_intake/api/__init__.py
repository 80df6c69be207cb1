"""Routes only: parse, authorise (a typed role dependency, api/deps.py), call one use case or
view, shape the answer. One module per area."""

from .cases import router as cases_router
from .client_data import router as client_data_router
from .placements import router as placements_router
from .templates import router as templates_router
from .uploads import router as uploads_router

# uploads before placements: POST /v1/placements/upload is a fixed path beside /v1/placements/{ref}.
ROUTERS = [uploads_router, placements_router, client_data_router, cases_router, templates_router]
