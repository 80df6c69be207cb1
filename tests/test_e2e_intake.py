"""End to end: a placement pushed over HTTP to a real intake process (uvicorn) reaches the broker as
exactly one `case.received` per accepted case; a replay of the same placement adds nothing; no
event carries a full ID or card number (R-1, R-46, contracts.md §2)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter

import httpx
import orjson
from aiokafka import AIOKafkaConsumer

from recoup_local.demo import make_placement
from recoup_local.stack import CONSUMER_TIMERS
from recoup_shared.auth import mint_token
from recoup_shared.bus.envelope import parse
from recoup_shared.bus.events import CaseReceived

N_CASES = 400


async def _read_case_received(bootstrap: str, placement_id: str, expect: int, *, timeout: float = 120,
                              settle: float = 3.0) -> list[bytes]:
    """Every case.received of one placement, from the beginning, on a fresh consumer group; keeps
    reading `settle` seconds after the expected count so duplicates would show."""
    consumer = AIOKafkaConsumer("case.received", bootstrap_servers=bootstrap, group_id=f"e2e-{uuid.uuid4()}",
                                auto_offset_reset="earliest", enable_auto_commit=False, **CONSUMER_TIMERS)
    await consumer.start()
    found: list[bytes] = []
    try:
        deadline = time.monotonic() + timeout
        settle_until = None
        while time.monotonic() < deadline:
            batch = await consumer.getmany(timeout_ms=500, max_records=5000)
            for records in batch.values():
                for rec in records:
                    if orjson.loads(rec.value).get("correlation_id") == placement_id:
                        found.append(rec.value)
            if len(found) >= expect and settle_until is None:
                settle_until = time.monotonic() + settle
            if settle_until is not None and time.monotonic() >= settle_until:
                break
    finally:
        await consumer.stop()
    return found


async def test_every_accepted_case_is_received_exactly_once_on_the_broker(stack):
    started_here = "intake" not in stack.services
    url = await stack.start_service("intake") if started_here else stack.services["intake"].url
    try:
        client_id = f"e2e-intake-{uuid.uuid4().hex[:8]}"
        headers = {"authorization": "Bearer " + mint_token(sub=f"{client_id}-system", roles=["client"],
                                                           client_id=client_id)}
        body = make_placement(N_CASES, seed=20261124, bad_rows=4,
                              placement_ref=f"E2E-{uuid.uuid4().hex[:10]}")
        async with httpx.AsyncClient(base_url=url, headers=headers, timeout=120) as http:
            r = await http.post("/v1/placements", json=body)
            assert r.status_code == 202, r.text
            answer = r.json()
            accepted, placement_id = answer["accepted"], answer["placement_id"]
            assert accepted == N_CASES - answer["rejected"] and answer["rejected"] == 4
            case_ids: set[str] = set()
            cursor = None
            while True:
                page = (await http.get(f"/v1/placements/{body['placement_ref']}/cases",
                                       params={"limit": 150} | ({"cursor": cursor} if cursor else {}))).json()
                case_ids |= {i["case_id"] for i in page["items"]}
                if page["next_cursor"] is None:
                    break
                cursor = page["next_cursor"]
            assert len(case_ids) == accepted

            # the same placement again: the same answer, nothing new on the bus
            again = await http.post("/v1/placements", json=body)
            assert again.status_code == 202 and again.json() == answer

            events = await _read_case_received(stack.bootstrap, placement_id, accepted)
            status = None
            for _ in range(100):
                status = (await http.get(f"/v1/placements/{body['placement_ref']}")).json()
                if status["status"] == "published":
                    break
                await asyncio.sleep(0.2)
            assert status and status["status"] == "published"
            assert status["timings"]["published_at"] >= status["timings"]["imported_at"]

        per_case = Counter(parse(v).case_id for v in events)
        assert set(per_case) == case_ids
        assert set(per_case.values()) == {1}, "a case.received was delivered more than once"
        full_ids = {c["debtor"]["id_number"] for c in body["cases"] if isinstance(c["debtor"].get("id_number"), str)}
        full_cards = {c["account_ref"] for c in body["cases"]}
        for value in events:
            envelope = parse(value)
            assert envelope.event_type == "case.received" and envelope.producer == "intake"
            assert envelope.client_id == client_id
            payload = CaseReceived.model_validate(envelope.payload)
            assert payload.placement_id == placement_id and payload.phones and payload.addresses
            text = value.decode()
            assert not any(i in text for i in full_ids), "a full ID number left intake"
            assert not any(c in text for c in full_cards), "a full card number left intake"
    finally:
        if started_here:
            await stack.stop_service("intake")
