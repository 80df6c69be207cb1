"""The event envelope of contracts.md §2. One JSON object per Kafka message, key = case_id."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

import orjson
from pydantic import BaseModel, ConfigDict, Field


class Envelope(BaseModel):
    # Consumers ignore fields they do not know: producers may add optional fields (contracts.md).
    model_config = ConfigDict(extra="ignore", frozen=True)

    event_id: uuid.UUID
    event_type: str
    event_version: int = 1
    occurred_at: datetime
    producer: str
    correlation_id: str | None = None
    client_id: str
    case_id: str
    payload: dict[str, Any] = Field(default_factory=dict)


def _default(o: Any) -> Any:
    # Decimal, date, UUID and pydantic models are the only non-JSON types we emit.
    if isinstance(o, BaseModel):
        return o.model_dump(mode="json", exclude_none=True)
    return str(o)


def new_envelope(*, event_type: str, producer: str, client_id: str, case_id: str,
                 payload: BaseModel | dict[str, Any], correlation_id: str | None = None,
                 occurred_at: datetime | None = None, event_id: uuid.UUID | None = None,
                 event_version: int = 1) -> dict[str, Any]:
    """A ready-to-serialise envelope dict (cheaper than building a model on 100k-event paths)."""
    if isinstance(payload, BaseModel):
        payload = payload.model_dump(mode="json", exclude_none=True)
    return {
        "event_id": str(event_id or uuid.uuid4()),
        "event_type": event_type,
        "event_version": event_version,
        "occurred_at": (occurred_at or datetime.now(timezone.utc)).isoformat(),
        "producer": producer,
        "correlation_id": correlation_id,
        "client_id": client_id,
        "case_id": str(case_id),
        "payload": payload,
    }


def dumps(envelope: dict[str, Any] | Envelope) -> bytes:
    if isinstance(envelope, Envelope):
        envelope = envelope.model_dump(mode="json")
    return orjson.dumps(envelope, default=_default)


def parse(value: bytes) -> Envelope:
    """Raises ValueError (incl. pydantic ValidationError) for anything that is not an envelope."""
    return Envelope.model_validate(orjson.loads(value))
