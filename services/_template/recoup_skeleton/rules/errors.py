"""Problem classes of this service (one shared base: recoup_shared.errors.ServiceError)."""

from __future__ import annotations

from recoup_shared.errors import NotFound


class CaseNotFound(NotFound):
    type, title = "case-not-found", "No such case"
