"""Worked examples of the pure allocation rules (R-8..R-13, R-20)."""

from __future__ import annotations

import math
import random
import time
from datetime import date
from decimal import Decimal

import pytest

from recoup_allocation.rules import (
    AllocCase,
    BalanceSummary,
    ClientRules,
    CollectorLoad,
    PlanNote,
    Strategy,
    UnassignedReason,
    first_contact_due,
    is_eligible,
    is_stalled,
    manual_plan,
    plan_allocation,
    plan_rotation,
    summarize,
)

D = Decimal


def case(case_id: str, amount: str | int = "100", *, client: str = "X", product: str = "card",
         bucket: str = "M1", region: str | None = "GD", joint: str | None = None,
         current: str | None = None, previous: str | None = None) -> AllocCase:
    return AllocCase(case_id, client, product, D(amount), bucket, region, joint,
                     previous_collector_id=previous, current_collector_id=current)


def col(cid: str, team: str = "t1", **kw) -> CollectorLoad:
    return CollectorLoad(cid, team, **kw)


def by_collector(plan) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for case_id, cid in plan.assignments.items():
        out.setdefault(cid, set()).add(case_id)
    return out


# --- strategies: worked examples --------------------------------------------------------------
def test_by_count_equal_numbers_and_deterministic_order():
    cases = [case(f"c{i}", a) for i, a in enumerate([600, 500, 400, 300, 200, 100], 1)]
    plan = plan_allocation(cases, [col("A"), col("B"), col("C")], {}, Strategy.BY_COUNT)
    # largest first; ties by fewest cases, then least amount, then collector id
    assert by_collector(plan) == {"A": {"c1", "c6"}, "B": {"c2", "c5"}, "C": {"c3", "c4"}}
    assert [plan.balance[c].new_cases for c in "ABC"] == [2, 2, 2]
    assert [plan.balance[c].new_amount for c in "ABC"] == [D("700.00")] * 3
    assert plan.summary.max_dev_cases == D("0.00")
    assert plan.unassigned == {} and plan.kept == {}


def test_by_amount_lpt():
    cases = [case(f"c{i}", a) for i, a in enumerate([900, 500, 400, 100, 100, 100], 1)]
    plan = plan_allocation(cases, [col("A"), col("B")], {}, Strategy.BY_AMOUNT)
    assert by_collector(plan) == {"A": {"c1", "c4", "c6"}, "B": {"c2", "c3", "c5"}}
    assert plan.balance["A"].new_amount == D("1100.00")
    assert plan.balance["B"].new_amount == D("1000.00")
    assert plan.summary == BalanceSummary(
        collectors=2, mean_cases=D("3.00"), mean_amount=D("1050.00"), max_dev_cases=D("0.00"),
        max_dev_cases_pct=D("0.0000"), max_dev_amount=D("50.00"), max_dev_amount_pct=D("4.7619"))


def test_comprehensive_balances_count_and_amount_together():
    cases = [case(f"c{i}", a) for i, a in enumerate([1000, 600, 100, 100, 100, 100], 1)]
    cols = [col("A"), col("B")]
    by_amount = plan_allocation(cases, cols, {}, Strategy.BY_AMOUNT)
    assert [by_amount.balance[c].new_cases for c in "AB"] == [1, 5]  # equal amounts, 1 vs 5 cases
    plan = plan_allocation(cases, cols, {}, Strategy.COMPREHENSIVE)
    assert [plan.balance[c].new_cases for c in "AB"] == [3, 3]
    assert [plan.balance[c].new_amount for c in "AB"] == [D("1200.00"), D("800.00")]


def test_cumulative_counts_what_collectors_already_hold():
    cols = [col("A", open_cases=5, open_amount=D(5000)), col("B"), col("C", open_cases=3)]
    cases = [case(f"c{i}") for i in range(6)]
    plan = plan_allocation(cases, cols, {}, Strategy.CUMULATIVE)
    assert [plan.balance[c].new_cases for c in "ABC"] == [0, 4, 2]
    assert [plan.balance[c].open_cases_after for c in "ABC"] == [5, 4, 5]
    assert plan.summary_after.max_dev_cases == D("0.67")  # mean 14/3
    # the plain comprehensive strategy ignores what is held
    plain = plan_allocation(cases, cols, {}, Strategy.COMPREHENSIVE)
    assert [plain.balance[c].new_cases for c in "ABC"] == [2, 2, 2]


