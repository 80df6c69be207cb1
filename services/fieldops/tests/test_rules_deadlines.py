"""R-35 deadlines and escalation, worked by hand on the 2026 calendar.

2026 facts used (State Council schedule, as `chinese_calendar` carries it):
- National Day 10-01 (Thu) .. 10-07 (Wed) off; Sun 09-20 and Sat 10-10 are adjusted working days.
- Spring Festival 02-15 (Sun) .. 02-23 (Mon) off; Sat 02-14 and Sat 02-28 are working days.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from recoup_fieldops.rules import (
    SHANGHAI,
    CaseFacts,
    DayKind,
    DeadlineConfig,
    Purpose,
    VisitRequest,
    VisitState,
    Within,
    escalation_at,
    is_escalated,
    is_overdue,
    visit_deadline,
)
from recoup_shared.calendar import WorkingCalendar

CAL = WorkingCalendar()
WORKING = DeadlineConfig(local=Within(2, DayKind.WORKING), repaired=Within(3, DayKind.WORKING),
                         unrepaired=Within(10, DayKind.WORKING), escalation=Within(5, DayKind.WORKING))


def at(day: str, hhmm: str = "10:00") -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=SHANGHAI)


def local(amount: str) -> CaseFacts:
    return CaseFacts(outstanding=Decimal(amount), local=True)


def lost(amount: str, repaired_on: date | None = None, is_local: bool = False) -> CaseFacts:
    return CaseFacts(outstanding=Decimal(amount), local=is_local, lost_contact=True,
                     address_repaired_on=repaired_on)


def test_the_calendar_is_the_published_2026_one():
    assert CAL.is_authoritative(date(2026, 10, 1))
    assert not CAL.is_working_day(date(2026, 10, 5))        # Monday in the Golden Week
    assert CAL.is_working_day(date(2026, 10, 10))           # adjusted working Saturday
    assert CAL.is_working_day(date(2026, 9, 20))            # adjusted working Sunday
    assert CAL.is_working_day(date(2026, 2, 14))            # Spring Festival adjusted Saturday


# --- local, 5,000 CNY and over: within 2 days of approval ---------------------------------------

def test_local_over_5000_within_two_calendar_days_even_into_national_day():
    d = visit_deadline(local("13830.50"), at("2026-09-29"), DeadlineConfig(), CAL)
    assert (d.due_on, d.rule) == (date(2026, 10, 1), "local_amount")


def test_local_threshold_includes_5000_itself():  # 以上 includes the number (民法典 art. 1259)
    assert visit_deadline(local("5000.00"), at("2026-09-29"), DeadlineConfig(), CAL).rule == "local_amount"
    below = visit_deadline(local("4999.99"), at("2026-09-29"), DeadlineConfig(), CAL)
    assert (below.rule, below.due_on) == ("default", date(2026, 10, 4))


def test_local_in_working_days_jumps_the_golden_week():
    # approved Tue 09-29: Wed 09-30 is day 1, 10-01..10-07 are holidays, Thu 10-08 is day 2
    d = visit_deadline(local("8000"), at("2026-09-29"), WORKING, CAL)
    assert d.due_on == date(2026, 10, 8)


def test_local_in_working_days_counts_the_adjusted_saturday():
    # approved Fri 10-09: Sat 10-10 is a working day (调休), Sun 10-11 is not, Mon 10-12 is day 2
    assert visit_deadline(local("8000"), at("2026-10-09"), WORKING, CAL).due_on == date(2026, 10, 12)
    one = replace(WORKING, local=Within(1, DayKind.WORKING))
    assert visit_deadline(local("8000"), at("2026-10-09"), one, CAL).due_on == date(2026, 10, 10)


def test_approval_day_is_the_debtors_day_not_utc():
    utc_evening = datetime.fromisoformat("2026-09-29T17:30:00+00:00")  # 01:30 on 09-30 in Shanghai
    assert visit_deadline(local("8000"), utc_evening, DeadlineConfig(), CAL).due_on == date(2026, 10, 2)


def test_non_local_large_case_gets_the_default():
    d = visit_deadline(CaseFacts(Decimal("50000"), local=False), at("2026-10-09"), DeadlineConfig(), CAL)
    assert (d.rule, d.due_on) == ("default", date(2026, 10, 14))


# --- lost contact, 5,000–20,000 CNY -------------------------------------------------------------

def test_lost_contact_repaired_within_three_days_of_the_repair():
    d = visit_deadline(lost("12000", repaired_on=date(2026, 9, 30)), at("2026-10-02"), DeadlineConfig(), CAL)
    assert (d.due_on, d.rule, d.purpose_hint) == (date(2026, 10, 3), "lost_contact_repaired", None)


def test_lost_contact_repaired_in_working_days_lands_on_the_adjusted_saturday():
    # repaired Wed 09-30: 10-08 (1), 10-09 (2), Sat 10-10 (3, adjusted working day)
    d = visit_deadline(lost("12000", repaired_on=date(2026, 9, 30)), at("2026-10-02"), WORKING, CAL)
    assert d.due_on == date(2026, 10, 10)


def test_lost_contact_unrepaired_verification_within_ten_days():
    d = visit_deadline(lost("20000.00"), at("2026-02-13"), DeadlineConfig(), CAL)
    assert (d.due_on, d.rule, d.purpose_hint) == (date(2026, 2, 23), "lost_contact_unrepaired",
                                                  Purpose.VERIFY_ADDRESS)


def test_lost_contact_unrepaired_in_working_days_over_spring_festival():
    # approved Fri 02-13: Sat 02-14 (1, adjusted), 02-15..02-23 off, 02-24..02-27 (2..5),
    # Sat 02-28 (6, adjusted), Sun 03-01 off, 03-02..03-05 (7..10)
    assert visit_deadline(lost("12000"), at("2026-02-13"), WORKING, CAL).due_on == date(2026, 3, 5)


@pytest.mark.parametrize("amount", ["4999.99", "20000.01"])
def test_lost_contact_outside_the_band_gets_the_default(amount):
    assert visit_deadline(lost(amount), at("2026-10-09"), DeadlineConfig(), CAL).rule == "default"


def test_when_two_rules_apply_the_earliest_due_date_wins():
    case = lost("8000", repaired_on=date(2026, 9, 20), is_local=True)
    d = visit_deadline(case, at("2026-09-22"), DeadlineConfig(), CAL)
    assert (d.due_on, d.rule) == (date(2026, 9, 23), "lost_contact_repaired")   # local would be 09-24
    late_repair = lost("8000", repaired_on=date(2026, 9, 22), is_local=True)
    d = visit_deadline(late_repair, at("2026-09-22"), DeadlineConfig(), CAL)
    assert (d.due_on, d.rule) == (date(2026, 9, 24), "local_amount")


def test_thresholds_are_configuration():
    cfg = DeadlineConfig(local_min_amount=Decimal("3000"), local=Within(1))
    assert visit_deadline(local("3000"), at("2026-10-09"), cfg, CAL).due_on == date(2026, 10, 10)
    no_default = DeadlineConfig(default=None)
    d = visit_deadline(local("10"), at("2026-10-09"), no_default, CAL)
    assert (d.due_on, d.rule) == (None, "none")
    with pytest.raises(ValueError):
        DeadlineConfig(lost_contact_min_amount=Decimal("30000"))
    with pytest.raises(ValueError):
        visit_deadline(local("8000"), datetime(2026, 10, 9, 10), cfg, CAL)  # naive


# --- escalation: not done 5 days after approval -------------------------------------------------

def _approved(approved_at: datetime, cfg: DeadlineConfig, state: VisitState = VisitState.APPROVED):
    deadline = visit_deadline(local("8000"), approved_at, cfg, CAL)
    return VisitRequest(visit_id="v1", case_id="c1", requested_by="col-1",
                        purpose=Purpose.PRESS_FOR_PAYMENT, reason="r", address_kind="home",
                        requested_at=approved_at, state=state, approved_at=approved_at,
                        deadline=deadline)


def test_escalation_five_calendar_days_after_approval():
    approved = at("2026-09-29", "10:00")
    assert escalation_at(approved, DeadlineConfig(), CAL) == at("2026-10-04", "10:00")
    visit = _approved(approved, DeadlineConfig())
    assert not is_escalated(visit, at("2026-10-04", "09:59"))
    assert is_escalated(visit, at("2026-10-04", "10:00"))
    for state in (VisitState.PLANNED, VisitState.IN_PROGRESS):
        assert is_escalated(replace(visit, state=state), at("2026-10-05"))
    for state in (VisitState.DONE, VisitState.CANCELLED):
        assert not is_escalated(replace(visit, state=state), at("2026-10-05"))


def test_escalation_in_working_days_skips_the_holiday():
    # 09-30 (1), 10-08 (2), 10-09 (3), Sat 10-10 (4), Mon 10-12 (5)
    approved = at("2026-09-29", "15:20")
    assert escalation_at(approved, WORKING, CAL) == at("2026-10-12", "15:20")
    assert _approved(approved, WORKING).deadline.escalate_at == at("2026-10-12", "15:20")


def test_overdue_is_after_the_due_day():
    visit = _approved(at("2026-09-29"), DeadlineConfig())            # due 10-01
    assert not is_overdue(visit, date(2026, 10, 1))
    assert is_overdue(visit, date(2026, 10, 2))
    assert not is_overdue(replace(visit, state=VisitState.DONE), date(2026, 10, 2))
    assert escalation_at(at("2026-09-29"), DeadlineConfig(), CAL) - at("2026-09-29") == timedelta(days=5)
