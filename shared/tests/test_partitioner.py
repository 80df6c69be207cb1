"""The relay's partitioner (bus/outbox.py): produce_all builds a record batch per partition, so it
picks the partition itself — with the very hash aiokafka's `send` uses (Kafka's murmur2)."""

from __future__ import annotations

from aiokafka.partitioner import DefaultPartitioner
from aiokafka.partitioner import murmur2 as kafka_murmur2
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_shared.bus.produce import murmur2, murmur2_many, partition_of


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_the_relays_murmur2_is_kafkas(key):
    assert murmur2(key) == kafka_murmur2(key)
    for n in (1, 3, 12):
        assert partition_of(key, list(range(n))) == DefaultPartitioner()(key, list(range(n)), list(range(n)))


def test_long_keys_too():
    key = bytes(range(256)) * 3
    assert murmur2(key) == kafka_murmur2(key)


@settings(max_examples=100)
@given(st.lists(st.binary(max_size=40), max_size=60), st.integers(min_value=0, max_value=40))
def test_murmur2_of_many_keys_at_once_is_kafkas(keys, same_length):
    """Keys of one length go through numpy columns (16 or more of them), others one by one."""
    keys = keys + [bytes([i % 251]) * same_length for i in range(20)] + [b"%036d" % i for i in range(20)]
    assert murmur2_many(keys) == [kafka_murmur2(k) for k in keys]


def test_murmur2_of_many_uuids():
    import uuid
    keys = [str(uuid.uuid4()).encode() for _ in range(2000)]
    assert murmur2_many(keys) == [kafka_murmur2(k) for k in keys]
