"""Allocation: 100,000 cases over 500 collectors — preview + commit through the HTTP API, and
until every case.allocated is acknowledged by the broker.

The floor is the same writes done by hand, set-based, in the same run, on a second database
seeded exactly alike (so neither side works on the other's dead rows): COPY the 100,000 moves into
a temporary table and one UPDATE cases ... FROM it, the ownership history by INSERT ... SELECT,
the 100,000 outbox rows by COPY (the envelopes built beforehand, untimed), COMMIT — then the same
100,000 envelopes produced raw with aiokafka (same producer settings, acks=all) to a topic of
their own. Nothing the floor does is optional for us; everything we add is ours to justify
(the optimistic version check, the SLA fields, closing previous intervals, the capacity re-check,
plan bookkeeping, serialising the events, the relay's claim/delete and publication record).

Prints the timings with where the time goes inside preview and commit (the store functions are
timed in-process), the floor per step, `RATIO allocation/floor = X` where allocation = commit +
events (target <= 2; the preview has no by-hand equivalent and is printed on its own), and the
by-amount strategy's balance: the maximum deviation of a collector's new amount from the mean,
as % of the mean (target < 0.5%).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import time
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

N_CASES = int(os.environ.get("BENCH_ALLOCATION_CASES", "100000"))
FLOOR_TOPIC = "bench.allocation-floor"
N_COLLECTORS = int(os.environ.get("BENCH_ALLOCATION_COLLECTORS", "500"))
TARGET_PCT = Decimal("0.5")


@contextlib.contextmanager
def stage_timer(targets: list[tuple[Any, str, str]]) -> Iterator[dict[str, float]]:
    """Wrap (module, attribute, label) functions to add up their wall time per label."""
    spent: dict[str, float] = defaultdict(float)
    saved = []
    for module, attr, label in targets:
        fn = getattr(module, attr)
        saved.append((module, attr, fn))

        def wrap(fn: Any = fn, label: str = label) -> Any:
            @functools.wraps(fn)
            async def timed(*args: Any, **kwargs: Any) -> Any:
                t = time.perf_counter()
                try:
                    return await fn(*args, **kwargs)
                finally:
                    spent[label] += time.perf_counter() - t
            return timed
        setattr(module, attr, wrap())
    try:
        yield spent
    finally:
        for module, attr, fn in saved:
            setattr(module, attr, fn)


async def seed(conn: Any) -> list[str]:
    """The benchmark's world: 10 teams of collectors and N_CASES unassigned cases (deterministic)."""
    from recoup_local.allocation_seeds import seed_cases, seed_team_and_collectors

    per_team = N_COLLECTORS // 10
    for k in range(10):
        await seed_team_and_collectors(conn, n=per_team, team_id=f"bench-t{k}", prefix=f"b{k}")
    ids = await seed_cases(conn, n=N_CASES, client_id="bench-bank", joint_every=10, prefix="bench")
    await conn.execute("ANALYZE")
    return ids


async def floor(stack: Any, moves: list[tuple[str, str, str]], plan_id: str) -> dict[str, float]:
    """The same writes by hand (module docstring), each step timed; a fresh database seeded alike."""
    import asyncpg

    from recoup_allocation import events
    from recoup_shared.bus import make_producer
    from recoup_shared.bus.topics import ensure_topics

    dsn = await stack.new_database(package="recoup_allocation")
    conn = await asyncpg.connect(dsn)
    try:
        await seed(conn)
        now = datetime.now(timezone.utc)
        due = (now + timedelta(days=3)).date()
        records = events.case_allocated(plan_id=plan_id, strategy="by_amount", at=now, due=due).records(
            [("bench-bank", case_id, collector_id, "allocation", team_id, None)
             for case_id, collector_id, team_id in moves])
        steps: dict[str, float] = {}

        async def step(label: str, work: Any) -> None:
            t = time.perf_counter()
            await work
            steps[label] = time.perf_counter() - t

        tx = conn.transaction()
        await tx.start()
        await conn.execute("CREATE TEMP TABLE floor_moves (case_id text, collector_id text, team_id text) "
                           "ON COMMIT DROP")
        await step("COPY moves into a temporary table", conn.copy_records_to_table(
            "floor_moves", records=moves, columns=["case_id", "collector_id", "team_id"]))
        await step("UPDATE cases ... FROM it", conn.execute(
            """UPDATE cases c SET status = 'assigned', collector_id = m.collector_id, team_id = m.team_id,
                   allocated_at = $1, first_allocated_at = $1, first_contact_due = $2,
                   version = c.version + 1, updated_at = $1
               FROM floor_moves m WHERE c.case_id = m.case_id""", now, due))
        await step("INSERT ownership ... SELECT", conn.execute(
            """INSERT INTO ownership (case_id, collector_id, team_id, strategy, reason, plan_id, valid_from)
               SELECT case_id, collector_id, team_id, 'by_amount', 'allocation', $1::uuid, $2
               FROM floor_moves""", plan_id, now))
        await step("COPY outbox rows", conn.copy_records_to_table(
            "outbox", records=records, columns=["event_id", "topic", "key", "value"]))
        await step("COMMIT", tx.commit())
    finally:
        await conn.close()

    await ensure_topics(stack.bootstrap, partitions=12, topics=[FLOOR_TOPIC])
    producer = make_producer(stack.bootstrap)
    await producer.start()
    try:
        async def produce() -> None:
            futures = [await producer.send(FLOOR_TOPIC, value=value, key=key.encode())
                       for _, _, key, value in records]
            await asyncio.gather(*futures)
        await step("produce raw with aiokafka (acks=all)", produce())
    finally:
        await producer.stop()
    return steps