def test_capacity_weighted_shares_follow_weight():
    cols = [col("A", capacity_weight=D(3)), col("B", capacity_weight=D(1))]
    plan = plan_allocation([case(f"c{i}") for i in range(8)], cols, {},
                           Strategy.CAPACITY_WEIGHTED)
    assert [plan.balance[c].new_cases for c in "AB"] == [6, 2]


def test_capacity_weighted_defaults_to_max_open_cases_and_skips_zero_weight():
    cols = [col("A", max_open_cases=200), col("B", max_open_cases=100),
            col("C", capacity_weight=D(0))]
    plan = plan_allocation([case(f"c{i}") for i in range(9)], cols, {},
                           Strategy.CAPACITY_WEIGHTED)
    assert [plan.balance[c].new_cases for c in "ABC"] == [6, 3, 0]
    assert plan.summary.collectors == 2


def test_auto_match_picks_skill_matched_least_loaded():
    cols = [col("A", clients=frozenset({"X"}), open_cases=2),
            col("B", open_cases=10),
            col("C", regions=frozenset({"SH"}), open_cases=0)]
    cases = [case("x1", client="X"), case("y1", client="Y"), case("x2", client="X", region="SH")]
    plan = plan_allocation(cases, cols, {}, Strategy.AUTO_MATCH)
    # x2 (Shanghai) → C (least loaded, region matches); x1 → A (B holds more); y1 → only B
    assert plan.assignments == {"x2": "C", "x1": "A", "y1": "B"}


def test_manual_strategy_is_not_a_plan_allocation():
    with pytest.raises(ValueError):
        plan_allocation([case("c1")], [col("A")], {}, Strategy.MANUAL)


def test_strategy_accepts_its_string_value():
    plan = plan_allocation([case("c1")], [col("A")], {}, "by_count")
    assert plan.strategy is Strategy.BY_COUNT


# --- eligibility (R-9) ------------------------------------------------------------------------
def test_client_requirements_dedicated_team_and_excluded_collector():
    rules = {"X": ClientRules("X", dedicated_team_ids=frozenset({"t2"}),
                              excluded_collector_ids=frozenset({"B"}))}
    cols = [col("A", "t1"), col("B", "t2"), col("C", "t2")]
    cases = [case(f"c{i}", client="X") for i in range(4)] + [case("y", client="Y")]
    for strategy in (s for s in Strategy if s is not Strategy.MANUAL):
        plan = plan_allocation(cases, cols, rules, strategy)
        assert {plan.assignments[f"c{i}"] for i in range(4)} == {"C"}, strategy
        assert plan.assignments["y"] == "A", strategy  # other clients: anyone, least loaded


def test_team_products_and_buckets_per_client():
    rules = {"X": ClientRules("X", team_products={"t1": frozenset({"loan"})},
                              team_dpd_buckets={"t2": frozenset({"M3"})})}
    a, b = col("A", "t1"), col("B", "t2")
    assert not is_eligible(a, case("c", client="X", product="card"), rules)
    assert is_eligible(a, case("c", client="X", product="loan"), rules)
    assert not is_eligible(b, case("c", client="X", bucket="M1"), rules)
    assert is_eligible(b, case("c", client="X", bucket="M3"), rules)
    assert is_eligible(a, case("c", client="Y", product="card"), rules)  # other client


def test_skills_and_region():
    c = col("A", clients=frozenset({"X"}), products=frozenset({"card"}),
            dpd_buckets=frozenset({"M1", "M2"}), regions=frozenset({"GD"}))
    assert is_eligible(c, case("c"), {})
    assert not is_eligible(c, case("c", client="Y"), {})
    assert not is_eligible(c, case("c", product="loan"), {})
    assert not is_eligible(c, case("c", bucket="M3"), {})
    assert not is_eligible(c, case("c", region="SH"), {})
    assert not is_eligible(c, case("c", region=None), {})  # region-bound: region must be known
    assert is_eligible(col("B"), case("c", region=None), {})
    assert not is_eligible(col("Z", active=False), case("c"), {})


