"""Intake consumes no topics today: it is the source of case.received / case.updated /
payment.posted. Registered here (empty) so the app factory's wiring is the same as elsewhere."""

from __future__ import annotations

from recoup_shared.bus.consumer import BatchHandler

HANDLERS: dict[str, BatchHandler] = {}
