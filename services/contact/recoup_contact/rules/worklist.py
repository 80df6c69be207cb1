"""R-24 worklist rows: the colour of a case and the reminders it shows.

Colour compares the time since the last follow-up with the case's R-20 cadence (cadence.py): green
while there is slack, yellow when the cadence comes due, red once it is overdue, black when it is
overdue for long (seeds 004: "红色或黑色电话提示" — red/black alerts are what collectors must
avoid). Cases without a cadence (DISPUTE, DECEASED, INCARCERATED) are grey.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from pydantic import Field

from .cadence import CadenceState
from .model import Calendar, ConfigModel

__all__ = [
    "Colour",
    "ColourThresholds",
    "row_colour",
    "days_since",
    "ReminderKind",
    "ReminderConfig",
    "ReminderFacts",
    "Reminder",
    "reminders",
]


class Colour(StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    BLACK = "black"
    GREY = "grey"


class ColourThresholds(ConfigModel):
    # yellow when at most this many working days are left before the cadence due date (0: due day only)
    yellow_working_days_left: int = Field(default=1, ge=0, le=10)
    # black from this many working days overdue on; red before (R-24: overdue follow-ups red/black)
    black_working_days_overdue: int = Field(default=3, ge=1, le=30)


def row_colour(state: CadenceState, today: date, thresholds: ColourThresholds, calendar: Calendar) -> Colour:
    """R-24: the worklist colour of a case on `today` (debtor's zone)."""
    if state.due_on is None:
        return Colour.GREY
    if state.overdue:
        # Overdue across a holiday counts at least as red even before a working day has passed.
        return Colour.BLACK if state.working_days_overdue >= thresholds.black_working_days_overdue else Colour.RED
    if calendar.working_days_between(today, state.due_on) <= thresholds.yellow_working_days_left:
        return Colour.YELLOW
    return Colour.GREEN


def days_since(last: date | None, today: date) -> int | None:
    """Calendar days since the last follow-up (the worklist column); None if never followed up."""
    return None if last is None else max((today - last).days, 0)


class ReminderKind(StrEnum):
    NEW_REPAYMENT = "new_repayment"
    BALANCE_UPDATE = "balance_update"
    VISIT_OUTCOME = "visit_outcome"
    RETURNED_LETTER = "returned_letter"
    RECALL_SOON = "recall_soon"


class ReminderConfig(ConfigModel):
    recall_within_days: int = Field(default=7, ge=0, le=90)   # R-24 "cases due for recall soon"
    max_age_days: int = Field(default=14, ge=1, le=90)        # older unseen events stop nagging


@dataclass(frozen=True, slots=True)
class ReminderFacts:
    seen_at: datetime | None                  # the owner last acknowledged the case (opened it / logged a contact)
    last_repayment_at: datetime | None = None
    last_balance_update_at: datetime | None = None
    last_visit_outcome_at: datetime | None = None
    last_letter_returned_at: datetime | None = None
    recall_on: date | None = None


@dataclass(frozen=True, slots=True)
class Reminder:
    kind: ReminderKind
    since: datetime | None = None             # the event that raised it
    days_left: int | None = None              # RECALL_SOON: calendar days until the recall date


def reminders(facts: ReminderFacts, now: datetime, today: date, cfg: ReminderConfig) -> tuple[Reminder, ...]:
    """R-24: the reminders a case shows — events newer than the owner's last look (and not older than
    `max_age_days`), and a recall within `recall_within_days` calendar days."""
    out = []
    oldest = now - timedelta(days=cfg.max_age_days)
    for kind, at in ((ReminderKind.NEW_REPAYMENT, facts.last_repayment_at),
                     (ReminderKind.BALANCE_UPDATE, facts.last_balance_update_at),
                     (ReminderKind.VISIT_OUTCOME, facts.last_visit_outcome_at),
                     (ReminderKind.RETURNED_LETTER, facts.last_letter_returned_at)):
        if at is not None and at >= oldest and (facts.seen_at is None or at > facts.seen_at):
            out.append(Reminder(kind, since=at))
    if facts.recall_on is not None and 0 <= (facts.recall_on - today).days <= cfg.recall_within_days:
        out.append(Reminder(ReminderKind.RECALL_SOON, days_left=(facts.recall_on - today).days))
    return tuple(out)