def test_unassigned_reasons_never_silently_dropped():
    cols = [col("A", max_open_cases=3, open_cases=2), col("B", active=False)]
    cases = [case("c1"), case("c2"), case("far", region="XJ"), case("x", client="Q")]
    rules = {"Q": ClientRules("Q", excluded_collector_ids=frozenset({"A"}))}
    plan = plan_allocation(cases, cols, rules, Strategy.BY_COUNT)
    # A has room for one case (equal cases go in case-id order); B is inactive; Q excluded A
    assert plan.assignments == {"c1": "A"}
    assert plan.unassigned == {"c2": UnassignedReason.CAPACITY_EXHAUSTED,
                               "far": UnassignedReason.CAPACITY_EXHAUSTED,
                               "x": UnassignedReason.NO_ELIGIBLE_COLLECTOR}
    assert plan.balance["A"].open_cases_after == 3


def test_amount_capacity():
    cols = [col("A", max_open_amount=D(1000), open_amount=D(700)), col("B", max_open_amount=D(250))]
    plan = plan_allocation([case("big", 400), case("mid", 250), case("s", 60)], cols, {},
                           Strategy.BY_AMOUNT)
    # room: A 300, B 250. big fits nobody; mid → A (0 new each: by id); s → B (less new amount)
    assert plan.unassigned == {"big": UnassignedReason.CAPACITY_EXHAUSTED}
    assert plan.assignments == {"mid": "A", "s": "B"}


# --- joint debt (R-11) ------------------------------------------------------------------------
def test_joint_group_lands_with_one_collector():
    cases = [case("j1", 100, joint="D1"), case("j2", 100, joint="D1"),
             case("j3", 100, joint="D1", client="Y"), case("a", 250), case("b", 250)]
    for strategy in (s for s in Strategy if s is not Strategy.MANUAL):
        plan = plan_allocation(cases, [col("A"), col("B")], {}, strategy)
        assert len({plan.assignments[j] for j in ("j1", "j2", "j3")}) == 1, strategy


def test_joint_group_needs_a_collector_eligible_for_every_member():
    cols = [col("A", clients=frozenset({"X"})), col("B", clients=frozenset({"Y"}))]
    plan = plan_allocation([case("j1", client="X", joint="D"), case("j2", client="Y", joint="D")],
                           cols, {}, Strategy.BY_COUNT)
    assert plan.unassigned == {"j1": UnassignedReason.NO_ELIGIBLE_COLLECTOR,
                               "j2": UnassignedReason.NO_ELIGIBLE_COLLECTOR}


def test_joint_group_joins_the_collector_already_holding_the_debtor():
    cases = [case("held", joint="D", current="B"), case("new1", joint="D"),
             case("new2", joint="D"), case("other")]
    plan = plan_allocation(cases, [col("A"), col("B", open_cases=50)], {}, Strategy.CUMULATIVE)
    assert plan.kept == {"held": "B"}
    assert plan.assignments["new1"] == plan.assignments["new2"] == "B"
    assert plan.assignments["other"] == "A"
    # the same through joint_owners, for held cases not passed in
    plan = plan_allocation(cases[1:], [col("A"), col("B", open_cases=50)], {},
                           Strategy.CUMULATIVE, joint_owners={"D": "B"})
    assert plan.assignments["new1"] == plan.assignments["new2"] == "B"


def test_joint_owner_not_eligible_is_noted():
    cases = [case("held", joint="D", current="B"), case("new", joint="D", client="Y")]
    rules = {"Y": ClientRules("Y", excluded_collector_ids=frozenset({"B"}))}
    plan = plan_allocation(cases, [col("A"), col("B")], rules, Strategy.BY_COUNT)
    assert plan.assignments == {"new": "A"}
    assert plan.notes == {"new": PlanNote.JOINT_OWNER_NOT_ELIGIBLE}


# --- rotation (R-12) --------------------------------------------------------------------------
def test_is_stalled():
    assert is_stalled(payments_in_month=D(0), live_ptp=False)
    assert not is_stalled(payments_in_month=D("0.01"), live_ptp=False)
    assert not is_stalled(payments_in_month=D(0), live_ptp=True)


