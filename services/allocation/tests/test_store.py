"""The allocation store and read side against a real PostgreSQL (a fresh database per test): the
case pool from case.received, ownership intervals and the owner on a date, SLA figures."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import asyncpg
import orjson
import pytest

from recoup_allocation import handlers, views
from recoup_allocation.rules import sla_deadline
from recoup_allocation.schemas import ManualIn
from recoup_allocation.store import pool as cases_store
from recoup_allocation.usecases.manual import manual
from recoup_local.allocation_seeds import seed_cases, seed_team_and_collectors
from recoup_local.factories import as_envelopes, received
from recoup_shared.auth import Principal
from recoup_shared.calendar import DEFAULT_CALENDAR


ADMIN = Principal(sub="admin-1", roles=frozenset({"admin"}))


async def outbox(conn) -> list[dict]:
    return [orjson.loads(r["value"]) for r in await conn.fetch("SELECT value FROM outbox ORDER BY id")]


async def receive(db, ctx, envs):
    async with db.acquire() as conn, conn.transaction():
        await handlers.on_case_received(conn, ctx, as_envelopes(envs))


async def test_received_never_duplicates_and_replacement_reopens(db, ctx):
    await receive(db, ctx, [received("c-1"), received("c-2"), received("c-1", amount="99.00")])
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM cases") == 2
        # the last event of a case in a batch wins
        assert await conn.fetchval("SELECT placed_amount FROM cases WHERE case_id='c-1'") == Decimal("99.00")
        first = await conn.fetchval("SELECT received_at FROM cases WHERE case_id='c-1'")
        await cases_store.release(conn, ["c-1"], [datetime.now(timezone.utc)], "closed")
    later = datetime.now(timezone.utc) + timedelta(seconds=5)
    await receive(db, ctx, [received("c-1", occurred_at=later)])  # re-placed after closing
    async with db.acquire() as conn:
        row = await conn.fetchrow("SELECT status, received_at, first_allocated_at FROM cases WHERE case_id='c-1'")
        assert row["status"] == "unassigned" and row["received_at"] > first
        # an older repeat of a closed case does not reopen it
        await cases_store.release(conn, ["c-2"], [datetime.now(timezone.utc)], "recalled")
    await receive(db, ctx, [received("c-2", occurred_at=datetime.now(timezone.utc) - timedelta(days=1))])
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT status FROM cases WHERE case_id='c-2'") == "recalled"


async def test_ownership_intervals_and_owner_at(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2)
        [case_id] = await seed_cases(conn, n=1)
    async with db.acquire() as conn, conn.transaction():
        await manual(conn, ctx, ADMIN, ManualIn(case_ids=[case_id], collector_id="col-0000"))
    t1 = datetime.now(timezone.utc)
    async with db.acquire() as conn, conn.transaction():
        out = await manual(conn, ctx, ADMIN, ManualIn(case_ids=[case_id], collector_id="col-0001"))
    assert out["committed"] == 1
    async with db.acquire() as conn:
        hist = await views.cases.history(conn, case_id)
        assert [h["collector_id"] for h in hist] == ["col-0000", "col-0001"]
        assert hist[0]["valid_to"] == hist[1]["valid_from"] and hist[1]["valid_to"] is None
        assert hist[0]["end_reason"] == "manual"
        assert (await views.cases.owner_at(conn, case_id, t1))["collector_id"] == "col-0000"
        assert (await views.cases.owner_at(conn, case_id, datetime.now(timezone.utc)))["collector_id"] == "col-0001"
        assert await views.cases.owner_at(conn, case_id, t1 - timedelta(days=1)) is None
        events = await outbox(conn)
        assert events[-1]["payload"]["previous_collector_id"] == "col-0000"
        assert events[-1]["payload"]["reason"] == "manual"
        # the database itself refuses two current owners
        with pytest.raises(asyncpg.UniqueViolationError):
            await conn.execute(
                "INSERT INTO ownership (case_id, collector_id, strategy, reason, valid_from) "
                "VALUES ($1, 'x', 'manual', 'manual', now())", case_id)


async def test_sla_figures(db, ctx):
    day = date(2026, 11, 20)  # a Friday: the SLA ends with Monday the 23rd
    received_at = datetime(2026, 11, 20, 10, tzinfo=ctx.clock.zone)
    assert sla_deadline(day, DEFAULT_CALENDAR, 1, ctx.clock.zone) == datetime(2026, 11, 24, tzinfo=ctx.clock.zone)
    async with db.acquire() as conn:
        await seed_cases(conn, n=3, prefix="s")
        await conn.execute("UPDATE cases SET received_at = $1", received_at)
        await conn.execute("UPDATE cases SET status='assigned', collector_id='x', first_allocated_at = $1::timestamptz + interval '1 hour' WHERE case_id = 's-000000'", received_at)
        await conn.execute("UPDATE cases SET status='assigned', collector_id='x', first_allocated_at = $1::timestamptz + interval '5 days' WHERE case_id = 's-000001'", received_at)
        rows = await views.reports.sla_figures(conn, tz="Asia/Shanghai", client_id=None, days=[day],
                                       deadlines=[sla_deadline(day, DEFAULT_CALENDAR, 1, ctx.clock.zone)], now=datetime(2026, 11, 30, tzinfo=timezone.utc))
    [r] = rows
    assert (r["received"], r["allocated"], r["pending"], r["breaches"]) == (3, 2, 1, 2)
    assert float(r["max_s"]) == 5 * 86400 and float(r["p50"]) == (3600 + 5 * 86400) / 2


async def test_plan_team_backfill_of_migration_0003(db):
    """Plans written before 0003 get the one team all their collectors belong to, else none."""
    from importlib import resources

    sql = (resources.files("recoup_allocation") / "migrations" / "0003_plan_team.sql").read_text()
    backfill = sql[sql.index("UPDATE plans"):sql.index(";", sql.index("UPDATE plans")) + 1]
    shown = {"one": [{"team_id": "t1"}, {"team_id": "t1"}], "two": [{"team_id": "t1"}, {"team_id": "t2"}],
             "teamless": [{"team_id": "t1"}, {"team_id": None}], "empty": []}
    async with db.acquire() as conn:
        for name, collectors in shown.items():
            await conn.execute(
                """INSERT INTO plans (plan_id, kind, strategy, created_by, expires_at, status, summary)
                   VALUES ($1, 'allocation', 'by_count', $2, now(), 'committed', $3)""",
                uuid.uuid5(uuid.NAMESPACE_URL, name), name, {"collectors": collectors})
        await conn.execute(backfill)
        teams = dict(await conn.fetch("SELECT created_by, team_id FROM plans"))
    assert teams == {"one": "t1", "two": None, "teamless": None, "empty": None}
