"""The use cases against the real database, called as the routes call them (conn, ctx, principal,
command): the worked scenario (conftest.py) checked by hand, drill-down consistent with the lines,
not-counted reasons, exclusions (R-42), issue and re-issue (frozen, immutable revisions), object
checks, schedules, recovery rates and performance."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import asyncpg
import pytest

from recoup_billing.rules.errors import NoFeeSchedule, StatementNotFound
from recoup_billing.schemas import FeeScheduleIn
from recoup_billing.store import statements as st_store
from recoup_billing.usecases import drilldown, exclusions, performance, rates, schedules, statements
from recoup_billing.usecases.statements import Draft, Issue, StatementRef
from recoup_shared.auth import Principal
from recoup_shared.errors import Forbidden, UnprocessableInput

AUG = date(2026, 8, 1)
D = Decimal


async def draft(pool: asyncpg.Pool, ctx, client_id: str, month: date = AUG) -> Draft:
    async with pool.acquire() as conn, conn.transaction():
        return await statements.compute_draft(conn, ctx, client_id, month)


async def issue(pool: asyncpg.Pool, ctx, who: Principal, cmd: Issue) -> dict:
    async with pool.acquire() as conn, conn.transaction():
        return await statements.issue(conn, ctx, who, cmd)


async def line(pool, ctx, who, client_id, bucket, limit=100, after=None, revision=None) -> dict:
    async with pool.acquire() as conn:
        return await drilldown.line_cases(conn, ctx, who, drilldown.LineQuery(
            client_id, AUG, bucket, revision, after, limit))


async def test_worked_scenario_by_hand(check_aug, scenario, billing_pool, ctx, client_id):
    await scenario()
    out = (await draft(billing_pool, ctx, client_id)).doc
    assert out["status"] == "draft" and out["revision"] is None
    assert (out["cycle"]["window_start"], out["cycle"]["window_end"]) == (date(2026, 6, 1), date(2026, 8, 31))
    assert [ln["bucket"] for ln in out["lines"]] == ["<=90", "91-180", "181-360", ">=361"]
    check_aug(out["lines"])
    t = out["totals"]
    assert (t["placed_before_exclusions"], t["excluded_placed"], t["placed"]) == (
        D("175000.00"), D("20000.00"), D("155000.00"))
    assert (t["recovered_in_cycle"], t["recovered"], t["fee"]) == (D("25200.00"), D("14600.00"), D("1494.40"))
    # R-41 history: June and July computed the same way
    hist = {h["month"]: {b["bucket"]: b for b in h["buckets"]} for h in out["below_minimum_history"]}
    assert list(hist) == ["2026-06", "2026-07"]
    assert [hist[m]["91-180"]["recovery_rate"] for m in hist] == [D("0.1000"), D("0.1000")]
    assert all(hist[m]["91-180"]["below_minimum"] for m in hist)
    assert all(hist[m]["181-360"]["below_minimum"] for m in hist)
    assert hist["2026-06"]["<=90"]["recovery_rate"] is None and not hist["2026-06"]["<=90"]["below_minimum"]
    assert hist["2026-07"]["<=90"]["below_minimum"]  # 4,000 / 10,000 = 40% < 60%
    before = {ln["bucket"]: ln["months_below_minimum_before"] for ln in out["lines"]}
    assert before == {"<=90": 1, "91-180": 2, "181-360": 2, ">=361": 0}
    # the not-counted section: never silently lost
    nc = out["not_counted"]
    assert (nc["count"], nc["amount"]) == (4, D("2550.00"))
    assert {r["reason"]: (r["count"], r["amount"]) for r in nc["by_reason"]} == {
        "after_placement_end": (1, D("2000.00")), "after_recall": (1, D("300.00")),
        "case_unknown": (1, D("50.00")), "before_placement": (1, D("200.00"))}
    assert "placed_on <= paid_on" in nc["rule"]
    # explanations carry the formula and inputs
    ln = out["lines"][1]
    assert "12,600.00" in ln["formula"] and "36,000.00" in ln["formula"] and "20,000.00 excluded" in ln["formula"]
    assert "reduced" in ln["explanation"] and "1,094.40" in ln["explanation"]
    assert out["computed_at"] == ctx.clock.now()  # the business clock, not the machine's


async def test_drill_down_sums_equal_the_lines(scenario, billing_pool, ctx, finance, client_id):
    ids = await scenario()
    d = await draft(billing_pool, ctx, client_id)
    for ln in d.doc["lines"]:
        dd = await line(billing_pool, ctx, finance, client_id, ln["bucket"], limit=2)
        sums = dd["sums"]
        assert sums["placed"] == ln["placed_before_exclusions"]
        assert sums["excluded_placed"] == ln["excluded_placed"]
        assert sums["recovered_in_cycle"] == ln["recovered_in_cycle"]
        assert sums["recovered"] == ln["recovered"]
        assert sums["cases"] == ln["cases"]
        assert len(dd["cases"]) == min(2, dd["total"])
    dd = await line(billing_pool, ctx, finance, client_id, "91-180")
    by_case = {c["case_id"]: c for c in dd["cases"]}
    assert set(by_case) == {ids["A"], ids["E"], ids["G"]}
    a = by_case[ids["A"]]
    assert [(p["amount"], p["counted_in_cycle"], p["counted_in_month"]) for p in a["repayments"]] == [
        (D("5000.00"), True, False), (D("7000.00"), True, True)]
    assert by_case[ids["E"]]["excluded"] and by_case[ids["G"]]["placed"] == D("6000.00")
    # the case placed before the window is behind the fee base, not the cohort
    dd3 = await line(billing_pool, ctx, finance, client_id, "3")
    c = next(x for x in dd3["cases"] if x["case_id"] == ids["C"])
    assert (c["in_cohort"], c["placed"], c["recovered_in_month"]) == (False, D("0"), D("1000.00"))
    assert [p["amount"] for p in c["repayments"]] == [D("1000.00")]  # 08-25 is not counted


async def test_drill_down_pages_with_a_keyset(scenario, billing_pool, ctx, finance, client_id):
    ids = await scenario()
    first = await line(billing_pool, ctx, finance, client_id, "91-180", limit=2)
    assert first["next_cursor"] and len(first["cases"]) == 2 and first["total"] == 3
    last = first["cases"][-1]
    rest = await line(billing_pool, ctx, finance, client_id, "91-180", limit=2,
                      after=(last["case_id"], last["placement_id"]))
    assert rest["next_cursor"] is None and len(rest["cases"]) == 1
    assert {c["case_id"] for c in first["cases"] + rest["cases"]} == {ids["A"], ids["E"], ids["G"]}
    async with billing_pool.acquire() as conn:
        nc = await drilldown.not_counted(conn, ctx, finance, drilldown.NotCountedQuery(client_id, AUG, limit=3))
        tail = nc["repayments"][-1]
        nc2 = await drilldown.not_counted(conn, ctx, finance, drilldown.NotCountedQuery(
            client_id, AUG, after=(tail["paid_on"], tail["txn_ref"]), limit=3))
    assert (nc["total"], len(nc["repayments"]), len(nc2["repayments"]), nc2["next_cursor"]) == (4, 3, 1, None)
    assert [r["paid_on"] for r in nc["repayments"] + nc2["repayments"]] == sorted(
        r["paid_on"] for r in nc["repayments"] + nc2["repayments"])


async def test_exclusion_applies_only_when_the_cycle_completes(scenario, billing_pool, ctx, client_id):
    """R-42: E (placed 2026-06-15) is in the June, July and August cohorts; its exclusion reduces
    only August's denominator, the statement whose window begins with June."""
    await scenario()
    july = await draft(billing_pool, ctx, client_id, date(2026, 7, 1))
    jl = {ln["bucket"]: ln for ln in july.doc["lines"]}["91-180"]
    assert (jl["placed_before_exclusions"], jl["excluded_placed"]) == (D("50000.00"), D("0.00"))
    sept = await draft(billing_pool, ctx, client_id, date(2026, 9, 1))
    sl = {ln["bucket"]: ln for ln in sept.doc["lines"]}["91-180"]
    assert sl["excluded_placed"] == D("0.00")  # E left the cohort (window Jul-Sep)