def test_rotation_never_back_to_current_or_previous():
    cols = [col(c) for c in "ABCD"]
    cases = [case("c1", current="A", previous="C"), case("c2", current="B", previous="D"),
             case("j1", joint="J", current="A"), case("j2", joint="J", current="B", previous="C")]
    plan = plan_rotation(cases, cols, {})
    assert plan.assignments["c1"] in {"B", "D"}
    assert plan.assignments["c2"] in {"A", "C"}
    assert plan.assignments["j1"] == plan.assignments["j2"] == "D"
    assert plan.balance["A"].released_cases == 2 and plan.balance["B"].released_cases == 2


def test_rotation_with_no_other_collector_stays():
    plan = plan_rotation([case("c1", current="A", previous="B")], [col("A"), col("B")], {})
    assert plan.unassigned == {"c1": UnassignedReason.NO_OTHER_COLLECTOR}
    assert plan.balance["A"].open_cases_after == 0  # open_cases given as 0 in this example


def test_rotation_swaps_between_full_collectors():
    cols = [col("A", max_open_cases=1, open_cases=1, open_amount=D(100)),
            col("B", max_open_cases=1, open_cases=1, open_amount=D(200))]
    cases = [case("c1", 100, current="A"), case("c2", 200, current="B")]
    for strategy in (s for s in Strategy if s is not Strategy.MANUAL):
        plan = plan_rotation(cases, cols, {}, strategy)
        assert plan.assignments == {"c1": "B", "c2": "A"}, strategy
        assert plan.balance["A"].open_cases_after == 1


def test_rotation_gives_back_moves_a_staying_case_would_overfill():
    # c2 may go neither back to A nor to B, and C works only GD: it stays with B. c1 could go
    # only to B, whose one place c2 keeps: c1 stays too, and nobody ends over capacity.
    cols = [col("A", max_open_cases=1, open_cases=1), col("B", max_open_cases=1, open_cases=1),
            col("C", regions=frozenset({"GD"}))]
    cases = [case("c1", current="A", previous="C"),
             case("c2", current="B", previous="A", region="SH")]
    for strategy in (s for s in Strategy if s is not Strategy.MANUAL):
        plan = plan_rotation(cases, cols, {}, strategy)
        assert plan.unassigned == {"c1": UnassignedReason.CAPACITY_EXHAUSTED,
                                   "c2": UnassignedReason.NO_OTHER_COLLECTOR}, strategy
        assert plan.assignments == {}
        assert [plan.balance[c].open_cases_after for c in "AB"] == [1, 1]


# --- manual -----------------------------------------------------------------------------------
def test_manual_checks_eligibility_and_capacity():
    cols = [col("A", max_open_cases=2, open_cases=0, regions=frozenset({"GD"})), col("B")]
    cases = [case("c1", current="B"), case("sh", region="SH"), case("j1", joint="D"),
             case("j2", joint="D"), case("c2", current="A")]
    plan = manual_plan(cases, "A", cols, {}, joint_owners={"D": "B"})
    assert plan.assignments == {"c1": "A"}
    assert plan.kept == {"c2": "A"}
    assert plan.unassigned == {"sh": UnassignedReason.NOT_ELIGIBLE,
                               "j1": UnassignedReason.CAPACITY_EXHAUSTED,
                               "j2": UnassignedReason.CAPACITY_EXHAUSTED}
    assert plan.balance["B"].released_cases == 1
    plan = manual_plan(cases[2:4], "B", cols, {}, joint_owners={"D": "A"})
    assert plan.notes == {"j1": PlanNote.JOINT_DEBT_SPLIT, "j2": PlanNote.JOINT_DEBT_SPLIT}
    assert manual_plan([case("c")], "Z", cols, {}).unassigned == {
        "c": UnassignedReason.COLLECTOR_NOT_FOUND}
    assert manual_plan([case("c")], "Z", [col("Z", active=False)], {}).unassigned == {
        "c": UnassignedReason.COLLECTOR_INACTIVE}


def test_manual_respects_excluded_collector():
    rules = {"X": ClientRules("X", excluded_collector_ids=frozenset({"A"}))}
    plan = manual_plan([case("c1")], "A", [col("A")], rules)
    assert plan.unassigned == {"c1": UnassignedReason.NOT_ELIGIBLE}


