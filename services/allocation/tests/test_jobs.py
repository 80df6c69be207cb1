"""The background jobs against a real PostgreSQL (a fresh database per test): the scheduled
monthly rotation (once per month and client), automatic allocation runs (back-off, client switch
and strategy, the lock shared with other replicas)."""

from __future__ import annotations

import uuid
from datetime import date

import orjson

from recoup_allocation import jobs
from recoup_allocation.schemas import PreviewIn
from recoup_allocation.store import plans, staff
from recoup_allocation.usecases.commit import commit
from recoup_allocation.usecases.previews import preview_allocation
from recoup_local.allocation_seeds import seed_cases, seed_team_and_collectors
from recoup_shared.auth import Principal
from recoup_shared.clock import previous_month

ADMIN = Principal(sub="admin-1", roles=frozenset({"admin"}))


async def _assign_all(db, ctx, strategy="by_count"):
    async with db.acquire() as conn, conn.transaction():
        plan = await preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy=strategy))
        await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))


async def test_scheduled_rotation_runs_once_per_month(db, ctx, make_ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=3)
        await seed_cases(conn, n=6)
    await _assign_all(db, ctx)
    auto_commit = make_ctx(rotation_auto_commit=True)
    # 2026-10-01..07 is the National Day holiday: the first working day of October is the 8th
    assert await jobs.rotation_check(auto_commit, date(2026, 10, 7)) == []
    done = await jobs.rotation_check(auto_commit, date(2026, 10, 8))
    assert [(d["client_id"], d["month"], d["status"]) for d in done] == [("zhbank", date(2026, 9, 1), "committed")]
    assert await jobs.rotation_check(auto_commit, date(2026, 10, 20)) == []  # once
    assert previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    async with db.acquire() as conn:
        reasons = [orjson.loads(r["value"])["payload"]["reason"] for r in await conn.fetch("SELECT value FROM outbox")]
        assert reasons.count("rotation") == 6


async def test_auto_allocation_run_backs_off_when_nobody_can_take_cases(db, ctx):
    async with db.acquire() as conn:
        ids = await seed_cases(conn, n=50)
    r = await jobs.allocate_once(ctx)
    assert (r.considered, r.allocated, r.unplaced) == (50, 0, 50)
    assert (await jobs.allocate_once(ctx)).considered == 0  # backing off
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=5)
        await staff.wake_auto_allocation(conn)  # what the collectors route does
    r = await jobs.allocate_once(ctx)
    assert (r.considered, r.allocated) == (50, 50)
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 50
        assert await conn.fetchval("SELECT count(DISTINCT kind) FROM plans WHERE kind = 'auto'") == 1
        assert set(ids) == {r["case_id"] for r in await conn.fetch("SELECT case_id FROM cases WHERE status='assigned'")}


async def test_auto_allocation_respects_client_switch_and_strategy(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2)
        await seed_cases(conn, n=5, client_id="manual-bank")
        await seed_cases(conn, n=5, client_id="auto-bank")
        await conn.execute("INSERT INTO client_rules (client_id, default_strategy, auto_allocate) VALUES "
                           "('manual-bank', 'by_count', false), ('auto-bank', 'by_amount', true)")
    r = await jobs.allocate_once(ctx)
    assert r.allocated == 5
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE status='unassigned' AND client_id='manual-bank'") == 5
        assert await conn.fetchval("SELECT DISTINCT strategy FROM ownership") == "by_amount"


async def test_auto_allocation_holds_the_lock_against_other_replicas(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2)
        await seed_cases(conn, n=5)
        async with conn.transaction():
            await plans.lock_allocation(conn)  # another replica is committing
            assert (await jobs.allocate_once(ctx)).busy
    assert (await jobs.allocate_once(ctx)).allocated == 5
