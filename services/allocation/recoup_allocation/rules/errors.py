"""Problem classes of the allocation service (one shared base: recoup_shared.errors.ServiceError).

The `type` of each is part of the API (clients branch on it): keep them as they are.
Object checks (OWASP API1) answer 403 `forbidden` when the object exists but lies outside the
caller's scope, 404 when it does not exist (README: "Who sees what")."""

from __future__ import annotations

from recoup_shared.errors import Conflict, Forbidden, NotFound, UnprocessableInput


# --- not found -----------------------------------------------------------------------------------
class CaseNotFound(NotFound):
    pass


class PlanNotFound(NotFound):
    pass


class TeamNotFound(NotFound):
    pass


class CollectorNotFound(NotFound):
    pass


class ClientRulesNotFound(NotFound):
    pass


# --- outside the caller's scope --------------------------------------------------------------------
class NotInScope(Forbidden):
    """The object exists, the role may use the route, but the object is another team's (or
    another collector's)."""


# --- conflicts -----------------------------------------------------------------------------------
class TeamExists(Conflict):
    type, title = "team-exists", "Team exists"


class CollectorExists(Conflict):
    type, title = "collector-exists", "Collector exists"


class PlanNotPreviewed(Conflict):
    type, title = "plan-not-previewed", "Plan cannot be committed"


class PlanExpired(Conflict):
    type, title = "plan-expired", "Plan expired"


class PlanStale(Conflict):
    type, title = "plan-stale", "Plan is stale"


class CapacityChanged(Conflict):
    type, title = "capacity-changed", "Collectors changed"


class ManualRefused(Conflict):
    type, title = "manual-allocation-refused", "Manual allocation refused"


class CaseAlreadyPaused(Conflict):
    type, title = "case-already-paused", "Already paused"


class CaseNotOpen(Conflict):
    type, title = "case-not-open", "Case is not open"


class CaseNotPaused(Conflict):
    type, title = "case-not-paused", "Case is not paused"


class ClientFlagActive(Conflict):
    type, title = "client-flag-active", "Client flag active"


# --- input ---------------------------------------------------------------------------------------
class TooManyCases(UnprocessableInput):
    """A preview or manual filter selects more than RECOUP_PREVIEW_MAX_CASES cases."""


def required_field(field: str, reason: str, detail: str | None = None) -> UnprocessableInput:
    return UnprocessableInput(detail or f"{field}: {reason}", errors=[{"field": field, "reason": reason}])
