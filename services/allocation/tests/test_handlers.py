"""Consumed events: set-based handlers (round trips do not grow with the batch), idempotence,
lifecycle from case.updated, month facts; and the real broker path with a running service."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

import orjson
import pytest

from recoup_allocation import handlers
from recoup_allocation.context import Ctx
from recoup_allocation.settings import AllocationSettings
from recoup_local.factories import (
    as_envelopes, contact, payment, publish, read_topic, received, updated, wait_until,
)
from recoup_local.inprocess import running_service
from recoup_shared.bus.envelope import new_envelope
from recoup_shared.context import base_context


class Counting:
    """A connection proxy counting round trips."""

    def __init__(self, conn):
        self.conn, self.calls = conn, 0

    def __getattr__(self, name):
        attr = getattr(self.conn, name)
        if name in ("execute", "executemany", "fetch", "fetchrow", "fetchval", "copy_records_to_table"):
            async def counted(*a, **kw):
                self.calls += 1
                return await attr(*a, **kw)
            return counted
        return attr


async def run(db, handler, envs, **settings) -> int:
    """The handler on one batch, in one transaction, as the consumer loop calls it (settings:
    the service's settings for this call, e.g. pause_on_flags)."""
    ctx = Ctx.extend(base_context("allocation", AllocationSettings(profile="test", **settings), pool=db))
    async with db.acquire() as conn, conn.transaction():
        counting = Counting(conn)
        await handler(counting, ctx, as_envelopes(envs))
        return counting.calls


async def case(db, case_id):
    async with db.acquire() as conn:
        return await conn.fetchrow("SELECT * FROM cases WHERE case_id = $1", case_id)


async def assign(db, case_id, collector="col-1", team="t1"):
    """Give a case an owner the way a commit does (status, owner, open interval)."""
    async with db.acquire() as conn:
        await conn.execute("UPDATE cases SET status='assigned', collector_id=$2, team_id=$3, "
                           "version = version + 1 WHERE case_id=$1", case_id, collector, team)
        await conn.execute("INSERT INTO ownership (case_id, collector_id, team_id, strategy, reason, valid_from) "
                           "VALUES ($1, $2, $3, 'by_count', 'allocation', now() - interval '1 hour')",
                           case_id, collector, team)


@pytest.mark.parametrize("handler,make,settings", [
    (handlers.on_case_received, lambda i: received(f"r-{i}", flags=["dispute"] if i % 3 else []),
     {"pause_on_flags": ["dispute"]}),
    (handlers.on_case_received, lambda i: received(f"r-{i}"), {}),
    (handlers.on_case_updated, lambda i: updated(f"r-{i}", change="balance", outstanding=Decimal("1.00")), {}),
    (handlers.on_payment_posted, lambda i: payment(f"r-{i}", closes_case=i % 2 == 0), {}),
    (handlers.on_contact_logged, lambda i: contact(f"r-{i}", ptp_due=date.today()), {}),
    (handlers.on_case_pause_requested, lambda i: pause_requested(f"r-{i}"), {}),
])
async def test_handlers_are_set_based(db, handler, make, settings):
    small = await run(db, handler, [make(i) for i in range(3)], **settings)
    big = await run(db, handler, [make(i) for i in range(3, 1503)], **settings)
    assert big == small, f"{handler}: {small} round trips for 3 events, {big} for 1,500"
    assert big <= 10


async def test_case_received_builds_the_pool(db):
    envs = [received(f"p-{i}", amount="1000.00", dpd=40, region="浙江省", debtor="d-1" if i < 2 else None)
            for i in range(5)]
    await run(db, handlers.on_case_received, envs)
    row = await case(db, "p-0")
    assert (row["status"], row["placed_amount"], row["outstanding"], row["dpd_bucket"], row["region"]) == \
        ("unassigned", Decimal("1000.00"), Decimal("1000.00"), "M2", "浙江省")
    assert row["joint_key"] == (await case(db, "p-1"))["joint_key"] != (await case(db, "p-2"))["joint_key"]
    assert row["received_at"] == datetime.fromisoformat(envs[0]["occurred_at"])
    assert row["placement_id"] == "pl-1" and row["flags"] == []


async def test_repeated_case_received_changes_nothing(db):
    await run(db, handlers.on_case_received, [received("dup-1")])
    await assign(db, "dup-1")
    before = await case(db, "dup-1")
    # the same case placed again under a new event id (e.g. a client re-push)
    await run(db, handlers.on_case_received, [received("dup-1", occurred_at=datetime.now(timezone.utc))])
    after = await case(db, "dup-1")
    for col in ("status", "collector_id", "team_id", "received_at", "outstanding", "version", "first_allocated_at"):
        assert after[col] == before[col], col
    async with db.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE case_id = 'dup-1'") == 1


async def test_recall_and_close_release_the_owner(db):
    await run(db, handlers.on_case_received, [received("rc-1"), received("rc-2"), received("rc-3")])
    for c in ("rc-1", "rc-2"):
        await assign(db, c)
    at = datetime.now(timezone.utc)
    await run(db, handlers.on_case_updated, [
        updated("rc-1", change="balance", outstanding=Decimal("500.00")),
        updated("rc-1", change="recall", status="recalled", occurred_at=at),
        updated("rc-2", change="closed", status="closed", occurred_at=at),
        updated("rc-3", change="recall", status="recalled", occurred_at=at),
    ])
    for c, status in (("rc-1", "recalled"), ("rc-2", "closed"), ("rc-3", "recalled")):
        row = await case(db, c)
        assert row["status"] == status and row["collector_id"] is None
    assert (await case(db, "rc-1"))["outstanding"] == Decimal("500.00")
    assert (await case(db, "rc-1"))["previous_collector_id"] == "col-1"
    async with db.acquire() as conn:
        rows = await conn.fetch("SELECT case_id, valid_to, end_reason FROM ownership "
                                "WHERE case_id IN ('rc-1', 'rc-2') ORDER BY case_id")
    assert [(r["case_id"], r["valid_to"], r["end_reason"]) for r in rows] == \
        [("rc-1", at, "recalled"), ("rc-2", at, "closed")]
    # reopened: back to the pool
    await run(db, handlers.on_case_updated, [updated("rc-3", change="reopened", status="open")])
    assert (await case(db, "rc-3"))["status"] == "unassigned"


async def test_an_extended_recall_date_moves_only_the_date(db):
    """case.updated recall_extended (R-5): the new recall_on, whatever status it carries — an owned
    case keeps its owner, a recalled one is not released again."""
    await run(db, handlers.on_case_received, [received("rx-1"), received("rx-2")])
    await assign(db, "rx-1")
    await run(db, handlers.on_case_updated, [updated("rx-2", change="recall", status="recalled")])
    before = {c: await case(db, c) for c in ("rx-1", "rx-2")}
    await run(db, handlers.on_case_updated, [
        updated("rx-1", change="recall_extended", recall_on="2027-03-01", placement_id="pl-1"),
        updated("rx-1", change="recall_extended", recall_on="2027-04-01", placement_id="pl-1"),   # the later wins
        updated("rx-2", change="recall_extended", status="recalled", recall_on="2027-04-01", placement_id="pl-1")])
    for c in ("rx-1", "rx-2"):
        after = await case(db, c)
        assert after["recall_on"] == date(2027, 4, 1)
        for col in ("status", "collector_id", "team_id", "version", "previous_collector_id"):
            assert after[col] == before[c][col], (c, col)


async def test_client_flags_keep_the_owner_by_default(db):
    await run(db, handlers.on_case_received, [received("nf-1", flags=["dispute"])])
    assert (await case(db, "nf-1"))["status"] == "unassigned"  # allocatable: the owner reports to the client
    await assign(db, "nf-1")
    await run(db, handlers.on_case_updated, [updated("nf-1", change="flags", flags=["fraud_claim", "do_not_contact"])])
    row = await case(db, "nf-1")
    assert (row["status"], row["collector_id"], row["flags"]) == ("assigned", "col-1", ["do_not_contact", "fraud_claim"])


async def test_configured_flags_pause_and_lifting_them_resumes(db):
    flags = {"pause_on_flags": ["dispute", "fraud_claim", "stolen_card"]}
    on_received, on_updated = handlers.on_case_received, handlers.on_case_updated
    await run(db, on_received, [received("f-1"), received("f-2", flags=["dispute"]),
                                received("f-3", flags=["do_not_contact"])], **flags)
    assert (await case(db, "f-2"))["status"] == "paused"          # arrives disputed
    assert (await case(db, "f-3"))["status"] == "unassigned"      # do_not_contact stays allocatable
    await assign(db, "f-1")
    await run(db, on_updated, [updated("f-1", change="flags", flags=["fraud_claim"])], **flags)
    row = await case(db, "f-1")
    assert (row["status"], row["collector_id"], row["pause_source"]) == ("paused", None, "flag")
    assert "fraud_claim" in row["pause_reason"]
    await run(db, on_updated, [updated("f-1", change="flags", flags=[]),
                               updated("f-2", change="flags", flags=["complaint_history"])], **flags)
    assert (await case(db, "f-1"))["status"] == "unassigned"
    assert (await case(db, "f-2"))["status"] == "unassigned"
    # a staff pause is not lifted by the client's flags
    async with db.acquire() as conn:
        await conn.execute("UPDATE cases SET status='paused', pause_source='staff' WHERE case_id='f-3'")
    await run(db, on_updated, [updated("f-3", change="flags", flags=[])], **flags)
    assert (await case(db, "f-3"))["status"] == "paused"
    # R-13: each flag pause and each lift is announced, by "client" (f-3's staff pause is not ours)
    async with db.acquire() as conn:
        sent = [orjson.loads(r["value"]) for r in await conn.fetch(
            "SELECT value FROM outbox WHERE topic IN ('case.paused', 'case.resumed') ORDER BY id")]
    assert [(e["event_type"], e["case_id"]) for e in sent[:2]] == [("case.paused", "f-2"), ("case.paused", "f-1")]
    assert sorted((e["event_type"], e["case_id"]) for e in sent[2:]) == [("case.resumed", "f-1"), ("case.resumed", "f-2")]
    p2, p1, r1 = sent[0]["payload"], sent[1]["payload"], sent[2]["payload"]
    assert (p2["source"], p2["paused_by"], p2.get("released_collector_id")) == ("flag", "client", None)
    assert "dispute" in p2["reason"] and "fraud_claim" in p1["reason"]
    assert (p1["released_collector_id"], p1["released_team_id"]) == ("col-1", "t1")
    assert (r1["source"], r1["resumed_by"], r1.get("collector_id")) == ("flag", "client", None)


async def test_payment_facts_are_idempotent_and_closing_releases(db):
    await run(db, handlers.on_case_received, [received("pay-1"), received("pay-2")])
    await assign(db, "pay-2")
    paid_at = datetime(2026, 10, 31, 17, 0, tzinfo=timezone.utc)  # already November in Shanghai
    p1 = payment("pay-1", amount="100.00", paid_at=paid_at, txn_ref="T1", outstanding="900.00")
    again = payment("pay-1", amount="100.00", paid_at=paid_at, txn_ref="T1", outstanding="900.00")
    await run(db, handlers.on_payment_posted, [p1, again])  # re-posted under a new event id
    await run(db, handlers.on_payment_posted, [again])
    await run(db, handlers.on_payment_posted, [payment("pay-2", amount="13830.50", txn_ref="T2",
                                                        outstanding="0.00", closes_case=True)])
    async with db.acquire() as conn:
        facts = await conn.fetch("SELECT month, repaid, payments FROM case_month_facts WHERE case_id='pay-1'")
        assert [(r["month"], r["repaid"], r["payments"]) for r in facts] == [(date(2026, 11, 1), Decimal("100.00"), 1)]
        assert await conn.fetchval("SELECT end_reason FROM ownership WHERE case_id='pay-2'") == "repaid"
    assert (await case(db, "pay-1"))["outstanding"] == Decimal("900.00")
    assert (await case(db, "pay-2"))["status"] == "closed"


async def test_contact_ptp_facts_keep_the_latest_promise(db):
    d1, d2 = date(2026, 12, 5), date(2026, 12, 20)
    at = datetime(2026, 11, 10, 3, tzinfo=timezone.utc)
    await run(db, handlers.on_contact_logged, [contact("ptp-1", ptp_due=d2, occurred_at=at),
                                               contact("ptp-1", ptp_due=d1, occurred_at=at),
                                               contact("ptp-2", instalments=[d1, d2], occurred_at=at),
                                               contact("ptp-3", occurred_at=at)])
    async with db.acquire() as conn:
        rows = {r["case_id"]: r for r in await conn.fetch("SELECT * FROM case_month_facts WHERE case_id LIKE 'ptp-%'")}
    assert rows["ptp-1"]["ptp_until"] == d2 and rows["ptp-2"]["ptp_until"] == d2
    assert rows["ptp-3"]["ptp_until"] is None and rows["ptp-3"]["last_contact_at"] == at


def pause_requested(case_id: str, by: str = "col-7", complaint: str = "cmp-1") -> dict:
    """contact's case.pause_requested (R-47: a serious complaint the client wants paused)."""
    return new_envelope(event_type="case.pause_requested", producer="contact", client_id="zhbank", case_id=case_id,
                        payload={"requested_by": by, "reason": "serious_complaint", "complaint_id": complaint,
                                 "requested_at": datetime(2026, 12, 7, 2, tzinfo=timezone.utc).isoformat()})


async def test_a_pause_contact_asks_for_pauses_the_case_once(db):
    await run(db, handlers.on_case_received, [received("pr-1"), received("pr-2"), received("pr-3")])
    await assign(db, "pr-1")
    async with db.acquire() as conn:
        await conn.execute("UPDATE cases SET status = 'closed' WHERE case_id = 'pr-3'")
    await run(db, handlers.on_case_pause_requested, [
        pause_requested("pr-1"), pause_requested("pr-1", by="sup-1"), pause_requested("pr-2"),
        pause_requested("pr-3")])
    row = await case(db, "pr-1")
    assert (row["status"], row["collector_id"], row["previous_collector_id"], row["paused_by"]) == (
        "paused", None, "col-1", "col-7")
    assert "R-47" in row["pause_reason"] and "cmp-1" in row["pause_reason"]
    assert (await case(db, "pr-2"))["status"] == "paused" and (await case(db, "pr-3"))["status"] == "closed"
    await run(db, handlers.on_case_pause_requested, [pause_requested("pr-1")])       # already paused
    async with db.acquire() as conn:
        sent = [orjson.loads(r["value"]) for r in await conn.fetch(
            "SELECT value FROM outbox WHERE topic = 'case.paused' AND key LIKE 'pr-%' ORDER BY id")]
    assert sorted(e["case_id"] for e in sent) == ["pr-1", "pr-2"]        # one case.paused each
    p1 = next(e["payload"] for e in sent if e["case_id"] == "pr-1")
    assert (p1["source"], p1["paused_by"], p1["released_collector_id"]) == ("staff", "col-7", "col-1")


async def test_a_bad_payload_is_refused_not_swallowed(db):
    env = received("bad-1")
    del env["payload"]["placed_amount"]
    with pytest.raises(Exception) as err:
        await run(db, handlers.on_case_received, [env])
    assert "placed_amount" in str(err.value)


# --- the real broker ------------------------------------------------------------------------------
async def test_broker_events_are_applied_once_and_auto_allocated(stack):
    """case.received on the broker → pool → automatic allocation → exactly one case.allocated per
    case on the broker; a re-delivered event (same event id) and a repeated case.received (new id)
    change nothing."""
    dsn = await stack.new_database(package="recoup_allocation")
    tag = uuid.uuid4().hex[:8]
    client = f"auto-{tag}"
    ids = [f"{tag}-{i}" for i in range(40)]
    envs = [received(c, client, debtor=f"{tag}-d{i // 2}" if i < 10 else None) for i, c in enumerate(ids)]
    async with running_service(stack, "allocation", database_url=dsn,
                               auto_allocate_debounce_seconds=0.1) as svc:
        admin = svc.auth("admin", sub="admin-1")
        assert (await svc.client.post("/v1/teams", json={"team_id": "t1", "name": "一组"}, headers=admin)).status_code == 201
        for i in range(4):
            r = await svc.client.post("/v1/collectors", headers=admin, json={
                "collector_id": f"{tag}-col{i}", "name": f"收{i}", "team_id": "t1"})
            assert r.status_code == 201
        await svc.client.put(f"/v1/client-rules/{client}", headers=admin,
                             json={"default_strategy": "by_count", "auto_allocate": True})
        await publish(stack.bootstrap, envs + envs[:5])  # the first five delivered twice
        await publish(stack.bootstrap, [received(ids[0], client, debtor=f"{tag}-d0")])  # re-pushed, new id

        async def all_assigned():
            async with svc.pool.acquire() as conn:
                return await conn.fetchval("SELECT count(*) FROM cases WHERE status='assigned' AND client_id=$1",
                                           client) == len(ids)
        await wait_until(all_assigned, timeout=60, what="auto-allocation")
        events = await read_topic(stack.bootstrap, "case.allocated", case_ids=set(ids), expect=len(ids),
                                  timeout=60, settle=2.0)
        assert sorted(e["case_id"] for e in events) == sorted(ids)  # exactly one each
        by_case = {e["case_id"]: e for e in events}
        for i in range(0, 10, 2):  # R-11 joint debt pairs with one collector
            assert by_case[ids[i]]["payload"]["collector_id"] == by_case[ids[i + 1]]["payload"]["collector_id"]
        async with svc.pool.acquire() as conn:
            assert await conn.fetchval("SELECT count(*) FROM cases WHERE client_id=$1", client) == len(ids)
            assert await conn.fetchval("SELECT count(*) FROM ownership o JOIN cases c USING (case_id) "
                                       "WHERE c.client_id=$1", client) == len(ids)
        # a run asked for by hand (as tests/test_e2e_allocation.py does) finds nothing more to do
        assert await svc.app.state.jobs.run_now("auto-allocation") is None
        metrics = (await svc.client.get("/metrics")).text
        assert f'recoup_allocation_sla_seconds_count{{client_id="{client}"}} 40.0' in metrics
        # the SLA report sees them, no breaches
        r = await svc.client.get("/v1/reports/sla", params={"client_id": client}, headers=admin)
        [row] = r.json()["rows"]
        assert (row["received"], row["allocated"], row["breaches"]) == (40, 40, 0)
        # case.updated recall through the broker releases the owner
        await publish(stack.bootstrap, [updated(ids[-1], client, change="recall", status="recalled")])

        async def recalled():
            row = await svc.client.get(f"/v1/cases/{ids[-1]}", headers=admin)
            return row.json()["status"] == "recalled" and row.json()["history"][0]["to"] is not None
        await wait_until(recalled, what="recall")
