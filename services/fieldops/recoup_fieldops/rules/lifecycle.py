"""The visit request lifecycle as a pure state machine (R-34).

    requested ──approve×2──▶ approved ──plan──▶ planned ──arrive──▶ in_progress ──complete──▶ done
                                                                  (depart: departure time)
        │ reject                ▲   └─cancel      │ release (not visited that day)
        ▼                       └─────────────────┘
     rejected         requested / approved / planned ──cancel──▶ cancelled

Seed 004 (3、外访安排): 电访人员提交外访申请后, 由外访经理与电访经理共同进行审核. Both approvals are
needed, each with a comment; either manager can reject with a reason; the same person cannot give
both (four eyes). The deadline (R-35) is fixed when the second approval lands.

Every function returns a new VisitRequest or raises a problem class from errors.py; none reads the
clock. Who may act (is this user a field manager, is this the collector's case) is the caller's
check: these rules only know the roles.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from recoup_shared.calendar import WorkingCalendar

from .deadlines import DEFAULT_DEADLINES, DeadlineConfig, visit_deadline
from .errors import AlreadyDecided, IllegalTransition, MissingText, SameApprover, WrongDay
from .model import (
    SHANGHAI,
    ApproverRole,
    CaseFacts,
    Decision,
    Purpose,
    VisitRequest,
    VisitState,
)
from .slots import DEFAULT_SLOTS, SlotConfig, require_agents

S = VisitState
CANCELLABLE = frozenset({S.REQUESTED, S.APPROVED, S.PLANNED})


def _text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise MissingText(f"{what} is required", field=what)
    return text


def _aware(at: datetime) -> datetime:
    if at.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return at


def _expect(visit: VisitRequest, action: str, *states: VisitState) -> None:
    if visit.state not in states:
        raise IllegalTransition(f"cannot {action} a visit that is {visit.state.value}",
                                visit_id=visit.visit_id, state=visit.state.value, action=action)


def _not_decided(visit: VisitRequest, role: ApproverRole) -> None:
    """Approving twice (or approving, then rejecting) under one role is a conflict (R-34)."""
    if any(d.role is role for d in visit.approvals) or (
            visit.rejection is not None and visit.rejection.role is role):
        raise AlreadyDecided(f"the {role.value} has already decided on this visit",
                             visit_id=visit.visit_id, role=role.value)


def request_visit(visit_id: str, case_id: str, requested_by: str, purpose: Purpose | str,
                  reason: str, address_kind: str, at: datetime) -> VisitRequest:
    """R-34: a phone collector asks for a visit to one of the case's addresses, with a reason."""
    return VisitRequest(visit_id=visit_id, case_id=case_id, requested_by=requested_by,
                        purpose=Purpose(purpose), reason=_text(reason, "reason"),
                        address_kind=address_kind, requested_at=_aware(at))


def approve(visit: VisitRequest, role: ApproverRole | str, by: str, comment: str, at: datetime, *,
            case: CaseFacts, calendar: WorkingCalendar,
            cfg: DeadlineConfig = DEFAULT_DEADLINES) -> VisitRequest:
    """R-34: one manager approves with a comment; with the second approval the visit is approved
    and its R-35 deadline computed from `case` (unused for the first approval)."""
    role = ApproverRole(role)
    _not_decided(visit, role)
    _expect(visit, "approve", S.REQUESTED)
    if any(d.by == by for d in visit.approvals):
        raise SameApprover("one person cannot give both approvals", visit_id=visit.visit_id)
    approvals = visit.approvals + (Decision(role, by, _text(comment, "comment"), _aware(at)),)
    if {d.role for d in approvals} != set(ApproverRole):
        return replace(visit, approvals=approvals)
    return replace(visit, approvals=approvals, state=S.APPROVED, approved_at=at,
                   deadline=visit_deadline(case, at, cfg, calendar))


def reject(visit: VisitRequest, role: ApproverRole | str, by: str, reason: str,
           at: datetime) -> VisitRequest:
    """R-34: either manager rejects with a reason, even after the other one approved."""
    role = ApproverRole(role)
    _not_decided(visit, role)
    _expect(visit, "reject", S.REQUESTED)
    return replace(visit, state=S.REJECTED,
                   rejection=Decision(role, by, _text(reason, "reason"), _aware(at)))


def plan(visit: VisitRequest, day: date, team_id: str, agent_ids: Collection[str],
         slots: SlotConfig = DEFAULT_SLOTS) -> VisitRequest:
    """R-34/R-36: put an approved visit into a team's plan for `day`, with at least two agents."""
    _expect(visit, "plan", S.APPROVED)
    return replace(visit, state=S.PLANNED, planned_on=day, team_id=team_id,
                   agent_ids=require_agents(agent_ids, slots))


def release(visit: VisitRequest) -> VisitRequest:
    """A planned visit nobody started that day goes back to the approved pool for re-planning."""
    _expect(visit, "release", S.PLANNED)
    return replace(visit, state=S.APPROVED, planned_on=None, team_id=None, agent_ids=())


def arrive(visit: VisitRequest, at: datetime, agent_ids: Collection[str] | None = None, *,
           zone: ZoneInfo = SHANGHAI, slots: SlotConfig = DEFAULT_SLOTS) -> VisitRequest:
    """The agents mark arrival on the planned day (debtor zone); the agents who actually went may
    differ from the plan, but are still at least two (R-36)."""
    _expect(visit, "mark arrival at", S.PLANNED)
    day = _aware(at).astimezone(zone).date()
    if day != visit.planned_on:
        raise WrongDay(f"the visit is planned for {visit.planned_on}, not {day}",
                       visit_id=visit.visit_id, planned_on=str(visit.planned_on))
    agents = require_agents(visit.agent_ids if agent_ids is None else agent_ids, slots)
    return replace(visit, state=S.IN_PROGRESS, arrived_at=at, agent_ids=agents)


def depart(visit: VisitRequest, at: datetime) -> VisitRequest:
    """The agents mark that they left (departure time); the record (R-37) then completes it."""
    _expect(visit, "mark departure from", S.IN_PROGRESS)
    if visit.arrived_at is not None and _aware(at) < visit.arrived_at:
        raise IllegalTransition("departure before arrival", visit_id=visit.visit_id)
    return replace(visit, finished_at=at)


def complete(visit: VisitRequest, at: datetime) -> VisitRequest:
    """The agents left and the visit is recorded (R-37 holds the record itself)."""
    _expect(visit, "complete", S.IN_PROGRESS)
    if visit.arrived_at is not None and _aware(at) < visit.arrived_at:
        raise IllegalTransition("departure before arrival", visit_id=visit.visit_id)
    return replace(visit, state=S.DONE, finished_at=at)


def cancel(visit: VisitRequest, reason: str, at: datetime) -> VisitRequest:
    """Withdrawn, or the case left collection (closed, paused, recalled: R-13). A visit under way
    is not cancelled: the agents record what happened instead."""
    _expect(visit, "cancel", *CANCELLABLE)
    _aware(at)
    return replace(visit, state=S.CANCELLED, cancel_reason=_text(reason, "reason"), finished_at=at)
