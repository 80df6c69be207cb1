"""Unit tests of the month close's pure parts (rules/close.py, rules/model.py, rules/performance.py):
which schedule bills a month, the bucket layout, the R-41 history months, when an R-42 exclusion
takes effect, how rates are shown."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_billing.rules import cycle_window, default_schedule
from recoup_billing.rules.close import (bucket_position, choose_schedule, exclusion_takes_effect, history_months,
                                        in_force, lower_bounds, rate4, rate_of, rate_shown)
from recoup_billing.rules.errors import BucketNotFound, NoFeeSchedule
from recoup_billing.rules.model import Figures, Window
from recoup_billing.rules.performance import kept_rate

V1 = default_schedule("bank", version=1, effective_from=date(2026, 1, 1))
V2 = default_schedule("bank", version=2, effective_from=date(2026, 6, 1), cycle_months=2)


def test_the_version_in_force_on_the_first_day_bills_the_month():
    assert choose_schedule([V1, V2], date(2026, 5, 1), "bank", fallback=False).schedule is V1
    assert choose_schedule([V2, V1], date(2026, 6, 1), "bank", fallback=False).schedule is V2
    assert in_force([V1, V2], date(2025, 12, 31)) is None


def test_no_schedule_is_a_409_unless_the_fallback_is_on():
    with pytest.raises(NoFeeSchedule) as refused:
        choose_schedule([V1], date(2025, 12, 1), "bank", fallback=False)
    assert refused.value.status == 409 and "PUT /v1/fee-schedules/bank" in refused.value.detail
    choice = choose_schedule([], date(2025, 12, 1), "bank", fallback=True)
    assert choice.source == "default" and choice.schedule.client_id == "bank"


def test_bucket_by_name_or_position():
    assert lower_bounds(V1) == (0, 91, 181, 361)  # DPD at placement, as width_bucket sees it
    assert bucket_position(V1, "91-180") == (2, "91-180")
    assert bucket_position(V1, "4") == (4, ">=361")
    for unknown in ("nope", "0", "5", "9" * 40):
        with pytest.raises(BucketNotFound):
            bucket_position(V1, unknown)


def test_r41_history_months_and_r42_effect_month():
    assert history_months(date(2026, 3, 1), 3) == [date(2026, 1, 1), date(2026, 2, 1)]
    assert history_months(date(2026, 1, 1), 3) == [date(2025, 11, 1), date(2025, 12, 1)]
    assert history_months(date(2026, 1, 1), 1) == []
    # placed 15 June, 3-month cycle: the August statement is the last one the spell is in
    assert exclusion_takes_effect(date(2026, 6, 15), 3) == date(2026, 8, 1)
    assert exclusion_takes_effect(date(2026, 11, 30), 3) == date(2027, 1, 1)


def test_window_of_a_statement_month():
    w = Window.of(date(2026, 8, 1), 3)
    assert (w.start, w.end, w.month_end, w.first_month_end) == (
        date(2026, 6, 1), date(2026, 9, 1), date(2026, 9, 1), date(2026, 7, 1))
    assert Window.of(date(2026, 1, 1), 1) == Window(date(2026, 1, 1), date(2026, 1, 1), date(2026, 2, 1))


@settings(max_examples=200, deadline=None)
@given(year=st.integers(2000, 2100), month=st.integers(1, 12), cycle=st.integers(1, 24))
def test_window_agrees_with_the_cycle_rule(year, month, cycle):
    m = date(year, month, 1)
    w = Window.of(m, cycle)
    assert (w.start, w.end) == cycle_window(m, cycle)
    assert (w.end.year * 12 + w.end.month) - (w.start.year * 12 + w.start.month) == cycle
    assert exclusion_takes_effect(w.start, cycle) == m  # the window's first month completes in M


def test_rates_as_shown():
    assert rate_shown(D("0.65")) == D("0.6500") and str(rate_shown(D("0.65"))) == "0.6500"
    assert str(rate_shown(D("0.144"))) == "0.1440" and str(rate_shown(D("0.12345"))) == "0.123450"
    assert rate4(None) is None and str(rate4(D("0.350000"))) == "0.3500"
    assert rate_of(Figures(placed=D("56000.00"), excluded=D("20000.00"), cycle=D("12600.00"))) == D("0.3500")
    assert rate_of(Figures()) is None


def test_ptp_kept_rate():
    assert kept_rate(1, 2) == D("0.5000") and kept_rate(2, 3) == D("0.6666")
    assert kept_rate(0, 0) is None
