from datetime import date, timedelta

from hypothesis import given, strategies as st

from recoup_shared.calendar import WorkingCalendar

cal = WorkingCalendar()


def test_national_day_and_adjusted_working_weekend():
    assert not cal.is_working_day(date(2025, 10, 1))       # 国庆节
    assert cal.is_working_day(date(2025, 9, 28))           # Sunday, adjusted working day (调休)
    assert cal.is_working_day(date(2025, 10, 11))          # Saturday, adjusted working day
    assert cal.add_working_days(date(2025, 9, 30), 1) == date(2025, 10, 9)


def test_spring_festival_2026():
    assert not cal.is_working_day(date(2026, 2, 17))       # 春节
    assert cal.is_authoritative(date(2026, 2, 17))


def test_unknown_year_falls_back_and_says_so():
    day = date(2031, 10, 1)
    assert not cal.is_authoritative(day)
    assert not cal.is_working_day(day)                     # fixed-date holiday kept
    assert cal.is_working_day(date(2031, 10, 6))           # Monday, lunar holidays unknown
    assert not cal.is_working_day(date(2031, 10, 4))       # Saturday


def test_extra_holidays_and_workdays():
    c = WorkingCalendar(extra_holidays=[date(2031, 1, 23)], extra_workdays=[date(2031, 1, 25)])
    assert not c.is_working_day(date(2031, 1, 23))
    assert c.is_working_day(date(2031, 1, 25))


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 12, 1)), st.integers(0, 30))
def test_add_working_days_lands_on_working_day_after_exactly_n(start, n):
    end = cal.add_working_days(start, n)
    assert cal.is_working_day(end)
    if n > 0:
        assert end > start
        assert cal.working_days_between(start, end) == n
        assert not any(cal.is_working_day(start + timedelta(days=i)) and cal.working_days_between(start, start + timedelta(days=i)) == n
                       for i in range(1, (end - start).days))
