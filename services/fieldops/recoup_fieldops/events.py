"""Builders of what fieldops emits (typed payloads of recoup_shared.bus.events), written to the
outbox in the same transaction as the state change:

- `visit.requested`, `visit.approved`, `visit.rejected`, `visit.planned`: the visit's state for the
  collector's worklist in contact (R-34). A planned visit nobody started goes back to the approved
  pool (day end, a re-plan, a pause): `visit.approved` is sent again, with its original approval —
  "approved, waiting for a plan" is again the state.
- `visit.cancelled`: a visit not yet under way withdrawn, cancelled by a manager, or cancelled with
  its case (R-13): contact's timeline.
- `visit.completed`: the record (R-37) with what contact needs the same day (R-38: status
  FIELD_VISIT_DONE → follow-up the next day, the promise, a new address or phone) and letters
  (`address`: the address visited, when the agents verified it there — R-29).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from recoup_shared.bus import OutboxRecord, event_record
from recoup_shared.bus.events import (
    AddressOut,
    PhoneOut,
    Ptp,
    VisitApproved,
    VisitCancelled,
    VisitCompleted,
    VisitPlanned,
    VisitRejected,
    VisitRequested,
)
from recoup_shared.crypto import Protector, mask_phone

from .rules.model import VisitRequest
from .rules.records import Met, VisitRecord, contact_result, status_after

PRODUCER = "fieldops"


def _record(payload, client_id: str, case_id: str, at: datetime | None = None,
            correlation_id: str | None = None) -> OutboxRecord:
    return event_record(payload, client_id=client_id, case_id=case_id, producer=PRODUCER,
                        occurred_at=at, correlation_id=correlation_id)


def requested(v: VisitRequest, client_id: str) -> OutboxRecord:
    return _record(VisitRequested(visit_id=v.visit_id, collector_id=v.requested_by,
                                  purpose=v.purpose.value, reason=v.reason,
                                  address_kind=v.address_kind, requested_at=v.requested_at),
                   client_id, v.case_id, v.requested_at, v.visit_id)


def approved(*, visit_id: str, case_id: str, client_id: str, collector_id: str,
             approved_by: Sequence[str], due_on: date | None, escalate_at: datetime | None,
             approved_at: datetime, at: datetime | None = None) -> OutboxRecord:
    deadline = due_on or (escalate_at.date() if escalate_at else approved_at.date())
    return _record(VisitApproved(visit_id=visit_id, collector_id=collector_id,
                                 approved_by=list(approved_by), deadline_on=deadline,
                                 escalate_at=escalate_at, approved_at=approved_at),
                   client_id, case_id, at or approved_at, visit_id)


def approved_visit(v: VisitRequest, client_id: str) -> OutboxRecord:
    assert v.deadline is not None and v.approved_at is not None
    return approved(visit_id=v.visit_id, case_id=v.case_id, client_id=client_id,
                    collector_id=v.requested_by, approved_by=[d.by for d in v.approvals],
                    due_on=v.deadline.due_on, escalate_at=v.deadline.escalate_at,
                    approved_at=v.approved_at)


def rejected(v: VisitRequest, client_id: str) -> OutboxRecord:
    assert v.rejection is not None
    return _record(VisitRejected(visit_id=v.visit_id, collector_id=v.requested_by,
                                 rejected_by=v.rejection.by, reason=v.rejection.text,
                                 rejected_at=v.rejection.at), client_id, v.case_id, v.rejection.at,
                   v.visit_id)


def planned(*, visit_id: str, case_id: str, client_id: str, team_id: str, day: date,
            agent_ids: Sequence[str], band: str, slot_start: datetime, slot_end: datetime,
            collector_id: str | None, at: datetime) -> OutboxRecord:
    return _record(VisitPlanned(visit_id=visit_id, team_id=team_id, planned_on=day,
                                agent_ids=list(agent_ids), band=band, collector_id=collector_id,
                                slot_start=slot_start, slot_end=slot_end),
                   client_id, case_id, at, visit_id)


def cancelled(*, visit_id: str, case_id: str, client_id: str, collector_id: str, previous_state: str,
              reason: str, cancelled_by: str | None, at: datetime) -> OutboxRecord:
    """A visit not yet under way cancelled: withdrawn / cancelled by hand (`cancelled_by`), or with
    its case (R-13, `cancelled_by` None)."""
    return _record(VisitCancelled(visit_id=visit_id, collector_id=collector_id, previous_state=previous_state,
                                  reason=reason, cancelled_by=cancelled_by, cancelled_at=at),
                   client_id, case_id, at, visit_id)


def _phone(protector: Protector, number: str) -> PhoneOut:
    return PhoneOut(number=number, number_masked=mask_phone(number) or "",
                    number_hash=protector.phone_hash(number), kind="mobile" if number[:1] == "1"
                    else "home", owner="debtor")


def _visited(a: Mapping[str, Any] | None) -> AddressOut | None:
    """The target address (a case_addresses row), verified at the door (R-29): letters may choose it."""
    if a is None:
        return None
    return AddressOut(kind=a["kind"], province=a["province"], city=a["city"], district=a["district"],
                      line=a["line"], employer=a["employer"], postcode=a["postcode"], owner=a["owner"],
                      verified=True)


def completed(v: VisitRequest, r: VisitRecord, *, client_id: str, evidence: Sequence[dict[str, Any]],
              protector: Protector, visited_on: date, address: Mapping[str, Any] | None = None) -> OutboxRecord:
    """R-38: the outcome to contact the same day, and to letters (a new address; `address`: the
    visited one, given only when the agents verified it there)."""
    addresses = []
    if r.new_address is not None:
        a = r.new_address
        addresses.append(AddressOut(kind=a.kind, province=a.province, city=a.city,
                                    district=a.district, line=a.line, verified=True))
    payload = VisitCompleted(
        visit_id=v.visit_id, agent_ids=list(r.agent_ids), visited_at=r.arrived_at,
        address_verified=r.address_verified, outcome=r.outcome.value,
        met=[m.value for m in r.met if m is not Met.NOBODY],      # whom they met: nobody = none
        ptp=Ptp(amount=r.promise.amount, due_on=r.promise.due_on) if r.promise else None,
        evidence=[{"ref": e["object_key"], "sha256": e["sha256"], "kind": e["kind"]} for e in evidence],
        next_step=r.next_step.value, collector_id=v.requested_by, status=status_after(r),
        result=contact_result(r), left_at=r.left_at, visited_on=visited_on,
        address_kind=v.address_kind, addresses_found=addresses,
        phones_found=[_phone(protector, r.new_phone)] if r.new_phone else [],
        address=_visited(address) if r.address_verified else None)
    return _record(payload, client_id, v.case_id, r.left_at, v.visit_id)
