"""Problem classes of intake (one shared base: recoup_shared.errors.ServiceError).

Each keeps the `type` and `title` of the shared class it refines, so clients see the answers they
always saw; the classes name the cases in the code and in the OpenAPI (`problem_responses`).
Request-level validation problems are `recoup_shared.errors.UnprocessableInput` (422) and size
limits `PayloadTooLarge` (413), both with per-field `errors`.
"""

from __future__ import annotations

from recoup_shared.errors import Conflict, Forbidden, NotFound, ServiceError, UnprocessableInput


class MalformedJson(ServiceError):
    status, type, title = 400, "malformed-json", "The request body is not valid JSON"


class UnsupportedMediaType(ServiceError):
    status, type, title = 415, "unsupported-media-type", "Unsupported media type"


class PlacementRefConflict(Conflict):
    """R-1: the placement_ref was already received with another body (a changed placement needs a
    new reference). Carries `placement_id` and `placement_ref`."""


class PlacementNotFound(NotFound):
    """No placement of that reference for this client (or the client may not see it)."""


class CaseNotFound(NotFound):
    """No such case (or not a case id at all)."""


class TemplateNotFound(NotFound):
    """No such import template (or version)."""


class UnknownTemplate(UnprocessableInput):
    """An upload names a template (or version) the client does not have (R-3)."""


class RevealForbidden(Forbidden):
    """R-46: full personal values are shown only to the reveal roles."""


class RecallDatePassed(Conflict):
    """R-5: a placement's recall date can be extended only before it comes (its cases were
    recalled, or are being)."""
