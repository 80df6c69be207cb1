"""R-12 monthly rotation (流转): stalled cases move to a different collector, never back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal

from .model import AllocCase, ClientRules, CollectorLoad, Plan, Strategy
from .strategies import plan_allocation


def is_stalled(*, payments_in_month: Decimal, live_ptp: bool) -> bool:
    """R-12: no repayment willingness = no payment and no live PTP during the month."""
    return payments_in_month <= 0 and not live_ptp


def plan_rotation(
    cases: Iterable[AllocCase],
    collectors: Iterable[CollectorLoad],
    client_rules: Mapping[str, ClientRules] | None,
    strategy: Strategy = Strategy.BY_AMOUNT,
) -> Plan:
    """Move the given stalled cases (R-12) to a collector other than both their current and their
    previous owner; a joint-debt group moves as one and avoids every member's current and previous
    owner (R-11). Collectors' `open_*` include the cases they are about to lose: room freed by a
    case leaving counts only once that case has been placed, so capacity holds at every step. A
    case that cannot move stays where it is, listed in `unassigned` with the reason."""
    return plan_allocation(cases, collectors, client_rules, strategy, rotation=True)
