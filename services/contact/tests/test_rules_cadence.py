"""R-20 cadence and R-24 worklist colours and reminders, on the real 2026 calendar."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from recoup_contact.rules import (
    CadenceConfig, CadenceFacts, CadenceRule, Colour, ColourThresholds, ReminderConfig, ReminderFacts,
    ReminderKind, ContactStatus, cadence, days_since, reminders, row_colour, worklist_priority,
)
from recoup_contact.rules.model import DEFAULT_ZONE
from recoup_shared.calendar import WorkingCalendar

CAL = WorkingCalendar()
CFG = CadenceConfig()
D = date.fromisoformat


def facts(allocated="2026-09-01", status=ContactStatus.REACHABLE_SELF, outstanding="3000", last=None, undialled=None):
    return CadenceFacts(D(allocated), status, Decimal(outstanding), last and D(last), undialled and D(undialled))


def test_first_contact_within_three_working_days_of_allocation():
    f = facts("2026-09-29", status=None, undialled="2026-09-29")
    s = cadence(f, D("2026-10-09"), CFG, CAL)            # 09-30, 10-08, 10-09
    assert (s.due_on, s.rule, s.overdue, s.first_round) == (D("2026-10-09"), CadenceRule.FIRST_CONTACT, False, True)
    s = cadence(f, D("2026-10-10"), CFG, CAL)
    assert (s.overdue, s.overdue_since, s.days_overdue, s.working_days_overdue) == (True, D("2026-10-10"), 1, 1)


def test_a_phone_found_later_gets_its_own_three_days():
    f = facts("2026-09-01", last="2026-10-09", undialled="2026-10-08")   # skip tracing found a phone on 10-08
    s = cadence(f, D("2026-10-09"), CFG, CAL)
    assert (s.due_on, s.rule) == (D("2026-10-12"), CadenceRule.FIRST_CONTACT)   # 10-09, 10-10, 10-12


def test_effective_follow_up_every_four_working_days():
    f = facts(last="2026-09-30")
    assert cadence(f, D("2026-10-07"), CFG, CAL).due_on == D("2026-10-12")   # 10-08 09 10 12
    s = cadence(f, D("2026-10-15"), CFG, CAL)
    assert (s.overdue, s.days_overdue, s.working_days_overdue) == (True, 3, 3)


def test_ptp_cases_daily():
    s = cadence(facts(status=ContactStatus.PTP, last="2026-10-09"), D("2026-10-12"), CFG, CAL)
    assert (s.due_on, s.rule, s.days_overdue, s.working_days_overdue) == (D("2026-10-10"), CadenceRule.PTP, 2, 1)
    relaxed = CadenceConfig(ptp_working_days=None)
    assert cadence(facts(status=ContactStatus.PTP, last="2026-10-09"), D("2026-10-12"), relaxed, CAL).overdue is False


def test_small_balances_every_ten_days_rolled_past_the_holiday():
    small = facts("2026-02-01", outstanding="499.99", last="2026-02-12")       # +10 = 02-22, inside Spring Festival
    assert cadence(small, D("2026-02-24"), CFG, CAL).due_on == D("2026-02-24")
    assert cadence(small, D("2026-02-25"), CFG, CAL).overdue
    at_threshold = facts("2026-02-01", outstanding="500.00", last="2026-02-12")   # not under 500: the 4-day rule
    s = cadence(at_threshold, D("2026-02-24"), CFG, CAL)          # 02-13, 02-14 (Sat), 02-24, 02-25
    assert (s.due_on, s.rule) == (D("2026-02-25"), CadenceRule.FOLLOW_UP)


def test_the_clock_restarts_at_allocation():
    s = cadence(facts(allocated="2026-10-08", last="2026-09-01"), D("2026-10-12"), CFG, CAL)
    assert (s.due_on, s.overdue) == (D("2026-10-13"), False)


@pytest.mark.parametrize("status", [ContactStatus.DISPUTE, ContactStatus.DECEASED, ContactStatus.INCARCERATED])
def test_exempt_statuses_have_no_cadence(status):
    s = cadence(facts(status=status, last="2026-01-01"), D("2026-10-12"), CFG, CAL)
    assert (s.due_on, s.overdue) == (None, False)
    assert row_colour(s, D("2026-10-12"), ColourThresholds(), CAL) is Colour.GREY


def test_dispute_must_stay_exempt():
    with pytest.raises(ValidationError, match="R-17"):
        CadenceConfig(exempt_statuses=frozenset({ContactStatus.DECEASED}))


@pytest.mark.parametrize("today, colour", [
    ("2026-10-07", Colour.GREEN),    # four working days left
    ("2026-10-10", Colour.YELLOW),   # one working day left
    ("2026-10-12", Colour.YELLOW),   # the due day
    ("2026-10-13", Colour.RED),      # one working day overdue
    ("2026-10-14", Colour.RED),
    ("2026-10-15", Colour.BLACK),    # three working days overdue
])
def test_colours_against_the_cadence(today, colour):
    s = cadence(facts(last="2026-09-30"), D(today), CFG, CAL)
    assert row_colour(s, D(today), ColourThresholds(), CAL) is colour


def test_overdue_over_a_holiday_is_red_before_any_working_day_passed():
    s = cadence(facts(status=ContactStatus.PTP, last="2026-09-29"), D("2026-10-03"), CFG, CAL)  # due 09-30
    assert (s.overdue, s.working_days_overdue) == (True, 0)
    assert row_colour(s, D("2026-10-03"), ColourThresholds(), CAL) is Colour.RED


def test_thresholds_are_configurable():
    s = cadence(facts(last="2026-09-30"), D("2026-10-13"), CFG, CAL)
    assert row_colour(s, D("2026-10-13"), ColourThresholds(black_working_days_overdue=1), CAL) is Colour.BLACK
    s = cadence(facts(last="2026-09-30"), D("2026-10-07"), CFG, CAL)
    assert row_colour(s, D("2026-10-07"), ColourThresholds(yellow_working_days_left=4), CAL) is Colour.YELLOW


def test_new_cases_before_old_then_most_overdue():
    new = cadence(facts(status=None, undialled="2026-10-08", allocated="2026-10-08"), D("2026-10-09"), CFG, CAL)
    late = cadence(facts(last="2026-09-21"), D("2026-10-09"), CFG, CAL)
    later = cadence(facts(last="2026-09-10"), D("2026-10-09"), CFG, CAL)
    assert sorted([late, later, new], key=worklist_priority) == [new, later, late]


def test_days_since():
    assert days_since(D("2026-10-01"), D("2026-10-09")) == 8 and days_since(None, D("2026-10-09")) is None


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=DEFAULT_ZONE)


def test_reminders_show_what_came_after_the_owners_last_look():
    f = ReminderFacts(seen_at=at("2026-10-09T10:00"), last_repayment_at=at("2026-10-09T15:00"),
                      last_balance_update_at=at("2026-10-08T09:00"), last_visit_outcome_at=at("2026-10-09T11:00"),
                      last_letter_returned_at=at("2026-09-01T09:00"), recall_on=D("2026-10-15"))
    got = reminders(f, at("2026-10-09T16:00"), D("2026-10-09"), ReminderConfig())
    assert [r.kind for r in got] == [ReminderKind.NEW_REPAYMENT, ReminderKind.VISIT_OUTCOME, ReminderKind.RECALL_SOON]
    assert got[-1].days_left == 6


def test_reminders_age_out_and_recall_window_is_configurable():
    f = ReminderFacts(seen_at=None, last_letter_returned_at=at("2026-09-01T09:00"), recall_on=D("2026-10-31"))
    assert reminders(f, at("2026-10-09T16:00"), D("2026-10-09"), ReminderConfig()) == ()
    got = reminders(f, at("2026-10-09T16:00"), D("2026-10-09"), ReminderConfig(recall_within_days=30, max_age_days=60))
    assert {r.kind for r in got} == {ReminderKind.RETURNED_LETTER, ReminderKind.RECALL_SOON}
    past = ReminderFacts(seen_at=None, recall_on=D("2026-10-08"))
    assert reminders(past, at("2026-10-09T16:00"), D("2026-10-09"), ReminderConfig()) == ()


@settings(max_examples=200, deadline=None)
@given(allocated=st.dates(date(2025, 1, 1), date(2026, 10, 31)), gap=st.integers(0, 40),
       last_gap=st.one_of(st.none(), st.integers(0, 40)),
       status=st.one_of(st.none(), st.sampled_from(sorted(ContactStatus))),
       outstanding=st.integers(0, 2000), undialled=st.booleans())
def test_cadence_is_consistent(allocated, gap, last_gap, status, outstanding, undialled):
    today = allocated + timedelta(days=gap)
    last = None if last_gap is None else allocated + timedelta(days=min(last_gap, gap))
    f = CadenceFacts(allocated, status, Decimal(outstanding), last, allocated if undialled else None)
    s = cadence(f, today, CFG, CAL)
    if status in CFG.exempt_statuses:
        assert s.due_on is None and not s.overdue
        return
    assert s.due_on > allocated and s.overdue == (today > s.due_on)
    assert s.days_overdue == max((today - s.due_on).days, 0)
    colour = row_colour(s, today, ColourThresholds(), CAL)
    assert (colour in (Colour.RED, Colour.BLACK)) == s.overdue
