"""R-10 manual allocation: the team lead names the collector for one case or a selection. The
rules still hold: a case the collector may not work, or that would take them over capacity, is
refused with the reason; a joint-debt group (R-11) goes all together or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from .balance import build_balance
from .eligibility import is_eligible
from .model import (
    AllocCase, ClientRules, CollectorLoad, Plan, PlanNote, Strategy, UnassignedReason, to_cents,
)


def manual_plan(
    cases: Iterable[AllocCase],
    collector_id: str,
    collectors: Iterable[CollectorLoad],
    client_rules: Mapping[str, ClientRules] | None,
    *,
    joint_owners: Mapping[str, str] | None = None,
) -> Plan:
    """Give `cases` to `collector_id`, in input order until their capacity is used up. Cases the
    collector already holds are `kept`; cases moved away from another collector count as that
    collector's `released_*`. `joint_owners[joint_key]` naming someone else marks the moved cases
    JOINT_DEBT_SPLIT in `notes` (allowed: a manual choice, but the preview must say so)."""
    client_rules = client_rules or {}
    joint_owners = joint_owners or {}
    by_id: dict[str, CollectorLoad] = {}
    for c in collectors:
        if c.collector_id in by_id:
            raise ValueError(f"duplicate collector {c.collector_id}")
        by_id[c.collector_id] = c
    groups: dict[tuple[str, str], list[AllocCase]] = {}
    seen: set[str] = set()
    for case in cases:
        if case.case_id in seen:
            raise ValueError(f"duplicate case {case.case_id}")
        seen.add(case.case_id)
        gid = ("j", case.joint_key) if case.joint_key is not None else ("c", case.case_id)
        groups.setdefault(gid, []).append(case)

    target = by_id.get(collector_id)
    room_c = room_a = 0
    if target is not None:
        room_c = (target.max_open_cases - target.open_cases
                  if target.max_open_cases is not None else None)
        room_a = (to_cents(target.max_open_amount) - to_cents(target.open_amount)
                  if target.max_open_amount is not None else None)
    assignments: dict[str, str] = {}
    unassigned: dict[str, UnassignedReason] = {}
    kept: dict[str, str] = {}
    notes: dict[str, PlanNote] = {}
    new_c: dict[str, int] = {}
    new_a: dict[str, int] = {}
    rel_c: dict[str, int] = {}
    rel_a: dict[str, int] = {}
    for gid, members in groups.items():
        movers = []
        for m in members:
            if m.current_collector_id == collector_id:
                kept[m.case_id] = collector_id
            else:
                movers.append(m)
        if not movers:
            continue
        cents = [to_cents(m.placed_amount) for m in movers]
        reason = None
        if target is None:
            reason = UnassignedReason.COLLECTOR_NOT_FOUND
        elif not target.active:
            reason = UnassignedReason.COLLECTOR_INACTIVE
        elif not all(is_eligible(target, m, client_rules) for m in movers):
            reason = UnassignedReason.NOT_ELIGIBLE
        elif ((room_c is not None and room_c < len(movers))
              or (room_a is not None and room_a < sum(cents))):
            reason = UnassignedReason.CAPACITY_EXHAUSTED
        if reason is not None:
            for m in movers:
                unassigned[m.case_id] = reason
            continue
        if room_c is not None:
            room_c -= len(movers)
        if room_a is not None:
            room_a -= sum(cents)
        new_c[collector_id] = new_c.get(collector_id, 0) + len(movers)
        new_a[collector_id] = new_a.get(collector_id, 0) + sum(cents)
        owner_elsewhere = joint_owners.get(gid[1]) if gid[0] == "j" else None
        split = owner_elsewhere not in (None, collector_id)
        for m, c in zip(movers, cents):
            assignments[m.case_id] = collector_id
            if split:
                notes[m.case_id] = PlanNote.JOINT_DEBT_SPLIT
            owner = m.current_collector_id
            if owner is not None and owner in by_id:
                rel_c[owner] = rel_c.get(owner, 0) + 1
                rel_a[owner] = rel_a.get(owner, 0) + c
    participants = [collector_id] if target is not None and target.active else []
    balance, summary, summary_after = build_balance(by_id, new_c, new_a, rel_c, rel_a,
                                                    participants)
    return Plan(Strategy.MANUAL, assignments, unassigned, kept, notes, balance, summary,
                summary_after)
