"""Working days from the Chinese public-holiday calendar, adjusted working weekends (调休) included.

The `chinese-calendar` package carries the State Council's published schedule. For a year it does
not know yet (the schedule is published each November for the next year) we fall back to
Monday–Friday minus the fixed-date statutory holidays (元旦 1/1, 劳动节 5/1, 国庆节 10/1–10/3) and
say so: `WorkingCalendar.is_authoritative(day)` is False there, and a warning is logged once per
year. Lunar holidays (春节, 清明, 端午, 中秋) cannot be derived without the published schedule;
operators can add them through `extra_holidays` / `extra_workdays`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import chinese_calendar

from .logging import get_logger

log = get_logger(__name__)

_FALLBACK_FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}


class WorkingCalendar:
    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()) -> None:
        self.extra_holidays = frozenset(extra_holidays)
        self.extra_workdays = frozenset(extra_workdays)
        self._warned: set[int] = set()
        # Memoised per calendar: a worklist page asks "working days from today to the due date"
        # fifty times with a handful of distinct dates.
        self.is_working_day = lru_cache(maxsize=8192)(self.is_working_day)  # type: ignore[method-assign]
        self.add_working_days = lru_cache(maxsize=65536)(self.add_working_days)  # type: ignore[method-assign]
        self.working_days_between = lru_cache(maxsize=65536)(self.working_days_between)  # type: ignore[method-assign]

    def is_authoritative(self, day: date) -> bool:
        try:
            chinese_calendar.is_workday(day)
            return True
        except NotImplementedError:
            return False

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_workdays:
            return True
        if day in self.extra_holidays:
            return False
        return _is_workday(day, self._warn)

    def is_public_holiday(self, day: date) -> bool:
        """A statutory public holiday (法定节假日, with the weekend days the State Council joins to it),
        as opposed to an ordinary weekend: calling windows may differ on holidays (R-14), and an
        adjusted working weekend (调休) is not a holiday. Unknown years: the fixed-date holidays."""
        if day in self.extra_workdays:
            return False
        if day in self.extra_holidays:
            return True
        known = _cached_holiday(day)
        if known is not None:
            return known
        self._warn(day.year)
        return (day.month, day.day) in _FALLBACK_FIXED_HOLIDAYS

    def _warn(self, year: int) -> None:
        if year not in self._warned:
            self._warned.add(year)
            log.warning("holiday calendar unknown for year; using Mon-Fri minus fixed holidays",
                        year=year)

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after `day`."""
        return self.add_working_days(day, 1)

    def add_working_days(self, day: date, n: int) -> date:
        """`n` working days after `day` (n >= 0; n == 0 returns `day` rolled forward to a working day)."""
        if n < 0:
            raise ValueError("n must be >= 0")
        current = day
        if n == 0:
            while not self.is_working_day(current):
                current += timedelta(days=1)
            return current
        while n:
            current += timedelta(days=1)
            if self.is_working_day(current):
                n -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many working days have passed from start to end."""
        if end <= start:
            return 0
        return sum(1 for i in range(1, (end - start).days + 1)
                   if self.is_working_day(start + timedelta(days=i)))


@lru_cache(maxsize=8192)
def _cached(day: date) -> bool | None:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return None


@lru_cache(maxsize=8192)
def _cached_holiday(day: date) -> bool | None:
    try:
        on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return None
    return bool(on_holiday and name)


def _is_workday(day: date, warn) -> bool:
    known = _cached(day)
    if known is not None:
        return known
    warn(day.year)
    return day.weekday() < 5 and (day.month, day.day) not in _FALLBACK_FIXED_HOLIDAYS


DEFAULT_CALENDAR = WorkingCalendar()
