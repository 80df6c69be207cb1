"""The month close against the real database: the worked scenario (conftest.py) checked by hand,
drill-down and snapshots consistent with the lines, not-counted reasons, exclusions (R-42),
issued statements immutable."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import asyncpg
import pytest

from recoup_billing import closing
from recoup_billing.store import close, statements as st_store

CFG = closing.CloseConfig(not_counted_sample=10)
TODAY = date(2026, 11, 24)
AUG = date(2026, 8, 1)


async def draft(pool: asyncpg.Pool, client_id: str, month: date = AUG) -> closing.Draft:
    async with pool.acquire() as conn, conn.transaction():
        return await closing.compute_draft(conn, CFG, client_id, month)


async def test_worked_scenario_by_hand(check_aug, scenario, billing_pool, client_id):
    await scenario()
    d = await draft(billing_pool, client_id)
    out = d.out
    assert out.status == "draft" and out.revision is None
    assert (out.cycle.window_start, out.cycle.window_end) == (date(2026, 6, 1), date(2026, 8, 31))
    assert [ln.bucket for ln in out.lines] == ["<=90", "91-180", "181-360", ">=361"]
    check_aug(out.lines)
    t = out.totals
    assert (t.placed_before_exclusions, t.excluded_placed, t.placed) == (
        Decimal("175000.00"), Decimal("20000.00"), Decimal("155000.00"))
    assert (t.recovered_in_cycle, t.recovered, t.fee) == (Decimal("25200.00"), Decimal("14600.00"),
                                                          Decimal("1494.40"))
    # R-41 history: June and July computed the same way
    hist = {h.month: {b.bucket: b for b in h.buckets} for h in out.below_minimum_history}
    assert list(hist) == ["2026-06", "2026-07"]
    assert [hist[m]["91-180"].recovery_rate for m in hist] == [Decimal("0.1000"), Decimal("0.1000")]
    assert all(hist[m]["91-180"].below_minimum for m in hist)
    assert all(hist[m]["181-360"].below_minimum for m in hist)
    assert hist["2026-06"]["<=90"].recovery_rate is None and not hist["2026-06"]["<=90"].below_minimum
    assert hist["2026-07"]["<=90"].below_minimum  # 4,000 / 10,000 = 40% < 60%
    before = {ln.bucket: ln.months_below_minimum_before for ln in out.lines}
    assert before == {"<=90": 1, "91-180": 2, "181-360": 2, ">=361": 0}
    # the not-counted section: never silently lost
    nc = out.not_counted
    assert (nc.count, nc.amount) == (4, Decimal("2550.00"))
    assert {r.reason: (r.count, r.amount) for r in nc.by_reason} == {
        "after_placement_end": (1, Decimal("2000.00")), "after_recall": (1, Decimal("300.00")),
        "case_unknown": (1, Decimal("50.00")), "before_placement": (1, Decimal("200.00"))}
    assert "placed_on <= paid_on" in nc.rule
    # explanations carry the formula and inputs
    line = out.lines[1]
    assert "12,600.00" in line.formula and "36,000.00" in line.formula and "20,000.00 excluded" in line.formula
    assert "reduced" in line.explanation and "1,094.40" in line.explanation


async def test_drill_down_sums_equal_the_lines(scenario, billing_pool, client_id):
    ids = await scenario()
    d = await draft(billing_pool, client_id)
    async with billing_pool.acquire() as conn:
        for ln in d.out.lines:
            dd = await closing.drill_down(conn, CFG, client_id, AUG, ln.bucket, None, 2, 0, True)
            assert dd.sums.placed == ln.placed_before_exclusions
            assert dd.sums.excluded_placed == ln.excluded_placed
            assert dd.sums.recovered_in_cycle == ln.recovered_in_cycle
            assert dd.sums.recovered == ln.recovered
            assert dd.sums.cases == ln.cases
            assert len(dd.cases) == min(2, dd.total)
        dd = await closing.drill_down(conn, CFG, client_id, AUG, "91-180", None, 100, 0, True)
    by_case = {c.case_id: c for c in dd.cases}
    assert set(by_case) == {ids["A"], ids["E"], ids["G"]}
    a = by_case[ids["A"]]
    assert [(p.amount, p.counted_in_cycle, p.counted_in_month) for p in a.repayments] == [
        (Decimal("5000.00"), True, False), (Decimal("7000.00"), True, True)]
    assert by_case[ids["E"]].excluded and by_case[ids["G"]].placed == Decimal("6000.00")
    # the case placed before the window is behind the fee base, not the cohort
    async with billing_pool.acquire() as conn:
        dd3 = await closing.drill_down(conn, CFG, client_id, AUG, "3", None, 100, 0, True)
    c = next(x for x in dd3.cases if x.case_id == ids["C"])
    assert (c.in_cohort, c.placed, c.recovered_in_month) == (False, Decimal("0"), Decimal("1000.00"))
    assert [p.amount for p in c.repayments] == [Decimal("1000.00")]  # 08-25 is not counted


async def test_exclusion_applies_only_when_the_cycle_completes(scenario, billing_pool, client_id):
    """R-42: E (placed 2026-06-15) is in the June, July and August cohorts; its exclusion reduces
    only August's denominator, the statement whose window begins with June."""
    await scenario()
    july = await draft(billing_pool, client_id, date(2026, 7, 1))
    jl = {ln.bucket: ln for ln in july.out.lines}["91-180"]
    assert (jl.placed_before_exclusions, jl.excluded_placed) == (Decimal("50000.00"), Decimal("0.00"))
    sept = await draft(billing_pool, client_id, date(2026, 9, 1))
    sl = {ln.bucket: ln for ln in sept.out.lines}["91-180"]
    assert sl.excluded_placed == Decimal("0.00")  # E left the cohort (window Jul-Sep)


