"""The event envelope of contracts.md §2. One JSON object per Kafka message, key = case_id.

Three ways to build one, all giving the same bytes (tests compare them):
- `event_record(payload_model, client_id=, case_id=, producer=)`: a typed payload (events.py) →
  the outbox record, the topic taken from the payload's type. The normal way.
- `new_envelope(...)` + `outbox_record(topic, envelope)`: a dict, for bulk paths that build the
  payload dicts themselves (intake's placement chunks).
- `EnvelopeTemplate`: 100,000 events of one type whose payloads differ only in a few string
  slots (allocation's commit) — rendered once, filled by string formatting.
"""

from __future__ import annotations

import operator
import os
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

import orjson
from asyncpg.pgproto.pgproto import UUID as PgUUID  # a uuid.UUID built in C from 16 bytes
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


# --- outbox records ---------------------------------------------------------------------------

OutboxRecord = tuple[uuid.UUID, str, str, bytes]   # (event_id, topic, key, serialised envelope)


def outbox_record(topic: str, envelope: dict[str, Any]) -> OutboxRecord:
    return (uuid.UUID(str(envelope["event_id"])), topic, str(envelope["case_id"]), dumps(envelope))


def event_record(payload: BaseModel, *, client_id: str, case_id: str, producer: str,
                 correlation_id: str | None = None, occurred_at: datetime | None = None,
                 event_id: uuid.UUID | None = None) -> OutboxRecord:
    """The typed builder: the event type (= topic) comes from the payload's class (events.py)."""
    from .events import EVENT_TYPE_OF

    event_type = EVENT_TYPE_OF[type(payload)]
    return outbox_record(event_type, new_envelope(
        event_type=event_type, producer=producer, client_id=client_id, case_id=case_id,
        payload=payload, correlation_id=correlation_id, occurred_at=occurred_at, event_id=event_id))


_VERSION_4 = bytes((b & 0x0F) | 0x40 for b in range(256))
_RFC_4122 = bytes((b & 0x3F) | 0x80 for b in range(256))


def random_event_ids(n: int) -> list[uuid.UUID]:
    """n random (version 4) UUIDs from one read of the OS random source (~4x uuid4 in a loop)."""
    raw = bytearray(os.urandom(16 * n))
    raw[6::16] = raw[6::16].translate(_VERSION_4)
    raw[8::16] = raw[8::16].translate(_RFC_4122)
    data = bytes(raw)
    return [PgUUID(data[i:i + 16]) for i in range(0, 16 * n, 16)]


# --- templates for bulk events of one shape ----------------------------------------------------

_PLACEHOLDER = "@@recoup-slot-{}@@"
_PLACEHOLDER_EVENT_ID = uuid.UUID("5107c0de-0000-4000-8000-000000000000")
_SLOT_RE = re.compile(r'"@@recoup-slot-(\w+)@@"|"5107c0de-0000-4000-8000-000000000000"')
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')   # what orjson escapes inside strings


def _escaped(s: str) -> str:
    """The inside of the JSON string orjson writes for s."""
    return orjson.dumps(s).decode()[1:-1] if _NEEDS_ESCAPE.search(s) else s


