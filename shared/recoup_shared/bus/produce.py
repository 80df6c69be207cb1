"""Producing to the bus: the platform's one producer configuration, and sending many messages at
once — each partition's messages as record batches, on the partition `send` would pick."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Sequence
from typing import Any

from aiokafka import AIOKafkaProducer


def make_producer(bootstrap_servers: str, **overrides: Any) -> AIOKafkaProducer:
    """The one producer configuration of the platform: acks=all, NOT idempotent (Tansu rejects
    InitProducerId; the outbox + inbox pair gives exactly-once effects instead)."""
    config: dict[str, Any] = dict(
        bootstrap_servers=bootstrap_servers, acks="all", enable_idempotence=False,
        linger_ms=5, max_batch_size=512 * 1024, max_request_size=8 * 1024 * 1024,
        request_timeout_ms=30000, retry_backoff_ms=200, compression_type=None,
    )
    config.update(overrides)
    return AIOKafkaProducer(**config)


_M, _MASK = 0x5BD1E995, 0xFFFFFFFF
_WORDS = {n: struct.Struct(f"<{n}I") for n in range(0, 33)}


def murmur2(data: bytes) -> int:
    """Kafka's murmur2 (the Java client's Utils.murmur2, aiokafka's DefaultPartitioner) — the same
    value, computed over 4-byte words unpacked at once: ~3x faster than aiokafka's byte-by-byte loop,
    which was the largest cost of producing 100,000 keyed messages (tested equal)."""
    length = len(data)
    h = 0x9747B28C ^ length
    n4 = length >> 2
    words = _WORDS[n4].unpack_from(data) if n4 <= 32 else struct.unpack_from(f"<{n4}I", data)
    for k in words:
        k = (k * _M) & _MASK
        k = ((k ^ (k >> 24)) * _M) & _MASK
        h = ((h * _M) & _MASK) ^ k
    extra = length & 3
    if extra:
        base = length & ~3
        if extra >= 3:
            h ^= data[base + 2] << 16
        if extra >= 2:
            h ^= data[base + 1] << 8
        h = ((h ^ data[base]) * _M) & _MASK
    h ^= h >> 13
    h = (h * _M) & _MASK
    return h ^ (h >> 15)


def partition_of(key: bytes, partitions: Sequence[int]) -> int:
    """The partition aiokafka's DefaultPartitioner gives a key (what `send` would pick)."""
    return partitions[(murmur2(key) & 0x7FFFFFFF) % len(partitions)]


async def produce_all(producer: AIOKafkaProducer, messages: Sequence[tuple[str, str, bytes]]) -> None:
    """Send (topic, key, value) messages and wait for every ack; raises on the first failure."""
    await asyncio.gather(*await send_all(producer, messages))


async def send_all(producer: AIOKafkaProducer, messages: Sequence[tuple[str, str, bytes]]) -> list[asyncio.Future]:
    """Queue (topic, key, value) messages for the broker; the futures of their acks.

    Each partition's messages go as few record batches as the producer's batch size allows
    (create_batch/send_batch) instead of one `send` each: 100,000 messages take ~0.5 s instead of
    ~2 s of the event loop. The partition is the one `send` would pick (the default partitioner,
    murmur2 of the key, computed faster: `murmur2`), so a case's events stay on one partition whichever way they were sent;
    a partition's batches are queued in order and aiokafka has one request in flight per
    partition, so they land in order."""
    by_partition: dict[tuple[str, int], list[tuple[bytes, bytes]]] = {}
    partitions: dict[str, list[int]] = {}
    for topic, key, value in messages:
        parts = partitions.get(topic)
        if parts is None:
            parts = partitions[topic] = sorted(await producer.partitions_for(topic))
        key_bytes = key.encode()
        tp = (topic, partition_of(key_bytes, parts))
        group = by_partition.get(tp)
        if group is None:
            group = by_partition[tp] = []
        group.append((key_bytes, value))
    futures = []
    for (topic, partition), group in by_partition.items():
        batch = producer.create_batch()
        for key_bytes, value in group:
            if batch.append(key=key_bytes, value=value, timestamp=None) is None:  # full: closed
                if batch.record_count():
                    futures.append(await producer.send_batch(batch, topic, partition=partition))
                batch = producer.create_batch()
                if batch.append(key=key_bytes, value=value, timestamp=None) is None:  # over a batch: alone
                    futures.append(await producer.send(topic, value=value, key=key_bytes, partition=partition))
                    batch = producer.create_batch()
        if batch.record_count():
            futures.append(await producer.send_batch(batch, topic, partition=partition))
    return futures
