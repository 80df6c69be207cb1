"""End to end: a placement, repayments and allocations flow from intake and allocation (over
HTTP, events on the real broker) into billing's monthly statement, whose numbers are checked by
hand below, and into collector performance.

Everything happens in the current month (allocation stamps allocations with the real time, and a
repayment is attributed to the owner at paid_at), so the statement is this month's draft; it is
then issued with allow_issue_open_month (a test-only setting) and read by the client system.

Hand computation (schedule: base 10/18/25/33 %, benchmarks 85/65/45/40 %, minimums 60/30/15/5 %,
20 % relative reduction, ROUND_HALF_UP; cohort = the three cases placed today):

    bucket   placed       repaid in cycle  rate                        tier / fee rate        fee
    <=90     10,000.00    9,000.00         90.00 % >= 85 %             standard 10 %          900.00
    91-180   30,000.00    12,000.00        40.00 % < 65 %, >= 30 %     reduced 18 × 0.8 = 14.4 %  1,728.00
    181-360  0.00         0.00             n/a (nothing placed)        standard 25 %          0.00
    >=361    8,000.00     333.33           4.1666 → 4.16 % < 5 %       below minimum, month 1 of 3:
                                                                       still reduced 33 × 0.8 = 26.4 %
                                                                       333.33 × 0.264 = 87.99912 → 88.00
    total    48,000.00    21,333.33        44.44 %                                            2,716.00

(the repayments all fall in this month, so "recovered" — the fee base — equals "repaid in cycle")

Collector performance: A owns the 91-180 and >=361 cases, B the <=90 case, from before the
repayments: A recovered 12,333.33, B 9,000.00; A's PTP of 5,000.00 is kept by the 12,000.00.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from aiokafka import AIOKafkaProducer

from recoup_local.demo import make_placement
from recoup_local.inprocess import running_services
from recoup_shared.bus.envelope import dumps, new_envelope
from recoup_shared.bus.events import ContactLogged, Ptp
from recoup_shared.bus.produce import make_producer

SHANGHAI = ZoneInfo("Asia/Shanghai")

SCHEDULE = {
    "effective_from": "2020-01-01",
    "buckets": [
        {"name": "<=90", "dpd_min": 0, "dpd_max": 90, "base_rate": "0.10", "benchmark_rate": "0.85",
         "minimum_rate": "0.60"},
        {"name": "91-180", "dpd_min": 91, "dpd_max": 180, "base_rate": "0.18", "benchmark_rate": "0.65",
         "minimum_rate": "0.30"},
        {"name": "181-360", "dpd_min": 181, "dpd_max": 360, "base_rate": "0.25", "benchmark_rate": "0.45",
         "minimum_rate": "0.15"},
        {"name": ">=361", "dpd_min": 361, "dpd_max": None, "base_rate": "0.33", "benchmark_rate": "0.40",
         "minimum_rate": "0.05"},
    ],
    "reduction_pct": "0.20", "reduction_mode": "relative", "consecutive_months_to_zero": 3,
    "cycle_months": 3, "rounding": "ROUND_HALF_UP",
}

# account -> (dpd at placement, placed amount = principal + interest + fees)
CASES = {"<=90": (45, "8000.00", "1800.00", "200.00"),
         "91-180": (120, "25000.00", "4500.00", "500.00"),
         ">=361": (400, "7000.00", "900.00", "100.00")}


async def eventually(probe, what: str, timeout: float = 60.0):
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)


async def test_placement_to_statement(stack):
    client_id = f"e2e-{uuid.uuid4().hex[:8]}"
    today = datetime.now(SHANGHAI).date()
    month = f"{today.year:04d}-{today.month:02d}"
    body = make_placement(3, seed=42, placed_on=today)
    accounts = {}
    for (bucket, (dpd, principal, interest, fees)), case in zip(CASES.items(), body["cases"]):
        case.pop("overdue_since", None)
        case.pop("last_payment", None)
        case.update(dpd=dpd, principal=principal, interest=interest, fees=fees,
                    placed_amount=str(Decimal(principal) + Decimal(interest) + Decimal(fees)))
        accounts[bucket] = case["account_ref"]

    async with running_services(
            stack, intake={},
            allocation=dict(auto_allocate_enabled=False),
            billing=dict(allow_issue_open_month=True)) as (intake, allocation, billing):
        fin = billing.auth("finance", sub="fin-e2e")
        client = intake.auth("client", client_id=client_id)
        admin = allocation.auth("admin", sub="admin-e2e")

        r = await billing.client.put(f"/v1/fee-schedules/{client_id}", json=SCHEDULE, headers=fin)
        assert r.status_code == 201, r.text

        # 1. the client pushes the placement (intake → case.received)
        r = await intake.client.post("/v1/placements", json=body, headers=client)
        assert r.status_code == 202 and r.json()["accepted"] == 3, r.text

        async def three_cases():
            r = await billing.client.get(f"/v1/statements/{client_id}/{month}", headers=fin)
            return r.json() if r.status_code == 200 and r.json()["totals"]["cases"] == 3 else None
        await eventually(three_cases, "billing to receive the placement")

        # the drill-down gives the case behind each bucket
        case_of = {}
        for bucket in CASES:
            path = f"/v1/statements/{client_id}/{month}/lines/{quote(bucket, safe='')}/cases"
            dd = (await billing.client.get(path, headers=fin)).json()
            assert dd["total"] == 1, dd
            case_of[bucket] = dd["cases"][0]["case_id"]

        # 2. allocation: a team, two collectors, manual allocation (allocation → case.allocated)
        team = f"T-{client_id}"
        a, b = f"{client_id}-A", f"{client_id}-B"
        r = await allocation.client.post("/v1/teams", json={"team_id": team, "name": "电催一组"}, headers=admin)
        assert r.status_code == 201, r.text
        for cid, name in ((a, "王芳"), (b, "李强")):
            r = await allocation.client.post("/v1/collectors", json={"collector_id": cid, "name": name,
                                                                     "team_id": team}, headers=admin)
            assert r.status_code == 201, r.text

        async def allocation_knows():
            for c in case_of.values():
                if (await allocation.client.get(f"/v1/cases/{c}", headers=admin)).status_code != 200:
                    return False
            return True
        await eventually(allocation_knows, "allocation to receive the cases")
        for collector, buckets in ((a, ["91-180", ">=361"]), (b, ["<=90"])):
            r = await allocation.client.post("/v1/allocations/manual", headers=admin, json={
                "case_ids": [case_of[x] for x in buckets], "collector_id": collector, "force": True})
            assert r.status_code == 200 and r.json()["committed"] == len(buckets), r.text

        async def owned():
            async with billing.pool.acquire() as conn:
                n = await conn.fetchval("SELECT count(*) FROM billing_ownership WHERE client_id = $1", client_id)
            return n == 3
        await eventually(owned, "billing to receive the allocations")

        # 3. a contact with a PTP (the contact service's event, published against the contract)
        now = datetime.now(timezone.utc)
        ptp = ContactLogged(contact_id=f"C-{uuid.uuid4().hex[:8]}", collector_id=a, channel="call",
                            party="debtor", result="connected", effective=True, status="PTP",
                            ptp=Ptp(amount=Decimal("5000.00"), due_on=today + timedelta(days=3)),
                            occurred_at=now - timedelta(seconds=1))
        producer: AIOKafkaProducer = make_producer(stack.bootstrap)
        await producer.start()
        try:
            env = new_envelope(event_type="contact.logged", producer="contact", client_id=client_id,
                               case_id=case_of["91-180"], payload=ptp)
            await producer.send_and_wait("contact.logged", dumps(env), key=case_of["91-180"].encode())
        finally:
            await producer.stop()

        # 4. the client reports repayments (intake → payment.posted), after the allocation
        paid_at = datetime.now(SHANGHAI).isoformat()
        rows = [("91-180", "5000.00"), ("91-180", "7000.00"), ("<=90", "9000.00"), (">=361", "333.33")]
        r = await intake.client.post("/v1/repayments", headers=client, json={"repayments": [
            {"account_ref": accounts[bk], "amount": amt, "paid_at": paid_at, "txn_ref": f"CP-{i}", "channel": "bank"}
            for i, (bk, amt) in enumerate(rows)]})
        assert r.status_code == 200 and r.json()["recorded"] == 4, r.text

        async def all_repaid():
            doc = await three_cases()
            return doc if doc and doc["totals"]["recovered"] == "21333.33" else None
        doc = await eventually(all_repaid, "billing to receive the repayments")

        # 5. the statement, checked by hand (module docstring)
        lines = {ln["bucket"]: ln for ln in doc["lines"]}
        got = {k: (v["placed"], v["recovered_in_cycle"], v["recovered"], v["recovery_rate"], v["tier"],
                   v["fee_rate"], v["fee"]) for k, v in lines.items()}
        assert got == {
            "<=90": ("10000.00", "9000.00", "9000.00", "0.9000", "standard", "0.10", "900.00"),
            "91-180": ("30000.00", "12000.00", "12000.00", "0.4000", "reduced", "0.1440", "1728.00"),
            "181-360": ("0.00", "0.00", "0.00", None, "standard", "0.25", "0.00"),
            ">=361": ("8000.00", "333.33", "333.33", "0.0416", "below_minimum", "0.2640", "88.00"),
        }
        assert lines[">=361"]["months_below_minimum"] == 1
        assert (doc["totals"]["placed"], doc["totals"]["recovered"], doc["totals"]["recovery_rate"],
                doc["totals"]["fee"]) == ("48000.00", "21333.33", "0.4444", "2716.00")
        assert doc["not_counted"]["count"] == 0

        # 6. issue, then the client system reads its issued statement and the exports
        r = await billing.client.post(f"/v1/statements/{client_id}/{month}/issue", headers=fin)
        assert r.status_code == 201 and r.json()["revision"] == 1, r.text
        assert (await billing.client.post(f"/v1/statements/{client_id}/{month}/issue", headers=fin)).status_code == 409
        mine = billing.auth("client", client_id=client_id)
        r = await billing.client.get(f"/v1/statements/{client_id}/{month}", headers=mine)
        assert r.status_code == 200 and r.json()["status"] == "issued" and r.json()["totals"]["fee"] == "2716.00"
        pdf = await billing.client.get(f"/v1/statements/{client_id}/{month}/export.pdf", headers=mine)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        csv_text = (await billing.client.get(f"/v1/statements/{client_id}/{month}/export.csv", headers=mine)).text
        assert "2716.00" in csv_text

        # 7. collector performance: repayments attributed to the owner at paid_at
        async def perf():
            r = await billing.client.get(f"/v1/performance/{month}?client_id={client_id}", headers=fin)
            body = r.json()
            return body if r.status_code == 200 and any(c["ptps_made"] for c in body["collectors"]) else None
        body = await eventually(perf, "billing to receive the contact")
        got = {c["collector_id"]: c for c in body["collectors"]}
        assert (got[a]["recovered"], got[a]["team_id"], got[a]["ptps_made"], got[a]["ptps_kept"],
                got[a]["ptp_kept_rate"]) == ("12333.33", team, 1, 1, "1.0000")
        assert got[b]["recovered"] == "9000.00"
        assert (body["unattributed"], body["total_recovered"]) == ("0.00", "21333.33")