# --- input checks, determinism, rounding --------------------------------------------------------
def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        plan_allocation([case("c1"), case("c1")], [col("A")], {}, Strategy.BY_COUNT)
    with pytest.raises(ValueError):
        plan_allocation([case("c1", "1.005")], [col("A")], {}, Strategy.BY_COUNT)
    with pytest.raises(ValueError):
        plan_allocation([case("c1", "-1")], [col("A")], {}, Strategy.BY_COUNT)
    with pytest.raises(ValueError):
        plan_allocation([case("c1")], [col("A"), col("A")], {}, Strategy.BY_COUNT)


def test_same_input_same_plan_whatever_the_order():
    rnd = random.Random(7)
    cases = [case(f"c{i}", rnd.randrange(1, 10) * 100, joint=rnd.choice([None, "J1", "J2"]))
             for i in range(60)]
    cols = [col(f"u{i}") for i in range(7)]
    for strategy in (s for s in Strategy if s is not Strategy.MANUAL):
        first = plan_allocation(cases, cols, {}, strategy)
        shuffled = plan_allocation(rnd.sample(cases, len(cases)), rnd.sample(cols, len(cols)), {},
                                   strategy)
        assert first.assignments == shuffled.assignments, strategy


def test_summary_rounding():
    s = summarize([1, 2, 2], [100, 200, 201])  # cents
    assert s.mean_cases == D("1.67") and s.max_dev_cases == D("0.67")
    assert s.max_dev_cases_pct == D("40.0000")
    assert s.mean_amount == D("1.67") and s.max_dev_amount == D("0.67")
    assert s.max_dev_amount_pct == D("40.1198")  # 0.66667 / 1.67 * 100 from unrounded figures
    assert summarize([], []).collectors == 0
    assert summarize([0, 0], [0, 0]).max_dev_amount_pct == D("0.0000")


# --- first contact (R-20) ---------------------------------------------------------------------
def test_first_contact_due_uses_working_days():
    from recoup_shared.calendar import WorkingCalendar

    cal = WorkingCalendar()
    assert first_contact_due(date(2024, 6, 3), cal) == date(2024, 6, 6)       # Mon → Thu
    assert first_contact_due(date(2024, 6, 7), cal) == date(2024, 6, 13)      # 端午 Mon 6/10
    assert first_contact_due(date(2024, 9, 30), cal) == date(2024, 10, 10)    # 国庆 10/1–10/7
    assert first_contact_due(date(2024, 9, 30), cal, working_days=2) == date(2024, 10, 9)
    with pytest.raises(ValueError):
        first_contact_due(date(2024, 6, 3), cal, working_days=-1)


# --- scale: 100,000 cases over 500 collectors -------------------------------------------------
def realistic_book(n: int = 100_000, m: int = 500, seed: int = 20240601):
    """Log-normal placed amounts clipped to 500–200,000 CNY (median ≈ 12,000), 5% joint debt."""
    rnd = random.Random(seed)
    mu = math.log(12_000)
    cases = []
    for i in range(n):
        amount = min(200_000.0, max(500.0, rnd.lognormvariate(mu, 1.0)))
        joint = f"debtor{rnd.randrange(n // 40)}" if rnd.random() < 0.05 else None
        cases.append(AllocCase(f"case{i:06d}", rnd.choice("ABC"), rnd.choice(("card", "loan")),
                               D(f"{amount:.2f}"), rnd.choice(("M1", "M2", "M3")),
                               rnd.choice(("GD", "SH", "BJ")), joint))
    collectors = [CollectorLoad(f"u{j:03d}", f"t{j % 10}", open_cases=rnd.randrange(300),
                                open_amount=D(rnd.randrange(2_000_000))) for j in range(m)]
    return cases, collectors


def test_by_amount_100k_over_500_within_half_a_percent():
    cases, collectors = realistic_book()
    started = time.perf_counter()
    plan = plan_allocation(cases, collectors, {}, Strategy.BY_AMOUNT)
    elapsed = time.perf_counter() - started
    assert len(plan.assignments) == 100_000 and not plan.unassigned
    assert plan.summary.collectors == 500
    assert plan.summary.max_dev_amount_pct < D("0.5")
    print(f"\nby_amount 100k×500: {elapsed:.3f}s, max deviation {plan.summary.max_dev_amount} CNY "
          f"= {plan.summary.max_dev_amount_pct}% of mean {plan.summary.mean_amount}")