async def test_without_exclusion_the_rate_uses_the_full_placed_amount(scenario, billing_pool, ctx, client_id):
    await scenario(with_exclusion=False)
    ln = {x["bucket"]: x for x in (await draft(billing_pool, ctx, client_id)).doc["lines"]}["91-180"]
    # 12,600 / 56,000 = 22.5% < 30% minimum → below minimum for the 3rd month → no fee
    assert (ln["placed"], ln["recovery_rate"], ln["tier"], ln["fee"]) == (
        D("56000.00"), D("0.2250"), "no_fee", D("0.00"))


async def test_replaying_every_event_changes_nothing(scenario, billing_pool, ctx, client_id, apply, ev):
    await scenario()
    first = (await draft(billing_pool, ctx, client_id)).doc
    tables = ("billing_cases", "billing_repayments", "billing_case_changes")
    async with billing_pool.acquire() as conn:
        counts = [await conn.fetchval(f"SELECT count(*) FROM {t} WHERE client_id = $1", client_id) for t in tables]
        r = await conn.fetchrow("SELECT * FROM billing_repayments WHERE client_id = $1 LIMIT 1", client_id)
    # the same repayment txn_ref again under a new event id (the client re-posted it)
    await apply(ev.paid(r["case_id"], on=r["paid_on"], amount="999.00", txn_ref=r["txn_ref"]))
    second = (await draft(billing_pool, ctx, client_id)).doc
    assert second["lines"] == first["lines"]
    async with billing_pool.acquire() as conn:
        assert counts == [await conn.fetchval(f"SELECT count(*) FROM {t} WHERE client_id = $1", client_id)
                          for t in tables]


