"""The relay's partitioner (bus/outbox.py): produce_all builds a record batch per partition, so it
picks the partition itself — with the very hash aiokafka's `send` uses (Kafka's murmur2)."""

from __future__ import annotations

from aiokafka.partitioner import DefaultPartitioner
from aiokafka.partitioner import murmur2 as kafka_murmur2
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_shared.bus.produce import murmur2, partition_of


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_the_relays_murmur2_is_kafkas(key):
    assert murmur2(key) == kafka_murmur2(key)
    for n in (1, 3, 12):
        assert partition_of(key, list(range(n))) == DefaultPartitioner()(key, list(range(n)), list(range(n)))


def test_long_keys_too():
    key = bytes(range(256)) * 3
    assert murmur2(key) == kafka_murmur2(key)
