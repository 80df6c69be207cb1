"""End to end (R-5): the client extends its placement's recall date in intake; every case of the
placement learns the new date in allocation, contact, letters and billing through `case.updated`
change=recall_extended (intake's outbox → the real broker → each consumer's inbox), and a case the
client had recalled before stays recalled everywhere. Every service in-process on the session's
stack.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from recoup_local.demo import make_placement
from recoup_local.inprocess import running_services

SHANGHAI = ZoneInfo("Asia/Shanghai")


async def eventually(probe, what: str, timeout: float = 90.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.3)


QUERIES = {   # service -> (its cases' recall date and status)
    "allocation": "SELECT case_id, recall_on, status FROM cases WHERE case_id = ANY($1::text[])",
    "contact": "SELECT case_id, recall_on, status FROM cases WHERE case_id = ANY($1::text[])",
    "letters": "SELECT case_id, recall_on, status FROM cases WHERE case_id = ANY($1::text[])",
    "billing": "SELECT case_id::text, recall_on, status FROM billing_cases WHERE case_id = ANY($1::uuid[])",
}


async def _seen(svc, name: str, case_ids: list[str]) -> dict[str, tuple[date, str]]:
    async with svc.pool.acquire() as conn:
        return {r["case_id"]: (r["recall_on"], r["status"]) for r in await conn.fetch(QUERIES[name], case_ids)}


async def test_an_extended_recall_date_reaches_every_service_that_keeps_it(stack):
    client_id = f"e2e-rx-{uuid.uuid4().hex[:8]}"
    today = datetime.now(SHANGHAI).date()
    body = make_placement(3, seed=7, placed_on=today - timedelta(days=10))
    body["recall_on"] = (today + timedelta(days=30)).isoformat()
    new = today + timedelta(days=61)
    async with running_services(
            stack, intake={},
            allocation=dict(auto_allocate_enabled=False),
            contact={},
            letters={},
            billing={}) as (intake, allocation, contact, letters, billing):
        services = {"allocation": allocation, "contact": contact, "letters": letters, "billing": billing}
        client = intake.auth("client", client_id=client_id)
        r = await intake.client.post("/v1/placements", json=body, headers=client)
        assert r.status_code == 202 and r.json()["accepted"] == 3, r.text
        ref = body["placement_ref"]

        async def placed():
            r = await intake.client.get(f"/v1/placements/{ref}/cases", headers=client)
            items = r.json()["items"] if r.status_code == 200 else []
            return [i["case_id"] for i in items] if len(items) == 3 else None
        case_ids = await eventually(placed, "intake to accept the placement")
        for name, svc in services.items():
            async def received(svc=svc, name=name):
                return len(await _seen(svc, name, case_ids)) == 3
            await eventually(received, f"{name} to receive the placement")

        # the client recalls one account, then extends the placement's recall date
        r = await intake.client.post("/v1/recalls", headers=client,
                                     json={"account_refs": [body["cases"][0]["account_ref"]]})
        assert r.status_code == 200 and r.json()["recalled"] == 1, r.text
        r = await intake.client.post(f"/v1/placements/{ref}/recall-date", headers=client,
                                     json={"recall_on": new.isoformat(), "reason": "延期"})
        assert r.status_code == 200, r.text

        for name, svc in services.items():
            async def moved(svc=svc, name=name):
                seen = await _seen(svc, name, case_ids)
                return seen if {d for d, _ in seen.values()} == {new} else None
            seen = await eventually(moved, f"{name} to keep the new recall date")
            recalled = [c for c, (_, status) in seen.items() if status == "recalled"]
            assert len(recalled) == 1, (name, seen)
