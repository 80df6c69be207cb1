"""The allocation store and use cases against a real PostgreSQL (a fresh database per test):
the commit write path, optimistic conflicts, capacity re-check, ownership intervals, rotation,
automatic runs, SLA figures."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import asyncpg
import orjson
import pytest
import pytest_asyncio

from recoup_allocation import handlers, planning
from recoup_allocation.app import AllocationSettings
from recoup_allocation.schemas import ManualIn, PreviewIn
from recoup_allocation.scheduler import Scheduler, previous_month
from recoup_allocation.store import facts, plans, pool as cases_store, staff
from recoup_local.factories import (
    as_envelopes, contact, payment, received, seed_cases, seed_team_and_collectors,
)
from recoup_shared.auth import Principal
from recoup_shared.bus.events import CaseAllocated
from recoup_shared.calendar import DEFAULT_CALENDAR
from recoup_shared.db import create_pool
from recoup_shared.errors import Conflict, Forbidden

ADMIN = Principal(sub="admin-1", roles=frozenset({"admin"}))


@pytest_asyncio.fixture(loop_scope="session")
async def db(stack):
    dsn = await stack.new_database(package="recoup_allocation")
    p = await create_pool(dsn, min_size=1, max_size=4)
    yield p
    await p.close()


@pytest.fixture
def ctx(stack):
    return planning.Ctx(AllocationSettings(profile="test", auto_allocate_enabled=False), DEFAULT_CALENDAR)


async def receive(db, envs):
    async with db.acquire() as conn, conn.transaction():
        await handlers.on_case_received(conn, as_envelopes(envs))


async def outbox(conn) -> list[dict]:
    return [orjson.loads(r["value"]) for r in await conn.fetch("SELECT value FROM outbox ORDER BY id")]


async def test_received_never_duplicates_and_replacement_reopens(db):
    await receive(db, [received("c-1"), received("c-2"), received("c-1", amount="99.00")])
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM cases") == 2
        # the last event of a case in a batch wins
        assert await conn.fetchval("SELECT placed_amount FROM cases WHERE case_id='c-1'") == Decimal("99.00")
        first = await conn.fetchval("SELECT received_at FROM cases WHERE case_id='c-1'")
        await cases_store.release(conn, ["c-1"], [datetime.now(timezone.utc)], "closed")
    later = datetime.now(timezone.utc) + timedelta(seconds=5)
    await receive(db, [received("c-1", occurred_at=later)])  # re-placed after closing
    async with db.acquire() as conn:
        row = await conn.fetchrow("SELECT status, received_at, first_allocated_at FROM cases WHERE case_id='c-1'")
        assert row["status"] == "unassigned" and row["received_at"] > first
        # an older repeat of a closed case does not reopen it
        await cases_store.release(conn, ["c-2"], [datetime.now(timezone.utc)], "recalled")
    await receive(db, [received("c-2", occurred_at=datetime.now(timezone.utc) - timedelta(days=1))])
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT status FROM cases WHERE case_id='c-2'") == "recalled"


async def test_preview_commit_writes_owners_history_and_one_event_per_case(db, ctx):
    async with db.acquire() as conn:
        cols = await seed_team_and_collectors(conn, n=5)
        ids = await seed_cases(conn, n=200, joint_every=3)
    async with db.acquire() as conn, conn.transaction():
        plan = await planning.preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_amount"))
    assert plan["status"] == "previewed" and plan["cases_planned"] == 200
    assert plan["balance"]["collectors"] == 5
    assert sum(c["new_cases"] for c in plan["collectors"]) == 200
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE status='assigned'") == 0  # preview only
    async with db.acquire() as conn, conn.transaction():
        out = await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
    assert out["committed"] == 200 and out["status"] == "committed"
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE status='assigned'") == 200
        assert await conn.fetchval("SELECT count(*) FROM ownership WHERE valid_to IS NULL") == 200
        # one debtor, one collector
        split = await conn.fetchval(
            "SELECT count(*) FROM (SELECT joint_key FROM cases WHERE joint_key IS NOT NULL "
            "GROUP BY joint_key HAVING count(DISTINCT collector_id) > 1) x")
        assert split == 0
        events = await outbox(conn)
        assert sorted(e["case_id"] for e in events) == sorted(ids)
        for e in events:
            p = CaseAllocated.model_validate(e["payload"])
            assert p.collector_id in cols and p.strategy == "by_amount" and p.reason == "allocation"
            assert p.plan_id == plan["plan_id"] and p.team_id == "t1"
            assert p.first_contact_due == DEFAULT_CALENDAR.add_working_days(
                p.allocated_at.astimezone(ctx.tz).date(), 3)
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE first_contact_due IS NULL") == 0
    # a second commit of the same plan is refused
    async with db.acquire() as conn, conn.transaction():
        with pytest.raises(Conflict) as err:
            await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
    assert err.value.type == "plan-not-previewed"


async def test_commit_is_atomic_when_a_case_changed(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=3)
        ids = await seed_cases(conn, n=30)
    async with db.acquire() as conn, conn.transaction():
        plan = await planning.preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_count"))
    async with db.acquire() as conn:  # the client recalls one case in between
        await cases_store.release(conn, [ids[7]], [datetime.now(timezone.utc)], "recalled")
    async with db.acquire() as conn:
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
        assert err.value.type == "plan-stale"
        assert err.value.extra["changed_cases"][0]["case_id"] == ids[7]
        assert err.value.extra["changed_cases"][0]["status"] == "recalled"
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE status='assigned'") == 0
        assert await conn.fetchval("SELECT count(*) FROM ownership") == 0
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 0
        assert await conn.fetchval("SELECT status FROM plans") == "previewed"


async def test_commit_rechecks_capacity_and_expiry(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2, max_open_cases=10)
        await seed_cases(conn, n=20)
    async with db.acquire() as conn, conn.transaction():
        plan = await planning.preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_count"))
    assert plan["cases_planned"] == 20
    async with db.acquire() as conn:
        await conn.execute("UPDATE collectors SET max_open_cases = 5 WHERE collector_id = 'col-0000'")
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
        assert err.value.type == "capacity-changed"
        assert [c["collector_id"] for c in err.value.extra["collectors"]] == ["col-0000"]
        await conn.execute("UPDATE collectors SET max_open_cases = 10")
        await conn.execute("UPDATE plans SET expires_at = now() - interval '1 minute'")
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
        assert err.value.type == "plan-expired"
        assert await plans.expire_plans(conn, 30) == (1, 0)


async def test_capacity_recheck_sees_the_book_after_a_reassignment(db, ctx):
    """At commit a receiving collector's book is: open now − what the plan takes away + what it
    gives (cases move between collectors in a reassignment); only receivers are checked."""
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=3)
        ids = await seed_cases(conn, n=30)
    async with db.acquire() as conn, conn.transaction():
        await planning.manual(conn, ctx, ADMIN, ManualIn(case_ids=ids, collector_id="col-0000"))
    async with db.acquire() as conn, conn.transaction():
        plan = await planning.preview_allocation(conn, ctx, ADMIN,
                                                 PreviewIn(strategy="by_count", status="assigned"))
    after = {c["collector_id"]: c for c in plan["collectors"]}
    assert after["col-0001"]["new_cases"] > 0 and after["col-0000"]["open_cases_after"] < 30
    async with db.acquire() as conn:
        await conn.execute("UPDATE collectors SET max_open_cases = $1 WHERE collector_id = 'col-0001'",
                           after["col-0001"]["open_cases_after"] - 1)
        await conn.execute("UPDATE collectors SET max_open_cases = 1 WHERE collector_id = 'col-0000'")
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
        assert err.value.type == "capacity-changed"
        [bad] = err.value.extra["collectors"]  # col-0000 only gives cases away: not checked
        assert bad["collector_id"] == "col-0001" and bad["active"] and bad["known"]
        assert bad["cases_after"] == after["col-0001"]["open_cases_after"]
        assert Decimal(bad["amount_after"]) == Decimal(str(after["col-0001"]["open_amount_after"]))
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE collector_id = 'col-0000'") == 30
        assert await conn.fetchval("SELECT count(*) FROM outbox WHERE value::text LIKE '%reassignment%'") == 0
        await conn.execute("UPDATE collectors SET max_open_cases = $1 WHERE collector_id = 'col-0001'",
                           after["col-0001"]["open_cases_after"])
    async with db.acquire() as conn, conn.transaction():
        out = await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
    assert out["committed"] == plan["cases_planned"]
    async with db.acquire() as conn:
        books = dict(await conn.fetch("SELECT collector_id, count(*) FROM cases GROUP BY 1"))
        assert books == {cid: c["open_cases_after"] for cid, c in after.items()}


async def test_a_capacity_change_is_reported_before_a_stale_plan(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2, max_open_cases=10)
        ids = await seed_cases(conn, n=20)
    async with db.acquire() as conn, conn.transaction():
        plan = await planning.preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_count"))
    async with db.acquire() as conn:
        await cases_store.release(conn, [ids[3]], [datetime.now(timezone.utc)], "recalled")
        await conn.execute("UPDATE collectors SET max_open_cases = 5 WHERE collector_id = 'col-0001'")
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
        assert err.value.type == "capacity-changed"
        assert [(c["collector_id"], c["cases_after"]) for c in err.value.extra["collectors"]] == [("col-0001", 10)]
        await conn.execute("UPDATE collectors SET max_open_cases = 10")
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
        assert err.value.type == "plan-stale"
        assert [c["case_id"] for c in err.value.extra["changed_cases"]] == [ids[3]]
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE status = 'assigned'") == 0
        assert await conn.fetchval("SELECT count(*) FROM ownership") == 0
        assert await conn.fetchval("SELECT count(*) FROM outbox") == 0
        assert await conn.fetchval("SELECT status FROM plans") == "previewed"


async def test_overlapping_previews_are_superseded(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2)
        await seed_cases(conn, n=10)
    async with db.acquire() as conn, conn.transaction():
        a = await planning.preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_count"))
        b = await planning.preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_amount"))
        await planning.commit(conn, ctx, ADMIN, uuid.UUID(b["plan_id"]))
        assert (await plans.get_plan(conn, uuid.UUID(a["plan_id"])))["status"] == "superseded"


async def test_ownership_intervals_and_owner_at(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2)
        [case_id] = await seed_cases(conn, n=1)
    async with db.acquire() as conn, conn.transaction():
        await planning.manual(conn, ctx, ADMIN, ManualIn(case_ids=[case_id], collector_id="col-0000"))
    t1 = datetime.now(timezone.utc)
    async with db.acquire() as conn, conn.transaction():
        out = await planning.manual(conn, ctx, ADMIN, ManualIn(case_ids=[case_id], collector_id="col-0001"))
    assert out["committed"] == 1
    async with db.acquire() as conn:
        hist = await cases_store.history(conn, case_id)
        assert [h["collector_id"] for h in hist] == ["col-0000", "col-0001"]
        assert hist[0]["valid_to"] == hist[1]["valid_from"] and hist[1]["valid_to"] is None
        assert hist[0]["end_reason"] == "manual"
        assert (await cases_store.owner_at(conn, case_id, t1))["collector_id"] == "col-0000"
        assert (await cases_store.owner_at(conn, case_id, datetime.now(timezone.utc)))["collector_id"] == "col-0001"
        assert await cases_store.owner_at(conn, case_id, t1 - timedelta(days=1)) is None
        events = await outbox(conn)
        assert events[-1]["payload"]["previous_collector_id"] == "col-0000"
        assert events[-1]["payload"]["reason"] == "manual"
        # the database itself refuses two current owners
        with pytest.raises(asyncpg.UniqueViolationError):
            await conn.execute(
                "INSERT INTO ownership (case_id, collector_id, strategy, reason, valid_from) "
                "VALUES ($1, 'x', 'manual', 'manual', now())", case_id)


async def test_manual_checks_eligibility_capacity_and_force(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2, max_open_cases=1)
        ids = await seed_cases(conn, n=3)
        await conn.execute("UPDATE client_rules SET auto_allocate = false")  # (no rows: no-op)
        await conn.execute(
            "INSERT INTO client_rules (client_id, default_strategy, excluded_collector_ids) "
            "VALUES ('zhbank', 'by_count', '{col-0001}')")
    async with db.acquire() as conn, conn.transaction():
        with pytest.raises(Conflict) as err:  # over capacity: all or nothing
            await planning.manual(conn, ctx, ADMIN, ManualIn(case_ids=ids[:2], collector_id="col-0000"))
    assert err.value.type == "manual-allocation-refused"
    assert err.value.extra["unassigned"] == {"capacity_exhausted": 1}
    async with db.acquire() as conn, conn.transaction():  # excluded by the client: force cannot help
        with pytest.raises(Conflict) as err:
            await planning.manual(conn, ctx, ADMIN, ManualIn(case_ids=ids[:1], collector_id="col-0001", force=True))
    assert err.value.extra["unassigned"] == {"not_eligible": 1}
    async with db.acquire() as conn, conn.transaction():
        out = await planning.manual(conn, ctx, ADMIN, ManualIn(case_ids=ids[:2], collector_id="col-0000", force=True))
    assert out["committed"] == 2 and out["forced"] is True
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT forced FROM plans WHERE status='committed'") is True
        await cases_store.release(conn, [ids[2]], [datetime.now(timezone.utc)], "paused",
                                  pause=("staff", "x", "lead"))
    async with db.acquire() as conn, conn.transaction():
        out = await planning.manual(conn, ctx, ADMIN, ManualIn(case_ids=[ids[2], "nope"], collector_id="col-0000",
                                                                force=True, partial=True))
    assert out["committed"] == 0
    assert out["unassigned"] == {"case_not_allocatable": 1, "case_not_found": 1}


async def test_team_lead_is_confined_to_their_team(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2, team_id="t1", prefix="a")
        await seed_team_and_collectors(conn, n=2, team_id="t2", prefix="b")
        await seed_cases(conn, n=8)
    lead = Principal(sub="lead-1", roles=frozenset({"team_lead"}), team_id="t2")
    async with db.acquire() as conn, conn.transaction():
        plan = await planning.preview_allocation(conn, ctx, lead, PreviewIn(strategy="by_count"))
        assert {c["collector_id"] for c in plan["collectors"]} == {"b-0000", "b-0001"}
        with pytest.raises(Forbidden):
            await planning.preview_allocation(conn, ctx, lead, PreviewIn(team_ids=["t1"]))
        with pytest.raises(Forbidden):
            await planning.manual(conn, ctx, lead, ManualIn(case_ids=["x"], collector_id="a-0000"))
        other = await planning.preview_allocation(conn, ctx, ADMIN, PreviewIn(team_ids=["t1"]))
        with pytest.raises(Forbidden):
            await planning.commit(conn, ctx, lead, uuid.UUID(other["plan_id"]))
        out = await planning.commit(conn, ctx, lead, uuid.UUID(plan["plan_id"]))
        assert out["committed"] == 8


async def _assign_all(db, ctx, strategy="by_count"):
    async with db.acquire() as conn, conn.transaction():
        plan = await planning.preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy=strategy))
        await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))


async def test_rotation_moves_only_stalled_cases_and_never_back(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=4)
        ids = await seed_cases(conn, n=40, joint_every=4)
    await _assign_all(db, ctx)
    month = date.today().replace(day=1)
    paid, promised = ids[0], ids[1]
    async with db.acquire() as conn, conn.transaction():
        await handlers.on_payment_posted(conn, as_envelopes([payment(paid, amount="10.00")]))
        await handlers.on_contact_logged(conn, as_envelopes([contact(promised, ptp_due=date.today() + timedelta(days=5))]))
        # a case rotated before: its previous owner must not get it back either
        await conn.execute("UPDATE cases SET previous_collector_id = 'col-0003' WHERE case_id = $1", ids[2])
        before = {r["case_id"]: r["collector_id"] for r in await conn.fetch("SELECT case_id, collector_id FROM cases")}
        plan = await planning.preview_rotation(conn, ctx, month=month, client_id=None, strategy=None,
                                               team_ids=None, collector_ids=None, created_by="admin-1")
        items = {r["case_id"]: r for r in await conn.fetch(
            "SELECT * FROM plan_items WHERE plan_id = $1", uuid.UUID(plan["plan_id"]))}
        assert paid not in items and promised not in items
        assert plan["cases_with_willingness"] == 2
        for case_id, item in items.items():
            assert item["collector_id"] != before[case_id]
            assert item["previous_collector_id"] == before[case_id]
        assert ids[2] not in items or items[ids[2]]["collector_id"] != "col-0003"
        out = await planning.commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
        assert out["committed"] == len(items) > 30
        events = [e for e in await outbox(conn) if e["payload"]["reason"] == "rotation"]
        assert len(events) == len(items)
        assert all(e["payload"]["previous_collector_id"] == before[e["case_id"]] for e in events)
        split = await conn.fetchval(
            "SELECT count(*) FROM (SELECT joint_key FROM cases WHERE joint_key IS NOT NULL "
            "GROUP BY joint_key HAVING count(DISTINCT collector_id) > 1) x")
        assert split == 0


async def test_rotation_skips_cases_a_client_flag_stopped(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=3)
        ids = await seed_cases(conn, n=4)
    await _assign_all(db, ctx)
    async with db.acquire() as conn, conn.transaction():
        await conn.execute("UPDATE cases SET flags = '{dispute}' WHERE case_id = $1", ids[0])
        plan = await planning.preview_rotation(conn, ctx, month=date.today().replace(day=1), client_id=None,
                                               strategy=None, team_ids=None, collector_ids=None, created_by="x")
    assert plan["unassigned"] == {"collection_stopped_flag": 1} and plan["cases_planned"] == 3


async def test_rotation_keeps_a_debtor_together_when_one_case_paid(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=3)
        ids = await seed_cases(conn, n=4, joint_every=1)  # pairs (0,1) and (2,3) share a debtor
    await _assign_all(db, ctx)
    async with db.acquire() as conn, conn.transaction():
        await handlers.on_payment_posted(conn, as_envelopes([payment(ids[0])]))
        plan = await planning.preview_rotation(conn, ctx, month=date.today().replace(day=1), client_id=None,
                                               strategy=None, team_ids=None, collector_ids=None, created_by="x")
    assert plan["unassigned"] == {"joint_debt_not_stalled": 1}
    assert plan["cases_planned"] == 2  # the other debtor's two cases, together


async def test_scheduled_rotation_runs_once_per_month(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=3)
        await seed_cases(conn, n=6)
    await _assign_all(db, ctx)
    sched = Scheduler(db, AllocationSettings(profile="test", rotation_auto_commit=True), DEFAULT_CALENDAR)
    # 2026-10-01..07 is the National Day holiday: the first working day of October is the 8th
    assert await sched.run_rotation_check(date(2026, 10, 7)) == []
    done = await sched.run_rotation_check(date(2026, 10, 8))
    assert [(d["client_id"], d["month"], d["status"]) for d in done] == [("zhbank", date(2026, 9, 1), "committed")]
    assert await sched.run_rotation_check(date(2026, 10, 20)) == []  # once
    assert previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    async with db.acquire() as conn:
        reasons = [orjson.loads(r["value"])["payload"]["reason"] for r in await conn.fetch("SELECT value FROM outbox")]
        assert reasons.count("rotation") == 6


async def test_auto_allocation_run_backs_off_when_nobody_can_take_cases(db, ctx):
    async with db.acquire() as conn:
        ids = await seed_cases(conn, n=50)
    r = await planning.auto_allocate(db, ctx)
    assert (r.considered, r.allocated, r.unplaced) == (50, 0, 50)
    assert (await planning.auto_allocate(db, ctx)).considered == 0  # backing off
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=5)
        await staff.wake_auto_allocation(conn)  # what the collectors route does
    r = await planning.auto_allocate(db, ctx)
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
    r = await planning.auto_allocate(db, ctx)
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
            assert (await planning.auto_allocate(db, ctx)).busy
    assert (await planning.auto_allocate(db, ctx)).allocated == 5


async def test_sla_figures(db, ctx):
    from recoup_allocation.api.reports import sla_deadline

    day = date(2026, 11, 20)  # a Friday: the SLA ends with Monday the 23rd
    received_at = datetime(2026, 11, 20, 10, tzinfo=ctx.tz)
    assert sla_deadline(ctx, day) == datetime(2026, 11, 24, tzinfo=ctx.tz)
    async with db.acquire() as conn:
        await seed_cases(conn, n=3, prefix="s")
        await conn.execute("UPDATE cases SET received_at = $1", received_at)
        await conn.execute("UPDATE cases SET status='assigned', collector_id='x', first_allocated_at = $1::timestamptz + interval '1 hour' WHERE case_id = 's-000000'", received_at)
        await conn.execute("UPDATE cases SET status='assigned', collector_id='x', first_allocated_at = $1::timestamptz + interval '5 days' WHERE case_id = 's-000001'", received_at)
        rows = await facts.sla_figures(conn, tz="Asia/Shanghai", client_id=None, days=[day],
                                       deadlines=[sla_deadline(ctx, day)], now=datetime(2026, 11, 30, tzinfo=timezone.utc))
    [r] = rows
    assert (r["received"], r["allocated"], r["pending"], r["breaches"]) == (3, 2, 1, 2)
    assert float(r["max_s"]) == 5 * 86400 and float(r["p50"]) == (3600 + 5 * 86400) / 2
