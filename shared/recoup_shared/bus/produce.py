"""Producing to the bus: the platform's one producer configuration, and sending many messages at
once — each partition's messages as record batches, on the partition `send` would pick."""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np
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


_M64, _MASK64 = np.uint64(_M), np.uint64(_MASK)


def murmur2_many(keys: Sequence[bytes]) -> list[int]:
    """`murmur2` of each key, keys of one length at once as numpy columns: 100,000 case ids take
    ~10 ms instead of ~250 ms — which was the largest part of the relay's CPU for a placement's
    events (tested equal). Few keys of a length go one by one."""
    out = [0] * len(keys)
    by_length: dict[int, list[int]] = {}
    for i, key in enumerate(keys):
        by_length.setdefault(len(key), []).append(i)
    for length, at in by_length.items():
        if len(at) < 16:
            for i in at:
                out[i] = murmur2(keys[i])
            continue
        data = np.frombuffer(b"".join([keys[i] for i in at]), dtype=np.uint8).reshape(len(at), length)
        h = np.full(len(at), 0x9747B28C ^ length, dtype=np.uint64)
        n4 = length >> 2
        if n4:  # 32-bit products of 32-bit values: exact in 64 bits, masked back to 32
            words = np.ascontiguousarray(data[:, :4 * n4]).view("<u4").astype(np.uint64)
            for j in range(n4):
                k = (words[:, j] * _M64) & _MASK64
                k = ((k ^ (k >> np.uint64(24))) * _M64) & _MASK64
                h = ((h * _M64) & _MASK64) ^ k
        extra, base = length & 3, 4 * n4
        if extra >= 3:
            h ^= data[:, base + 2].astype(np.uint64) << np.uint64(16)
        if extra >= 2:
            h ^= data[:, base + 1].astype(np.uint64) << np.uint64(8)
        if extra:
            h = ((h ^ data[:, base].astype(np.uint64)) * _M64) & _MASK64
        h ^= h >> np.uint64(13)
        h = (h * _M64) & _MASK64
        h ^= h >> np.uint64(15)
        for i, value in zip(at, h.tolist()):
            out[i] = value
    return out


def partition_of(key: bytes, partitions: Sequence[int]) -> int:
    """The partition aiokafka's DefaultPartitioner gives a key (what `send` would pick)."""
    return partition_of_hash(murmur2(key), partitions)


def partition_of_hash(hashed: int, partitions: Sequence[int]) -> int:
    """`partition_of` for a key's murmur2 already computed (murmur2_many)."""
    return partitions[(hashed & 0x7FFFFFFF) % len(partitions)]


Producers = AIOKafkaProducer | Sequence[AIOKafkaProducer]


async def produce_all(producers: Producers, messages: Sequence[tuple[str, str, bytes]]) -> None:
    """Send (topic, key, value) messages and wait for every ack; raises on the first failure."""
    await asyncio.gather(*await send_all(producers, messages))


async def send_all(producers: Producers, messages: Sequence[tuple[str, str, bytes]]) -> list[asyncio.Future]:
    """Queue (topic, key, value) messages for the broker; the futures of their acks.

    Each partition's messages go as few record batches as the producer's batch size allows
    (create_batch/send_batch) instead of one `send` each: 100,000 messages take ~0.5 s instead of
    ~2 s of the event loop. The partition is the one `send` would pick (the default partitioner,
    murmur2 of the key, computed for all keys at once: `murmur2_many`), so a case's events stay
    on one partition whichever way they were sent; a partition's batches are queued in order and
    aiokafka has one request in flight per partition, so they land in order.

    Several producers (several connections to each broker): partition p always goes on producer
    p % n — so a partition's order holds — and n produce requests are in flight at once instead
    of one: aiokafka sends a connection's next request only when the last one is answered, and
    100,000 events of 1.7 KB were ~30 such requests one after the other (1.2 s on one connection,
    0.6 s on two, measured against the local broker)."""
    if isinstance(producers, AIOKafkaProducer):
        producers = [producers]
    producer = producers[0]
    by_partition: dict[tuple[str, int], list[tuple[bytes, bytes]]] = {}
    partitions: dict[str, list[int]] = {}
    keys = [key.encode() for _, key, _ in messages]
    for (topic, _, value), key_bytes, hashed in zip(messages, keys, murmur2_many(keys)):
        parts = partitions.get(topic)
        if parts is None:
            parts = partitions[topic] = sorted(await producer.partitions_for(topic))
        tp = (topic, partition_of_hash(hashed, parts))
        group = by_partition.get(tp)
        if group is None:
            group = by_partition[tp] = []
        group.append((key_bytes, value))
    per_partition = await asyncio.gather(*(
        _queue_partition(producers[partition % len(producers)], topic, partition, group)
        for (topic, partition), group in by_partition.items()))
    return [future for futures in per_partition for future in futures]


async def _queue_partition(producer: AIOKafkaProducer, topic: str, partition: int,
                           group: list[tuple[bytes, bytes]]) -> list[asyncio.Future]:
    """One partition's messages as record batches, queued in order. aiokafka holds one batch per
    partition until the one before it is sent: the partitions are queued concurrently, so every
    produce request carries a batch of each partition instead of one partition's batch at a time."""
    futures = []
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
