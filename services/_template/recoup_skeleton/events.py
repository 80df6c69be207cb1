"""Builders of what this service emits (none yet).

A service that emits builds each event with `recoup_shared.bus.event_record(Payload(...), ...)`
(the typed payload models live in recoup_shared.bus.events, one per topic in contracts.md) and
writes the records with `recoup_shared.bus.outbox.write_outbox_records(conn, records)` in the same
transaction as the state change; bulk paths use `recoup_shared.bus.EnvelopeTemplate`. List the
topics under `emits:` in deploy/k8s/services.yaml.
"""

from __future__ import annotations

PRODUCER = "skeleton"
