"""R-20 first contact deadline."""

from __future__ import annotations

from datetime import date
from typing import Protocol

# every registered phone dialled within 2–3 working days of allocation; the due-by date is
# the outer bound.
FIRST_CONTACT_WORKING_DAYS = 3


class WorkingDays(Protocol):
    def add_working_days(self, day: date, n: int) -> date: ...


def first_contact_due(allocated_on: date, calendar: WorkingDays,
                      working_days: int = FIRST_CONTACT_WORKING_DAYS) -> date:
    """Date by which every phone of a newly allocated case must have been dialled (R-20):
    `working_days` working days after the allocation day (recoup_shared.calendar.WorkingCalendar,
    holidays and adjusted working weekends included)."""
    if working_days < 0:
        raise ValueError("working_days must be >= 0")
    return calendar.add_working_days(allocated_on, working_days)
