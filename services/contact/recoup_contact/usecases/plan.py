"""A case's plan: its next follow-up (R-22) and its cadence due date (R-20), from the pure rules.

Every path that changes what these depend on (a record, a promise outcome, an allocation, a balance
update, a dispute instruction, a visit) ends here, so every active case keeps exactly one next
follow-up (only DISPUTE has none) and one cadence due date (none for the exempt statuses)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ..context import Ctx
from ..rules import CadenceFacts, ContactConfig, ContactStatus, FollowUp, FollowUpFacts, cadence, next_follow_up
from .common import zone_of


def status_of(value: str | None) -> ContactStatus | None:
    return ContactStatus(value) if value else None


def follow_up_for(ctx: Ctx, cfg: ContactConfig, case: Any, status: ContactStatus | None, today: date, *,
                  now: datetime | None = None, promise_on: date | None = None,
                  last_attempt_at: datetime | None = None, visit_done_on: date | None = None,
                  requested: date | None = None) -> dict[str, Any]:
    """The follow-up columns for a case entering (or staying in) `status` on `today`.

    Before the first round gave the case a status, the next follow-up is the next working day (the
    first round goes on); a requested date must then be a working day after today."""
    if status is None:
        on = ctx.calendar.next_working_day(today)
        if requested is not None:
            on = requested
        return {"next_follow_up": on, "follow_up_earliest": on, "follow_up_latest": on,
                "follow_up_window": None, "follow_up_avoid": None}
    fu = next_follow_up(FollowUpFacts(status=status, today=today, now=now, zone=zone_of(case), promise_on=promise_on,
                                      last_attempt_at=last_attempt_at, visit_done_on=visit_done_on),
                        cfg.follow_up, ctx.calendar, requested=requested)
    return follow_up_values(fu)


def follow_up_values(fu: FollowUp | None) -> dict[str, Any]:
    if fu is None:   # DISPUTE: none until the client instructs
        return {"next_follow_up": None, "follow_up_earliest": None, "follow_up_latest": None,
                "follow_up_window": None, "follow_up_avoid": None}
    band = (lambda b: f"{b.start:%H:%M}-{b.end:%H:%M}" if b else None)
    return {"next_follow_up": fu.on, "follow_up_earliest": fu.earliest, "follow_up_latest": fu.latest,
            "follow_up_window": band(fu.window), "follow_up_avoid": band(fu.avoid)}


def cadence_values(ctx: Ctx, cfg: ContactConfig, *, status: ContactStatus | None, allocated_on: date | None,
                   outstanding: Decimal, last_effective_on: date | None, undialled_since: date | None,
                   today: date) -> dict[str, Any]:
    """R-20: the cadence due date and the requirement behind it (none before allocation)."""
    if allocated_on is None:
        return {"cadence_due": None, "cadence_rule": None}
    state = cadence(CadenceFacts(allocated_on=allocated_on, status=status, outstanding=outstanding,
                                 last_effective_on=last_effective_on, undialled_since=undialled_since),
                    today, cfg.cadence, ctx.calendar)
    return {"cadence_due": state.due_on, "cadence_rule": state.rule.value if state.rule else None}


def first_round(allocated_on: date) -> dict[str, Any]:
    """A case just allocated (no status yet): due the day it arrives — new cases first (R-20)."""
    return {"next_follow_up": allocated_on, "follow_up_earliest": allocated_on, "follow_up_latest": allocated_on}
