"""Allocation: 100,000 cases over 500 collectors — preview + commit through the HTTP API, and
until every case.allocated is acknowledged by the broker — against the floor of writing the same
100,000 assignment rows by COPY into an empty table, in the same run.

Prints the timings, the ratios to the floor, and the by-amount strategy's balance: the maximum
deviation of a collector's new amount from the mean, as % of the mean (target < 0.5%).
"""

from __future__ import annotations

import asyncio
import os
import time
from decimal import Decimal

N_CASES = int(os.environ.get("BENCH_ALLOCATION_CASES", "100000"))
N_COLLECTORS = int(os.environ.get("BENCH_ALLOCATION_COLLECTORS", "500"))
TARGET_PCT = Decimal("0.5")


async def main(stack) -> None:
    from recoup_allocation.testing import read_topic, seed_cases, seed_team_and_collectors
    from recoup_local.inprocess import running_service

    async with running_service(stack, "allocation", auto_allocate_enabled=False, rotation_enabled=False,
                               relay_batch_size=10000, db_pool_max=10) as svc:
        admin = svc.auth("admin", sub="bench")
        async with svc.pool.acquire() as conn:
            t = time.perf_counter()
            per_team = N_COLLECTORS // 10
            for k in range(10):
                await seed_team_and_collectors(conn, n=per_team, team_id=f"bench-t{k}", prefix=f"b{k}")
            ids = await seed_cases(conn, n=N_CASES, client_id="bench-bank", joint_every=10, prefix="bench")
            await conn.execute("ANALYZE")
            print(f"seeded {N_COLLECTORS} collectors and {N_CASES:,} unassigned cases by COPY "
                  f"in {time.perf_counter() - t:.2f}s")

        t0 = time.perf_counter()
        r = await svc.client.post("/v1/allocations/preview", headers=admin,
                                  json={"client_id": "bench-bank", "strategy": "by_amount"})
        r.raise_for_status()
        plan = r.json()
        t1 = time.perf_counter()
        r = await svc.client.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=admin)
        r.raise_for_status()
        committed = r.json()["committed"]
        t2 = time.perf_counter()

        async def backlog() -> int:
            async with svc.pool.acquire() as conn:
                return await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        while await backlog():
            await asyncio.sleep(0.05)
        t3 = time.perf_counter()

        # The floor: the same assignment rows, COPY into an empty table, same database, same run.
        async with svc.pool.acquire() as conn:
            rows = [(r["case_id"], r["collector_id"]) for r in await conn.fetch(
                "SELECT case_id, collector_id FROM cases WHERE status = 'assigned'")]
            await conn.execute("CREATE TEMP TABLE floor_assignments (case_id text, collector_id text)")
            f0 = time.perf_counter()
            await conn.copy_records_to_table("floor_assignments", records=rows,
                                             columns=["case_id", "collector_id"])
            floor = time.perf_counter() - f0
            await conn.execute("DROP TABLE floor_assignments")

        events = await read_topic(stack.bootstrap, "case.allocated", case_ids=set(ids), expect=N_CASES,
                                  timeout=300, settle=1.0)

    preview_s, commit_s, publish_s = t1 - t0, t2 - t1, t3 - t2
    bal = plan["balance"]
    print(f"plan:    {plan['cases_planned']:,} planned, {plan['cases_unassigned']} unassigned, "
          f"{plan['balance']['collectors']} collectors; committed {committed:,}; "
          f"case.allocated on the broker: {len(events):,} (distinct cases {len({e['case_id'] for e in events}):,})")
    print(f"preview (load + plan + COPY plan items) {preview_s:8.2f}s")
    print(f"commit  (owners + history + outbox)     {commit_s:8.2f}s")
    print(f"events  (relay until broker acks)       {publish_s:8.2f}s")
    print(f"preview + commit                        {preview_s + commit_s:8.2f}s")
    print(f"preview + commit + events               {t3 - t0:8.2f}s")
    print(f"floor: COPY {len(rows):,} assignment rows        {floor:8.3f}s")
    print(f"ratio (preview + commit) / floor        {(preview_s + commit_s) / floor:8.1f}x")
    print(f"ratio (preview + commit + events)/floor {(t3 - t0) / floor:8.1f}x")
    pct = Decimal(bal["max_dev_amount_pct"])
    print(f"by_amount balance: mean {bal['mean_amount']} CNY per collector, max deviation "
          f"{bal['max_dev_amount']} CNY = {pct}% of the mean (target < {TARGET_PCT}%: "
          f"{'met' if pct < TARGET_PCT else 'NOT met'}); cases per collector mean {bal['mean_cases']}, "
          f"max deviation {bal['max_dev_cases']}")
    assert committed == N_CASES and len({e["case_id"] for e in events}) == N_CASES
