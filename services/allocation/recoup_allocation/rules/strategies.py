"""R-10 allocation strategies as orderings and collector keys over the shared greedy engine.

Every strategy: joint-debt groups are the unit (R-11); a group partly held already goes to that
collector when they may take it; eligibility is R-9 (client requirements, then skills); capacity
(open + planned) never exceeds max_open_cases / max_open_amount. Ties go to the smaller
collector_id, so the same input gives the same plan.

- BY_COUNT: fewest new cases first (ties: least new amount), groups by size descending. With every
  collector eligible and uncapped, new counts end within the largest group size of each other.
- BY_AMOUNT: least new amount first, groups by amount descending (LPT), then, if the spread is
  still above `amount_tolerance` of the mean, a move pass that only ever narrows it. Same
  conditions: new amounts end within the largest group amount of each other.
- COMPREHENSIVE: both at once. A count pass (as BY_COUNT) fixes how many new cases each collector
  gets; an amount pass (as BY_AMOUNT) then deals the groups within those quotas. Groups the quotas
  cannot fit are placed after, without quotas, by count.
- CUMULATIVE: as COMPREHENSIVE over each collector's whole book (open − released + new).
- CAPACITY_WEIGHTED: as COMPREHENSIVE with count and amount divided by the collector's weight
  (CollectorLoad.effective_weight: capacity_weight, else max_open_cases, else 1), so shares are
  proportional to it; collectors of weight <= 0 take nothing.
- AUTO_MATCH: only skill-matched collectors, then the least loaded overall (open + new cases,
  ties: open + new amount) — for new cases arriving through the day (R-8).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from recoup_shared.gcpause import gc_paused

from .engine import Engine, Group, Key
from .model import AllocCase, ClientRules, CollectorLoad, Plan, Strategy

# Issue 3 target for by-amount: max deviation from the mean under 0.5% of the mean.
DEFAULT_AMOUNT_TOLERANCE = Decimal("0.005")
# Bound on the by-amount move pass, per participating collector.
REBALANCE_MOVES_PER_COLLECTOR = 4
REBALANCE_CHECKS_PER_GROUP = 20


def plan_allocation(
    cases: Iterable[AllocCase],
    collectors: Iterable[CollectorLoad],
    client_rules: Mapping[str, ClientRules] | None,
    strategy: Strategy,
    *,
    rotation: bool = False,
    joint_owners: Mapping[str, str] | None = None,
    amount_tolerance: Decimal = DEFAULT_AMOUNT_TOLERANCE,
) -> Plan:
    """Plan where `cases` go (R-8..R-11). Cases with `current_collector_id` set are already held:
    they stay (`Plan.kept`) and anchor the rest of their joint-debt group, as does
    `joint_owners[joint_key]` for held cases not passed in. With `rotation=True` every case moves
    instead, never to its current or previous owner (R-12; see plan_rotation), and
    `joint_owners` is not used. Raises ValueError on duplicate case or collector ids and on
    amounts that are negative or finer than 0.01."""
    strategy = Strategy(strategy)
    if strategy is Strategy.MANUAL:
        raise ValueError("manual allocation takes a collector: use manual_plan()")
    with gc_paused():
        return _plan(cases, collectors, client_rules, strategy, rotation, joint_owners,
                     amount_tolerance)


def _plan(cases: Iterable[AllocCase], collectors: Iterable[CollectorLoad],
          client_rules: Mapping[str, ClientRules] | None, strategy: Strategy, rotation: bool,
          joint_owners: Mapping[str, str] | None, amount_tolerance: Decimal) -> Plan:
    pool_filter: Callable[[CollectorLoad], bool] = (
        (lambda c: c.effective_weight() > 0) if strategy is Strategy.CAPACITY_WEIGHTED
        else (lambda c: True))
    eng = Engine.build(cases, collectors, client_rules or {}, rotation=rotation,
                       joint_owners=joint_owners, pool_filter=pool_filter)
    count_key, amount_key = _keys(strategy, eng)
    if strategy in (Strategy.BY_COUNT, Strategy.AUTO_MATCH):
        eng.give_up(eng.place_all(eng.groups, _by_size, count_key))
    elif strategy is Strategy.BY_AMOUNT:
        failed = eng.place_all(eng.groups, _by_amount, amount_key)
        if _rebalance_amounts(eng, eng.participants(), amount_tolerance) and failed:
            failed = eng.place_all(failed, _by_amount, amount_key)  # moves may have freed room
        eng.give_up(failed)
    else:
        # Count and amount together: the count pass fixes how many new cases each collector
        # gets; the amount pass then deals the groups by amount within those numbers. Groups the
        # quotas cannot fit (joint groups vs. leftover room) are placed without them.
        eng.place_all(eng.groups, _by_size, count_key)
        quota = dict(eng.new_c)
        eng.reset()
        failed = eng.place_all(eng.groups, _by_amount, amount_key, quota)
        if failed:
            failed = eng.place_all(failed, _by_size, count_key)
        eng.give_up(failed)
    return eng.plan(strategy)


def _by_size(g: Group) -> tuple:
    return (-g.size, -g.amount, g.gid)


def _by_amount(g: Group) -> tuple:
    return (-g.amount, -g.size, g.gid)


def _keys(strategy: Strategy, eng: Engine) -> tuple[Key, Key]:
    """(count key, amount key) of the strategy: the smaller key takes the next group. Integer
    keys (the minor measure below one unit of the major one) keep comparisons exact."""
    new_c, new_a = eng.new_c, eng.new_a
    open_c, open_a, rel_c, rel_a = eng.open_c, eng.open_a, eng.rel_c, eng.rel_a
    total_n = sum(g.size for g in eng.groups)
    total_a = sum(g.amount for g in eng.groups)
    if strategy is Strategy.CAPACITY_WEIGHTED:
        weight = {cid: float(eng.collectors[cid].effective_weight()) for cid in eng.atoms.atom_of}
        return (lambda cid: (new_c[cid] / weight[cid], new_a[cid] / weight[cid]),
                lambda cid: (new_a[cid] / weight[cid], new_c[cid] / weight[cid]))
    if strategy in (Strategy.CUMULATIVE, Strategy.AUTO_MATCH):
        big_a = total_a + sum(open_a.values()) + 1
        big_n = total_n + sum(max(x, 0) for x in open_c.values()) + 1
        return (lambda cid: ((open_c[cid] - rel_c[cid] + new_c[cid]) * big_a
                             + open_a[cid] - rel_a[cid] + new_a[cid]),
                lambda cid: ((open_a[cid] - rel_a[cid] + new_a[cid]) * big_n
                             + open_c[cid] - rel_c[cid] + new_c[cid]))
    big_a, big_n = total_a + 1, total_n + 1
    return (lambda cid: new_c[cid] * big_a + new_a[cid],
            lambda cid: new_a[cid] * big_n + new_c[cid])


# --- by-amount move pass ------------------------------------------------------------------------
def _rebalance_amounts(eng: Engine, participants: list[str], tolerance: Decimal) -> bool:
    """Move single groups from the heaviest collector down (or into the lightest) while the
    spread exceeds the tolerance. Each move leaves both collectors strictly inside their old
    range, so the spread never widens and the sum of squares falls. Bounded by a number of moves
    and of (group, collector) checks, so a spread eligibility makes irreducible costs little."""
    new_a = eng.new_a
    budget = moves = REBALANCE_MOVES_PER_COLLECTOR * len(participants)
    checks = [REBALANCE_CHECKS_PER_GROUP * max(len(eng.groups), 1)]
    while moves > 0 and amount_deviation_exceeds([new_a[p] for p in participants], tolerance):
        ordered = sorted(participants, key=lambda p: (new_a[p], p))
        hi, lo = ordered[-1], ordered[0]
        if not (_move(eng, [hi], ordered, checks) or _move(eng, ordered[::-1], [lo], checks)):
            break
        moves -= 1
    return moves < budget  # whether anything moved


def _move(eng: Engine, sources: list[str], targets: list[str], checks: list[int]) -> bool:
    """Move the best-fitting group from the first source, trying targets in the given order."""
    new_a = eng.new_a
    for src in sources:
        for dst in targets:
            gap = new_a[src] - new_a[dst]
            if gap <= 0:
                break
            best, best_err = None, 0
            for g in eng.held[src]:
                checks[0] -= 1
                if g.pinned or not 0 < g.amount < gap or not eng.fits(g, dst):
                    continue
                err = abs(2 * g.amount - gap)
                if best is None or (err, g.gid) < (best_err, best.gid):
                    best, best_err = g, err
            if best is not None:
                eng.move(best, src, dst)
                return True
            if checks[0] <= 0:
                return False
    return False


def amount_deviation_exceeds(values: list[int], tolerance: Decimal) -> bool:
    """max |x - mean| > tolerance · mean, exactly (scaled by n to stay in integers)."""
    if len(values) < 2:
        return False
    n, total = len(values), sum(values)
    worst = max(max(values) * n - total, total - min(values) * n)
    return Decimal(worst) > tolerance * Decimal(total)
