"""R-10 manual allocation: the team lead names the collector for one case or a selection. The
rules still hold: a case the collector may not work, or that would take them over capacity, is
refused with the reason; a joint-debt group (R-11) goes all together or not at all."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .balance import build_balance
from .eligibility import is_eligible
from .model import (
    AllocCase, ClientRules, CollectorLoad, Plan, PlanNote, Strategy, UnassignedReason, to_cents,
)


def _index(collectors: Iterable[CollectorLoad]) -> dict[str, CollectorLoad]:
    by_id: dict[str, CollectorLoad] = {}
    for c in collectors:
        if c.collector_id in by_id:
            raise ValueError(f"duplicate collector {c.collector_id}")
        by_id[c.collector_id] = c
    return by_id


def _groups(cases: Iterable[AllocCase]) -> dict[tuple[str, str], list[AllocCase]]:
    """A debtor's cases (same joint key) are one group; any other case is a group of its own."""
    groups: dict[tuple[str, str], list[AllocCase]] = {}
    seen: set[str] = set()
    for case in cases:
        if case.case_id in seen:
            raise ValueError(f"duplicate case {case.case_id}")
        seen.add(case.case_id)
        gid = ("j", case.joint_key) if case.joint_key is not None else ("c", case.case_id)
        groups.setdefault(gid, []).append(case)
    return groups


@dataclass
class _Target:
    """The named collector and the room left in their book (None: uncapped), in cents."""
    load: CollectorLoad | None
    room_cases: int | None = None
    room_cents: int | None = None
    new_cases: int = 0
    new_cents: int = 0
    released_cases: dict[str, int] = field(default_factory=dict)
    released_cents: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, load: CollectorLoad | None) -> "_Target":
        t = cls(load)
        if load is not None:
            if load.max_open_cases is not None:
                t.room_cases = load.max_open_cases - load.open_cases
            if load.max_open_amount is not None:
                t.room_cents = to_cents(load.max_open_amount) - to_cents(load.open_amount)
        return t

    def refusal(self, movers: list[AllocCase], cents: int,
                client_rules: Mapping[str, ClientRules]) -> UnassignedReason | None:
        if self.load is None:
            return UnassignedReason.COLLECTOR_NOT_FOUND
        if not self.load.active:
            return UnassignedReason.COLLECTOR_INACTIVE
        if not all(is_eligible(self.load, m, client_rules) for m in movers):
            return UnassignedReason.NOT_ELIGIBLE
        if ((self.room_cases is not None and self.room_cases < len(movers))
                or (self.room_cents is not None and self.room_cents < cents)):
            return UnassignedReason.CAPACITY_EXHAUSTED
        return None

    def take(self, n: int, cents: int) -> None:
        if self.room_cases is not None:
            self.room_cases -= n
        if self.room_cents is not None:
            self.room_cents -= cents
        self.new_cases += n
        self.new_cents += cents

    def release(self, owner: str, cents: int) -> None:
        self.released_cases[owner] = self.released_cases.get(owner, 0) + 1
        self.released_cents[owner] = self.released_cents.get(owner, 0) + cents


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
    by_id = _index(collectors)
    target = _Target.of(by_id.get(collector_id))
    assignments: dict[str, str] = {}
    unassigned: dict[str, UnassignedReason] = {}
    kept: dict[str, str] = {}
    notes: dict[str, PlanNote] = {}
    for gid, members in _groups(cases).items():
        movers = [m for m in members if m.current_collector_id != collector_id]
        kept.update((m.case_id, collector_id) for m in members if m.current_collector_id == collector_id)
        if not movers:
            continue
        cents = [to_cents(m.placed_amount) for m in movers]
        reason = target.refusal(movers, sum(cents), client_rules)
        if reason is not None:
            unassigned.update((m.case_id, reason) for m in movers)
            continue
        target.take(len(movers), sum(cents))
        owner_elsewhere = joint_owners.get(gid[1]) if gid[0] == "j" else None
        split = owner_elsewhere not in (None, collector_id)
        for m, c in zip(movers, cents):
            assignments[m.case_id] = collector_id
            if split:
                notes[m.case_id] = PlanNote.JOINT_DEBT_SPLIT
            if m.current_collector_id is not None and m.current_collector_id in by_id:
                target.release(m.current_collector_id, c)
    new_c = {collector_id: target.new_cases} if target.new_cases else {}
    new_a = {collector_id: target.new_cents} if target.new_cases else {}
    participants = [collector_id] if target.load is not None and target.load.active else []
    balance, summary, summary_after = build_balance(by_id, new_c, new_a, target.released_cases,
                                                    target.released_cents, participants)
    return Plan(Strategy.MANUAL, assignments, unassigned, kept, notes, balance, summary,
                summary_after)
