"""R-20 cadence: when a case must next get contact, and whether (and since when) it is overdue.

Requirements, each giving a due date; the earliest one is the case's cadence due date:
- first contact: every registered phone dialled within 3 working days of allocation (or of the
  day a new phone was added, e.g. by skip tracing: seeds 000 "催收过程中获取得的新电话");
- follow-up: an effective contact at least every 4 working days;
- PTP / PTP_INSTALMENT: an effective contact every working day;
- balances under 500 CNY: the 4-working-day rule relaxes to every 10 (calendar) days.
Statuses exempt from the cadence: DISPUTE (collection stopped, R-17) and, per seeds 004
("除停催、入狱及死亡以外"), DECEASED and INCARCERATED, which follow their own R-22 rhythm.

The clock restarts at allocation: a new owner is not overdue on day one because of the previous
owner (R-12 rotation), so the follow-up clock starts at max(last effective contact, allocation).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from pydantic import Field, field_validator

from .followup import roll_forward
from .model import Calendar, ConfigModel, ContactStatus

__all__ = [
    "CadenceRule",
    "CadenceConfig",
    "CadenceFacts",
    "CadenceState",
    "cadence",
    "worklist_priority",
]


class CadenceRule(StrEnum):
    FIRST_CONTACT = "first_contact"
    FOLLOW_UP = "follow_up"
    PTP = "ptp"
    SMALL_BALANCE = "small_balance"


class CadenceConfig(ConfigModel):
    first_contact_working_days: int = Field(default=3, ge=1, le=10)     # 2–3 WD, the outer bound
    follow_up_working_days: int = Field(default=4, ge=1, le=30)
    ptp_working_days: int | None = Field(default=1, ge=1, le=30)        # R-20 "PTP cases daily"; None: off
    small_balance_below: Decimal = Field(default=Decimal("500"), ge=0)  # R-20, CNY
    small_balance_days: int = Field(default=10, ge=1, le=60)            # R-20, calendar days (seeds: 自然日)
    exempt_statuses: frozenset[ContactStatus] = frozenset({ContactStatus.DISPUTE, ContactStatus.DECEASED,
                                                           ContactStatus.INCARCERATED})

    @field_validator("exempt_statuses")
    @classmethod
    def _dispute_exempt(cls, value: frozenset[ContactStatus]) -> frozenset[ContactStatus]:
        if ContactStatus.DISPUTE not in value:
            raise ValueError("DISPUTE must be exempt: collection is stopped (R-17)")
        return value


@dataclass(frozen=True, slots=True)
class CadenceFacts:
    allocated_on: date                   # the current owner's allocation day
    status: ContactStatus | None                # None before the first round gave the case a status
    outstanding: Decimal
    last_effective_on: date | None       # last effective contact (records.is_effective), any owner
    undialled_since: date | None = None  # earliest day a registered, dialable phone has waited for
                                         # its first dial (max(allocation, phone added)); None: all dialled


@dataclass(frozen=True, slots=True)
class CadenceState:
    due_on: date | None                  # None: no cadence (exempt status)
    rule: CadenceRule | None             # the requirement that set due_on
    overdue: bool
    overdue_since: date | None           # first day past due
    days_overdue: int                    # calendar days past due
    working_days_overdue: int
    first_round: bool                    # a phone still waits for its first dial ("new cases before old")


def _requirements(facts: CadenceFacts, cfg: CadenceConfig, calendar: Calendar) -> list[tuple[date, CadenceRule]]:
    out: list[tuple[date, CadenceRule]] = []
    if facts.undialled_since is not None:                                        # R-20 first contact
        start = max(facts.undialled_since, facts.allocated_on)
        out.append((calendar.add_working_days(start, cfg.first_contact_working_days), CadenceRule.FIRST_CONTACT))
    start = max(facts.last_effective_on or facts.allocated_on, facts.allocated_on)
    if facts.outstanding < cfg.small_balance_below:                              # R-20 small balances
        out.append((roll_forward(calendar, start + timedelta(days=cfg.small_balance_days)), CadenceRule.SMALL_BALANCE))
    else:                                                                        # R-20 every 4 WD
        out.append((calendar.add_working_days(start, cfg.follow_up_working_days), CadenceRule.FOLLOW_UP))
    if facts.status in (ContactStatus.PTP, ContactStatus.PTP_INSTALMENT) and cfg.ptp_working_days:   # R-20 PTP daily
        out.append((calendar.add_working_days(start, cfg.ptp_working_days), CadenceRule.PTP))
    return out


def cadence(facts: CadenceFacts, today: date, cfg: CadenceConfig, calendar: Calendar) -> CadenceState:
    """R-20: the case's cadence due date and whether it is overdue on `today` (debtor's zone)."""
    first_round = facts.undialled_since is not None
    if facts.status in cfg.exempt_statuses:
        return CadenceState(None, None, False, None, 0, 0, first_round)
    due_on, rule = min(_requirements(facts, cfg, calendar))
    if today <= due_on:
        return CadenceState(due_on, rule, False, None, 0, 0, first_round)
    return CadenceState(due_on, rule, True, due_on + timedelta(days=1), (today - due_on).days,
                        calendar.working_days_between(due_on, today), first_round)


def worklist_priority(state: CadenceState) -> tuple[int, int, date]:
    """Sort key for dialling through a worklist: new cases before old (R-20), then the most overdue,
    then the earliest due. Exempt cases last."""
    due = state.due_on or date.max
    return (0 if state.first_round else 1, -state.days_overdue, due)
