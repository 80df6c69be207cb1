"""The business clock (fixed, offset, from, file) and month arithmetic."""

from __future__ import annotations

import os
import time
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st

from recoup_shared.clock import (BusinessClock, ClockSpecError, add_months, month_label, next_month,
                                 parse_month, previous_month, write_clock_file)
from recoup_shared.settings import ServiceSettings


def test_fixed_clock_stands_still_and_gives_business_today():
    clock = BusinessClock("Asia/Shanghai", spec="fixed:2026-12-05T23:30:00+08:00")
    assert clock.now() == datetime(2026, 12, 5, 15, 30, tzinfo=timezone.utc)
    assert clock.today() == date(2026, 12, 5)                 # business zone
    assert clock.today("Europe/London") == date(2026, 12, 5)  # 15:30 there
    assert clock.today("Pacific/Auckland") == date(2026, 12, 6)
    assert clock.now() == clock.now()


def test_offset_and_from_clocks_run():
    shifted = BusinessClock(spec="offset:-1d2h")
    delta = datetime.now(timezone.utc) - shifted.now()
    assert abs(delta - timedelta(days=1, hours=2)) < timedelta(seconds=5)
    started = BusinessClock(spec="from:2030-01-01T08:00:00+08:00")
    first = started.now()
    assert abs(first - datetime(2030, 1, 1, 0, 0, tzinfo=timezone.utc)) < timedelta(seconds=5)
    time.sleep(0.02)
    assert started.now() > first


def test_clock_file_moves_every_reader(tmp_path):
    path = str(tmp_path / "clock")
    a, b = BusinessClock(spec_file=path), BusinessClock(spec_file=path)
    assert abs(a.now() - datetime.now(timezone.utc)) < timedelta(seconds=5)  # no file: real time
    write_clock_file(path, "fixed:2026-12-05T21:05:00+08:00")
    assert a.local_now().hour == 21 and b.local_now().minute == 5
    write_clock_file(path, "fixed:2026-12-06T10:00:00+08:00")
    assert a.local_now().hour == 10 and b.today() == date(2026, 12, 6)
    # Writes of equal length faster than the kernel's timestamp tick are each seen (a reader that
    # missed one kept the old time and a test's 07:59 was judged at 10:00).
    for _ in range(200):
        write_clock_file(path, "fixed:2026-12-07T07:59:00+08:00")
        assert a.local_now().hour == 7
        write_clock_file(path, "fixed:2026-12-07T10:00:00+08:00")
        assert a.local_now().hour == 10 and b.local_now().hour == 10
    with pytest.raises(ClockSpecError):
        write_clock_file(path, "tomorrow")


@pytest.mark.parametrize("bad", ["fixed:2026-12-05T21:05:00", "fixed:yesterday", "offset:+", "offset:5x", "soon"])
def test_bad_clock_settings_are_refused(bad):
    with pytest.raises(ClockSpecError):
        BusinessClock(spec=bad)


def test_production_refuses_a_clock_setting():
    assert ServiceSettings(profile="test", clock="fixed:2026-12-05T21:05:00+08:00").clock
    with pytest.raises(ValueError, match="RECOUP_CLOCK"):
        ServiceSettings(profile="production", data_keys="k:" + "A" * 44, blind_index_key="B" * 44,
                        jwt_public_key_pem="x", kafka_allow_plaintext=True, clock="offset:+1h")


def test_month_arithmetic():
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)
    assert add_months(date(2026, 1, 15), -1) == date(2025, 12, 15)
    assert previous_month(date(2026, 1, 20)) == date(2025, 12, 1)
    assert next_month(date(2026, 12, 20)) == date(2027, 1, 1)
    assert parse_month("2026-11") == date(2026, 11, 1) and month_label(date(2026, 11, 7)) == "2026-11"
    for bad in ("2026-13", "2026-1", "26-01", "", "1999-12"):
        with pytest.raises(ValueError):
            parse_month(bad)


@given(st.dates(date(2000, 1, 1), date(2090, 12, 31)), st.integers(-240, 240))
def test_add_months_round_trips_on_the_first_and_never_overflows(d, n):
    moved = add_months(d, n)
    assert (moved.year * 12 + moved.month) - (d.year * 12 + d.month) == n
    assert moved.day <= d.day
    assert add_months(add_months(d.replace(day=1), n), -n) == d.replace(day=1)
