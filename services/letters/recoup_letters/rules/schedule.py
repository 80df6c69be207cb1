"""Which letter is due for a case on a day (R-28), and whether a letter type is still the right one
(R-31 re-sends "respecting the schedule")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from .config import ClientLetterConfig, ScheduleStep
from .model import CaseSnapshot, LetterRecord, LetterStatus, LetterType, PENDING_STATUSES


@dataclass(frozen=True, slots=True)
class Due:
    letter_type: LetterType
    why: str
    subject: str = ""       # the instalment plan for a confirmation; "" otherwise


def live(history: Iterable[LetterRecord], cycle: str, recipient_id: str) -> list[LetterRecord]:
    """The recipient's letters of the cycle that count: everything but cancelled ones."""
    return [r for r in history if r.cycle == cycle and r.recipient_id == recipient_id
            and r.status != LetterStatus.CANCELLED]


def taken(records: Sequence[LetterRecord], letter_type: LetterType, subject: str = "") -> bool:
    """One letter of a type per recipient per cycle (a re-send is the same letter, R-31)."""
    return any(r.letter_type == letter_type and r.subject == subject for r in records)


def pending(records: Sequence[LetterRecord]) -> LetterRecord | None:
    return next((r for r in records if r.status in PENDING_STATUSES), None)


def current_step(case: CaseSnapshot, config: ClientLetterConfig, today: date) -> ScheduleStep | None:
    """R-28: the highest schedule step the case's DPD has reached. Steps passed over (a case placed
    at 40 DPD) are not sent late: only the current one is due."""
    if not config.schedule_enabled:
        return None
    dpd = case.dpd_on(today)
    reached = [s for s in config.schedule if dpd >= s.dpd]
    return reached[-1] if reached else None


def later_step_taken(records: Sequence[LetterRecord], config: ClientLetterConfig, index: int) -> bool:
    """A letter of this step or a later one already exists: an earlier step never follows it."""
    for r in records:
        i = config.step_index(r.letter_type)
        if i is not None and i >= index:
            return True
    return False


def due_letters(case: CaseSnapshot, config: ClientLetterConfig, today: date) -> list[Due]:
    """What the case calls for today, in priority order (notice, confirmation, schedule step); the
    planner sends at most one per recipient at a time and drops those already sent."""
    out: list[Due] = []
    age = (today - case.placed_on).days
    if LetterType.NOTICE in config.wanted_types and 0 <= age <= config.notice_window_days:
        out.append(Due(LetterType.NOTICE, f"new case placed on {case.placed_on.isoformat()} (R-28)"))
    plan = case.instalment_plan
    if plan is not None and LetterType.INSTALMENT_CONFIRMATION in config.wanted_types:
        out.append(Due(LetterType.INSTALMENT_CONFIRMATION,
                       f"instalment plan agreed on {plan.agreed_on.isoformat()}", plan.plan_id))
    step = current_step(case, config, today)
    if step is not None and step.letter_type in config.wanted_types:
        out.append(Due(step.letter_type, f"DPD {case.dpd_on(today)} >= {step.dpd} (R-28)"))
    return out


def still_current(letter_type: LetterType, subject: str, case: CaseSnapshot,
                  records: Sequence[LetterRecord], config: ClientLetterConfig, today: date) -> bool:
    """R-31: a returned letter is re-sent only while it is still the letter the case calls for."""
    if letter_type not in config.wanted_types:
        return False
    index = config.step_index(letter_type)
    if index is not None:
        if not config.schedule_enabled:
            return False
        nxt = config.schedule[index + 1] if index + 1 < len(config.schedule) else None
        if nxt is not None and case.dpd_on(today) >= nxt.dpd:
            return False
        return not later_step_taken(records, config, index + 1)
    if letter_type == LetterType.NOTICE:
        # a reminder issued since tells the debtor more than the notice would
        return not any(config.step_index(r.letter_type) is not None for r in records)
    if letter_type == LetterType.INSTALMENT_CONFIRMATION:
        plan = case.instalment_plan
        return plan is not None and plan.plan_id == subject
    # the call-back notice: once a confirmed address is known, the planner sends a real letter
    return False
