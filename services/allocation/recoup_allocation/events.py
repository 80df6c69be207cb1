"""Builders of what allocation emits (contracts.md §2), through recoup_shared.bus.

- case.allocated (R-10, R-20): one per case that got or changed its owner. A commit of up to
  100,000 cases fills an `EnvelopeTemplate` (rendered once from the ordinary envelope, filled by
  string formatting in a worker thread): the bytes are the ones `dumps(new_envelope(...))` gives
  for the payload below — tests compare them.
- case.paused / case.resumed (R-13, R-17): a case left every worklist (paused by staff or by a
  client flag of RECOUP_PAUSE_ON_FLAGS; who, why, the owner released) or came back (who, why,
  the owner restored — or none: back to the pool). Typed payloads, `event_record`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from recoup_shared.bus import EnvelopeTemplate, OutboxRecord, event_record
from recoup_shared.bus.events import CasePaused, CaseResumed
from recoup_shared.bus.topics import CASE_ALLOCATED

PRODUCER = "allocation"

# The payload's field order since allocation first emitted case.allocated (byte-compatible).
_ALLOCATED_ORDER = ("collector_id", "strategy", "reason", "plan_id", "allocated_at",
                    "first_contact_due", "team_id", "previous_collector_id")


class _AllocatedTemplate(EnvelopeTemplate):
    def envelope(self, event_id: uuid.UUID, row: Sequence[Any]) -> dict[str, Any]:
        env = super().envelope(event_id, row)
        env["payload"] = {k: env["payload"][k] for k in _ALLOCATED_ORDER if k in env["payload"]}
        return env


def case_allocated(*, plan_id: str, strategy: str, at: datetime, due: date) -> EnvelopeTemplate:
    """The case.allocated events of one commit. Rows: (client_id, case_id, collector_id, reason,
    team_id | None, previous_collector_id | None)."""
    return _AllocatedTemplate(
        CASE_ALLOCATED, producer=PRODUCER, correlation_id=plan_id, occurred_at=at,
        slots=("collector_id", "reason", "team_id", "previous_collector_id"),
        optional=("team_id", "previous_collector_id"),
        fixed={"strategy": strategy, "plan_id": plan_id, "allocated_at": at.isoformat(),
               "first_contact_due": due.isoformat()})



def case_paused(*, client_id: str, case_id: str, source: str, by: str, reason: str, at: datetime,
                released_collector_id: str | None, released_team_id: str | None) -> OutboxRecord:
    return event_record(
        CasePaused(source=source, paused_by=by, reason=reason, paused_at=at,
                   released_collector_id=released_collector_id, released_team_id=released_team_id),
        client_id=client_id, case_id=case_id, producer=PRODUCER, occurred_at=at)


def case_resumed(*, client_id: str, case_id: str, source: str, by: str, reason: str, at: datetime,
                 collector_id: str | None = None, team_id: str | None = None) -> OutboxRecord:
    return event_record(
        CaseResumed(source=source, resumed_by=by, reason=reason, resumed_at=at,
                    collector_id=collector_id, team_id=team_id),
        client_id=client_id, case_id=case_id, producer=PRODUCER, occurred_at=at)