async def main(stack) -> None:
    from recoup_allocation.usecases import commit as commit_mod, previews
    from recoup_allocation.store import plans, pool, staff
    from recoup_local.factories import read_topic
    from recoup_local.inprocess import running_service

    async with running_service(stack, "allocation", auto_allocate_enabled=False, rotation_enabled=False,
                               relay_batch_size=10000, db_pool_max=10) as svc:
        admin = svc.auth("admin", sub="bench")
        async with svc.pool.acquire() as conn:
            t = time.perf_counter()
            ids = await seed(conn)
            print(f"seeded {N_COLLECTORS} collectors and {N_CASES:,} unassigned cases by COPY "
                  f"in {time.perf_counter() - t:.2f}s")

        with stage_timer([(pool, "select_for_plan", "load cases"),
                          (staff, "collector_loads", "load collectors"),
                          (previews, "compute", "plan (rules, worker thread)"),
                          (plans, "insert_plan", "save plan + COPY items")]) as preview_stages:
            t0 = time.perf_counter()
            r = await svc.client.post("/v1/allocations/preview", headers=admin,
                                      json={"client_id": "bench-bank", "strategy": "by_amount"})
            r.raise_for_status()
            plan = r.json()
            t1 = time.perf_counter()
        with stage_timer([(plans, "capacity_after_move", "capacity re-check (books after the move)"),
                          (plans, "apply_plan", "UPDATE cases + end intervals"),
                          (plans, "open_intervals", "INSERT ownership (events built meanwhile)"),
                          (commit_mod, "write_outbox_records", "COPY outbox")]) as commit_stages:
            r = await svc.client.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=admin)
            r.raise_for_status()
            committed = r.json()["committed"]
            t2 = time.perf_counter()

        async def backlog() -> int:
            async with svc.pool.acquire() as conn:
                return await conn.fetchval("SELECT count(*) FROM outbox WHERE published_at IS NULL")
        while await backlog():
            await asyncio.sleep(0.02)
        t3 = time.perf_counter()

        async with svc.pool.acquire() as conn:
            moves = [(r["case_id"], r["collector_id"], r["team_id"]) for r in await conn.fetch(
                "SELECT case_id, collector_id, team_id FROM cases WHERE status = 'assigned' ORDER BY case_id")]

        events = await read_topic(stack.bootstrap, "case.allocated", case_ids=set(ids), expect=N_CASES,
                                  timeout=300, settle=1.0)
    steps = await floor(stack, moves, plan["plan_id"])

    preview_s, commit_s, publish_s, total_s = t1 - t0, t2 - t1, t3 - t2, t3 - t0
    bal = plan["balance"]
    print(f"plan:    {plan['cases_planned']:,} planned, {plan['cases_unassigned']} unassigned, "
          f"{bal['collectors']} collectors; committed {committed:,}; "
          f"case.allocated on the broker: {len(events):,} (distinct cases {len({e['case_id'] for e in events}):,})")

    def breakdown(total: float, stages: dict[str, float], rest: str) -> None:
        for label, s in stages.items():
            print(f"    {label:<44s}{s:8.2f}s")
        print(f"    {rest:<44s}{total - sum(stages.values()):8.2f}s")

    print(f"preview (load + plan + COPY plan items)     {preview_s:8.2f}s")
    breakdown(preview_s, preview_stages, "(rows → rules' cases, items, summary, HTTP)")
    print(f"commit  (owners + history + outbox)         {commit_s:8.2f}s")
    breakdown(commit_s, commit_stages, "(lock, plan row, HTTP, the rest)")
    print(f"events  (relay until the broker acked all)  {publish_s:8.2f}s")
    print(f"preview + commit                            {preview_s + commit_s:8.2f}s")
    print(f"preview + commit + events                   {total_s:8.2f}s")
    floor_db = sum(v for k, v in steps.items() if not k.startswith("produce"))
    floor_total = sum(steps.values())
    produce_s = floor_total - floor_db
    print(f"floor: the same writes by hand ({len(moves):,} moves, a fresh database seeded alike)")
    for label, v in steps.items():
        print(f"    {label:<44s}{v:8.2f}s")
    print(f"floor total                                 {floor_total:8.2f}s")
    print(f"ratio commit / floor's database writes      {commit_s / floor_db:8.2f}x")
    print(f"ratio events / floor's raw produce          {publish_s / produce_s:8.2f}x")
    pct = Decimal(bal["max_dev_amount_pct"])
    print(f"by_amount balance: mean {bal['mean_amount']} CNY per collector, max deviation "
          f"{bal['max_dev_amount']} CNY = {pct}% of the mean (target < {TARGET_PCT}%: "
          f"{'met' if pct < TARGET_PCT else 'NOT met'}); cases per collector mean {bal['mean_cases']}, "
          f"max deviation {bal['max_dev_cases']}")
    print(f"RATIO allocation/floor = {(commit_s + publish_s) / floor_total:.2f}  "
          f"(commit + events {commit_s + publish_s:.2f}s / floor {floor_total:.2f}s; target <= 2)")
    assert committed == N_CASES and len({e["case_id"] for e in events}) == N_CASES
