"""Topic names (contracts.md §2) and their explicit creation: Tansu does not auto-create."""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import KafkaConnectionError, TopicAlreadyExistsError

from ..logging import get_logger

log = get_logger(__name__)

CASE_RECEIVED = "case.received"
CASE_UPDATED = "case.updated"
CASE_ALLOCATED = "case.allocated"
CONTACT_LOGGED = "contact.logged"
PAYMENT_POSTED = "payment.posted"
LETTER_DISPATCHED = "letter.dispatched"
LETTER_RETURNED = "letter.returned"
VISIT_COMPLETED = "visit.completed"
CASE_PAUSED = "case.paused"            # allocation
CASE_RESUMED = "case.resumed"          # allocation
VISIT_REQUESTED = "visit.requested"    # fieldops
VISIT_APPROVED = "visit.approved"      # fieldops
VISIT_REJECTED = "visit.rejected"      # fieldops
VISIT_PLANNED = "visit.planned"        # fieldops
POLICY_CHANGED = "policy.changed"      # contact
CASE_PAUSE_REQUESTED = "case.pause_requested"   # contact → allocation
SMS_SENT = "sms.sent"                  # letters → contact: a text sent (caps, timeline)
VISIT_CANCELLED = "visit.cancelled"    # fieldops → contact: a visit withdrawn or cancelled

# The same list, in the same order, as deploy/k8s/services.yaml `topics` (tests/test_deploy.py).
TOPICS = (CASE_RECEIVED, CASE_UPDATED, CASE_ALLOCATED, CONTACT_LOGGED, PAYMENT_POSTED,
          LETTER_DISPATCHED, LETTER_RETURNED, VISIT_COMPLETED, CASE_PAUSED, CASE_RESUMED,
          VISIT_REQUESTED, VISIT_APPROVED, VISIT_REJECTED, VISIT_PLANNED, POLICY_CHANGED,
          CASE_PAUSE_REQUESTED, SMS_SENT, VISIT_CANCELLED)


def dlq(topic: str) -> str:
    return f"{topic}.dlq"


def all_topics() -> list[str]:
    return [*TOPICS, *(dlq(t) for t in TOPICS)]


async def ensure_topics(bootstrap_servers: str, partitions: int = 12, replication: int = 1,
                        topics: list[str] | None = None, attempts: int = 30,
                        security: dict[str, Any] | None = None) -> None:
    """Create missing topics; idempotent. Retries while the broker is still starting.
    `security`: bus.security.client_kwargs(settings) (TLS/SASL), none for the local broker."""
    wanted = topics or all_topics()
    for attempt in range(attempts):
        admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap_servers, **(security or {}))
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            missing = [t for t in wanted if t not in existing]
            if missing:
                try:
                    await admin.create_topics([NewTopic(t, partitions, replication) for t in missing])
                except TopicAlreadyExistsError:
                    pass  # a concurrent starter won the race
                log.info("topics created", topics=missing, partitions=partitions)
            return
        except KafkaConnectionError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(1)
        finally:
            await admin.close()


def main() -> None:
    """`python -m recoup_shared.bus.topics`: create every topic (init job in compose/k8s)."""
    from ..settings import ServiceSettings
    from .security import client_kwargs

    s = ServiceSettings()
    asyncio.run(ensure_topics(s.kafka_bootstrap_servers, s.topic_partitions, s.topic_replication,
                              security=client_kwargs(s)))


if __name__ == "__main__":
    main()
