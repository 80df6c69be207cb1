"""The types of the month close: a statement month's window, the figures the SQL aggregate
returns per bucket, and the fee schedule chosen for a month. Fee schedules and statement lines
are in schedule.py and fees.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from recoup_shared.clock import add_months

from .fees import cycle_window
from .money import ZERO
from .schedule import FeeSchedule


@dataclass(frozen=True)
class Window:
    """Statement month M (its first day) and its collection cycle [start, end)."""

    month: date
    start: date
    end: date

    @classmethod
    def of(cls, month: date, cycle_months: int) -> "Window":
        return cls(month, *cycle_window(month, cycle_months))

    @property
    def month_end(self) -> date:  # exclusive
        return self.end

    @property
    def first_month_end(self) -> date:
        """Spells placed before this date (the window's first month) are in the last statement
        of their cycle: their R-42 exclusions apply."""
        return add_months(self.start, 1)


@dataclass
class Figures:
    """One bucket of one month."""

    cases: int = 0
    placed: Decimal = ZERO            # before exclusions, after balance changes
    excluded: Decimal = ZERO
    cycle: Decimal = ZERO             # repaid in cycle by the cohort
    cycle_n: int = 0
    recovered: Decimal = ZERO         # counted repayments in the month (fee base)


@dataclass
class MonthFigures:
    window: Window
    buckets: dict[int, Figures] = field(default_factory=dict)   # 1-based bucket position
    unmatched_n: int = 0              # repayments in the month not counted (fee month only)
    unmatched: Decimal = ZERO
    unmatched_refs: list[str] = field(default_factory=list)

    def bucket(self, position: int) -> Figures:
        return self.buckets.setdefault(position, Figures())


@dataclass(frozen=True)
class Choice:
    """The fee schedule a month is billed under, and where it came from."""

    schedule: FeeSchedule
    source: str  # configured | default
