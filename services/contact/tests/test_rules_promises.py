"""R-23 promises: validation, matching oldest first, kept / broken with grace and tolerance, plans."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_contact.rules import (
    Instalment, InstalmentDraft, Promise, PromiseConfig, PromiseDraft, PromiseState, Repayment,
    ContactStatus, evaluate_promises, kept_threshold, next_open_instalment, promise_from_draft, status_after,
    validate_promise,
)

D = date.fromisoformat
M = Decimal
CFG = PromiseConfig()


def single(pid: str, made: str, due: str, amount: str) -> Promise:
    return Promise(pid, D(made), (Instalment(1, D(due), M(amount)),))


def plan(pid: str, made: str, *items: tuple[str, str]) -> Promise:
    return Promise(pid, D(made), tuple(Instalment(n + 1, D(d), M(a)) for n, (d, a) in enumerate(items)))


def pay(ref: str, on: str, amount: str) -> Repayment:
    return Repayment(ref, D(on), M(amount))


def outcomes(ev):
    return [(o.promise_id, o.instalment, o.kind.value, o.on.isoformat()) for o in ev.outcomes]


def test_kept_on_the_day_the_amount_is_reached():
    ev = evaluate_promises([single("p1", "2026-09-28", "2026-10-08", "1000")],
                           [pay("t1", "2026-09-30", "400"), pay("t2", "2026-10-08", "600")], D("2026-10-08"), CFG)
    assert outcomes(ev) == [("p1", None, "kept", "2026-10-08")]
    assert ev.promises[0].state is PromiseState.KEPT and ev.unmatched == ()


def test_broken_the_day_after_the_date():
    p = single("p1", "2026-09-28", "2026-10-08", "1000")
    assert evaluate_promises([p], [pay("t1", "2026-10-08", "999.99")], D("2026-10-08"), CFG).outcomes == ()
    ev = evaluate_promises([p], [pay("t1", "2026-10-08", "999.99")], D("2026-10-09"), CFG)
    assert outcomes(ev) == [("p1", None, "broken", "2026-10-09")]
    assert (ev.outcomes[0].promised, ev.outcomes[0].paid) == (M("1000"), M("999.99"))
    assert status_after(ev, ContactStatus.PTP) is ContactStatus.BROKEN_PTP


def test_tolerance_percentage_rounds_half_up_to_the_fen():
    assert kept_threshold(M("1000"), PromiseConfig(tolerance_pct=M("1"))) == M("990.00")
    assert kept_threshold(M("333.33"), PromiseConfig(tolerance_pct=M("1"))) == M("330.00")    # 329.9967
    assert kept_threshold(M("333.33"), PromiseConfig(tolerance_pct=M("0.5"))) == M("331.66")  # 331.66335
    ev = evaluate_promises([single("p1", "2026-09-28", "2026-10-08", "1000")], [pay("t1", "2026-10-08", "990")],
                           D("2026-10-09"), PromiseConfig(tolerance_pct=M("1")))
    assert outcomes(ev) == [("p1", None, "kept", "2026-10-08")]


def test_grace_days_extend_the_deadline():
    p = single("p1", "2026-09-28", "2026-10-08", "1000")
    grace = PromiseConfig(grace_days=2)
    assert outcomes(evaluate_promises([p], [pay("t1", "2026-10-10", "1000")], D("2026-10-10"), grace)) == [
        ("p1", None, "kept", "2026-10-10")]
    assert evaluate_promises([p], [], D("2026-10-10"), grace).outcomes == ()
    assert outcomes(evaluate_promises([p], [], D("2026-10-11"), grace)) == [("p1", None, "broken", "2026-10-11")]
    # without grace, a payment on 10-10 is too late for the promise of 10-08
    ev = evaluate_promises([p], [pay("t1", "2026-10-10", "1000")], D("2026-10-10"), CFG)
    assert outcomes(ev) == [("p1", None, "broken", "2026-10-09")] and ev.unmatched[0].amount == M("1000")


def test_oldest_promise_first_and_the_rest_flows_on():
    p1 = single("p1", "2026-09-20", "2026-10-09", "500")
    p2 = single("p2", "2026-09-28", "2026-10-12", "800")
    ev = evaluate_promises([p2, p1], [pay("t1", "2026-10-08", "1000")], D("2026-10-08"), CFG)
    assert [(a.promise_id, a.amount) for a in ev.allocations] == [("p1", M("500")), ("p2", M("500"))]
    assert outcomes(ev) == [("p1", None, "kept", "2026-10-08")]
    ev = evaluate_promises(ev.promises, [pay("t2", "2026-10-09", "300")], D("2026-10-09"), CFG)
    assert outcomes(ev) == [("p2", None, "kept", "2026-10-09")]
    assert status_after(ev, ContactStatus.PTP) is ContactStatus.REACHABLE_SELF


def test_a_repayment_before_the_promise_was_made_is_not_matched():
    ev = evaluate_promises([single("p1", "2026-09-28", "2026-10-08", "500")], [pay("t0", "2026-09-25", "500")],
                           D("2026-09-28"), CFG)
    assert ev.allocations == () and ev.unmatched == (pay("t0", "2026-09-25", "500"),)


def test_instalment_plan_kept_instalment_by_instalment():
    p = plan("pl", "2026-02-10", ("2026-02-14", "300"), ("2026-02-28", "300"), ("2026-03-14", "400"))
    ev = evaluate_promises([p], [pay("t1", "2026-02-13", "300"), pay("t2", "2026-02-27", "300")], D("2026-03-01"), CFG)
    assert outcomes(ev) == [("pl", 1, "kept", "2026-02-13"), ("pl", 2, "kept", "2026-02-27")]
    assert ev.promises[0].state is PromiseState.OPEN and next_open_instalment(ev.promises[0]).seq == 3
    assert status_after(ev, ContactStatus.PTP_INSTALMENT) is None
    ev = evaluate_promises(ev.promises, [pay("t3", "2026-03-14", "400")], D("2026-03-14"), CFG)
    assert outcomes(ev) == [("pl", 3, "kept", "2026-03-14"), ("pl", None, "kept", "2026-03-14")]


def test_a_plan_breaks_at_its_first_missed_instalment():
    p = plan("pl", "2026-02-10", ("2026-02-14", "300"), ("2026-02-28", "300"), ("2026-03-14", "400"))
    ev = evaluate_promises([p], [pay("t1", "2026-02-13", "300")], D("2026-03-01"), CFG)
    assert outcomes(ev) == [("pl", 1, "kept", "2026-02-13"), ("pl", 2, "broken", "2026-03-01"),
                            ("pl", None, "broken", "2026-03-01")]
    assert [i.state for i in ev.promises[0].instalments] == [PromiseState.KEPT, PromiseState.BROKEN,
                                                             PromiseState.CANCELLED]
    assert next_open_instalment(ev.promises[0]) is None


def test_an_early_overpayment_keeps_several_instalments():
    p = plan("pl", "2026-02-10", ("2026-02-14", "300"), ("2026-02-28", "300"), ("2026-03-14", "400"))
    ev = evaluate_promises([p], [pay("t1", "2026-02-13", "650")], D("2026-02-13"), CFG)
    assert [(i.state, i.paid) for i in ev.promises[0].instalments] == [
        (PromiseState.KEPT, M("300")), (PromiseState.KEPT, M("300")), (PromiseState.OPEN, M("50"))]


def test_terminal_promises_are_not_revived_by_late_reported_repayments():
    broken = evaluate_promises([single("p1", "2026-09-28", "2026-10-08", "500")], [], D("2026-10-09"), CFG)
    ev = evaluate_promises(broken.promises, [pay("late", "2026-10-07", "500")], D("2026-10-12"), CFG)
    assert ev.outcomes == () and ev.allocations == () and ev.promises == broken.promises


def test_evaluation_is_idempotent():
    p = single("p1", "2026-09-28", "2026-10-08", "1000")
    first = evaluate_promises([p], [pay("t1", "2026-10-01", "300")], D("2026-10-02"), CFG)
    again = evaluate_promises(first.promises, [], D("2026-10-02"), CFG)
    assert again.promises == first.promises and again.outcomes == () and again.allocations == ()


# ---- validation --------------------------------------------------------------------------------

def errors(draft, outstanding="5000", today="2026-10-08", recall="2026-12-31"):
    return {(e.field, e.reason.split(" ")[0]) for e in
            validate_promise(draft, outstanding=M(outstanding), today=D(today), recall_on=D(recall))}


def test_a_valid_single_promise_and_plan():
    assert errors(PromiseDraft.single(M("1000"), D("2026-10-12"))) == set()
    assert errors(PromiseDraft((InstalmentDraft(D("2026-10-12"), M("2500")),
                                InstalmentDraft(D("2026-11-12"), M("2500"))))) == set()


@pytest.mark.parametrize("amount, due, field", [
    ("0", "2026-10-12", "amount"), ("-5", "2026-10-12", "amount"), ("10.005", "2026-10-12", "amount"),
    ("5000.01", "2026-10-12", "amount"), ("100", "2026-10-07", "due_on"), ("100", "2027-01-01", "due_on"),
])
def test_single_promise_field_errors(amount, due, field):
    assert {f for f, _ in errors(PromiseDraft.single(M(amount), D(due)))} == {field}


def test_plan_field_errors():
    draft = PromiseDraft((InstalmentDraft(D("2026-10-12"), M("3000")), InstalmentDraft(D("2026-10-12"), M("2500")),
                          InstalmentDraft(D("2027-01-05"), M("100"))))
    assert errors(draft) == {("instalments[1].due_on", "instalment"), ("instalments[2].due_on", "the"),
                             ("instalments", "the")}


def test_a_settlement_below_the_outstanding_needs_the_clients_authorisation():
    draft = PromiseDraft.single(M("3000"), D("2026-10-12"), settlement=True)
    assert errors(draft) == {("waiver_authorisation", "a")}
    ok = PromiseDraft.single(M("3000"), D("2026-10-12"), settlement=True, waiver_authorisation="ZH-2026-0042")
    assert errors(ok) == set()


def test_promise_from_draft_numbers_instalments():
    p = promise_from_draft("p9", D("2026-10-08"), PromiseDraft((InstalmentDraft(D("2026-10-12"), M("1")),
                                                                InstalmentDraft(D("2026-10-20"), M("2")))))
    assert [(i.seq, i.state) for i in p.instalments] == [(1, PromiseState.OPEN), (2, PromiseState.OPEN)]


# ---- properties --------------------------------------------------------------------------------

START = date(2026, 3, 1)
money = st.integers(1, 100_000).map(lambda c: M(c) / 100)


@st.composite
def promises_and_repayments(draw):
    promises = []
    for n in range(draw(st.integers(1, 3))):
        made = START + timedelta(days=draw(st.integers(0, 20)))
        gaps = draw(st.lists(st.integers(1, 15), min_size=1, max_size=3))
        due, insts = made, []
        for seq, gap in enumerate(gaps, 1):
            due += timedelta(days=gap if seq > 1 else gap - 1)
            insts.append(Instalment(seq, due, draw(money)))
        promises.append(Promise(f"p{n}", made, tuple(insts)))
    repayments = [Repayment(f"t{n}", START + timedelta(days=draw(st.integers(0, 60))), draw(money))
                  for n in range(draw(st.integers(0, 6)))]
    cfg = PromiseConfig(grace_days=draw(st.integers(0, 3)), tolerance_pct=M(draw(st.integers(0, 10))))
    return promises, repayments, cfg


END = START + timedelta(days=70)


@settings(max_examples=200, deadline=None)
@given(promises_and_repayments())
def test_matching_invariants(case):
    promises, repayments, cfg = case
    ev = evaluate_promises(promises, repayments, END, cfg)
    by_ref = {r.ref: r for r in repayments}
    made = {p.id: p.made_on for p in promises}
    insts = {(p.id, i.seq): i for p in promises for i in p.instalments}
    for ref, r in by_ref.items():   # never more than was repaid; every fen accounted for
        given_out = sum((a.amount for a in ev.allocations if a.repayment_ref == ref), M(0))
        left = sum((u.amount for u in ev.unmatched if u.ref == ref), M(0))
        assert given_out + left == r.amount and given_out <= r.amount
    for a in ev.allocations:        # never to a promise made after the repayment, nor after its deadline
        paid_on = by_ref[a.repayment_ref].paid_on
        assert made[a.promise_id] <= paid_on <= insts[(a.promise_id, a.seq)].due_on + timedelta(days=cfg.grace_days)
    for p in ev.promises:
        for i in p.instalments:
            assert M(0) <= i.paid <= i.amount
        states = [i.state for i in p.instalments]
        assert p.state is not PromiseState.OPEN                      # END is past every deadline
        assert (p.state is PromiseState.KEPT) == all(s is PromiseState.KEPT for s in states)
        assert (p.state is PromiseState.BROKEN) == (states.count(PromiseState.BROKEN) == 1)
    keys = [(o.promise_id, o.instalment) for o in ev.outcomes]
    assert len(keys) == len(set(keys))                              # never both kept and broken


@settings(max_examples=150, deadline=None)
@given(promises_and_repayments())
def test_judging_day_by_day_equals_judging_once(case):
    promises, repayments, cfg = case
    once = evaluate_promises(promises, repayments, END, cfg)
    state, seen = tuple(promises), []
    day = START
    while day <= END:
        step = evaluate_promises(state, [r for r in repayments if r.paid_on == day], day, cfg)
        for before, after in zip(sorted(state, key=lambda p: p.id), sorted(step.promises, key=lambda p: p.id),
                                 strict=True):
            if before.state is not PromiseState.OPEN:
                assert after == before                             # terminal states never change
        state, seen = step.promises, seen + list(step.outcomes)
        day += timedelta(days=1)
    assert sorted(state, key=lambda p: p.id) == sorted(once.promises, key=lambda p: p.id)
    assert sorted(seen, key=repr) == sorted(once.outcomes, key=repr)
