"""R-8: a case is allocated the day it arrives, one working day at most."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo

from .first_contact import WorkingDays


def sla_deadline(day: date, calendar: WorkingDays, working_days: int, zone: tzinfo) -> datetime:
    """The end (24:00 in `zone`) of the `working_days`-th working day after the arrival day
    (Chinese calendar: holidays and adjusted working weekends included)."""
    last_day = calendar.add_working_days(day, working_days)
    return datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