async def test_without_exclusion_the_rate_uses_the_full_placed_amount(scenario, billing_pool, client_id):
    await scenario(with_exclusion=False)
    ln = {x.bucket: x for x in (await draft(billing_pool, client_id)).out.lines}["91-180"]
    # 12,600 / 56,000 = 22.5% < 30% minimum → below minimum for the 3rd month → no fee
    assert (ln.placed, ln.recovery_rate, ln.tier, ln.fee) == (
        Decimal("56000.00"), Decimal("0.2250"), "no_fee", Decimal("0.00"))


async def test_replaying_every_event_changes_nothing(scenario, billing_pool, client_id, apply, ev):
    await scenario()
    first = (await draft(billing_pool, client_id)).out
    async with billing_pool.acquire() as conn:
        counts = [await conn.fetchval(f"SELECT count(*) FROM {t} WHERE client_id = $1", client_id)
                  for t in ("billing_cases", "billing_repayments", "billing_case_changes")]
    # the same repayment txn_ref again under a new event id (the client re-posted it)
    async with billing_pool.acquire() as conn:
        r = await conn.fetchrow("SELECT * FROM billing_repayments WHERE client_id = $1 LIMIT 1", client_id)
    await apply(ev.paid(r["case_id"], on=r["paid_on"], amount="999.00", txn_ref=r["txn_ref"]))
    second = (await draft(billing_pool, client_id)).out
    assert [ln.model_dump() for ln in second.lines] == [ln.model_dump() for ln in first.lines]
    async with billing_pool.acquire() as conn:
        assert counts == [await conn.fetchval(f"SELECT count(*) FROM {t} WHERE client_id = $1", client_id)
                          for t in ("billing_cases", "billing_repayments", "billing_case_changes")]


async def test_issue_freezes_lines_cases_and_not_counted(check_aug, scenario, billing_pool, client_id, apply, ev):
    ids = await scenario()
    async with billing_pool.acquire() as conn, conn.transaction():
        issued = await closing.issue(conn, CFG, client_id, AUG, "fin-1", TODAY)
    assert (issued.status, issued.revision, issued.issued_by) == ("issued", 1, "fin-1")
    check_aug(issued.lines)
    draft_lines = (await draft(billing_pool, client_id)).out.lines
    assert [ln.model_dump() for ln in issued.lines] == [ln.model_dump() for ln in draft_lines]
    async with billing_pool.acquire() as conn:
        head = await st_store.get_issued(conn, client_id, AUG)
        sums = await conn.fetch(
            """SELECT position, sum(placed) AS placed, sum(recovered_in_cycle) AS cyc,
                      sum(recovered_in_month) AS mon FROM billing_statement_cases
               WHERE statement_id = $1 GROUP BY 1 ORDER BY 1""", head["id"])
        for row, ln in zip(sums, issued.lines):
            assert (row["placed"], row["cyc"], row["mon"]) == (
                ln.placed_before_exclusions, ln.recovered_in_cycle, ln.recovered)
        assert await conn.fetchval(
            "SELECT sum(amount) FROM billing_statement_not_counted WHERE statement_id = $1", head["id"]
        ) == Decimal("2550.00")
        # immutable: the database refuses any change
        with pytest.raises(asyncpg.IntegrityConstraintViolationError):
            await conn.execute("UPDATE billing_statement_lines SET fee = 0 WHERE statement_id = $1", head["id"])
        with pytest.raises(asyncpg.IntegrityConstraintViolationError):
            await conn.execute("UPDATE billing_statements SET total_fee = 0 WHERE id = $1", head["id"])
        with pytest.raises(asyncpg.IntegrityConstraintViolationError):
            await conn.execute("DELETE FROM billing_statement_cases WHERE statement_id = $1", head["id"])
    # a late repayment changes the draft figures but not the issued revision
    await apply(ev.paid(ids["B"], on=date(2026, 8, 30), amount="1000.00"))
    async with billing_pool.acquire() as conn:
        again = await closing.read_statement(conn, CFG, client_id, AUG, None, True)
        dd = await closing.drill_down(conn, CFG, client_id, AUG, "<=90", None, 100, 0, True)
    assert again.revision == 1 and again.lines[0].recovered == Decimal("5000.00")
    assert dd.sums.recovered == Decimal("5000.00")
    b = next(c for c in dd.cases if c.case_id == ids["B"])
    assert [p.amount for p in b.repayments] == [Decimal("4000.00"), Decimal("5000.00")]  # as issued
    # ... and the re-issue picks it up as revision 2, keeping revision 1
    async with billing_pool.acquire() as conn, conn.transaction():
        rev2 = await closing.issue(conn, CFG, client_id, AUG, "fin-2", TODAY, reason="late CP data", reissue=True)
    assert (rev2.revision, rev2.reason, rev2.lines[0].recovered) == (2, "late CP data", Decimal("6000.00"))
    async with billing_pool.acquire() as conn:
        old = await closing.read_statement(conn, CFG, client_id, AUG, 1, True)
    assert (old.status, old.latest_revision, old.lines[0].recovered) == ("superseded", 2, Decimal("5000.00"))


