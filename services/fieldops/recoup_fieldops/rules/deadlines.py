"""Visit deadlines and escalation (R-35), computed once, when the second approval lands.

Source (seed 000): 5000元以上本地客户账户, 2日内组织施压外访; 5000-2万失联客户, 信息修复可锁定有效
地址的, 修复后3日内完成外访; 修复无效的, 10日内组织核查外访. Seed 004: 超过5日未进行访问 → 强制跟踪.

Reading of the numbers (all configurable, defaults below):
- "5000元以上" and "5000-2万" include their bounds: in Chinese legal usage 以上/以内 include the
  number itself (民法典 art. 1259).
- "within N days" counts from the day after the anchor (民法典 art. 201): approved on the 1st, within
  2 days → due on the 3rd. The anchor is the approval day, or the repair day for a repaired address.
- When several rules apply to one case the earliest due date wins (the strictest promise).
- A case no rule covers gets `default` (5 calendar days: the escalation horizon, so such a visit is
  due when it would be escalated anyway); `default=None` leaves it without a due date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from recoup_shared.calendar import WorkingCalendar

from .model import OPEN_AFTER_APPROVAL, SHANGHAI, CaseFacts, DayKind, Deadline, Purpose, VisitRequest


@dataclass(frozen=True, slots=True)
class Within:
    """"Within `days` days", counted as calendar or working days."""

    days: int
    kind: DayKind = DayKind.CALENDAR

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("days must be >= 0")


@dataclass(frozen=True, slots=True)
class DeadlineConfig:
    """R-35 thresholds and day kinds; the defaults are the domain's."""

    local_min_amount: Decimal = Decimal("5000")          # local, 5,000 CNY and over
    local: Within = Within(2)
    lost_contact_min_amount: Decimal = Decimal("5000")   # lost contact, 5,000–20,000 CNY
    lost_contact_max_amount: Decimal = Decimal("20000")
    repaired: Within = Within(3)                         # from the repair day
    unrepaired: Within = Within(10)                      # verification visit, from approval
    default: Within | None = Within(5)
    escalation: Within = Within(5)                       # not done 5 days after approval
    zone: ZoneInfo = field(default=SHANGHAI)

    def __post_init__(self) -> None:
        if self.lost_contact_min_amount > self.lost_contact_max_amount:
            raise ValueError("lost_contact_min_amount must not exceed lost_contact_max_amount")


DEFAULT_DEADLINES = DeadlineConfig()


def add_days(anchor: date, within: Within, calendar: WorkingCalendar) -> date:
    """The last day of "within N days" of `anchor` (the anchor day itself is not counted)."""
    if within.kind is DayKind.WORKING:
        return calendar.add_working_days(anchor, within.days)
    return anchor + timedelta(days=within.days)


def escalation_at(approved_at: datetime, cfg: DeadlineConfig, calendar: WorkingCalendar) -> datetime:
    """R-35: the moment an unfinished visit is escalated: the same local time N days after approval."""
    local = approved_at.astimezone(cfg.zone)
    if cfg.escalation.kind is DayKind.CALENDAR:
        return local + timedelta(days=cfg.escalation.days)
    day = calendar.add_working_days(local.date(), cfg.escalation.days)
    return datetime.combine(day, local.timetz())


def visit_deadline(case: CaseFacts, approved_at: datetime, cfg: DeadlineConfig,
                   calendar: WorkingCalendar) -> Deadline:
    """R-35: the due date of a visit approved at `approved_at` for this case."""
    if approved_at.tzinfo is None:
        raise ValueError("approved_at must be timezone-aware")
    approved_on = approved_at.astimezone(cfg.zone).date()
    candidates: list[tuple[date, str, Purpose | None]] = []
    if case.local and case.outstanding >= cfg.local_min_amount:
        candidates.append((add_days(approved_on, cfg.local, calendar), "local_amount", None))
    if case.lost_contact and (cfg.lost_contact_min_amount <= case.outstanding
                              <= cfg.lost_contact_max_amount):
        if case.address_repaired_on is not None:
            candidates.append((add_days(case.address_repaired_on, cfg.repaired, calendar),
                               "lost_contact_repaired", None))
        else:
            candidates.append((add_days(approved_on, cfg.unrepaired, calendar),
                               "lost_contact_unrepaired", Purpose.VERIFY_ADDRESS))
    if not candidates and cfg.default is not None:
        candidates.append((add_days(approved_on, cfg.default, calendar), "default", None))
    escalate = escalation_at(approved_at, cfg, calendar)
    if not candidates:
        return Deadline(due_on=None, rule="none", escalate_at=escalate)
    due_on, rule, hint = min(candidates, key=lambda c: c[0])
    return Deadline(due_on=due_on, rule=rule, escalate_at=escalate, purpose_hint=hint)


def is_escalated(visit: VisitRequest, now: datetime) -> bool:
    """R-35: approved but not done (nor cancelled) once its escalation moment has passed."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return (visit.state in OPEN_AFTER_APPROVAL and visit.deadline is not None
            and now >= visit.deadline.escalate_at)


def is_overdue(visit: VisitRequest, today: date) -> bool:
    """Past its due day (debtor zone) and still not done."""
    return (visit.state in OPEN_AFTER_APPROVAL and visit.deadline is not None
            and visit.deadline.due_on is not None and today > visit.deadline.due_on)
