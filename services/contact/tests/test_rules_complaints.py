"""R-47 complaints: grading and what each grade triggers."""
from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from recoup_contact.rules import (
    Allegation, ComplaintChannel, ComplaintFacts, ComplaintGrade, ComplaintPolicy, ContactStatus, complaint_decision,
    grade_complaint,
)
from recoup_contact.rules.model import DEFAULT_ZONE
from recoup_shared.calendar import WorkingCalendar

CAL = WorkingCalendar()
A, Ch, G = Allegation, ComplaintChannel, ComplaintGrade


@pytest.mark.parametrize("channel, allegations, calmed, pursues, grade", [
    (Ch.DEBTOR, {A.RUDENESS}, True, False, G.MINOR),
    (Ch.DEBTOR, {A.RUDENESS}, False, False, G.GENERAL),
    (Ch.CLIENT, {A.TOO_FREQUENT}, True, False, G.GENERAL),
    (Ch.CLIENT, {A.TOO_FREQUENT}, False, False, G.SERIOUS),   # appeasement failed, the bank has it
    (Ch.DEBTOR, {A.INSULT}, False, True, G.SERIOUS),          # seeds: 安抚无效后贷款机构仍需追责
    (Ch.REGULATOR, {A.OUT_OF_HOURS}, True, False, G.SERIOUS),
    (Ch.DEBTOR, {A.THIRD_PARTY_DISCLOSURE}, True, False, G.SERIOUS),
    (Ch.DEBTOR, {A.IMPERSONATION}, True, False, G.SERIOUS),
])
def test_grading(channel, allegations, calmed, pursues, grade):
    assert grade_complaint(ComplaintFacts(channel, frozenset(allegations), calmed, pursues)) is grade


NOW = datetime(2026, 9, 30, 7, 30, tzinfo=UTC)   # 15:30 in Shanghai, the eve of National Day


def test_serious_reaches_the_supervisor_the_same_day_and_holds_the_case():
    facts = ComplaintFacts(Ch.DEBTOR, frozenset({A.THREAT}), calmed=False)
    d = complaint_decision(facts, now=NOW, policy=ComplaintPolicy(), calendar=CAL)
    assert (d.grade, d.escalate_to, d.hold_case, d.request_pause, d.notify_client) == (
        G.SERIOUS, "supervisor", True, False, True)
    assert d.escalate_by == datetime(2026, 9, 30, 23, 59, 59, tzinfo=DEFAULT_ZONE)
    paused = complaint_decision(facts, now=NOW, policy=ComplaintPolicy(pause_on_serious=True), calendar=CAL)
    assert paused.request_pause is True


def test_general_goes_to_the_team_lead_by_the_next_working_day():
    d = complaint_decision(ComplaintFacts(Ch.DEBTOR, frozenset({A.RUDENESS}), calmed=False), now=NOW,
                           policy=ComplaintPolicy(), calendar=CAL)
    assert (d.grade, d.escalate_to, d.hold_case) == (G.GENERAL, "team_lead", False)
    assert d.escalate_by.date().isoformat() == "2026-10-08" and d.escalate_by.time() == time(23, 59, 59)


def test_minor_is_recorded_and_flags_the_case():
    d = complaint_decision(ComplaintFacts(Ch.DEBTOR, frozenset({A.RUDENESS}), calmed=True), now=NOW,
                           policy=ComplaintPolicy(), calendar=CAL)
    assert (d.grade, d.escalate_to, d.escalate_by, d.hold_case, d.flag) == (
        G.MINOR, None, None, False, "complaint_history")


def test_a_complaint_disputing_the_debt_is_a_dispute():
    d = complaint_decision(ComplaintFacts(Ch.DEBTOR, frozenset({A.DEBT_DISPUTED}), calmed=True), now=NOW,
                           policy=ComplaintPolicy(), calendar=CAL)
    assert (d.grade, d.status, d.notify_client) == (G.MINOR, ContactStatus.DISPUTE, True)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        complaint_decision(ComplaintFacts(Ch.DEBTOR, frozenset(), calmed=False), now=datetime(2026, 9, 30, 15),
                           policy=ComplaintPolicy(), calendar=CAL)
