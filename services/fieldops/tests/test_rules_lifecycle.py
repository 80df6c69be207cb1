"""R-34 visit lifecycle: transitions, the two approvals, and every illegal move."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from recoup_fieldops.rules import (
    SHANGHAI,
    ApproverRole,
    CaseFacts,
    Purpose,
    VisitState,
    approve,
    arrive,
    cancel,
    complete,
    depart,
    plan,
    reject,
    release,
    request_visit,
)
from recoup_fieldops.rules.errors import (
    AlreadyDecided,
    IllegalTransition,
    MissingText,
    SameApprover,
    TooFewAgents,
    WrongDay,
)
from recoup_shared.calendar import WorkingCalendar
from recoup_shared.errors import Conflict, UnprocessableInput

CAL = WorkingCalendar()
CASE = CaseFacts(outstanding=Decimal("13830.50"), local=True)
FM, PM = ApproverRole.FIELD_MANAGER, ApproverRole.PHONE_MANAGER
S = VisitState


def t(hhmm: str, day: str = "2026-10-09") -> datetime:
    return datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=SHANGHAI)


def requested():
    return request_visit("v1", "c1", "col-1", "press_for_payment", "两周未接通, 核实居住地址",
                         "home", t("09:00"))


def approved():
    v = approve(requested(), FM, "fm-1", "同意, 本地大额", t("10:00"), case=CASE, calendar=CAL)
    return approve(v, PM, "pm-1", "同意", t("11:00"), case=CASE, calendar=CAL)


def planned():
    return plan(approved(), date(2026, 10, 9), "team-1", ["a1", "a2"])


def in_progress():
    return arrive(planned(), t("19:05"))


def done():
    return complete(in_progress(), t("19:40"))


def rejected():
    return reject(requested(), PM, "pm-1", "电催尚未穷尽", t("10:00"))


def cancelled():
    return cancel(approved(), "case recalled", t("12:00"))


def test_the_happy_path():
    v = requested()
    assert (v.state, v.purpose) == (S.REQUESTED, Purpose.PRESS_FOR_PAYMENT)
    assert v.reason == "两周未接通, 核实居住地址"
    v = approve(v, FM, "fm-1", "同意", t("10:00"), case=CASE, calendar=CAL)
    assert v.state is S.REQUESTED and v.deadline is None and len(v.approvals) == 1
    v = approve(v, PM, "pm-1", "同意", t("11:00"), case=CASE, calendar=CAL)
    assert v.state is S.APPROVED and v.approved_at == t("11:00")
    assert (v.deadline.due_on, v.deadline.rule) == (date(2026, 10, 11), "local_amount")
    v = plan(v, date(2026, 10, 9), "team-1", ["a1", "a2", "a1"])
    assert (v.state, v.team_id, v.agent_ids) == (S.PLANNED, "team-1", ("a1", "a2"))
    v = arrive(v, t("19:05"), ["a2", "a3"])           # who actually went is recorded
    assert (v.state, v.agent_ids, v.arrived_at) == (S.IN_PROGRESS, ("a2", "a3"), t("19:05"))
    v = complete(v, t("19:40"))
    assert (v.state, v.finished_at) == (S.DONE, t("19:40"))


def test_either_order_of_approvals():
    v = approve(requested(), PM, "pm-1", "ok", t("10:00"), case=CASE, calendar=CAL)
    v = approve(v, FM, "fm-1", "ok", t("10:30"), case=CASE, calendar=CAL)
    assert v.state is S.APPROVED and {d.role for d in v.approvals} == {FM, PM}


def test_approving_twice_is_a_conflict():
    v = approve(requested(), FM, "fm-1", "ok", t("10:00"), case=CASE, calendar=CAL)
    with pytest.raises(AlreadyDecided) as err:
        approve(v, FM, "fm-2", "again", t("10:05"), case=CASE, calendar=CAL)
    assert err.value.status == 409 and isinstance(err.value, Conflict)
    with pytest.raises(AlreadyDecided):   # also once the visit is fully approved
        approve(approved(), PM, "pm-1", "again", t("12:00"), case=CASE, calendar=CAL)


def test_one_person_cannot_give_both_approvals():
    v = approve(requested(), FM, "boss", "ok", t("10:00"), case=CASE, calendar=CAL)
    with pytest.raises(SameApprover) as err:
        approve(v, PM, "boss", "ok", t("10:01"), case=CASE, calendar=CAL)
    assert err.value.status == 409


@pytest.mark.parametrize("text", ["", "   ", None])
def test_comments_and_reasons_are_required(text):
    with pytest.raises(MissingText) as err:
        approve(requested(), FM, "fm-1", text, t("10:00"), case=CASE, calendar=CAL)
    assert err.value.status == 422 and isinstance(err.value, UnprocessableInput)
    with pytest.raises(MissingText):
        reject(requested(), FM, "fm-1", text, t("10:00"))
    with pytest.raises(MissingText):
        request_visit("v1", "c1", "col-1", "verify_address", text, "home", t("09:00"))
    with pytest.raises(MissingText):
        cancel(approved(), text, t("12:00"))


def test_either_manager_rejects_even_after_the_other_approved():
    v = approve(requested(), FM, "fm-1", "ok", t("10:00"), case=CASE, calendar=CAL)
    v = reject(v, PM, "pm-1", "债务人已承诺还款", t("10:30"))
    assert v.state is S.REJECTED and v.rejection.role is PM and v.rejection.text == "债务人已承诺还款"
    with pytest.raises(AlreadyDecided):           # the rejecting role cannot approve now
        approve(v, PM, "pm-1", "changed my mind", t("11:00"), case=CASE, calendar=CAL)
    with pytest.raises(AlreadyDecided):           # nor the approving role reject
        reject(v, FM, "fm-1", "no", t("11:00"))


def test_unknown_purpose_or_role_is_refused():
    with pytest.raises(ValueError):
        request_visit("v1", "c1", "col-1", "intimidate", "r", "home", t("09:00"))
    with pytest.raises(ValueError):
        approve(requested(), "team_lead", "x", "ok", t("10:00"), case=CASE, calendar=CAL)


def test_a_visit_needs_two_distinct_agents():
    with pytest.raises(TooFewAgents) as err:
        plan(approved(), date(2026, 10, 9), "team-1", ["a1", "a1"])
    assert err.value.status == 422
    with pytest.raises(TooFewAgents):
        arrive(planned(), t("19:00"), ["a1"])


def test_arrival_only_on_the_planned_day_in_debtor_time():
    with pytest.raises(WrongDay):
        arrive(planned(), t("09:00", "2026-10-10"))
    # 16:00 UTC on 10-08 is 00:00 on 10-09 in Shanghai: the planned day
    utc = datetime.fromisoformat("2026-10-08T16:00:00+00:00")
    assert arrive(planned(), utc).state is S.IN_PROGRESS


def test_release_puts_a_planned_visit_back_in_the_pool():
    v = release(planned())
    assert (v.state, v.planned_on, v.team_id, v.agent_ids) == (S.APPROVED, None, None, ())
    assert v.deadline == approved().deadline            # the deadline stays


def test_departure_before_arrival_is_refused():
    with pytest.raises(IllegalTransition):
        complete(in_progress(), t("19:00"))


def test_departure_is_marked_then_the_record_completes():
    v = depart(in_progress(), t("19:35"))
    assert (v.state, v.finished_at) == (S.IN_PROGRESS, t("19:35"))
    assert complete(v, t("19:35")).state is S.DONE
    with pytest.raises(IllegalTransition):
        depart(in_progress(), t("19:00"))                # before the arrival at 19:05


def test_naive_timestamps_are_refused():
    with pytest.raises(ValueError):
        request_visit("v1", "c1", "col-1", "verify_address", "r", "home", datetime(2026, 10, 9, 9))


# Every state × every action: exactly the arrows of the diagram are legal.
STATES = {S.REQUESTED: requested, S.APPROVED: approved, S.REJECTED: rejected, S.PLANNED: planned,
          S.IN_PROGRESS: in_progress, S.DONE: done, S.CANCELLED: cancelled}
ACTIONS = {
    "approve": lambda v: approve(v, FM, "fm-9", "ok", t("12:00"), case=CASE, calendar=CAL),
    "reject": lambda v: reject(v, FM, "fm-9", "no", t("12:00")),
    "plan": lambda v: plan(v, date(2026, 10, 9), "team-2", ["b1", "b2"]),
    "release": release,
    "arrive": lambda v: arrive(v, t("19:00")),
    "depart": lambda v: depart(v, t("20:00")),
    "complete": lambda v: complete(v, t("21:00")),
    "cancel": lambda v: cancel(v, "withdrawn", t("12:00")),
}
LEGAL = {
    (S.REQUESTED, "approve"): S.REQUESTED, (S.REQUESTED, "reject"): S.REJECTED,
    (S.REQUESTED, "cancel"): S.CANCELLED, (S.APPROVED, "plan"): S.PLANNED,
    (S.APPROVED, "cancel"): S.CANCELLED, (S.PLANNED, "release"): S.APPROVED,
    (S.PLANNED, "arrive"): S.IN_PROGRESS, (S.PLANNED, "cancel"): S.CANCELLED,
    (S.IN_PROGRESS, "complete"): S.DONE, (S.IN_PROGRESS, "depart"): S.IN_PROGRESS,
}


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_transition_table(state, action):
    visit = STATES[state]()
    assert visit.state is state
    if (state, action) in LEGAL:
        assert ACTIONS[action](visit).state is LEGAL[(state, action)]
    else:
        with pytest.raises(Conflict) as err:          # IllegalTransition or AlreadyDecided: 409
            ACTIONS[action](visit)
        assert err.value.status == 409
