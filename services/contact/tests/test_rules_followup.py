"""R-22 next follow-up by status, on the real 2026 calendar.

2026 facts used (chinese_calendar, State Council schedule): 中秋 09-25..27 off; 国庆 10-01..10-07 off
with adjusted working Sundays/Saturdays 09-20 (Sun) and 10-10 (Sat); 春节 02-15..02-23 off with
adjusted working Saturdays 02-14 and 02-28.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from recoup_contact.rules import (
    ACTIVE_STATUSES, URGENT_MAX_WORKING_DAYS, FollowUpConfig, FollowUpFacts, FollowUpKind, InvalidFollowUp,
    ContactStatus, next_follow_up,
)
from recoup_contact.rules.model import DEFAULT_ZONE
from recoup_shared.calendar import WorkingCalendar

CAL = WorkingCalendar()
CFG = FollowUpConfig()
D = date.fromisoformat


def follow(status: ContactStatus, today: str, **kw):
    return next_follow_up(FollowUpFacts(status, D(today), **kw), CFG, CAL)


def test_calendar_facts_the_examples_rely_on():
    assert CAL.is_working_day(D("2026-10-10")) and CAL.is_working_day(D("2026-09-20"))   # adjusted weekends
    assert CAL.is_working_day(D("2026-02-14")) and CAL.is_working_day(D("2026-02-28"))
    assert not any(CAL.is_working_day(D("2026-10-01") + timedelta(days=i)) for i in range(7))
    assert not CAL.is_working_day(D("2026-10-11")) and not CAL.is_working_day(D("2026-02-23"))


@pytest.mark.parametrize("status, today, on", [
    (ContactStatus.BROKEN_PTP, "2026-09-30", "2026-10-08"),      # over National Day
    (ContactStatus.FOUND, "2026-10-09", "2026-10-10"),           # Saturday 10-10 is a working day
    (ContactStatus.NO_ANSWER, "2026-02-13", "2026-02-14"),       # Saturday 02-14 is a working day
    (ContactStatus.BROKEN_PTP, "2026-02-14", "2026-02-24"),      # over Spring Festival
])
def test_next_working_day_statuses(status, today, on):
    f = follow(status, today)
    assert (f.on, f.earliest, f.latest) == (D(on), D(on), D(on))


@pytest.mark.parametrize("status", [ContactStatus.REACHABLE_SELF, ContactStatus.REACHABLE_THIRD_PARTY])
def test_reachable_within_four_working_days(status):
    f = follow(status, "2026-09-29")        # 09-30, 10-08, 10-09, 10-10 (Sat, adjusted)
    assert (f.earliest, f.on, f.latest) == (D("2026-09-30"), D("2026-10-10"), D("2026-10-10"))


def test_urgent_one_to_three_working_days():
    f = follow(ContactStatus.URGENT, "2026-09-30")
    assert (f.on, f.latest) == (D("2026-10-08"), D("2026-10-10"))
    assert CAL.working_days_between(D("2026-09-30"), f.latest) == 3


def test_lost_contact_six_to_seven_working_days_and_skip_trace():
    f = follow(ContactStatus.LOST_CONTACT, "2026-09-24")  # 09-28 29 30 10-08 09 10 | 12
    assert (f.on, f.latest, f.skip_trace) == (D("2026-10-10"), D("2026-10-12"), True)


@pytest.mark.parametrize("today, on", [
    ("2026-09-30", "2026-10-08"),   # +2 days is 10-02, a holiday: rolled forward
    ("2026-10-08", "2026-10-10"),   # +2 days is the adjusted working Saturday
])
def test_skip_trace_every_two_days(today, on):
    assert follow(ContactStatus.SKIP_TRACE, today).on == D(on)


@pytest.mark.parametrize("status", [ContactStatus.DECEASED, ContactStatus.INCARCERATED, ContactStatus.FRAUD_CLAIM])
def test_every_two_to_three_days(status):
    f = follow(status, "2026-09-21")
    assert (f.on, f.latest) == (D("2026-09-23"), D("2026-09-24"))
    f = follow(status, "2026-10-09")   # +2 = Sunday 10-11, +3 = 10-12
    assert (f.on, f.latest) == (D("2026-10-12"), D("2026-10-12"))


def test_ptp_the_working_day_before_the_promise():
    assert follow(ContactStatus.PTP, "2026-09-28", promise_on=D("2026-10-08")).on == D("2026-09-30")
    assert follow(ContactStatus.PTP, "2026-10-08", promise_on=D("2026-10-12")).on == D("2026-10-10")
    # the promise is for tomorrow: the reminder day is today, so follow up on the promise day
    assert follow(ContactStatus.PTP, "2026-09-29", promise_on=D("2026-09-30")).on == D("2026-09-30")


def test_ptp_instalment_the_day_before_the_next_instalment():
    f = follow(ContactStatus.PTP_INSTALMENT, "2026-02-10", promise_on=D("2026-02-24"))
    assert f.on == D("2026-02-14")     # the last working day before 02-24 is the adjusted Saturday


def test_ptp_without_a_date_is_refused():
    with pytest.raises(InvalidFollowUp) as err:
        follow(ContactStatus.PTP, "2026-09-28")
    assert err.value.field_errors[0].field == "promise" and err.value.errors[0]["field"] == "promise"


def test_no_answer_avoids_the_band_of_the_last_attempt():
    last = datetime(2026, 2, 13, 11, 30, tzinfo=UTC)     # 19:30 in Shanghai
    f = follow(ContactStatus.NO_ANSWER, "2026-02-13", last_attempt_at=last)
    assert f.on == D("2026-02-14")
    assert (f.avoid.start, f.avoid.end) == (time(18), time(21))
    morning = datetime(2026, 2, 13, 9, 5, tzinfo=DEFAULT_ZONE)
    assert follow(ContactStatus.NO_ANSWER, "2026-02-13", last_attempt_at=morning).avoid.start == time(8)


def test_night_follow_up_same_day_in_the_evening():
    f = follow(ContactStatus.NIGHT_FOLLOW_UP, "2026-10-09", now=datetime(2026, 10, 9, 10, tzinfo=DEFAULT_ZONE))
    assert f.on == D("2026-10-09") and (f.window.start, f.window.end) == (time(18), time(21))
    late = follow(ContactStatus.NIGHT_FOLLOW_UP, "2026-10-09", now=datetime(2026, 10, 9, 21, 30, tzinfo=DEFAULT_ZONE))
    assert late.on == D("2026-10-10")


def test_field_visits():
    f = follow(ContactStatus.FIELD_VISIT_REQUESTED, "2026-09-24")   # forced follow-up after 5 days unvisited
    assert (f.earliest, f.on) == (D("2026-09-28"), D("2026-09-29"))
    assert follow(ContactStatus.FIELD_VISIT_DONE, "2026-10-09", visit_done_on=D("2026-10-09")).on == D("2026-10-10")
    # the outcome arrived late: the day after the visit is already past, so today
    assert follow(ContactStatus.FIELD_VISIT_DONE, "2026-10-08", visit_done_on=D("2026-09-30")).on == D("2026-10-08")


def test_dispute_has_none_and_refuses_a_date():
    assert follow(ContactStatus.DISPUTE, "2026-10-09") is None
    with pytest.raises(InvalidFollowUp):
        next_follow_up(FollowUpFacts(ContactStatus.DISPUTE, D("2026-10-09")), CFG, CAL, requested=D("2026-10-12"))


def test_requested_date_inside_the_window():
    facts = FollowUpFacts(ContactStatus.REACHABLE_SELF, D("2026-09-29"))
    assert next_follow_up(facts, CFG, CAL, requested=D("2026-10-09")).on == D("2026-10-09")
    with pytest.raises(InvalidFollowUp, match="between 2026-09-30 and 2026-10-10"):
        next_follow_up(facts, CFG, CAL, requested=D("2026-10-12"))
    with pytest.raises(InvalidFollowUp, match="working day"):
        next_follow_up(facts, CFG, CAL, requested=D("2026-10-04"))


def test_a_client_table_overrides_some_statuses_and_keeps_the_rest():
    cfg = FollowUpConfig.model_validate({"REACHABLE_SELF": {"kind": "working_days", "earliest": 1,
                                                            "default": 2, "latest": 3}})
    assert cfg.REACHABLE_SELF.latest == 3 and cfg.URGENT == FollowUpConfig().URGENT


@pytest.mark.parametrize("status, rule, message", [
    ("URGENT", {"kind": "working_days", "earliest": 1, "default": 1, "latest": 4}, "later than 3"),
    ("URGENT", {"kind": "calendar_days", "earliest": 1, "default": 1, "latest": 3}, "working days"),
    ("DISPUTE", {"kind": "working_days"}, "must use kind 'none'"),
    ("REACHABLE_SELF", {"kind": "none"}, "working_days"),
    ("PTP", {"kind": "working_days"}, "before_promise"),
    ("NIGHT_FOLLOW_UP", {"kind": "working_days"}, "same_day_evening"),
    ("LOST_CONTACT", {"kind": "working_days", "earliest": 7, "default": 6, "latest": 7}, "earliest <= default"),
])
def test_invalid_client_tables_are_refused(status, rule, message):
    with pytest.raises(ValidationError, match=message) as err:
        FollowUpConfig.model_validate({status: rule})
    assert err.value.errors()[0]["loc"][0] == status


def test_time_bands_stay_inside_the_calling_window():
    with pytest.raises(ValidationError, match="R-14"):
        FollowUpConfig.model_validate({"time_bands": [{"start": "07:00", "end": "12:00"}]})
    with pytest.raises(ValidationError, match="evening"):
        FollowUpConfig.model_validate({"evening": {"start": "19:00", "end": "22:00"}})


# ---- properties -------------------------------------------------------------------------------

days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 11, 30))


@settings(max_examples=300, deadline=None)
@given(status=st.sampled_from(sorted(ContactStatus)), today=days, ahead=st.integers(0, 20),
       hour=st.integers(0, 23))
def test_every_active_case_gets_exactly_one_date_and_dispute_none(status, today, ahead, hour):
    facts = FollowUpFacts(status, today, now=datetime.combine(today, time(hour), DEFAULT_ZONE),
                          promise_on=today + timedelta(days=ahead))
    f = next_follow_up(facts, CFG, CAL)
    if status not in ACTIVE_STATUSES:
        assert f is None
        return
    assert today <= f.earliest <= f.on <= f.latest
    assert f.on == today or CAL.is_working_day(f.on)
    if status in (ContactStatus.PTP, ContactStatus.PTP_INSTALMENT):
        assert f.on <= max(facts.promise_on, CAL.next_working_day(today))


urgent_rules = st.fixed_dictionaries({
    "kind": st.sampled_from([k.value for k in FollowUpKind]),
    "earliest": st.integers(0, 8), "default": st.integers(0, 8), "latest": st.integers(0, 8),
})


@settings(max_examples=300, deadline=None)
@given(rule=urgent_rules, today=days, extra=st.integers(1, 10))
def test_urgent_never_later_than_three_working_days_for_any_accepted_table(rule, today, extra):
    try:
        cfg = FollowUpConfig.model_validate({"URGENT": rule})
    except ValidationError:
        return
    f = next_follow_up(FollowUpFacts(ContactStatus.URGENT, today), cfg, CAL)
    assert CAL.working_days_between(today, f.latest) <= URGENT_MAX_WORKING_DAYS
    too_late = CAL.add_working_days(f.latest, extra)
    with pytest.raises(InvalidFollowUp):
        next_follow_up(FollowUpFacts(ContactStatus.URGENT, today), cfg, CAL, requested=too_late)
