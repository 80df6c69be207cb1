"""Event handlers: set-based, idempotent (a duplicate changes nothing, with or without the inbox),
order-independent, and poison payloads refused so the consumer dead-letters them."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal

import asyncpg
import pydantic
import pytest

from recoup_billing.handlers import HANDLERS, on_payment_posted
from recoup_shared.bus.consumer import PoisonEvent
from recoup_shared.bus.envelope import dumps
from recoup_shared.bus.produce import make_producer

TABLES = ("billing_cases", "billing_case_changes", "billing_repayments", "billing_ownership",
          "billing_contacts")


async def snapshot(pool: asyncpg.Pool, client_id: str) -> dict[str, list[dict]]:
    out = {}
    async with pool.acquire() as conn:
        for t in TABLES:
            rows = await conn.fetch(f"SELECT * FROM {t} WHERE client_id = $1", client_id)
            out[t] = sorted((dict(r) for r in rows), key=repr)
    return out


def test_every_consumed_topic_has_a_handler():
    assert set(HANDLERS) == {"case.received", "case.updated", "payment.posted", "case.allocated",
                             "contact.logged"}


async def test_duplicate_events_change_nothing(ev, apply, billing_pool, client_id):
    case = uuid.uuid4()
    t0 = datetime.fromisoformat("2026-08-03T09:00:00+08:00")
    events = [
        ev.received(case, placed_on=date(2026, 8, 1), amount="1200.50", dpd=100),
        ev.updated(case, change="balance", status="open", on=date(2026, 8, 2), placed_amount="1300.50"),
        ev.allocated(case, collector_id="c-1", when=t0),
        ev.contact(case, collector_id="c-1", when=t0 + timedelta(hours=1), ptp=("300.00", date(2026, 8, 10))),
        ev.paid(case, on=date(2026, 8, 9), amount="300.00", txn_ref="TX-1"),
    ]
    await apply(*events)
    first = await snapshot(billing_pool, client_id)
    assert all(first[t] for t in TABLES)
    await apply(*events)  # the same event ids again
    await apply(*events[::-1])  # and in the opposite order
    assert await snapshot(billing_pool, client_id) == first
    # duplicates inside one batch as well
    await apply(events[4], events[4], events[4])
    assert await snapshot(billing_pool, client_id) == first


async def test_case_facts(ev, apply, billing_pool, client_id):
    case = uuid.uuid4()
    await apply(ev.received(case, placed_on=date(2026, 8, 1), amount="5000.00", dpd=181))
    await apply(ev.updated(case, change="balance", status="open", on=date(2026, 8, 15), placed_amount="5200.00"),
                ev.updated(case, change="recall", status="recalled", on=date(2026, 9, 1)))
    async with billing_pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM billing_cases WHERE case_id = $1", case)
        adj = await conn.fetch("SELECT effective_on, placed_amount FROM billing_case_changes "
                               "WHERE case_id = $1 AND placed_amount IS NOT NULL", case)
    assert (row["dpd_at_placement"], row["placed_amount"], row["current_placed_amount"]) == (
        181, Decimal("5000.00"), Decimal("5200.00"))
    assert (row["status"], row["recalled_on"], row["end_on"]) == ("recalled", date(2026, 9, 1), date(2026, 9, 1))
    assert [(a["effective_on"], a["placed_amount"]) for a in adj] == [(date(2026, 8, 15), Decimal("5200.00"))]
    # reopened after the recall: the placement runs to recall_on again
    await apply(ev.updated(case, change="reopened", status="open", on=date(2026, 9, 5)))
    async with billing_pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM billing_cases WHERE case_id = $1", case)
    assert (row["status"], row["recalled_on"], row["end_on"]) == ("open", None, date(2026, 10, 31))


async def test_an_extended_recall_date_moves_the_spells_end(ev, apply, billing_pool, client_id):
    """case.updated recall_extended (R-5): the spell of that placement (or the case's latest) runs to
    the new recall_on; no status change is recorded, whatever status the event carries."""
    one, two = uuid.uuid4(), uuid.uuid4()
    await apply(ev.received(one, placed_on=date(2026, 8, 1), amount="5000.00", dpd=181),
                ev.received(two, placed_on=date(2026, 5, 1), amount="900.00", dpd=40, placement_id="P0"),
                ev.updated(two, change="recall", status="recalled", on=date(2026, 6, 1)),
                ev.received(two, placed_on=date(2026, 8, 1), amount="900.00", dpd=120))
    moved = [ev.env("case.updated", one, {"change": "recall_extended", "status": "recalled",
                                          "recall_on": "2026-11-30", "placement_id": "P1"},
                    occurred_at=datetime.fromisoformat("2026-10-20T10:00:00+08:00")),
             ev.env("case.updated", two, {"change": "recall_extended", "status": "open", "recall_on": "2026-12-15"},
                    occurred_at=datetime.fromisoformat("2026-10-20T10:00:00+08:00"))]
    await apply(*moved)
    await apply(*moved)     # again: nothing more
    async with billing_pool.acquire() as conn:
        rows = await conn.fetch("SELECT case_id, placement_id, status, recall_on, end_on FROM billing_cases "
                                "WHERE case_id = ANY($1::uuid[]) ORDER BY case_id, placed_on", [one, two])
        changes = await conn.fetchval("SELECT count(*) FROM billing_case_changes WHERE case_id = ANY($1::uuid[])",
                                      [one, two])
    got = {(r["case_id"], r["placement_id"]): (r["status"], r["recall_on"], r["end_on"]) for r in rows}
    assert got == {(one, "P1"): ("open", date(2026, 11, 30), date(2026, 11, 30)),
                   (two, "P0"): ("recalled", date(2026, 7, 31), date(2026, 6, 1)),
                   (two, "P1"): ("open", date(2026, 12, 15), date(2026, 12, 15))}
    assert changes == 1                                  # only two's recall of P0


async def test_repayment_closing_the_case(ev, apply, billing_pool, client_id):
    case = uuid.uuid4()
    await apply(ev.received(case, placed_on=date(2026, 8, 1), amount="100.00", dpd=10))
    await apply(ev.paid(case, on=date(2026, 8, 7), amount="100.00", closes_case=True))
    async with billing_pool.acquire() as conn:
        row = await conn.fetchrow("SELECT status, closed_on FROM billing_cases WHERE case_id = $1", case)
    assert (row["status"], row["closed_on"]) == ("closed", date(2026, 8, 7))


async def test_repayment_business_date_is_shanghai(ev, apply, billing_pool, client_id):
    """23:30 UTC on 31 July is 07:30 on 1 August in Shanghai: an August repayment."""
    case = uuid.uuid4()
    e = ev.paid(case, on=date(2026, 8, 1), amount="10.00")
    e = e.model_copy(update={"payload": {**e.payload, "paid_at": "2026-07-31T23:30:00+00:00"}})
    await apply(e)
    async with billing_pool.acquire() as conn:
        assert await conn.fetchval("SELECT paid_on FROM billing_repayments WHERE case_id = $1", case) == date(2026, 8, 1)


async def test_business_dates_follow_the_configured_zone(ev, billing_pool, make_ctx, client_id):
    """The zone is a setting (ctx.settings.timezone): in UTC the same repayment is a July one."""
    utc = await make_ctx(timezone="UTC")
    case = uuid.uuid4()
    e = ev.paid(case, on=date(2026, 8, 1), amount="10.00")
    e = e.model_copy(update={"payload": {**e.payload, "paid_at": "2026-07-31T23:30:00+00:00"}})
    c = ev.contact(case, collector_id="c-utc", when=datetime.fromisoformat("2026-07-31T23:30:00+00:00"))
    async with billing_pool.acquire() as conn:
        async with conn.transaction():
            await on_payment_posted(conn, utc, [e])
            await HANDLERS["contact.logged"](conn, utc, [c])
        assert await conn.fetchval("SELECT paid_on FROM billing_repayments WHERE case_id = $1", case) == date(2026, 7, 31)
        assert await conn.fetchval("SELECT day FROM billing_contacts WHERE case_id = $1", case) == date(2026, 7, 31)


async def test_ownership_intervals_from_allocations_in_any_order(ev, apply, billing_pool, client_id):
    case = uuid.uuid4()
    t1 = datetime.fromisoformat("2026-08-01T10:00:00+08:00")
    t2 = datetime.fromisoformat("2026-08-15T10:00:00+08:00")
    t3 = datetime.fromisoformat("2026-09-01T09:00:00+08:00")
    await apply(ev.allocated(case, collector_id="c-2", when=t2, team_id="T2"))
    await apply(ev.allocated(case, collector_id="c-1", when=t1, team_id="T1"),
                ev.allocated(case, collector_id="c-3", when=t3, team_id="T2"))
    async with billing_pool.acquire() as conn:
        rows = await conn.fetch("SELECT collector_id, valid_from, valid_to FROM billing_ownership "
                                "WHERE case_id = $1 ORDER BY valid_from", case)
        team = await conn.fetchval("SELECT team_id FROM billing_collectors WHERE collector_id = 'c-3'")
    assert [(r["collector_id"], r["valid_from"], r["valid_to"]) for r in rows] == [
        ("c-1", t1, t2), ("c-2", t2, t3), ("c-3", t3, None)]
    assert team == "T2"


async def test_contacts_and_ptps(ev, apply, billing_pool, client_id):
    case = uuid.uuid4()
    when = datetime.fromisoformat("2026-08-03T20:30:00+08:00")
    e = ev.contact(case, collector_id="c-9", when=when, effective=False, channel="call")
    p = ev.contact(case, collector_id="c-9", when=when, ptp=("500.00", date(2026, 8, 10)))
    inst = ev.contact(case, collector_id="c-9", when=when)
    inst = inst.model_copy(update={"payload": {**inst.payload, "instalments": [
        {"amount": "200.00", "due_on": "2026-09-10"}, {"amount": "100.00", "due_on": "2026-08-20"}]}})
    await apply(e, p, inst)
    async with billing_pool.acquire() as conn:
        rows = await conn.fetch("SELECT effective, ptp_amount, ptp_due_on, day FROM billing_contacts "
                                "WHERE case_id = $1 ORDER BY ptp_amount NULLS FIRST", case)
    assert [(r["effective"], r["ptp_amount"], r["ptp_due_on"]) for r in rows] == [
        (False, None, None), (True, Decimal("100.00"), date(2026, 8, 20)), (True, Decimal("500.00"), date(2026, 8, 10))]
    assert {r["day"] for r in rows} == {date(2026, 8, 3)}


@pytest.mark.parametrize("change, error", [
    ({"amount": "-1.00"}, PoisonEvent),
    ({"amount": "1.005"}, PoisonEvent),
    ({"amount": "abc"}, pydantic.ValidationError),
    ({"paid_at": None}, pydantic.ValidationError),
])
async def test_poison_payments_are_refused(ev, billing_pool, ctx, change, error):
    e = ev.paid(uuid.uuid4(), on=date(2026, 8, 1), amount="1.00")
    e = e.model_copy(update={"payload": {**e.payload, **change}})
    async with billing_pool.acquire() as conn, conn.transaction():
        with pytest.raises(error):
            await on_payment_posted(conn, ctx, [e])


async def test_case_id_must_be_a_uuid(ev, billing_pool, ctx):
    e = ev.paid(uuid.uuid4(), on=date(2026, 8, 1), amount="1.00").model_copy(update={"case_id": "not-a-uuid"})
    async with billing_pool.acquire() as conn, conn.transaction():
        with pytest.raises(PoisonEvent):
            await on_payment_posted(conn, ctx, [e])


async def test_consumed_from_the_broker_once(stack, ev, billing_pool, client_id):
    """Through the real consumer: a re-delivered event (same event_id) is skipped by the inbox;
    a poison one goes to the DLQ and does not block the partition."""
    from recoup_local.inprocess import running_service

    case = uuid.uuid4()
    good = [ev.received(case, placed_on=date(2026, 8, 1), amount="800.00", dpd=40),
            ev.paid(case, on=date(2026, 8, 2), amount="80.00", txn_ref="TX-B1")]
    poison = ev.paid(case, on=date(2026, 8, 3), amount="1.00")
    poison = poison.model_copy(update={"payload": {**poison.payload, "amount": "-5.00"}})
    after = ev.paid(case, on=date(2026, 8, 4), amount="20.00", txn_ref="TX-B2")
    async with running_service(stack, "billing"):
        producer = make_producer(stack.bootstrap)
        await producer.start()
        try:
            for e in [*good, good[1], poison, after]:
                await producer.send_and_wait(e.event_type, dumps(e), key=str(case).encode())
        finally:
            await producer.stop()
        for _ in range(150):
            async with billing_pool.acquire() as conn:
                n = await conn.fetchval("SELECT count(*) FROM billing_repayments WHERE case_id = $1", case)
                placed = await conn.fetchval("SELECT count(*) FROM billing_cases WHERE case_id = $1", case)
            if n == 2 and placed == 1:
                break
            await asyncio.sleep(0.2)
    async with billing_pool.acquire() as conn:
        rows = await conn.fetch("SELECT txn_ref, amount FROM billing_repayments WHERE case_id = $1 ORDER BY 1", case)
        dead = await conn.fetchval("SELECT count(*) FROM dead_letters WHERE event_id = $1", poison.event_id)
    assert [(r["txn_ref"], r["amount"]) for r in rows] == [("TX-B1", Decimal("80.00")), ("TX-B2", Decimal("20.00"))]
    assert dead == 1
