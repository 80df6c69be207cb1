"""The stores against the real database: facts kept whatever order events arrive in, placement
spells, the month-close aggregate in one statement, keyset pages of the close's per-case and
not-counted queries, advisory locks by name."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from decimal import Decimal

from recoup_billing.rules.model import Window
from recoup_billing.store import close, schedules, statements as st_store
from recoup_billing.usecases import statements
from recoup_shared.locks import lock_key

AUG = date(2026, 8, 1)
BOUNDS = (0, 91, 181, 361)


async def draft_doc(pool, ctx, client_id: str, month: date = AUG) -> dict:
    async with pool.acquire() as conn, conn.transaction():
        return (await statements.compute_draft(conn, ctx, client_id, month)).doc


async def test_out_of_order_events_give_the_same_facts(ev, apply, put_schedule, billing_pool, ctx, client_id):
    """payment.posted and case.updated may arrive before case.received (other topics)."""
    await put_schedule(client_id)
    case = uuid.uuid4()
    await apply(ev.paid(case, on=date(2026, 8, 5), amount="700.00"))
    await apply(ev.updated(case, change="recall", status="recalled", on=date(2026, 8, 20)))
    await apply(ev.received(case, placed_on=date(2026, 8, 1), amount="7000.00", dpd=95))
    async with billing_pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM billing_cases WHERE case_id = $1", case)
    assert (row["status"], row["recalled_on"], row["end_on"]) == ("recalled", date(2026, 8, 20), date(2026, 8, 20))
    ln = (await draft_doc(billing_pool, ctx, client_id))["lines"][1]
    assert (ln["placed"], ln["recovered_in_cycle"], ln["recovered"]) == (
        Decimal("7000.00"), Decimal("700.00"), Decimal("700.00"))


async def test_replacement_starts_a_new_spell(ev, apply, put_schedule, billing_pool, ctx, client_id):
    await put_schedule(client_id)
    case = uuid.uuid4()
    await apply(ev.received(case, placed_on=date(2026, 3, 1), amount="1000.00", dpd=30, placement_id="P1"))
    await apply(ev.received(case, placed_on=date(2026, 5, 1), amount="900.00", dpd=300, placement_id="P2"))
    await apply(ev.paid(case, on=date(2026, 4, 10), amount="100.00"), ev.paid(case, on=date(2026, 5, 10), amount="50.00"))
    async with billing_pool.acquire() as conn:
        rows = await conn.fetch("SELECT placement_id, end_on FROM billing_cases WHERE case_id = $1 ORDER BY 1", case)
    assert [(r["placement_id"], r["end_on"]) for r in rows] == [("P1", date(2026, 4, 30)), ("P2", date(2026, 7, 31))]
    may = await draft_doc(billing_pool, ctx, client_id, date(2026, 5, 1))
    by = {ln["bucket"]: ln for ln in may["lines"]}
    assert by["<=90"]["recovered_in_cycle"] == Decimal("100.00") and by["181-360"]["recovered"] == Decimal("50.00")


async def test_aggregate_is_one_statement_for_all_months(scenario, billing_pool, client_id):
    await scenario()
    sql = close.aggregate_sql(3, True)
    assert sql.count("GROUP BY") == 3 and "FILTER" in sql  # placed, paid, corrections: one statement
    windows = [Window.of(date(2026, m, 1), 3) for m in (8, 6, 7)]
    async with billing_pool.acquire() as conn:
        figs = await close.aggregate(conn, client_id, BOUNDS, windows, windows[0])
    assert figs[0].bucket(2).cycle == Decimal("12600.00") and figs[1].bucket(2).cycle == Decimal("5000.00")
    assert (figs[0].unmatched_n, figs[0].unmatched) == (4, Decimal("2550.00"))


async def test_per_case_and_not_counted_pages_follow_their_keyset(scenario, billing_pool, client_id):
    await scenario()
    w = Window.of(AUG, 3)
    async with billing_pool.acquire() as conn:
        sums, every = await close.cases_page(conn, client_id, BOUNDS, w, 2, 100)
        seen = []
        after = None
        while True:
            _, rows = await close.cases_page(conn, client_id, BOUNDS, w, 2, 1, after)
            if not rows:
                break
            seen += rows
            after = (rows[-1]["case_id"], rows[-1]["placement_id"])
        assert sums["total"] == 3 and [dict(r) for r in seen] == [dict(r) for r in every]
        by_reason, all_nc = await close.not_counted(conn, client_id, Window.of(AUG, 1), 100)
        _, first = await close.not_counted(conn, client_id, Window.of(AUG, 1), 2)
        _, rest = await close.not_counted(conn, client_id, Window.of(AUG, 1), 100,
                                          (first[-1]["paid_on"], first[-1]["txn_ref"]))
    assert sum(r["count"] for r in by_reason) == 4
    assert [r["txn_ref"] for r in first + rest] == [r["txn_ref"] for r in all_nc]


async def test_schedule_versions_are_serialised_per_client(billing_pool, client_id):
    """Concurrent PUTs of one client's schedule get versions 1 and 2, never twice 1 (xact_lock)."""
    from recoup_billing.schemas import FeeScheduleIn

    body = FeeScheduleIn.model_validate({"effective_from": "2026-01-01", "reduction_pct": "0.2", "buckets": [
        {"dpd_min": 0, "base_rate": "0.1", "benchmark_rate": "0.8", "minimum_rate": "0.5"}]}).model_dump(
        exclude={"note"})

    async def put() -> int:
        async with billing_pool.acquire() as conn, conn.transaction():
            schedule, _ = await schedules.insert_schedule(conn, client_id, body, "test", None)
            await asyncio.sleep(0.05)  # hold the lock a little: the other writer must wait
            return schedule.version

    assert sorted(await asyncio.gather(put(), put())) == [1, 2]


async def test_the_statement_lock_is_the_shared_named_lock(billing_pool, client_id):
    key = lock_key("billing-statement", client_id, AUG.isoformat()) & 0xFFFFFFFFFFFFFFFF
    async with billing_pool.acquire() as conn, conn.transaction():
        await st_store.lock_month(conn, client_id, AUG)
        held = await conn.fetchval(
            """SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()
               AND classid::text::bigint = $1 AND objid::text::bigint = $2""", key >> 32, key & 0xFFFFFFFF)
    assert held == 1