async def test_issue_freezes_lines_cases_and_not_counted(check_aug, scenario, billing_pool, ctx, finance,
                                                         client_id, apply, ev):
    ids = await scenario()
    issued = await issue(billing_pool, ctx, finance, Issue(client_id, AUG))
    assert (issued["status"], issued["revision"], issued["issued_by"]) == ("issued", 1, "fin-1")
    assert issued["computed_at"] == ctx.clock.now()
    check_aug(issued["lines"])
    draft_lines = (await draft(billing_pool, ctx, client_id)).doc["lines"]
    assert issued["lines"] == draft_lines
    async with billing_pool.acquire() as conn:
        head = await st_store.get_issued(conn, client_id, AUG)
        sums = await conn.fetch(
            """SELECT position, sum(placed) AS placed, sum(recovered_in_cycle) AS cyc,
                      sum(recovered_in_month) AS mon FROM billing_statement_cases
               WHERE statement_id = $1 GROUP BY 1 ORDER BY 1""", head["id"])
        for row, ln in zip(sums, issued["lines"]):
            assert (row["placed"], row["cyc"], row["mon"]) == (
                ln["placed_before_exclusions"], ln["recovered_in_cycle"], ln["recovered"])
        assert await conn.fetchval(
            "SELECT sum(amount) FROM billing_statement_not_counted WHERE statement_id = $1", head["id"]
        ) == D("2550.00")
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
        again = await statements.read_statement(conn, ctx, finance, StatementRef(client_id, AUG))
    dd = await line(billing_pool, ctx, finance, client_id, "<=90")
    assert again["revision"] == 1 and again["lines"][0]["recovered"] == D("5000.00")
    assert dd["sums"]["recovered"] == D("5000.00")
    b = next(c for c in dd["cases"] if c["case_id"] == ids["B"])
    assert [p["amount"] for p in b["repayments"]] == [D("4000.00"), D("5000.00")]  # as issued
    # ... and the re-issue picks it up as revision 2, keeping revision 1
    rev2 = await issue(billing_pool, ctx, Principal(sub="fin-2", roles=frozenset({"finance"})),
                       Issue(client_id, AUG, reason="late CP data", reissue=True))
    assert (rev2["revision"], rev2["reason"], rev2["lines"][0]["recovered"]) == (2, "late CP data", D("6000.00"))
    async with billing_pool.acquire() as conn:
        old = await statements.read_statement(conn, ctx, finance, StatementRef(client_id, AUG, 1))
    assert (old["status"], old["latest_revision"], old["lines"][0]["recovered"]) == ("superseded", 2, D("5000.00"))
    assert old["superseded_at"] is not None and rev2["superseded_at"] is None