async def test_issued_history_is_used_for_r41(check_aug, scenario, billing_pool, client_id):
    """An issued July is the history August uses (what the client was told), not a recomputation."""
    await scenario()
    async with billing_pool.acquire() as conn, conn.transaction():
        await closing.issue(conn, CFG, client_id, date(2026, 7, 1), "fin-1", TODAY)
    out = (await draft(billing_pool, client_id)).out
    assert [h.source for h in out.below_minimum_history] == ["computed", "issued r1"]
    check_aug(out.lines)


async def test_out_of_order_events_give_the_same_facts(ev, apply, put_schedule, billing_pool, client_id):
    """payment.posted and case.updated may arrive before case.received (other topics)."""
    await put_schedule(client_id)
    case = uuid.uuid4()
    await apply(ev.paid(case, on=date(2026, 8, 5), amount="700.00"))
    await apply(ev.updated(case, change="recall", status="recalled", on=date(2026, 8, 20)))
    await apply(ev.received(case, placed_on=date(2026, 8, 1), amount="7000.00", dpd=95))
    async with billing_pool.acquire() as conn:
        row = await conn.fetchrow("SELECT * FROM billing_cases WHERE case_id = $1", case)
    assert (row["status"], row["recalled_on"], row["end_on"]) == ("recalled", date(2026, 8, 20), date(2026, 8, 20))
    ln = (await draft(billing_pool, client_id)).out.lines[1]
    assert (ln.placed, ln.recovered_in_cycle, ln.recovered) == (
        Decimal("7000.00"), Decimal("700.00"), Decimal("700.00"))


async def test_replacement_starts_a_new_spell(ev, apply, put_schedule, billing_pool, client_id):
    await put_schedule(client_id)
    case = uuid.uuid4()
    await apply(ev.received(case, placed_on=date(2026, 3, 1), amount="1000.00", dpd=30, placement_id="P1"))
    await apply(ev.received(case, placed_on=date(2026, 5, 1), amount="900.00", dpd=300, placement_id="P2"))
    await apply(ev.paid(case, on=date(2026, 4, 10), amount="100.00"), ev.paid(case, on=date(2026, 5, 10), amount="50.00"))
    async with billing_pool.acquire() as conn:
        rows = await conn.fetch("SELECT placement_id, end_on FROM billing_cases WHERE case_id = $1 ORDER BY 1", case)
    assert [(r["placement_id"], r["end_on"]) for r in rows] == [("P1", date(2026, 4, 30)), ("P2", date(2026, 7, 31))]
    may = (await draft(billing_pool, client_id, date(2026, 5, 1))).out
    by = {ln.bucket: ln for ln in may.lines}
    assert by["<=90"].recovered_in_cycle == Decimal("100.00") and by["181-360"].recovered == Decimal("50.00")


async def test_no_schedule_is_a_409_unless_fallback(billing_pool):
    client = f"none-{uuid.uuid4().hex[:6]}"
    async with billing_pool.acquire() as conn, conn.transaction():
        with pytest.raises(closing.NoFeeSchedule):
            await closing.compute_draft(conn, CFG, client, AUG)
        out = (await closing.compute_draft(conn, closing.CloseConfig(default_schedule_fallback=True),
                                           client, AUG)).out
    assert out.schedule.source == "default" and out.totals.fee == Decimal("0.00")


async def test_aggregate_is_one_statement_for_all_months(scenario, billing_pool, client_id):
    await scenario()
    sql = close.aggregate_sql(3, True)
    assert sql.count("GROUP BY") == 3 and "FILTER" in sql  # placed, paid, corrections: one statement
    windows = [close.Window.of(date(2026, m, 1), 3) for m in (8, 6, 7)]
    async with billing_pool.acquire() as conn:
        figs = await close.aggregate(conn, client_id, (0, 91, 181, 361), windows, windows[0])
    assert figs[0].bucket(2).cycle == Decimal("12600.00") and figs[1].bucket(2).cycle == Decimal("5000.00")
    assert (figs[0].unmatched_n, figs[0].unmatched) == (4, Decimal("2550.00"))
