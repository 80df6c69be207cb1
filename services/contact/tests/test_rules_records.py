"""Contact records: effective contacts (R-15/R-20), cap counts, contact-point states, corrections."""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from recoup_contact.rules import (
    RESULTS_BY_CHANNEL, CapCount, Channel, CorrectionConfig, CorrectionDraft, PointState, PromiseState, RecordRef,
    Result, cap_count, check_correction, is_effective, point_state_after, records_in_force,
)
from recoup_contact.rules.model import DEFAULT_ZONE

R, C, P = Result, Channel, PointState


@pytest.mark.parametrize("channel, result, effective", [
    (C.OUTBOUND_CALL, R.CONNECTED, True), (C.INBOUND_CALL, R.CONNECTED, True),
    (C.OUTBOUND_CALL, R.CALLBACK_REQUESTED, True), (C.OUTBOUND_CALL, R.DO_NOT_CALL_REQUESTED, True),
    (C.OUTBOUND_CALL, R.WRONG_PARTY, False), (C.OUTBOUND_CALL, R.HUNG_UP, False),
    (C.OUTBOUND_CALL, R.REFUSED, False), (C.OUTBOUND_CALL, R.NO_ANSWER, False),
    (C.VISIT, R.VISIT_MET, True), (C.VISIT, R.VISIT_NOT_MET, False),
    (C.SMS, R.SMS_SENT, False), (C.LETTER, R.LETTER_SENT, False),
])
def test_effective_contacts(channel, result, effective):
    assert is_effective(channel, result) is effective


def test_cap_counts():
    assert cap_count(C.OUTBOUND_CALL, R.CONNECTED) == CapCount(attempts=1, effective_calls=1)
    assert cap_count(C.OUTBOUND_CALL, R.NO_ANSWER) == CapCount(attempts=1)
    assert cap_count(C.INBOUND_CALL, R.CONNECTED) == CapCount()                          # exempt
    assert cap_count(C.OUTBOUND_CALL, R.CONNECTED, requested_by_debtor=True) == CapCount()
    assert cap_count(C.VISIT, R.VISIT_NOT_MET) == CapCount(visits=1)
    assert cap_count(C.SMS, R.SMS_SENT) == CapCount()


@pytest.mark.parametrize("before, result, after", [
    (P.UNKNOWN, R.CONNECTED, P.VALID),
    (P.UNKNOWN, R.EMPTY_NUMBER, P.EMPTY_NUMBER),
    (P.VALID, R.SUSPENDED, P.SUSPENDED),
    (P.VALID, R.SWITCHED_OFF, P.SWITCHED_OFF),
    (P.VALID, R.WRONG_PARTY, P.WRONG_PARTY),
    (P.VALID, R.DO_NOT_CALL_REQUESTED, P.DO_NOT_CALL),
    (P.VALID, R.NO_ANSWER, P.VALID),
    (P.UNKNOWN, R.BUSY, P.UNKNOWN),
    (P.SWITCHED_OFF, R.NO_ANSWER, P.UNKNOWN),     # it rang: live again
    (P.EMPTY_NUMBER, R.BUSY, P.UNKNOWN),
    (P.WRONG_PARTY, R.NO_ANSWER, P.WRONG_PARTY),  # ringing says nothing about whose it is
    (P.SUSPENDED, R.CONNECTED, P.VALID),
    (P.UNKNOWN, R.LETTER_RETURNED, P.UNDELIVERABLE),
    (P.UNKNOWN, R.VISIT_ADDRESS_INVALID, P.UNDELIVERABLE),
    (P.VALID, R.SMS_FAILED, P.VALID),
])
def test_point_state_after(before, result, after):
    assert point_state_after(before, result) is after


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(sorted(Result)), max_size=10))
def test_do_not_call_is_never_lifted_by_a_result(results):
    state = P.DO_NOT_CALL
    for r in results:
        state = point_state_after(state, r)
    assert state is P.DO_NOT_CALL


def test_inbound_calls_only_have_conversation_results():
    assert R.NO_ANSWER not in RESULTS_BY_CHANNEL[C.INBOUND_CALL]
    assert R.CONNECTED in RESULTS_BY_CHANNEL[C.INBOUND_CALL]


# ---- corrections -------------------------------------------------------------------------------

T0 = datetime(2026, 10, 8, 10, 0, tzinfo=DEFAULT_ZONE)
ORIGINAL = RecordRef("r1", "alice", "team-a", T0, C.OUTBOUND_CALL, call_id="call-1")
DRAFT = CorrectionDraft("r1", "wrong result code chosen", C.OUTBOUND_CALL, call_id="call-1")
CFG = CorrectionConfig()


def check(actor="alice", roles=("collector",), team="team-a", after=timedelta(hours=2), so_far=0,
          original=ORIGINAL, draft=DRAFT):
    return [(e.field, e.reason) for e in check_correction(
        original, draft, actor_id=actor, actor_roles=roles, actor_team_id=team, now=T0 + after,
        corrections_so_far=so_far, cfg=CFG)]


def test_the_author_corrects_within_two_days():
    assert check() == []
    assert check(after=timedelta(days=2, minutes=1)) == [("corrects", "records can be corrected within 2 days only")]


def test_a_lead_of_the_authors_team_or_a_supervisor_within_seven_days():
    assert check(actor="bob", roles=("team_lead",), after=timedelta(days=6)) == []
    assert check(actor="sue", roles=("supervisor",), team=None, after=timedelta(days=7)) == []
    assert check(actor="bob", roles=("team_lead",), after=timedelta(days=8))[0][1].endswith("within 7 days only")
    other_team = check(actor="bob", roles=("team_lead",), team="team-b")
    assert other_team == [("corrects", "only the author or a lead of the author's team may correct a record")]
    assert check(actor="carol")[0][0] == "corrects"


def test_one_correction_per_record_never_of_a_correction():
    assert check(so_far=1) == [("corrects", "this record was already corrected 1 time(s)")]
    correction = RecordRef("r2", "alice", "team-a", T0, C.OUTBOUND_CALL, call_id="call-1", corrects="r1")
    assert check(original=correction, draft=CorrectionDraft("r2", "again and again", C.OUTBOUND_CALL, "call-1")) == [
        ("corrects", "correct the original record, not a correction")]


def test_what_a_correction_cannot_change():
    bad = CorrectionDraft("r1", "ok", C.INBOUND_CALL, call_id="call-2", changes_promise=True)
    judged = RecordRef("r1", "alice", "team-a", T0, C.OUTBOUND_CALL, "call-1", promise_state=PromiseState.KEPT)
    assert {f for f, _ in check(original=judged, draft=bad)} == {"reason", "channel", "call_id", "promise"}


def test_lead_window_not_shorter_than_authors():
    with pytest.raises(ValidationError):
        CorrectionConfig(author_days=5, lead_days=3)


def test_records_in_force_replace_originals_by_their_latest_correction():
    a = RecordRef("a", "u", None, T0, C.OUTBOUND_CALL)
    b = RecordRef("b", "u", None, T0 + timedelta(minutes=5), C.OUTBOUND_CALL)
    a1 = RecordRef("a1", "u", None, T0 + timedelta(hours=1), C.OUTBOUND_CALL, corrects="a")
    a2 = RecordRef("a2", "lead", None, T0 + timedelta(days=2), C.OUTBOUND_CALL, corrects="a")
    assert records_in_force([a, b, a2, a1]) == [a2, b]
