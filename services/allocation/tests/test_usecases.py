"""The use cases against a real PostgreSQL (a fresh database per test): preview and the commit
write path, optimistic conflicts, capacity re-check, manual assignment, a team lead's confinement,
rotation previews."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import orjson
import pytest

from recoup_allocation import handlers
from recoup_allocation.schemas import ManualIn, PreviewIn
from recoup_allocation.store import plans, pool as cases_store
from recoup_allocation.usecases import lifecycle
from recoup_allocation.usecases.commands import Pause, PreviewRotation, Resume
from recoup_allocation.usecases.commit import commit
from recoup_allocation.usecases.manual import manual
from recoup_allocation.usecases.previews import preview_allocation, preview_rotation
from recoup_local.allocation_seeds import seed_cases, seed_team_and_collectors
from recoup_local.factories import as_envelopes, contact, payment
from recoup_shared.auth import Principal
from recoup_shared.bus.events import CaseAllocated
from recoup_shared.calendar import DEFAULT_CALENDAR
from recoup_shared.errors import Conflict, Forbidden


ADMIN = Principal(sub="admin-1", roles=frozenset({"admin"}))


async def outbox(conn) -> list[dict]:
    return [orjson.loads(r["value"]) for r in await conn.fetch("SELECT value FROM outbox ORDER BY id")]


async def test_preview_commit_writes_owners_history_and_one_event_per_case(db, ctx):
    async with db.acquire() as conn:
        cols = await seed_team_and_collectors(conn, n=5)
        ids = await seed_cases(conn, n=200, joint_every=3)
    async with db.acquire() as conn, conn.transaction():
        plan = await preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_amount"))
    assert plan["status"] == "previewed" and plan["cases_planned"] == 200
    assert plan["balance"]["collectors"] == 5
    assert sum(c["new_cases"] for c in plan["collectors"]) == 200
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE status='assigned'") == 0  # preview only
    async with db.acquire() as conn, conn.transaction():
        out = await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
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
                p.allocated_at.astimezone(ctx.clock.zone).date(), 3)
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE first_contact_due IS NULL") == 0
    # a second commit of the same plan is refused
    async with db.acquire() as conn, conn.transaction():
        with pytest.raises(Conflict) as err:
            await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
    assert err.value.type == "plan-not-previewed"


async def test_commit_is_atomic_when_a_case_changed(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=3)
        ids = await seed_cases(conn, n=30)
    async with db.acquire() as conn, conn.transaction():
        plan = await preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_count"))
    async with db.acquire() as conn:  # the client recalls one case in between
        await cases_store.release(conn, [ids[7]], [datetime.now(timezone.utc)], "recalled")
    async with db.acquire() as conn:
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
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
        plan = await preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_count"))
    assert plan["cases_planned"] == 20
    async with db.acquire() as conn:
        await conn.execute("UPDATE collectors SET max_open_cases = 5 WHERE collector_id = 'col-0000'")
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
        assert err.value.type == "capacity-changed"
        assert [c["collector_id"] for c in err.value.extra["collectors"]] == ["col-0000"]
        await conn.execute("UPDATE collectors SET max_open_cases = 10")
        await conn.execute("UPDATE plans SET expires_at = now() - interval '1 minute'")
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
        assert err.value.type == "plan-expired"
        assert await plans.expire_plans(conn, datetime.now(timezone.utc), 30) == (1, 0)


async def test_capacity_recheck_sees_the_book_after_a_reassignment(db, ctx):
    """At commit a receiving collector's book is: open now − what the plan takes away + what it
    gives (cases move between collectors in a reassignment); only receivers are checked."""
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=3)
        ids = await seed_cases(conn, n=30)
    async with db.acquire() as conn, conn.transaction():
        await manual(conn, ctx, ADMIN, ManualIn(case_ids=ids, collector_id="col-0000"))
    async with db.acquire() as conn, conn.transaction():
        plan = await preview_allocation(conn, ctx, ADMIN,
                                                 PreviewIn(strategy="by_count", status="assigned"))
    after = {c["collector_id"]: c for c in plan["collectors"]}
    assert after["col-0001"]["new_cases"] > 0 and after["col-0000"]["open_cases_after"] < 30
    async with db.acquire() as conn:
        await conn.execute("UPDATE collectors SET max_open_cases = $1 WHERE collector_id = 'col-0001'",
                           after["col-0001"]["open_cases_after"] - 1)
        await conn.execute("UPDATE collectors SET max_open_cases = 1 WHERE collector_id = 'col-0000'")
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
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
        out = await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
    assert out["committed"] == plan["cases_planned"]
    async with db.acquire() as conn:
        books = dict(await conn.fetch("SELECT collector_id, count(*) FROM cases GROUP BY 1"))
        assert books == {cid: c["open_cases_after"] for cid, c in after.items()}


async def test_a_capacity_change_is_reported_before_a_stale_plan(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2, max_open_cases=10)
        ids = await seed_cases(conn, n=20)
    async with db.acquire() as conn, conn.transaction():
        plan = await preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_count"))
    async with db.acquire() as conn:
        await cases_store.release(conn, [ids[3]], [datetime.now(timezone.utc)], "recalled")
        await conn.execute("UPDATE collectors SET max_open_cases = 5 WHERE collector_id = 'col-0001'")
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
        assert err.value.type == "capacity-changed"
        assert [(c["collector_id"], c["cases_after"]) for c in err.value.extra["collectors"]] == [("col-0001", 10)]
        await conn.execute("UPDATE collectors SET max_open_cases = 10")
        with pytest.raises(Conflict) as err:
            async with conn.transaction():
                await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
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
        a = await preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_count"))
        b = await preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy="by_amount"))
        await commit(conn, ctx, ADMIN, uuid.UUID(b["plan_id"]))
        assert (await plans.get_plan(conn, uuid.UUID(a["plan_id"])))["status"] == "superseded"


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
            await manual(conn, ctx, ADMIN, ManualIn(case_ids=ids[:2], collector_id="col-0000"))
    assert err.value.type == "manual-allocation-refused"
    assert err.value.extra["unassigned"] == {"capacity_exhausted": 1}
    async with db.acquire() as conn, conn.transaction():  # excluded by the client: force cannot help
        with pytest.raises(Conflict) as err:
            await manual(conn, ctx, ADMIN, ManualIn(case_ids=ids[:1], collector_id="col-0001", force=True))
    assert err.value.extra["unassigned"] == {"not_eligible": 1}
    async with db.acquire() as conn, conn.transaction():
        out = await manual(conn, ctx, ADMIN, ManualIn(case_ids=ids[:2], collector_id="col-0000", force=True))
    assert out["committed"] == 2 and out["forced"] is True
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT forced FROM plans WHERE status='committed'") is True
        await cases_store.release(conn, [ids[2]], [datetime.now(timezone.utc)], "paused",
                                  pause=("staff", "x", "lead"))
    async with db.acquire() as conn, conn.transaction():
        out = await manual(conn, ctx, ADMIN, ManualIn(case_ids=[ids[2], "nope"], collector_id="col-0000",
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
        plan = await preview_allocation(conn, ctx, lead, PreviewIn(strategy="by_count"))
        assert {c["collector_id"] for c in plan["collectors"]} == {"b-0000", "b-0001"}
        with pytest.raises(Forbidden):
            await preview_allocation(conn, ctx, lead, PreviewIn(team_ids=["t1"]))
        with pytest.raises(Forbidden):
            await manual(conn, ctx, lead, ManualIn(case_ids=["x"], collector_id="a-0000"))
        other = await preview_allocation(conn, ctx, ADMIN, PreviewIn(team_ids=["t1"]))
        with pytest.raises(Forbidden):
            await commit(conn, ctx, lead, uuid.UUID(other["plan_id"]))
        out = await commit(conn, ctx, lead, uuid.UUID(plan["plan_id"]))
        assert out["committed"] == 8


async def _assign_all(db, ctx, strategy="by_count"):
    async with db.acquire() as conn, conn.transaction():
        plan = await preview_allocation(conn, ctx, ADMIN, PreviewIn(strategy=strategy))
        await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))


async def test_rotation_moves_only_stalled_cases_and_never_back(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=4)
        ids = await seed_cases(conn, n=40, joint_every=4)
    await _assign_all(db, ctx)
    month = date.today().replace(day=1)
    paid, promised = ids[0], ids[1]
    async with db.acquire() as conn, conn.transaction():
        await handlers.on_payment_posted(conn, ctx, as_envelopes([payment(paid, amount="10.00")]))
        await handlers.on_contact_logged(conn, ctx, as_envelopes([contact(promised, ptp_due=date.today() + timedelta(days=5))]))
        # a case rotated before: its previous owner must not get it back either
        await conn.execute("UPDATE cases SET previous_collector_id = 'col-0003' WHERE case_id = $1", ids[2])
        before = {r["case_id"]: r["collector_id"] for r in await conn.fetch("SELECT case_id, collector_id FROM cases")}
        plan = await preview_rotation(conn, ctx, ADMIN, PreviewRotation(month=month))
        items = {r["case_id"]: r for r in await conn.fetch(
            "SELECT * FROM plan_items WHERE plan_id = $1", uuid.UUID(plan["plan_id"]))}
        assert paid not in items and promised not in items
        assert plan["cases_with_willingness"] == 2
        for case_id, item in items.items():
            assert item["collector_id"] != before[case_id]
            assert item["previous_collector_id"] == before[case_id]
        assert ids[2] not in items or items[ids[2]]["collector_id"] != "col-0003"
        out = await commit(conn, ctx, ADMIN, uuid.UUID(plan["plan_id"]))
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
        plan = await preview_rotation(conn, ctx, ADMIN, PreviewRotation(month=date.today().replace(day=1)))
    assert plan["unassigned"] == {"collection_stopped_flag": 1} and plan["cases_planned"] == 3


async def test_rotation_keeps_a_debtor_together_when_one_case_paid(db, ctx):
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=3)
        ids = await seed_cases(conn, n=4, joint_every=1)  # pairs (0,1) and (2,3) share a debtor
    await _assign_all(db, ctx)
    async with db.acquire() as conn, conn.transaction():
        await handlers.on_payment_posted(conn, ctx, as_envelopes([payment(ids[0])]))
        plan = await preview_rotation(conn, ctx, ADMIN, PreviewRotation(month=date.today().replace(day=1)))
    assert plan["unassigned"] == {"joint_debt_not_stalled": 1}
    assert plan["cases_planned"] == 2  # the other debtor's two cases, together


async def test_pause_and_resume_announce_who_why_and_the_owner(db, ctx):
    """R-13: case.paused names the owner released; case.resumed the owner restored, before the
    case.allocated that gives the case back (one transaction, outbox order = publication order)."""
    async with db.acquire() as conn:
        await seed_team_and_collectors(conn, n=2)
        [case_id] = await seed_cases(conn, n=1)
    async with db.acquire() as conn, conn.transaction():
        await manual(conn, ctx, ADMIN, ManualIn(case_ids=[case_id], collector_id="col-0001"))
        await lifecycle.pause(conn, ctx, ADMIN, case_id, Pause(reason="客户要求暂停"))
        assert await lifecycle.resume(conn, ctx, ADMIN, case_id, Resume(reason="恢复催收")) == "col-0001"
        events = [(e["event_type"], e["payload"]) for e in await outbox(conn)]
    assert [t for t, _ in events] == ["case.allocated", "case.paused", "case.resumed", "case.allocated"]
    paused, resumed, back = events[1][1], events[2][1], events[3][1]
    assert (paused["paused_by"], paused["reason"], paused["released_collector_id"], paused["released_team_id"]) == \
        ("admin-1", "客户要求暂停", "col-0001", "t1")
    assert (resumed["resumed_by"], resumed["collector_id"], resumed["team_id"]) == ("admin-1", "col-0001", "t1")
    assert (back["collector_id"], back["reason"]) == ("col-0001", "reassignment")
