"""Consumed events. Intake consumes no topic: it is the source of case.received, case.updated and
payment.posted (events.py). Registered here (empty) so the app factory's wiring is the same as
every other service's."""

from __future__ import annotations

from recoup_shared.bus import BatchHandler

HANDLERS: dict[str, BatchHandler] = {}
