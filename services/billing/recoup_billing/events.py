"""Builders of what billing emits: nothing. Billing only consumes (handlers.py) and answers
(statements, rates, performance); it has no outbox to relay (app.py: run_relay=False)."""

from __future__ import annotations

PRODUCER = "billing"
