"""Builders of what allocation emits (contracts.md §2), through recoup_shared.bus.

- case.allocated (R-10, R-20): one per case that got or changed its owner. A commit of up to
  100,000 cases fills an `EnvelopeTemplate` (rendered once from the ordinary envelope, filled by
  string formatting in a worker thread): the bytes are the ones `dumps(new_envelope(...))` gives
  for the payload below — tests compare them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from recoup_shared.bus import EnvelopeTemplate
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

