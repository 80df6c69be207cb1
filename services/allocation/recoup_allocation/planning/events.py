"""case.allocated for a commit of up to 100,000 cases, serialised in bulk (R-10, R-20).

The envelope layout is not restated here: `recoup_shared.bus.new_envelope` + `dumps` render one
envelope per payload shape with placeholder values, and that rendering becomes a template (slots
for the event id, client, case, collector, reason and the optional team / previous owner; the
plan, strategy, times and due date are the same for the whole commit). Filling a template costs
about a quarter of building and serialising a dict per event (and the commit does it in a worker
thread); the bytes are the ones `dumps(new_envelope(...))` gives — the tests compare them.
"""

from __future__ import annotations

import operator
import os
import re
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

import orjson
from asyncpg.pgproto.pgproto import UUID as PgUUID  # a uuid.UUID, built in C from 16 bytes

from recoup_shared.bus import new_envelope
from recoup_shared.bus.envelope import dumps
from recoup_shared.bus.topics import CASE_ALLOCATED

PRODUCER = "allocation"

# Slot order in a row tuple given to `EventWriter.records`.
SLOTS = ("event_id", "client_id", "case_id", "collector_id", "reason", "team_id", "previous_collector_id")
_PLACEHOLDER = "@@recoup-slot-{}@@"
_PLACEHOLDER_EVENT_ID = uuid.UUID("5107c0de-0000-4000-8000-000000000000")
_SLOT_RE = re.compile(r'"@@recoup-slot-(\w+)@@"|"5107c0de-0000-4000-8000-000000000000"')
# orjson escapes these in strings (and writes everything else, UTF-8 included, as is)
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')
_VERSION_4 = bytes((b & 0x0F) | 0x40 for b in range(256))
_RFC_4122 = bytes((b & 0x3F) | 0x80 for b in range(256))

OutboxRecord = tuple[uuid.UUID, str, str, bytes]


def _escaped(s: str) -> str:
    """The inside of the JSON string orjson writes for s."""
    return orjson.dumps(s).decode()[1:-1] if _NEEDS_ESCAPE.search(s) else s


def random_event_ids(n: int) -> list[uuid.UUID]:
    """n random (version 4) UUIDs from one read of the OS random source."""
    raw = bytearray(os.urandom(16 * n))
    raw[6::16] = raw[6::16].translate(_VERSION_4)
    raw[8::16] = raw[8::16].translate(_RFC_4122)
    data = bytes(raw)
    return [PgUUID(data[i:i + 16]) for i in range(0, 16 * n, 16)]


class EventWriter:
    """The case.allocated records (event_id, topic, key, value) of one commit, ready for
    `write_outbox_records`."""

    def __init__(self, *, plan_id: str, strategy: str, at: datetime, due: date) -> None:
        self.plan_id, self.strategy, self.at, self.due = plan_id, strategy, at, due
        self._templates: dict[tuple[bool, bool], tuple[str, Callable[[tuple], tuple] | None]] = {}

    def envelope(self, *, event_id: uuid.UUID, client_id: str, case_id: str, collector_id: str,
                 reason: str, team_id: str | None, previous_collector_id: str | None) -> dict[str, Any]:
        """The envelope of one case, built the ordinary way (templates are rendered from it)."""
        payload: dict[str, Any] = {
            "collector_id": collector_id, "strategy": self.strategy, "reason": reason,
            "plan_id": self.plan_id, "allocated_at": self.at.isoformat(),
            "first_contact_due": self.due.isoformat()}
        if team_id is not None:
            payload["team_id"] = team_id
        if previous_collector_id is not None:
            payload["previous_collector_id"] = previous_collector_id
        return new_envelope(event_type=CASE_ALLOCATED, producer=PRODUCER, client_id=client_id,
                            case_id=case_id, payload=payload, correlation_id=self.plan_id,
                            occurred_at=self.at, event_id=event_id)

    def _template(self, has_team: bool, has_prev: bool) -> tuple[str, Callable[[tuple], tuple] | None]:
        key = (has_team, has_prev)
        found = self._templates.get(key)
        if found is not None:
            return found
        ph = _PLACEHOLDER.format
        rendered = dumps(self.envelope(
            event_id=_PLACEHOLDER_EVENT_ID, client_id=ph("client_id"), case_id=ph("case_id"),
            collector_id=ph("collector_id"), reason=ph("reason"),
            team_id=ph("team_id") if has_team else None,
            previous_collector_id=ph("previous_collector_id") if has_prev else None)).decode()
        order: list[int] = []
        parts: list[str] = []
        last = 0
        for m in _SLOT_RE.finditer(rendered):
            parts.append(rendered[last:m.start()].replace("%", "%%"))
            parts.append('"%s"')
            order.append(SLOTS.index(m.group(1) or "event_id"))
            last = m.end()
        parts.append(rendered[last:].replace("%", "%%"))
        # a missing slot would silently drop a field: the layout must carry every one we fill
        expected = {"event_id", "client_id", "case_id", "collector_id", "reason"}
        expected |= {"team_id"} if has_team else set()
        expected |= {"previous_collector_id"} if has_prev else set()
        if sorted(SLOTS[i] for i in order) != sorted(expected):
            raise RuntimeError(f"case.allocated template has slots {sorted(SLOTS[i] for i in order)}")
        present = [i for i, name in enumerate(SLOTS) if name in expected]
        # the envelope lists the slots in SLOTS order: the row's values go in as they are
        found = ("".join(parts), None if order == present else operator.itemgetter(*order))
        self._templates[key] = found
        return found

    def records(self, rows: Sequence[Sequence[Any]]) -> list[OutboxRecord]:
        """rows: (client_id, case_id, collector_id, reason, team_id, previous_collector_id)."""
        ids = random_event_ids(len(rows))
        # Ids and reasons need no JSON escaping in practice: one scan over all of them proves it.
        plain = _NEEDS_ESCAPE.search("".join([v for r in rows for v in r if v is not None])) is None
        out: list[OutboxRecord] = []
        append = out.append
        template = self._template
        for eid, row in zip(ids, rows):
            client_id, case_id, collector_id, reason, team_id, prev = row if plain else [
                None if v is None else _escaped(v) for v in row]
            fmt, pick = template(team_id is not None, prev is not None)
            if pick is not None:
                args = pick((str(eid), client_id, case_id, collector_id, reason, team_id, prev))
            elif team_id is not None:
                args = ((str(eid), client_id, case_id, collector_id, reason, team_id) if prev is None
                        else (str(eid), client_id, case_id, collector_id, reason, team_id, prev))
            elif prev is not None:
                args = (str(eid), client_id, case_id, collector_id, reason, prev)
            else:
                args = (str(eid), client_id, case_id, collector_id, reason)
            append((eid, CASE_ALLOCATED, row[1], (fmt % args).encode()))
        return out