async def test_issued_history_is_used_for_r41(check_aug, scenario, billing_pool, ctx, finance, client_id):
    """An issued July is the history August uses (what the client was told), not a recomputation."""
    await scenario()
    await issue(billing_pool, ctx, finance, Issue(client_id, date(2026, 7, 1)))
    out = (await draft(billing_pool, ctx, client_id)).doc
    assert [h["source"] for h in out["below_minimum_history"]] == ["computed", "issued r1"]
    check_aug(out["lines"])


async def test_no_schedule_is_a_409_unless_fallback(billing_pool, ctx, make_ctx):
    client = f"none-{uuid.uuid4().hex[:6]}"
    with pytest.raises(NoFeeSchedule):
        await draft(billing_pool, ctx, client)
    out = (await draft(billing_pool, await make_ctx(default_schedule_fallback=True), client)).doc
    assert out["schedule"]["source"] == "default" and out["totals"]["fee"] == D("0.00")


async def test_a_client_system_reads_its_own_issued_statements_only(scenario, billing_pool, ctx, finance, client_id):
    await scenario()
    me = Principal(sub="bank", roles=frozenset({"client"}), client_id=client_id)
    other = Principal(sub="other", roles=frozenset({"client"}), client_id="someone-else")
    async with billing_pool.acquire() as conn:
        with pytest.raises(StatementNotFound):  # a draft is not for the client
            await statements.read_statement(conn, ctx, me, StatementRef(client_id, AUG))
        with pytest.raises(Forbidden):
            await statements.read_statement(conn, ctx, other, StatementRef(client_id, AUG))
        with pytest.raises(Forbidden):
            await statements.list_statements(conn, ctx, other, statements.StatementList(client_id))
    await issue(billing_pool, ctx, finance, Issue(client_id, AUG))
    async with billing_pool.acquire() as conn:
        assert (await statements.read_statement(conn, ctx, me, StatementRef(client_id, AUG)))["status"] == "issued"
        listing = await statements.list_statements(conn, ctx, me, statements.StatementList(client_id, limit=1))
    assert [(s["month"], s["revision"]) for s in listing["statements"]] == [("2026-08", 1)]
    assert listing["next_cursor"] is None


async def test_schedules_recovery_rates_and_performance(scenario, billing_pool, ctx, finance, client_id):
    await scenario()
    async with billing_pool.acquire() as conn:
        got = await schedules.get_schedules(conn, ctx, finance, client_id)
        assert got["current"]["version"] == 1 and [v["version"] for v in got["versions"]] == [1]
        terms = FeeScheduleIn.model_validate({
            "effective_from": "2026-01-01", "reduction_pct": "0.20", "rounding": "ROUND_SOMETIMES", "buckets": [
                {"dpd_min": 0, "base_rate": "0.10", "benchmark_rate": "0.85", "minimum_rate": "0.60"}]})
        with pytest.raises(UnprocessableInput) as refused:
            await schedules.put_schedule(conn, ctx, finance, schedules.NewSchedule(
                client_id, terms.model_dump(exclude={"note"})))
        assert refused.value.errors[0]["field"] == "rounding"
        r = await rates.recovery_rates(conn, ctx, finance, rates.RatesQuery(client_id, AUG, history=1))
        assert [m["month"] for m in r["months"]] == ["2026-07", "2026-08"]
        assert r["months"][1]["total"]["placed"] == D("155000.00")
        perf = await performance.performance(conn, ctx, finance, performance.PerformanceQuery(AUG, client_id=client_id))
        assert perf["total_recovered"] == D("14600.00") and perf["unattributed"] == D("14600.00")
        lead = Principal(sub="lead", roles=frozenset({"team_lead"}), team_id="T1")
        with pytest.raises(Forbidden):
            await performance.performance(conn, ctx, lead, performance.PerformanceQuery(AUG, team_id="T2"))
        listing = await exclusions.list_exclusions(conn, ctx, finance, exclusions.ExclusionQuery(client_id))
    assert listing["total"] == 1 and listing["exclusions"][0]["takes_effect_in"] == "2026-08"


