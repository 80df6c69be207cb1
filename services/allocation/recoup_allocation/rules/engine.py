"""The greedy placement engine shared by every strategy.

Joint-debt groups (R-11) are the unit of placement. Groups are taken in the strategy's order
(largest first: LPT) and each goes to the eligible collector with the smallest strategy key.
Collectors are bucketed into "atoms" of identical eligibility, each with a heap of
(key, collector_id, version); a group looks at the tops of the heaps of the atoms eligible for it,
so a placement costs O(atoms · log m), not O(m). Entries made stale by a later push are skipped by
version. Capacity (open + planned never above the caps) is checked on every pick.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from heapq import heapify, heappop, heappush

from .balance import build_balance
from .eligibility import Atoms, case_signature
from .model import (
    AllocCase, ClientRules, CollectorLoad, Plan, PlanNote, Strategy, UnassignedReason, to_cents,
)

INF = 1 << 100  # room of an uncapped collector

Key = Callable[[str], object]


@dataclass(slots=True, eq=False)
class Group:
    """One joint-debt group's cases still to place (a case without joint key is its own group)."""

    gid: str
    members: list[AllocCase]
    cents: list[int]
    size: int
    amount: int                       # cents
    atoms: tuple[int, ...]            # eligible atoms (static eligibility of every member)
    atom_set: frozenset[int]
    banned: frozenset[str]            # rotation: current and previous owners of the members
    anchors: tuple[str, ...]          # collectors already holding the debtor's cases
    pinned: bool = False              # placed with its anchor: rebalancing never moves it
    released: bool = False            # rotation: counted as gone from its current owner


