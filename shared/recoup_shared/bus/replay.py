"""Re-publish dead-lettered events to their source topic after a fix (`recoup dlq-replay`).

Reads `<topic>.dlq` with its own consumer group, so each dead letter is replayed once per group
even if the command is run again; republished events keep their event_id, so consumers that had
already applied them skip them (inbox) and only the consumer that failed applies them now.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from .produce import make_producer
from .topics import TOPICS, dlq


async def replay_dlq(bootstrap_servers: str, topic: str, *, service: str | None = None,
                     group_id: str | None = None, dry_run: bool = False, idle_seconds: float = 3.0,
                     out=sys.stdout, security: dict[str, Any] | None = None) -> int:
    # Manual assignment with a group id: offsets are committed per group (each dead letter is
    # replayed once) without waiting for a group rebalance.
    security = security or {}  # bus.security.client_kwargs(settings): TLS/SASL
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap_servers,
                                group_id=group_id or f"recoup-dlq-replay-{topic}",
                                enable_auto_commit=False, auto_offset_reset="earliest", **security)
    producer = make_producer(bootstrap_servers, **security)
    await consumer.start()
    await producer.start()
    await consumer.topics()  # refreshes metadata
    partitions = consumer.partitions_for_topic(dlq(topic)) or set()
    if not partitions:
        raise ValueError(f"topic {dlq(topic)!r} does not exist")
    consumer.assign([TopicPartition(dlq(topic), p) for p in sorted(partitions)])
    replayed = 0
    try:
        idle_since = asyncio.get_running_loop().time()
        while asyncio.get_running_loop().time() - idle_since < idle_seconds:
            batch = await consumer.getmany(timeout_ms=500, max_records=500)
            if not batch:
                continue
            idle_since = asyncio.get_running_loop().time()
            for tp, records in batch.items():
                for rec in records:
                    headers = {k: v.decode(errors="replace") for k, v in rec.headers}
                    if service and headers.get("service") != service:
                        continue
                    print(f"{'would replay' if dry_run else 'replaying'} {topic} "
                          f"p{headers.get('source_partition')}@{headers.get('source_offset')} "
                          f"(failed in {headers.get('service')}: {headers.get('error', '')[:120]})", file=out)
                    if not dry_run:
                        await (await producer.send(topic, value=rec.value, key=rec.key))
                        replayed += 1
                if not dry_run:
                    await consumer.commit({tp: records[-1].offset + 1})
    finally:
        await producer.stop()
        await consumer.stop()
    return replayed


def main(argv: list[str] | None = None) -> int:
    from .security import KafkaSettings, client_kwargs

    parser = argparse.ArgumentParser(prog="recoup dlq-replay", description=__doc__)
    parser.add_argument("--topic", required=True, choices=TOPICS)
    parser.add_argument("--service", help="only dead letters produced by this service's consumer")
    parser.add_argument("--bootstrap-servers", default=None)
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args(argv)
    # Only the bus settings: the replay Job (deploy/k8s) has Kafka credentials and no service keys.
    settings = KafkaSettings()
    bootstrap = args.bootstrap_servers or settings.kafka_bootstrap_servers
    n = asyncio.run(replay_dlq(bootstrap, args.topic, service=args.service, dry_run=args.dry_run,
                               security=client_kwargs(settings)))
    print(f"replayed {n} event(s) to {args.topic}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
