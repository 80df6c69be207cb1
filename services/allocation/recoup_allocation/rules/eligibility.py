"""Who may work a case (R-9): client requirements first, then the collector's skills. Capacity is
checked separately because it changes as a plan fills collectors up."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .model import AllocCase, ClientRules, CollectorLoad

# What decides eligibility on the case side; cases sharing it share their eligible collectors.
CaseSignature = tuple[str, str, str, str | None]  # (client_id, product, dpd_bucket, region)


def case_signature(case: AllocCase) -> CaseSignature:
    return (case.client_id, case.product, case.dpd_bucket, case.region)


def may_work(collector: CollectorLoad, signature: CaseSignature,
             rules: ClientRules | None) -> bool:
    """Static eligibility of an active collector for a case signature (no capacity)."""
    client_id, product, bucket, region = signature
    if not collector.active:
        return False
    # R-9 first: the client's requirements.
    if rules is not None:
        if rules.dedicated_team_ids and collector.team_id not in rules.dedicated_team_ids:
            return False
        if collector.collector_id in rules.excluded_collector_ids:
            return False
        team_products = rules.team_products.get(collector.team_id) if collector.team_id else None
        if team_products is not None and product not in team_products:
            return False
        team_buckets = rules.team_dpd_buckets.get(collector.team_id) if collector.team_id else None
        if team_buckets is not None and bucket not in team_buckets:
            return False
    # Then the collector's own skills; None means "any".
    if collector.clients is not None and client_id not in collector.clients:
        return False
    if collector.products is not None and product not in collector.products:
        return False
    if collector.dpd_buckets is not None and bucket not in collector.dpd_buckets:
        return False
    if collector.regions is not None and (region is None or region not in collector.regions):
        return False
    return True


def is_eligible(collector: CollectorLoad, case: AllocCase,
                client_rules: Mapping[str, ClientRules]) -> bool:
    """R-9: may this collector work this case (active, client requirements, skills)?
    Capacity is checked separately."""
    return may_work(collector, case_signature(case), client_rules.get(case.client_id))


@dataclass(slots=True)
class Atoms:
    """Active collectors bucketed by everything eligibility looks at ("atoms"): all members of an
    atom are eligible for exactly the same cases, so eligibility is computed once per
    (case signature, atom) instead of once per (case, collector)."""

    members: list[list[str]]          # atom index → collector ids
    atom_of: dict[str, int]           # collector id → atom index
    _representative: list[CollectorLoad]
    _client_rules: Mapping[str, ClientRules]
    cache: dict[CaseSignature, tuple[int, ...]]

    @classmethod
    def build(cls, collectors: Iterable[CollectorLoad],
              client_rules: Mapping[str, ClientRules]) -> Atoms:
        excluded_by: dict[str, set[str]] = {}
        named_teams: set[str] = set()  # teams not named by any client rule behave alike
        for client_id, rules in client_rules.items():
            for cid in rules.excluded_collector_ids:
                excluded_by.setdefault(cid, set()).add(client_id)
            named_teams.update(rules.dedicated_team_ids, rules.team_products,
                               rules.team_dpd_buckets)
        index: dict[tuple, int] = {}
        members: list[list[str]] = []
        representative: list[CollectorLoad] = []
        atom_of: dict[str, int] = {}
        for c in sorted(collectors, key=lambda c: c.collector_id):
            if not c.active:
                continue
            team = c.team_id if c.team_id in named_teams else None
            key = (team, c.clients, c.products, c.dpd_buckets, c.regions,
                   frozenset(excluded_by.get(c.collector_id, ())))
            i = index.get(key)
            if i is None:
                i = index[key] = len(members)
                members.append([])
                representative.append(c)
            members[i].append(c.collector_id)
            atom_of[c.collector_id] = i
        return cls(members, atom_of, representative, client_rules, {})

    def eligible_atoms(self, signature: CaseSignature) -> tuple[int, ...]:
        found = self.cache.get(signature)
        if found is None:
            rules = self._client_rules.get(signature[0])
            found = tuple(i for i, rep in enumerate(self._representative)
                          if may_work(rep, signature, rules))
            self.cache[signature] = found
        return found