class EnvelopeTemplate:
    """Envelopes of one event type whose payloads differ only in string `slots`.

    A row is a tuple of strings in the order ("client_id", "case_id", *slots); a slot listed in
    `optional` may be None (the field is left out, as `new_envelope` leaves out None). `fixed`
    holds the payload fields shared by every event. The template is the real envelope rendered
    with placeholders, so the layout is never restated here."""

    def __init__(self, event_type: str, *, producer: str, slots: Sequence[str],
                 fixed: Mapping[str, Any], optional: Sequence[str] = (),
                 correlation_id: str | None = None, occurred_at: datetime | None = None) -> None:
        self.event_type, self.producer = event_type, producer
        self.slots, self.fixed, self.optional = tuple(slots), dict(fixed), frozenset(optional)
        self.correlation_id = correlation_id
        self.occurred_at = occurred_at or datetime.now(timezone.utc)
        self._names = ("event_id", "client_id", "case_id", *self.slots)
        self._templates: dict[tuple[bool, ...], tuple[str, Callable[[tuple], tuple] | None]] = {}
        self._orders: dict[tuple[bool, ...], tuple[int, ...]] = {}

    def envelope(self, event_id: uuid.UUID, row: Sequence[Any]) -> dict[str, Any]:
        """The envelope of one row, built the ordinary way (templates are rendered from it)."""
        client_id, case_id, *values = row
        payload = {name: v for name, v in zip(self.slots, values) if v is not None}
        payload.update(self.fixed)
        return new_envelope(event_type=self.event_type, producer=self.producer, client_id=client_id,
                            case_id=case_id, payload=payload, correlation_id=self.correlation_id,
                            occurred_at=self.occurred_at, event_id=event_id)

    def _template(self, present: tuple[bool, ...]) -> tuple[str, Callable[[tuple], tuple] | None]:
        found = self._templates.get(present)
        if found is not None:
            return found
        ph = _PLACEHOLDER.format
        row = (ph("client_id"), ph("case_id"),
               *(ph(n) if p else None for n, p in zip(self.slots, present)))
        rendered = dumps(self.envelope(_PLACEHOLDER_EVENT_ID, row)).decode()
        order, parts, last = [], [], 0
        for m in _SLOT_RE.finditer(rendered):
            parts.append(rendered[last:m.start()].replace("%", "%%"))
            parts.append('"%s"')
            order.append(self._names.index(m.group(1) or "event_id"))
            last = m.end()
        parts.append(rendered[last:].replace("%", "%%"))
        expected = [0, 1, 2] + [3 + i for i, p in enumerate(present) if p]
        if sorted(order) != expected:  # a missing slot would silently drop a field
            raise RuntimeError(f"{self.event_type} template misses slots: {order} != {expected}")
        found = ("".join(parts), None if order == expected else operator.itemgetter(*order))
        self._templates[present], self._orders[present] = found, tuple(order)
        return found

    def sql_format(self) -> tuple[str, tuple[str, ...]]:
        """For a producer that writes the events of a set of rows in one statement, in the database
        (`INSERT INTO outbox … SELECT format(<it>, <values>) FROM …`: no envelope built, no round
        trip, per row): the envelope, every slot present, as a format string of PostgreSQL's
        format() — `%s` a value, `%%` a percent sign, as in Python's — and the names whose values
        fill its `%s`, in order ("event_id", "client_id", "case_id" or a slot). The values must
        need no JSON escaping (ids, codes, dates): format() does not escape."""
        present = tuple(True for _ in self.slots)
        fmt, _ = self._template(present)
        return fmt, tuple(self._names[i] for i in self._orders[present])

    def records(self, rows: Sequence[Sequence[str | None]],
                event_ids: Sequence[uuid.UUID] | None = None) -> list[OutboxRecord]:
        ids = event_ids if event_ids is not None else random_event_ids(len(rows))
        # Ids and codes need no JSON escaping in practice: one scan over all of them proves it.
        plain = _NEEDS_ESCAPE.search("".join([v for r in rows for v in r if v is not None])) is None
        optional = [n in self.optional for n in self.slots]
        out: list[OutboxRecord] = []
        append, topic = out.append, self.event_type
        for eid, row in zip(ids, rows):
            values = row if plain else [None if v is None else _escaped(v) for v in row]
            present = tuple(not opt or v is not None for opt, v in zip(optional, values[2:]))
            fmt, pick = self._template(present)
            if pick is None:  # the envelope lists the slots in row order
                args = (str(eid), *(v for v in values if v is not None))
            else:
                args = pick((str(eid), *values))
            append((eid, topic, row[1], (fmt % args).encode()))
        return out