async def test_performance_counts_records_in_force_and_contacts_promise_outcomes(ev, apply, billing_pool, ctx,
                                                                                 finance, client_id):
    """contact.logged as the contact service sends it (issue 9): a promise outcome is no contact and
    judges the promise it names; a corrected record counts once, with its latest correction's values,
    for the original's author — whoever corrected it."""
    x = uuid.uuid4()
    a, lead = f"{client_id}-a", f"{client_id}-lead"
    t = lambda s: datetime.fromisoformat(f"2026-08-{s}+08:00")  # noqa: E731
    await apply(ev.received(x, placed_on=date(2026, 8, 1), amount="10000.00", dpd=50))
    await apply(ev.allocated(x, collector_id=a, when=t("01T10:00:00"), team_id="T1"),
                ev.allocated(x, collector_id=lead, when=t("01T09:00:00"), team_id="T1"))
    r1 = ev.contact(x, collector_id=a, when=t("03T10:00:00"), effective=False, contact_id="R1")
    await apply(
        r1,
        # the team lead corrects it (connected), then the author corrects it again (a promise): the last wins
        ev.contact(x, collector_id=lead, when=t("03T10:00:00"), effective=True, corrects="R1", contact_id="R1a"),
        ev.contact(x, collector_id=a, when=t("03T10:00:00"), effective=True, corrects="R1", contact_id="R1b",
                   ptp=("500.00", date(2026, 8, 10)), promise_id="P1"),
        ev.contact(x, collector_id=a, when=t("04T10:00:00"), ptp=("300.00", date(2026, 8, 12)), promise_id="P2"),
        ev.contact(x, collector_id=a, when=t("05T10:00:00"), ptp=("200.00", date(2026, 8, 20)), promise_id="P3"),
    )
    # a repayment between promise day and due date: the old judgement here would keep P1 and P2;
    # contact matched it to P2 only (oldest open first, R-23) and judged P1 broken; P3 is a plan
    # whose first instalment was kept but which as a whole is still open
    await apply(ev.paid(x, on=date(2026, 8, 6), amount="300.00"))
    await apply(
        ev.outcome(x, collector_id=a, promise_id="P2", outcome="kept", on=date(2026, 8, 6), promised="300.00",
                   paid="300.00"),
        ev.outcome(x, collector_id=a, promise_id="P1", outcome="broken", on=date(2026, 8, 11), promised="500.00",
                   paid="0.00"),
        ev.outcome(x, collector_id=a, promise_id="P3", outcome="kept", on=date(2026, 8, 6), promised="100.00",
                   paid="100.00", instalment=1),
    )
    await apply(r1)   # a re-delivered original changes nothing
    async with billing_pool.acquire() as conn:
        perf = await performance.performance(conn, ctx, finance, performance.PerformanceQuery(
            AUG, client_id=client_id, by_day=True))
    got = {c["collector_id"]: c for c in perf["collectors"]}
    assert lead not in got
    me = got[a]
    assert (me["contacts"], me["calls"], me["effective_contacts"], me["active_days"]) == (3, 3, 3, 3)
    assert (me["ptps_made"], me["ptps_kept"], me["ptps_decided"], me["ptp_kept_rate"]) == (3, 1, 2, D("0.5"))
    assert [(d["day"], d["contacts"], d["effective_contacts"], d["ptps_made"]) for d in me["daily"]] == [
        (date(2026, 8, 3), 1, 1, 1), (date(2026, 8, 4), 1, 1, 1), (date(2026, 8, 5), 1, 1, 1)]
    assert "promise outcome" in perf["definitions"]["contacts"]
