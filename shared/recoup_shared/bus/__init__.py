"""The delivery backbone: envelope, payload models, outbox (producer side), consumer loop."""

from .consumer import BatchHandler, EventConsumer, PoisonEvent
from .envelope import (Envelope, EnvelopeTemplate, OutboxRecord, dumps, event_record, new_envelope,
                       outbox_record, parse)
from .outbox import OutboxRelay, write_outbox
from .produce import make_producer, produce_all
from .topics import TOPICS, all_topics, dlq, ensure_topics

__all__ = [
    "BatchHandler", "EventConsumer", "PoisonEvent", "Envelope", "EnvelopeTemplate", "OutboxRecord",
    "dumps", "event_record", "new_envelope", "outbox_record", "parse",
    "OutboxRelay", "make_producer", "produce_all", "write_outbox", "TOPICS", "all_topics", "dlq",
    "ensure_topics",
]
