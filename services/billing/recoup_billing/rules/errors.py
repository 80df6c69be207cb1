"""Problem classes of billing (one shared base: recoup_shared.errors.ServiceError). The problem
types and titles are part of the API: a subclass without its own `type` answers as its base."""

from __future__ import annotations

from recoup_shared.errors import Conflict, NotFound


class NoFeeSchedule(Conflict):
    """No schedule in force on the month's first day (and no fallback configured)."""
    type, title = "no-fee-schedule", "No fee schedule"


class AlreadyIssued(Conflict):
    type, title = "statement-already-issued", "Statement already issued"


class NotIssued(Conflict):
    type, title = "statement-not-issued", "Statement not issued"


class MonthNotOver(Conflict):
    type, title = "month-not-over", "The month is not over"


class ExclusionExists(Conflict):
    """The placement spell already has an R-42 exclusion (answers as a plain conflict)."""


class StatementNotFound(NotFound):
    """No issued statement (or no such revision); a client system never sees drafts."""


class BucketNotFound(NotFound):
    """The schedule has no bucket of that name or position."""


class ScheduleNotFound(NotFound):
    """The client has no fee schedule at all."""


class SpellNotFound(NotFound):
    """Billing knows no placement of the case (or not the one named)."""
