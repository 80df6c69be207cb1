from datetime import datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import given, strategies as st

from recoup_skeleton.rules.cases import is_stale, stale_count
from recoup_skeleton.rules.model import SeenCase

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)


def seen(days_ago: float) -> SeenCase:
    return SeenCase("c", "bank", Decimal("1.00"), NOW - timedelta(days=days_ago))


def test_a_case_is_stale_after_the_configured_days():
    assert not is_stale(seen(30), NOW, 30)
    assert is_stale(seen(30.001), NOW, 30)


@given(st.lists(st.floats(0, 100), max_size=20), st.integers(1, 60), st.floats(0, 30))
def test_stale_count_never_falls_as_time_passes(ages, days, later):
    cases = [seen(a) for a in ages]
    assert stale_count(cases, NOW, days) <= stale_count(cases, NOW + timedelta(days=later), days)
