"""Test support shared by every service's tests, the end-to-end tests and the benchmarks (never
shipped in a production image: recoup_local is not): realistic event envelopes of every topic,
publishing to the broker, reading a topic back, waiting for a condition. (Seeding a service's own
tables in bulk lives beside it: allocation_seeds.py.)"""

from __future__ import annotations

import asyncio
import hashlib
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer

from recoup_shared.bus import make_producer, new_envelope, produce_all
from recoup_shared.bus.envelope import dumps
from recoup_shared.vocabulary import dpd_bucket

def id_hash(debtor: str) -> str:
    return hashlib.sha256(f"debtor:{debtor}".encode()).hexdigest()


def received_payload(*, amount: Decimal | str = "13830.50", dpd: int = 95, product: str = "credit_card",
                     region: str | None = "河南省", flags: Sequence[str] = (), debtor: str | None = None,
                     placement_id: str = "pl-1", placement_ref: str = "REF-1",
                     placed_on: date = date(2026, 11, 20)) -> dict[str, Any]:
    amount = Decimal(str(amount))
    return {
        "placement_id": placement_id, "placement_ref": placement_ref, "product": product,
        "placed_on": placed_on.isoformat(), "recall_on": (placed_on + timedelta(days=91)).isoformat(),
        "account_masked": "6222********3446", "account_hash": uuid.uuid4().hex,
        "debtor": {"name": "张伟", "id_number_masked": "4101**********0030",
                   "id_hash": id_hash(debtor or uuid.uuid4().hex)},
        "currency": "CNY", "principal": str(amount), "interest": "0.00", "fees": "0.00",
        "placed_amount": str(amount), "dpd": dpd, "dpd_bucket": dpd_bucket(dpd),
        "phones": [{"number": "13800138000", "number_masked": "138****8000", "number_hash": "h",
                    "kind": "mobile", "owner": "debtor"}],
        "addresses": [], "region": region, "flags": list(flags), "status": "open",
    }


def received(case_id: str, client_id: str = "zhbank", *, occurred_at: datetime | None = None,
             event_id: uuid.UUID | None = None, **payload: Any) -> dict[str, Any]:
    return new_envelope(event_type="case.received", producer="intake", client_id=client_id,
                        case_id=case_id, payload=received_payload(**payload),
                        occurred_at=occurred_at, event_id=event_id)


def updated(case_id: str, client_id: str = "zhbank", *, change: str, status: str = "open",
            occurred_at: datetime | None = None, **fields: Any) -> dict[str, Any]:
    payload = {"change": change, "status": status}
    payload.update({k: (str(v) if isinstance(v, Decimal) else v) for k, v in fields.items()})
    return new_envelope(event_type="case.updated", producer="intake", client_id=client_id,
                        case_id=case_id, payload=payload, occurred_at=occurred_at)


def payment(case_id: str, client_id: str = "zhbank", *, amount: str = "500.00",
            paid_at: datetime | None = None, txn_ref: str | None = None, outstanding: str = "1000.00",
            closes_case: bool = False) -> dict[str, Any]:
    paid_at = paid_at or datetime.now(timezone.utc)
    return new_envelope(event_type="payment.posted", producer="intake", client_id=client_id,
                        case_id=case_id, payload={
                            "account_masked": "6222********3446", "amount": amount,
                            "paid_at": paid_at.isoformat(), "txn_ref": txn_ref or uuid.uuid4().hex,
                            "channel": "bank", "repaid_total": amount, "outstanding": outstanding,
                            "closes_case": closes_case})


def contact(case_id: str, client_id: str = "zhbank", *, ptp_due: date | None = None,
            occurred_at: datetime | None = None, instalments: Sequence[date] = (),
            addresses_found: Sequence[dict[str, Any]] = (), collector_id: str = "c1") -> dict[str, Any]:
    """A contact.logged as the contact service publishes it; `addresses_found`: AddressOut dicts a
    collector found (skip tracing, R-25)."""
    occurred_at = occurred_at or datetime.now(timezone.utc)
    payload: dict[str, Any] = {
        "contact_id": uuid.uuid4().hex, "collector_id": collector_id, "channel": "call", "party": "debtor",
        "result": "connected", "effective": True, "status": "PTP" if ptp_due else "REACHABLE_SELF",
        "occurred_at": occurred_at.isoformat(), "addresses_found": list(addresses_found),
        "instalments": [{"amount": "100.00", "due_on": d.isoformat()} for d in instalments]}
    if ptp_due:
        payload["ptp"] = {"amount": "500.00", "due_on": ptp_due.isoformat()}
    return new_envelope(event_type="contact.logged", producer="contact", client_id=client_id,
                        case_id=case_id, payload=payload, occurred_at=occurred_at)


def as_envelopes(envs: Iterable[dict[str, Any]]):
    from recoup_shared.bus import parse
    return [parse(dumps(e)) for e in envs]


async def publish(bootstrap: str, envelopes: Iterable[dict[str, Any]]) -> None:
    """To the real broker, topic = event_type, key = case_id (as the outbox relay does)."""
    producer = make_producer(bootstrap)
    await producer.start()
    try:
        await produce_all(producer, [(e["event_type"], e["case_id"], dumps(e)) for e in envelopes])
    finally:
        await producer.stop()


async def wait_until(check: Callable[[], Awaitable[Any]], *, timeout: float = 30.0,
                     interval: float = 0.1, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(interval)


async def read_topic(bootstrap: str, topic: str, *, case_ids: set[str] | None = None,
                     expect: int | None = None, timeout: float = 30.0,
                     settle: float = 1.0) -> list[dict[str, Any]]:
    """Every message of `topic` (from the beginning) for the given cases: until `expect` were seen
    and then `settle` more seconds with nothing new (to catch duplicates), or the timeout."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    out: list[dict[str, Any]] = []
    try:
        deadline = time.monotonic() + timeout
        quiet_since = None
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=200, max_records=10000)
            got = False
            for records in batch.values():
                for rec in records:
                    env = orjson.loads(rec.value)
                    if case_ids is None or env["case_id"] in case_ids:
                        out.append(env)
                        got = True
            if expect is not None and len(out) >= expect:
                if got or quiet_since is None:
                    quiet_since = time.monotonic()
                elif time.monotonic() - quiet_since >= settle:
                    break
    finally:
        await consumer.stop()
    return out
