"""The store on the real database: set-based, idempotent, guarded against late events, never
committing (the caller's transaction decides)."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

from recoup_fieldops.store import attempts, cases, plans, policies, visits
from recoup_shared.compliance import Outcome

CST = timezone(timedelta(hours=8))
T0 = datetime(2026, 10, 9, 9, tzinfo=CST)


async def _visit(conn, case_id: str, state: str = "approved", **cols) -> str:
    vid = uuid.uuid4()
    await conn.execute(
        """INSERT INTO visits (visit_id, case_id, client_id, requested_by, purpose, reason, address_id,
               address_kind, line, requested_at, state, updated_at, escalate_at, planned_on)
           VALUES ($1, $2, 'bank', 'c', 'verify_address', 'r', $7, 'home', 'l', $3, $4, $3, $5, $6)""",
        vid, case_id, T0, state, cols.get("escalate_at"), cols.get("planned_on"), vid.hex[:20])
    return str(vid)


async def test_balances_owners_and_statuses_keep_the_newest(conn, fo):
    cid = f"st-{fo.tag()}"
    async with conn.transaction():
        await cases.set_outstanding(conn, [(cid, "bank", 900, T0)])
        await cases.set_outstanding(conn, [(cid, "bank", 1000, T0 - timedelta(hours=1))])   # late, older
        await cases.set_owner(conn, [(cid, "bank", "c2", "t2", T0)])
        await cases.set_owner(conn, [(cid, "bank", "c1", "t1", T0 - timedelta(days=1))])
        assert await cases.set_paused(conn, [(cid, "bank", True, T0)]) == [cid]
        assert await cases.set_paused(conn, [(cid, "bank", False, T0 - timedelta(hours=1))]) == []
    row = await cases.get(conn, cid)
    assert (row["outstanding"], row["collector_id"], row["paused"]) == (900, "c2", True)


async def test_addresses_are_added_once(conn, fo):
    cid = f"st-{fo.tag()}"
    row = (cid, "addr0000000000000000", "home", "河南省", "郑州市", "金水区", "l", None, False,
           "placement", date(2026, 9, 1), T0, "debtor", None)
    async with conn.transaction():
        await cases.add_addresses(conn, [row])
        await cases.add_addresses(conn, [row[:8] + (True, "skip_trace", date(2026, 10, 1), T0, "debtor", "450003")])
    got = await cases.addresses(conn, cid)
    assert [(a["source"], a["found_on"], a["verified"], a["postcode"]) for a in got] == [
        ("placement", date(2026, 9, 1), True, "450003")]


async def test_policy_levels_keep_the_highest_version(conn, fo):
    scope = f"bank-{fo.tag()}"
    async with conn.transaction():
        assert await policies.upsert(conn, [("client", scope, 2, {"caps.visits_per_day": 1}, "x", T0)]) == 1
        assert await policies.upsert(conn, [("client", scope, 1, {"caps.visits_per_day": 5}, "x", T0)]) == 0
    got = await policies.levels(conn, clients=[scope])
    assert got[("client", scope)] == (2, {"caps.visits_per_day": 1})


async def test_reservations_become_visits_and_history_excludes_one(conn, fo):
    cid = f"st-{fo.tag()}"
    async with conn.transaction():
        await cases.set_status(conn, [(cid, "bank", "open")])
        a, b = await _visit(conn, cid), await _visit(conn, cid)
        await attempts.reserve(conn, [(a, cid, T0 + timedelta(hours=9), 2), (b, cid, T0 + timedelta(hours=10), 3)])
        await attempts.record_done(conn, a, cid, T0 + timedelta(hours=9, minutes=5), 2)
    hist = await attempts.history(conn, [cid], T0, T0 + timedelta(days=1))
    assert [(x.outcome, x.agents) for x in hist[cid]] == [(Outcome.CONNECTED, 2), (Outcome.PENDING, 3)]
    assert len((await attempts.history(conn, [cid], T0, T0 + timedelta(days=1), exclude_visit=a))[cid]) == 1


async def test_escalation_marks_once_and_plans_touch_approved_only(conn, fo):
    cid = f"st-{fo.tag()}"
    async with conn.transaction():
        await cases.set_status(conn, [(cid, "bank", "open")])
        due = await _visit(conn, cid, escalate_at=T0 - timedelta(minutes=1))
        await _visit(conn, cid, escalate_at=T0 + timedelta(days=1))
        done = await _visit(conn, cid, "done", escalate_at=T0 - timedelta(days=1))
        first = await visits.escalate_due(conn, T0)
        assert await visits.escalate_due(conn, T0) == 0 and first >= 1
        n = await plans.apply(conn, [(x, date(2026, 10, 9), "t", ("a", "b"), "evening", T0, T0, 1)
                                     for x in (due, done)], T0)
    assert n == 1
    assert await conn.fetchval("SELECT escalated_at FROM visits WHERE visit_id = $1::uuid", done) is None
    assert await conn.fetchval("SELECT agent_ids FROM visits WHERE visit_id = $1::uuid", due) == ["a", "b"]


async def test_release_returns_past_planned_visits_only(conn, fo):
    cid = f"st-{fo.tag()}"
    async with conn.transaction():
        await cases.set_status(conn, [(cid, "bank", "open")])
        old = await _visit(conn, cid, "planned", planned_on=date(2026, 10, 8))
        today = await _visit(conn, cid, "planned", planned_on=date(2026, 10, 9))
        await attempts.reserve(conn, [(old, cid, T0 - timedelta(days=1), 2)])
        gone = await visits.release(conn, day_before=date(2026, 10, 9), now=T0)
    assert [str(r["visit_id"]) for r in gone if r["case_id"] == cid] == [old]
    assert await conn.fetchval("SELECT state FROM visits WHERE visit_id = $1::uuid", today) == "planned"
    assert await conn.fetchval("SELECT count(*) FROM visit_attempts WHERE visit_id = $1::uuid", old) == 0
