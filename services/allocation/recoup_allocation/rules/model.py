"""Value types of the allocation rules (R-8..R-13): cases to place, collectors with their load,
client requirements, strategies and the plan a strategy returns. Pure data, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal("0")


class Strategy(StrEnum):
    """R-10: the ways the agency hands out cases."""

    BY_COUNT = "by_count"                     # 户均分案: equal number of new cases
    BY_AMOUNT = "by_amount"                   # 金额均分案: equal new placed amount
    COMPREHENSIVE = "comprehensive"           # 综合分案: count and amount together
    CUMULATIVE = "cumulative"                 # 累计均分: comprehensive over the whole book
    CAPACITY_WEIGHTED = "capacity_weighted"   # shares proportional to each collector's capacity
    AUTO_MATCH = "auto_match"                 # 系统自动匹配: skills first, then least loaded
    MANUAL = "manual"                         # team lead picks the collector: see manual_plan()


class UnassignedReason(StrEnum):
    """Why a case is left out of a plan; a case is never silently dropped."""

    NO_ELIGIBLE_COLLECTOR = "no_eligible_collector"   # nobody active may work it (R-9, skills)
    CAPACITY_EXHAUSTED = "capacity_exhausted"         # eligible collectors exist but are full
    NO_OTHER_COLLECTOR = "no_other_collector"         # rotation: only current/previous owner fits
    COLLECTOR_NOT_FOUND = "collector_not_found"       # manual: unknown collector
    COLLECTOR_INACTIVE = "collector_inactive"         # manual: collector is not active
    NOT_ELIGIBLE = "not_eligible"                     # manual: collector may not work this case


class PlanNote(StrEnum):
    """Things a preview should show although the case was placed."""

    # the collector already holding the debtor's other case(s) could not take this one
    JOINT_OWNER_NOT_ELIGIBLE = "joint_owner_not_eligible"
    # manual choice puts the case with a different collector than the debtor's other cases
    JOINT_DEBT_SPLIT = "joint_debt_split"


@dataclass(frozen=True, slots=True)
class AllocCase:
    """A case in the pool. `joint_key` is the debtor's ID blind-index hash: cases sharing it are one
    joint-debt group (R-11) and always land with one collector."""

    case_id: str
    client_id: str
    product: str
    placed_amount: Decimal
    dpd_bucket: str
    region: str | None = None
    joint_key: str | None = None
    previous_collector_id: str | None = None
    current_collector_id: str | None = None


@dataclass(frozen=True, slots=True)
class CollectorLoad:
    """A collector's skills, capacity and current load. A skill set of None means "any"; a region
    set that is not None admits only cases whose region is known and in the set."""

    collector_id: str
    team_id: str | None
    active: bool = True
    clients: frozenset[str] | None = None
    products: frozenset[str] | None = None
    dpd_buckets: frozenset[str] | None = None
    regions: frozenset[str] | None = None
    max_open_cases: int | None = None
    max_open_amount: Decimal | None = None
    open_cases: int = 0
    open_amount: Decimal = ZERO
    # CAPACITY_WEIGHTED share; None → max_open_cases when set, else 1. Weight <= 0: no cases.
    capacity_weight: Decimal | None = None

    def effective_weight(self) -> Decimal:
        if self.capacity_weight is not None:
            return Decimal(self.capacity_weight)
        if self.max_open_cases is not None:
            return Decimal(self.max_open_cases)
        return Decimal(1)


@dataclass(frozen=True)
class ClientRules:
    """R-9 client requirements: dedicated teams (empty = any team), collectors the client excluded,
    and optionally the products / DPD buckets each team may work for this client (a team absent
    from the mapping is unrestricted)."""

    client_id: str
    dedicated_team_ids: frozenset[str] = frozenset()
    excluded_collector_ids: frozenset[str] = frozenset()
    team_products: Mapping[str, frozenset[str]] = field(default_factory=dict)
    team_dpd_buckets: Mapping[str, frozenset[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CollectorBalance:
    """One collector's figures in a plan. `new_*` is what the plan gives them, `released_*` what it
    takes away (rotation, manual moves), `*_after` their open book once the plan is committed."""

    collector_id: str
    team_id: str | None
    new_cases: int
    new_amount: Decimal
    released_cases: int
    released_amount: Decimal
    open_cases_after: int
    open_amount_after: Decimal


@dataclass(frozen=True, slots=True)
class BalanceSummary:
    """Balance over the participating collectors (active and eligible for at least one case of the
    plan). Means and absolute deviations are rounded half-up to 0.01; percentages (deviation / mean
    × 100) half-up to 0.0001 and computed from unrounded figures; a zero mean gives 0%."""

    collectors: int
    mean_cases: Decimal
    mean_amount: Decimal
    max_dev_cases: Decimal
    max_dev_cases_pct: Decimal
    max_dev_amount: Decimal
    max_dev_amount_pct: Decimal


@dataclass(frozen=True)
class Plan:
    """What a strategy proposes. Every input case is in exactly one of `assignments` (moves to the
    collector), `kept` (already with that collector; nothing to do) or `unassigned` (with the
    reason). `balance` covers every collector given; `summary` is about the new cases, and
    `summary_after` about the open books after commit."""

    strategy: Strategy
    assignments: dict[str, str]
    unassigned: dict[str, UnassignedReason]
    kept: dict[str, str]
    notes: dict[str, PlanNote]
    balance: dict[str, CollectorBalance]
    summary: BalanceSummary
    summary_after: BalanceSummary


def to_cents(amount: Decimal | int) -> int:
    """Money as integer cents for exact, fast balancing arithmetic; amounts are numeric(18,2)."""
    value = Decimal(amount) * 100
    cents = value.to_integral_value()
    if cents != value or cents < 0:
        raise ValueError(f"amount must be a non-negative multiple of 0.01, got {amount}")
    return int(cents)


def from_cents(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)