@dataclass(slots=True)
class Engine:
    collectors: dict[str, CollectorLoad]
    atoms: Atoms
    rotation: bool
    groups: list[Group] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)
    open_c: dict[str, int] = field(default_factory=dict)
    open_a: dict[str, int] = field(default_factory=dict)
    # per-pass state (reset())
    new_c: dict[str, int] = field(default_factory=dict)
    new_a: dict[str, int] = field(default_factory=dict)
    rel_c: dict[str, int] = field(default_factory=dict)
    rel_a: dict[str, int] = field(default_factory=dict)
    room_c: dict[str, int] = field(default_factory=dict)
    room_a: dict[str, int] = field(default_factory=dict)
    quota: dict[str, int] = field(default_factory=dict)   # extra cap on new cases in one pass
    version: dict[str, int] = field(default_factory=dict)
    heaps: list[list[tuple]] = field(default_factory=list)
    held: dict[str, list[Group]] = field(default_factory=dict)
    assignments: dict[str, str] = field(default_factory=dict)
    unassigned: dict[str, UnassignedReason] = field(default_factory=dict)
    notes: dict[str, PlanNote] = field(default_factory=dict)
    key: Key = lambda cid: 0

    @classmethod
    def build(cls, cases: Iterable[AllocCase], collectors: Iterable[CollectorLoad],
              client_rules: Mapping[str, ClientRules], *, rotation: bool,
              joint_owners: Mapping[str, str] | None,
              pool_filter: Callable[[CollectorLoad], bool] = lambda c: True) -> Engine:
        by_id: dict[str, CollectorLoad] = {}
        for c in collectors:
            if c.collector_id in by_id:
                raise ValueError(f"duplicate collector {c.collector_id}")
            by_id[c.collector_id] = c
        atoms = Atoms.build((c for c in by_id.values() if pool_filter(c)), client_rules)
        eng = cls(by_id, atoms, rotation)
        for cid, c in by_id.items():
            eng.open_c[cid] = c.open_cases
            eng.open_a[cid] = to_cents(c.open_amount)
        eng.reset()
        eng._group(cases, joint_owners or {})
        return eng

    def reset(self) -> None:
        """Forget every placement: back to the collectors' loads as given."""
        for cid, c in self.collectors.items():
            self.new_c[cid] = self.new_a[cid] = self.rel_c[cid] = self.rel_a[cid] = 0
            self.room_c[cid] = (INF if c.max_open_cases is None
                                else c.max_open_cases - c.open_cases)
            self.room_a[cid] = (INF if c.max_open_amount is None
                                else to_cents(c.max_open_amount) - self.open_a[cid])
            self.quota[cid] = INF
            self.version[cid] = 0
            self.held[cid] = []
        for g in self.groups:
            g.pinned = g.released = False
        self.heaps = []
        self.assignments.clear()
        self.unassigned.clear()
        self.notes.clear()

    # --- groups -------------------------------------------------------------------------------
    def _group(self, cases: Iterable[AllocCase], joint_owners: Mapping[str, str]) -> None:
        # gid (tie-break of the placement order): the joint key, or the case id of a lone case
        rotation, kept, groups = self.rotation, self.kept, self.groups
        atom_sets: dict[tuple[int, ...], frozenset[int]] = {}
        cache, eligible = self.atoms.cache, self.atoms.eligible_atoms
        no_ban: frozenset[str] = frozenset()
        hundred = Decimal(100)
        seen: set[str] = set()
        joint: dict[str, list[AllocCase]] = {}
        for case in cases:
            case_id = case.case_id
            if case_id in seen:
                raise ValueError(f"duplicate case {case_id}")
            seen.add(case_id)
            if case.joint_key is not None:
                joint.setdefault(case.joint_key, []).append(case)
                continue
            if not rotation and case.current_collector_id is not None:
                kept[case_id] = case.current_collector_id
                continue
            # Fast path: a lone case is a group of one.
            sig = (case.client_id, case.product, case.dpd_bucket, case.region)
            atoms = cache.get(sig)
            if atoms is None:
                atoms = eligible(sig)
            atom_set = atom_sets.get(atoms)
            if atom_set is None:
                atom_set = atom_sets[atoms] = frozenset(atoms)
            v = case.placed_amount * hundred
            cents = int(v)
            if cents != v or cents < 0:
                to_cents(case.placed_amount)  # raises, with the message
            banned = no_ban
            if rotation:
                cur, prev = case.current_collector_id, case.previous_collector_id
                if cur is not None:
                    banned = frozenset((cur,)) if prev is None else frozenset((cur, prev))
                elif prev is not None:
                    banned = frozenset((prev,))
            groups.append(Group(case_id, [case], [cents], 1, cents, atoms, atom_set, banned, ()))
        self._joint_groups(joint, joint_owners, atom_sets)

    def _joint_groups(self, joint: Mapping[str, list[AllocCase]], joint_owners: Mapping[str, str],
                      atom_sets: dict[tuple[int, ...], frozenset[int]]) -> None:
        """R-11: one group per debtor. Outside rotation, the debtor's cases someone already holds
        are kept, and that owner (or the joint owner given) anchors the rest."""
        rotation, kept, groups, eligible = self.rotation, self.kept, self.groups, self.atoms.eligible_atoms
        no_ban: frozenset[str] = frozenset()
        for key, members in joint.items():
            banned, anchors, free = no_ban, (), members
            if rotation:
                banned = frozenset(x for m in members
                                   for x in (m.current_collector_id, m.previous_collector_id)
                                   if x is not None)
            else:
                free = [m for m in members if m.current_collector_id is None]
                held: dict[str, int] = {}
                for m in members:
                    if m.current_collector_id is not None:
                        kept[m.case_id] = m.current_collector_id
                        held[m.current_collector_id] = held.get(m.current_collector_id, 0) + 1
                anchors = tuple(sorted(held, key=lambda o: (-held[o], o)))
                owner = joint_owners.get(key)
                if owner is not None and owner not in held:
                    anchors += (owner,)
                if not free:
                    continue
            atoms = eligible(case_signature(free[0]))
            for m in free[1:]:
                other = eligible(case_signature(m))
                if other is not atoms:
                    atoms = tuple(a for a in atoms if a in other)
            atom_set = atom_sets.get(atoms)
            if atom_set is None:
                atom_set = atom_sets[atoms] = frozenset(atoms)
            cents_list = [to_cents(m.placed_amount) for m in free]
            groups.append(Group(key, free, cents_list, len(free), sum(cents_list), atoms,
                                atom_set, banned, anchors))

    def participants(self) -> list[str]:
        """Active pool collectors eligible for at least one group: the ones a strategy balances."""
        used: set[int] = set()
        for atoms in {g.atoms for g in self.groups}:
            used.update(atoms)
        return sorted(cid for a in used for cid in self.atoms.members[a])

    # --- placement ----------------------------------------------------------------------------
    def place_all(self, groups: list[Group], order: Callable[[Group], object], key: Key,
                  quota: Mapping[str, int] | None = None) -> list[Group]:
        """Place `groups` greedily; returns the groups nobody could take.

        Rotation (R-12) moves cases between collectors who may all be at capacity, so the room a
        leaving case frees must be usable (a swap between two full collectors is valid). The
        moving groups are first counted as gone from their owners; groups that then find no
        collector stay, and any collector a staying group pushes over capacity gives back the
        groups it received (latest first, cascading) until nobody who received a case is over
        capacity. The leftovers are retried one at a time, each freeing its owner's room only
        once it has moved, until no more move."""
        self.key = key
        if self.rotation:
            for g in groups:
                if not g.released:
                    self._release(g)
        for cid in self.collectors:
            self.quota[cid] = INF if quota is None else quota.get(cid, 0) - self.new_c[cid]
        version = self.version
        self.heaps = []
        for members in self.atoms.members:
            heap = [(key(cid), cid, version[cid]) for cid in members]
            heapify(heap)
            self.heaps.append(heap)
        place = self._place
        failed = [g for g in sorted(groups, key=order) if not place(g)]
        if not self.rotation:
            return failed
        for g in failed:
            self._unrelease(g)
        failed += self._repair()
        while failed:
            again = [g for g in sorted(failed, key=order) if not place(g)]
            if len(again) == len(failed):
                break
            failed = again
        return failed

    def give_up(self, failed: list[Group]) -> None:
        for g in failed:
            reason = self._reason(g)
            for m in g.members:
                self.unassigned[m.case_id] = reason

    def _place(self, g: Group) -> bool:
        cid = None
        if g.anchors:
            for a in g.anchors:  # join the debtor's other cases when that collector may
                if self.fits(g, a, quota=False):
                    cid = a
                    g.pinned = True
                    break
            else:
                for m in g.members:
                    self.notes[m.case_id] = PlanNote.JOINT_OWNER_NOT_ELIGIBLE
        if cid is None:
            atoms = g.atoms
            if len(atoms) == 1:
                best = self._peek(atoms[0], g.size, g.amount, g.banned)
            else:
                best = None
                for a in atoms:
                    e = self._peek(a, g.size, g.amount, g.banned)
                    if e is not None and (best is None or e < best):
                        best = e
            if best is None:
                return False
            cid = best[1]
        self._assign(g, cid)
        return True

    def fits(self, g: Group, cid: str, *, quota: bool = True) -> bool:
        """May `cid` take group `g` now: eligible, not banned, within capacity (and, unless
        told otherwise, within this pass's quota — a soft target R-11 anchors may exceed)?"""
        a = self.atoms.atom_of.get(cid)
        return (a is not None and a in g.atom_set and cid not in g.banned
                and self.room_c[cid] >= g.size and self.room_a[cid] >= g.amount
                and (not quota or self.quota[cid] >= g.size))

    def _peek(self, atom: int, size: int, amount: int, banned: frozenset[str]) -> tuple | None:
        """Smallest-key collector of the atom who can take the group (entry stays in the heap)."""
        heap, version, room_c, room_a, quota = (self.heaps[atom], self.version, self.room_c,
                                                self.room_a, self.quota)
        stash = None
        found = None
        while heap:
            e = heap[0]
            cid = e[1]
            if e[2] != version[cid]:
                heappop(heap)
                continue
            rc = room_c[cid]
            q = quota[cid]
            if rc <= 0 or q <= 0:  # full: off the heap until a release pushes it again
                heappop(heap)
                continue
            if rc < size or q < size or room_a[cid] < amount or cid in banned:
                if stash is None:
                    stash = []
                stash.append(heappop(heap))
                continue
            found = e
            break
        if stash:
            for e in stash:
                heappush(heap, e)
        return found

    def _refresh(self, cid: str) -> None:
        atom = self.atoms.atom_of.get(cid)
        if atom is not None:
            v = self.version[cid] = self.version[cid] + 1
            heappush(self.heaps[atom], (self.key(cid), cid, v))

    def _assign(self, g: Group, cid: str) -> None:
        assignments = self.assignments
        for m in g.members:
            assignments[m.case_id] = cid
        self.new_c[cid] += g.size
        self.new_a[cid] += g.amount
        self.room_c[cid] -= g.size
        self.room_a[cid] -= g.amount
        self.quota[cid] -= g.size
        self.held[cid].append(g)
        self._refresh(cid)
        if self.rotation and not g.released:
            self._release(g)

    def _unassign(self, g: Group, cid: str) -> None:
        for m in g.members:
            del self.assignments[m.case_id]
        self.held[cid].remove(g)
        self.new_c[cid] -= g.size
        self.new_a[cid] -= g.amount
        self.room_c[cid] += g.size
        self.room_a[cid] += g.amount
        self.quota[cid] += g.size
        g.pinned = False
        self._refresh(cid)

    def _release(self, g: Group, sign: int = 1) -> list[str]:
        """Rotation: count the group as gone from (sign=-1: back with) its current owners."""
        g.released = sign > 0
        touched: list[str] = []
        collectors, rel_c, rel_a, room_c, room_a = (self.collectors, self.rel_c, self.rel_a,
                                                    self.room_c, self.room_a)
        for m, cents in zip(g.members, g.cents):
            owner = m.current_collector_id
            if owner is None or owner not in collectors:
                continue
            rel_c[owner] += sign
            rel_a[owner] += sign * cents
            room_c[owner] += sign
            room_a[owner] += sign * cents
            if owner not in touched:
                touched.append(owner)
        if len(touched) > 1:
            touched.sort()
        if self.heaps:
            for owner in touched:
                self._refresh(owner)
        return touched

    def _unrelease(self, g: Group) -> list[str]:
        return self._release(g, -1)

    def _over(self, cid: str) -> bool:
        """Over capacity while holding cases this plan gave them (a collector already over
        capacity who only loses cases is not made worse by the plan)."""
        return (self.room_c[cid] < 0 or self.room_a[cid] < 0) and bool(self.held[cid])

    def _repair(self) -> list[Group]:
        undone: list[Group] = []
        stack = [cid for cid in sorted(self.collectors, reverse=True) if self._over(cid)]
        while stack:
            cid = stack.pop()
            while self._over(cid):
                g = self.held[cid][-1]
                self._unassign(g, cid)
                undone.append(g)
                stack.extend(o for o in self._unrelease(g) if self._over(o))
        return undone

    def _reason(self, g: Group) -> UnassignedReason:
        available = sum(len(self.atoms.members[a]) for a in g.atoms)
        if available == 0:
            return UnassignedReason.NO_ELIGIBLE_COLLECTOR
        banned_here = sum(1 for b in g.banned if self.atoms.atom_of.get(b) in g.atom_set)
        if available == banned_here:
            return UnassignedReason.NO_OTHER_COLLECTOR
        return UnassignedReason.CAPACITY_EXHAUSTED

    def move(self, g: Group, src: str, dst: str) -> None:
        """Rebalancing: hand a placed group from one new owner to another."""
        self.held[src].remove(g)
        self.held[dst].append(g)
        for m in g.members:
            self.assignments[m.case_id] = dst
        for cid, sign in ((src, -1), (dst, 1)):
            self.new_c[cid] += sign * g.size
            self.new_a[cid] += sign * g.amount
            self.room_c[cid] -= sign * g.size
            self.room_a[cid] -= sign * g.amount
            self.quota[cid] -= sign * g.size

    # --- result -------------------------------------------------------------------------------
    def plan(self, strategy: Strategy) -> Plan:
        balance, summary, summary_after = build_balance(
            self.collectors, self.new_c, self.new_a, self.rel_c, self.rel_a, self.participants())
        return Plan(strategy, dict(self.assignments), dict(self.unassigned), dict(self.kept),
                    dict(self.notes), balance, summary, summary_after)

