"""Recall days (R-5, R-13): a placement ends on its recall date; a recall day that is not a working
day is handled as the client's contract says — on the day, or on the next working day (Chinese
calendar: 2025-10-01..08 National Day holidays, Saturday 2025-10-11 an adjusted working day)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_intake.rules.recalls import (NEXT_WORKING_DAY, ON_DAY, effective_recall_day, extension_problem,
                                         recall_due)
from recoup_shared.calendar import WorkingCalendar

CAL = WorkingCalendar()
work = CAL.is_working_day


@pytest.mark.parametrize("recall_on, rule, day", [
    (date(2025, 10, 3), ON_DAY, date(2025, 10, 3)),                 # a holiday: recalled on it
    (date(2025, 10, 3), NEXT_WORKING_DAY, date(2025, 10, 9)),       # ...or after the Golden Week
    (date(2025, 10, 11), NEXT_WORKING_DAY, date(2025, 10, 11)),     # an adjusted working Saturday
    (date(2025, 11, 22), NEXT_WORKING_DAY, date(2025, 11, 24)),     # an ordinary Saturday
    (date(2025, 11, 24), NEXT_WORKING_DAY, date(2025, 11, 24)),
])
def test_the_recall_day(recall_on, rule, day):
    assert effective_recall_day(recall_on, rule, work) == day
    assert recall_due(recall_on, rule, day, work) and not recall_due(recall_on, rule, day - timedelta(days=1), work)


def test_an_unknown_rule_is_refused():
    with pytest.raises(ValueError):
        effective_recall_day(date(2025, 10, 3), "whenever", work)


@settings(max_examples=200)
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 31)))
def test_next_working_day_is_the_first_working_day_from_the_recall_date(d):
    day = effective_recall_day(d, NEXT_WORKING_DAY, work)
    assert day >= d and work(day)
    assert all(not work(d + timedelta(days=k)) for k in range((day - d).days))
    assert effective_recall_day(d, ON_DAY, work) == d


def test_an_extension_moves_the_date_later_before_it_comes():
    today = date(2025, 11, 20)
    ok = extension_problem(date(2025, 11, 30), date(2025, 12, 31), today, ON_DAY, work, None)
    assert ok is None
    assert "later than" in extension_problem(date(2025, 11, 30), date(2025, 11, 25), today, ON_DAY, work, None)
    assert "has passed" in extension_problem(date(2025, 11, 20), date(2025, 12, 31), today, ON_DAY, work, None)
    assert "has passed" in extension_problem(date(2025, 11, 30), date(2025, 12, 31), today, ON_DAY, work,
                                             datetime(2025, 11, 19, tzinfo=timezone.utc))
    # a Saturday recall day under next_working_day has not "come" on Saturday: still extendable
    assert extension_problem(date(2025, 11, 22), date(2025, 12, 31), date(2025, 11, 22), NEXT_WORKING_DAY,
                             work, None) is None
