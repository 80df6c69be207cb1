"""Value types of the field-visit rules (R-34..R-37). Pure data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")   # debtor zone by default (architecture: time)


class VisitState(StrEnum):
    """R-34: requested → approved / rejected → planned → in progress → done; cancelled on the way."""

    REQUESTED = "requested"      # 待审批: waiting for one or both approvals
    APPROVED = "approved"        # 待排程: both managers approved, deadline set
    REJECTED = "rejected"
    PLANNED = "planned"          # 已排程: in a team's daily plan
    IN_PROGRESS = "in_progress"  # agents arrived
    DONE = "done"                # 外访已完成: recorded
    CANCELLED = "cancelled"      # case closed/paused/recalled, or the request withdrawn


TERMINAL = frozenset({VisitState.REJECTED, VisitState.DONE, VisitState.CANCELLED})
OPEN_AFTER_APPROVAL = frozenset({VisitState.APPROVED, VisitState.PLANNED, VisitState.IN_PROGRESS})


class Purpose(StrEnum):
    """R-34: why the visit is made (seed 004: 核实地址, 施压催收, 送达通知)."""

    VERIFY_ADDRESS = "verify_address"
    PRESS_FOR_PAYMENT = "press_for_payment"
    DELIVER_NOTICE = "deliver_notice"


class ApproverRole(StrEnum):
    """R-34: 外访经理 and 电访经理 review every request together."""

    FIELD_MANAGER = "field_manager"
    PHONE_MANAGER = "phone_manager"


class DayKind(StrEnum):
    """How "within N days" is counted (R-35, configurable)."""

    CALENDAR = "calendar"
    WORKING = "working"          # Chinese working days, adjusted weekends included


class Place(StrEnum):
    """R-36: where the visit happens decides when it may happen."""

    WORKPLACE = "workplace"
    HOME = "home"


@dataclass(frozen=True, slots=True)
class Decision:
    """One manager's approval (comment) or rejection (reason)."""

    role: ApproverRole
    by: str
    text: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Deadline:
    """R-35: the last day (debtor zone) the visit must be done, which rule set it, and when an
    unfinished visit is escalated."""

    due_on: date | None          # None only when no rule applies and the config has no default
    rule: str
    escalate_at: datetime
    purpose_hint: Purpose | None = None


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """What R-35 needs to know about the case when the visit is approved. The service derives it
    from its own tables: `outstanding` from case/payment events, `local` from the agency's service
    area and the target address, `lost_contact` from the contact status (R-22 LOST_CONTACT /
    SKIP_TRACE), `address_repaired_on` from the day skip tracing found the target address (R-25)."""

    outstanding: Decimal
    local: bool
    lost_contact: bool = False
    address_repaired_on: date | None = None


@dataclass(frozen=True, slots=True)
class VisitRequest:
    """A visit request and where it is in its lifecycle (R-34). Immutable: every transition returns
    a new value, so a use case can compare before/after to decide which event to emit."""

    visit_id: str
    case_id: str
    requested_by: str
    purpose: Purpose
    reason: str
    address_kind: str            # household_registration | home | work | other (case addresses)
    requested_at: datetime
    state: VisitState = VisitState.REQUESTED
    approvals: tuple[Decision, ...] = ()
    rejection: Decision | None = None
    approved_at: datetime | None = None
    deadline: Deadline | None = None
    planned_on: date | None = None
    team_id: str | None = None
    agent_ids: tuple[str, ...] = ()
    arrived_at: datetime | None = None
    finished_at: datetime | None = None
    cancel_reason: str | None = None


@dataclass(frozen=True, slots=True)
class TimeBand:
    """A part of the day in the debtor's local time, [start, end)."""

    name: str
    start: time
    end: time

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"time band {self.name}: start must be before end")

    def minutes(self) -> int:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)

    def contains(self, start: time, end: time) -> bool:
        return self.start <= start and end <= self.end
