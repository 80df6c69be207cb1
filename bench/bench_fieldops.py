"""Field-visit daily planning at scale: 5,000 approved visits, 200 teams, one working day.

The input (generated, deterministic, not measured): 10 provinces × 4 cities × 5 districts; one team
per district (2–4 agents, a few with a single agent on duty, so their district cannot be served),
every fifth team also covering its whole city; visits spread over the districts with deadlines
from three days overdue to ten days ahead (some without), 40 % workplace and 60 % home addresses,
5 % special population, some cases with two or three visits, a few cases visited the day before.

Measured in the same run, best of RUNS:
- use case: `recoup_fieldops.usecases.planning.plan` on the service's own database — the rows
  loaded (approved visits with their cases, teams, agents on duty, policy levels, the compliance
  history), each case's policy built, the planner with the shared compliance engine behind its
  protocol, and everything written back (visits planned, reservations, the not-planned list, the
  run, one `visit.planned` event per planned visit in the outbox); rolled back after each run so
  every run plans the same day. Target: < 5 s.
- planner: `plan_day` alone in pure Python, the engine configured by `CapsAndWindow`;
- floor: the same rows grouped and sorted in one SQL statement on the service's tables — visits
  joined to their district team, ranked per team and band by deadline, cut at the band's slots,
  ordered by the nested area groups' earliest deadlines (no compliance, no choice among teams:
  what a person would write by hand), fetched to Python.

Prints the three timings and the ratios to the floor.
"""

from __future__ import annotations

import os
import random
import time
from datetime import date, timedelta
from zoneinfo import ZoneInfo

N_VISITS = int(os.environ.get("BENCH_FIELDOPS_VISITS", 5_000))
N_TEAMS = 200
RUNS = int(os.environ.get("BENCH_FIELDOPS_RUNS", 5))
DAY = date(2026, 10, 9)                    # a Friday, a working day after the Golden Week
SLOT_MINUTES, TEAM_CAPACITY = 30, 25       # daytime 17 slots, evening 6 slots per team
SHANGHAI = ZoneInfo("Asia/Shanghai")


def _say(msg: str) -> None:
    print(f"  {msg}", flush=True)


def generate(seed: int = 20261009):
    from recoup_fieldops.rules import Agent, Area, Coverage, PlanVisit, Team

    rnd = random.Random(seed)
    areas = [Area(f"省{p:02d}", f"市{p:02d}{c}", f"区{p:02d}{c}{d}")
             for p in range(10) for c in range(4) for d in range(5)]
    teams = []
    for i, area in enumerate(areas[:N_TEAMS]):
        agents = tuple(Agent(f"a{i:03d}-{j}", available=not (i % 37 == 0 and j > 0))
                       for j in range(2 + i % 3))
        cover = (Coverage(area.province, area.city, area.district),)
        if i % 5 == 0:
            cover += (Coverage(area.province, area.city),)
        teams.append(Team(f"team-{i:03d}", agents, cover))
    visits, case_no = [], 0
    for i in range(N_VISITS):
        if rnd.random() > 0.08:            # 8 % of visits are a further visit of an earlier case
            case_no += 1
        offset = rnd.randint(-3, 10)
        visits.append(PlanVisit(
            visit_id=f"v{i:05d}", case_id=f"c{case_no:05d}",
            due_on=None if rnd.random() < 0.03 else DAY + timedelta(days=offset),
            area=areas[rnd.randrange(len(areas))],
            address_kind="work" if rnd.random() < 0.4 else rnd.choice(["home", "household_registration"]),
            special_population=rnd.random() < 0.05, client_id=rnd.choice(["bank-a", "bank-b", None])))
    history = [(v.case_id, DAY - timedelta(days=1)) for v in visits[::97]]
    return visits, teams, history


def plan(visits, teams, history):
    from recoup_fieldops.rules import CapsAndWindow, PlannerConfig, plan_day
    from recoup_shared.calendar import WorkingCalendar

    cfg = PlannerConfig(team_capacity=TEAM_CAPACITY, slot_minutes=SLOT_MINUTES)
    return plan_day(DAY, visits, teams, CapsAndWindow(history=history), WorkingCalendar(), cfg)


FLOOR_SQL = """
WITH v AS (
    SELECT v.visit_id, v.case_id, v.due_on, v.province, v.city, v.district, c.team_id,
           CASE WHEN v.address_kind = 'work' THEN 0 ELSE 1 END AS band
    FROM visits v JOIN team_coverage c
      ON c.province = v.province AND c.city = v.city AND c.district = v.district
    WHERE v.state = 'approved'
), r AS (
    SELECT v.*,
           row_number() OVER (PARTITION BY team_id, band ORDER BY due_on NULLS LAST, visit_id) AS n,
           min(due_on) OVER (PARTITION BY team_id, band, province) AS p_due,
           min(due_on) OVER (PARTITION BY team_id, band, province, city) AS c_due,
           min(due_on) OVER (PARTITION BY team_id, band, province, city, district) AS d_due
    FROM v
)
SELECT team_id, band, province, city, district, visit_id, case_id, due_on
FROM r
WHERE n <= CASE band WHEN 0 THEN $1::int ELSE $2::int END
ORDER BY team_id, band, p_due NULLS LAST, province, c_due NULLS LAST, city, d_due NULLS LAST,
         district, due_on NULLS LAST, visit_id
"""


def _uuid(name: str):
    import uuid
    return uuid.uuid5(uuid.NAMESPACE_URL, f"bench-fieldops/{name}")


async def load(conn, visits, teams, history) -> None:
    """The generated day in the service's own tables (COPY; not measured)."""
    from datetime import datetime, time, timezone

    from recoup_fieldops.rules.addresses import address_id

    t0 = datetime(2026, 10, 8, 9, tzinfo=timezone.utc)
    special = {v.case_id for v in visits if v.special_population}
    client = {v.case_id: v.client_id or "bank-c" for v in visits}
    await conn.copy_records_to_table("cases", columns=[
        "case_id", "client_id", "placement_id", "flags", "status", "collector_id", "team_id",
        "outstanding", "updated_at"], records=[
        (c, cl, "pl-bench", ["special_population"] if c in special else [], "open", "col-1", "phone-1",
         10000, t0) for c, cl in client.items()])
    rows, done = [], []
    for v in visits:
        a = v.area
        rows.append((_uuid(v.visit_id), v.case_id, client[v.case_id], "col-1", "verify_address", "bench",
                     address_id(v.address_kind, *a, v.visit_id), v.address_kind, *a, "某路 1 号", t0,
                     "approved", t0, v.due_on, "default", t0 + timedelta(days=5), t0))
    for i, (case_id, day) in enumerate(history):
        done.append((_uuid(f"h{i}"), case_id, client[case_id], "col-1", "verify_address", "bench",
                     f"h{i:019d}", "home", "省", "市", "区", "旧路 2 号", t0, "done", t0, None, None, None, t0))
    cols = ["visit_id", "case_id", "client_id", "requested_by", "purpose", "reason", "address_id",
            "address_kind", "province", "city", "district", "line", "requested_at", "state",
            "approved_at", "due_on", "deadline_rule", "escalate_at", "updated_at"]
    await conn.copy_records_to_table("visits", columns=cols, records=rows + done)
    await conn.copy_records_to_table("visit_attempts", columns=["visit_id", "case_id", "kind", "at", "agents"],
                                     records=[(r[0], r[1], "done", datetime.combine(day, time(19), tzinfo=SHANGHAI), 2)
                                              for r, (_, day) in zip(done, history)])
    await conn.copy_records_to_table("field_teams", columns=["team_id", "name", "capacity", "active", "updated_at"],
                                     records=[(t.team_id, t.team_id, t.capacity, True, t0) for t in teams])
    await conn.copy_records_to_table("team_coverage", columns=["team_id", "province", "city", "district"],
                                     records=[(t.team_id, c.province, c.city or "", c.district or "")
                                              for t in teams for c in t.coverage])
    await conn.copy_records_to_table("field_agents", columns=["agent_id", "name", "team_id", "active", "updated_at"],
                                     records=[(a.agent_id, a.agent_id, t.team_id, True, t0)
                                              for t in teams for a in t.agents])
    await conn.copy_records_to_table("agent_off_duty", columns=["agent_id", "day"],
                                     records=[(a.agent_id, DAY) for t in teams for a in t.agents if not a.available])
    await conn.execute("ANALYZE")


async def _context(dsn: str, pool):
    import tempfile

    from recoup_fieldops.context import build
    from recoup_fieldops.settings import FieldopsSettings
    from recoup_shared.context import base_context

    settings = FieldopsSettings(profile="test", database_url=dsn, team_capacity=TEAM_CAPACITY,
                                slot_minutes=SLOT_MINUTES, auto_plan=False,
                                evidence_dir=tempfile.mkdtemp(prefix="bench-fieldops-"))
    return await build(base_context("fieldops", settings, pool=pool))


async def through_use_case(pool, ctx):
    """One planning run of DAY in one transaction, rolled back (the next run plans the same day)."""
    from recoup_fieldops.usecases import planning

    async with pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        try:
            result = await planning.plan(conn, ctx, "bench", DAY)
            events = await conn.fetchval("SELECT count(*) FROM outbox WHERE topic = 'visit.planned'")
        finally:
            await tx.rollback()
    return result, events


def _best(fn, runs: int = RUNS):
    best, out = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


async def _best_async(fn, runs: int = RUNS):
    best, out = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        out = await fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _report(day_plan, n_visits: int) -> None:
    from collections import Counter

    reasons = Counter(n.reason.value for n in day_plan.not_planned)
    assert day_plan.planned_count() + len(day_plan.not_planned) == n_visits
    _say(f"planned {day_plan.planned_count():,} visits in {len(day_plan.plans)} team plans; "
         f"not planned {len(day_plan.not_planned):,}: "
         + ", ".join(f"{k} {v:,}" for k, v in reasons.most_common()))


async def main(stack) -> None:
    from recoup_shared.db import create_pool

    t0 = time.perf_counter()
    visits, teams, history = generate()
    dsn = await stack.new_database("recoup_fieldops_bench", package="recoup_fieldops")
    pool = await create_pool(dsn, min_size=1, max_size=2)
    try:
        async with pool.acquire() as conn:
            await load(conn, visits, teams, history)
        _say(f"generated and loaded {len(visits):,} approved visits, {len(teams)} teams, "
             f"{len(history)} earlier visits in {time.perf_counter() - t0:.2f}s (not measured)")
        ctx = await _context(dsn, pool)
        await through_use_case(pool, ctx)                            # warm caches and plans
        t_case, (result, events) = await _best_async(lambda: through_use_case(pool, ctx))
        _say(f"use case: planned {result.planned:,} in {result.teams} team plans, not planned "
             f"{result.not_planned:,}; {events:,} visit.planned events written")
        plan(visits, teams, history)
        t_plan, day_plan = _best(lambda: plan(visits, teams, history))
        _report(day_plan, len(visits))
        slots = ((17 * 60 + 30 - 9 * 60) // SLOT_MINUTES, (21 * 60 - 18 * 60) // SLOT_MINUTES)
        async with pool.acquire() as conn:
            await conn.fetch(FLOOR_SQL, *slots)
            t_floor, rows = await _best_async(lambda: conn.fetch(FLOOR_SQL, *slots))
        await ctx.close()
    finally:
        await pool.close()
    _say(f"floor rows: {len(rows):,} (ranked and cut per team and band, no compliance)")
    _say(f"floor (one SQL statement, fetched)     {t_floor * 1000:8.1f} ms")
    _say(f"planner (pure Python, plan_day)        {t_plan * 1000:8.1f} ms   ratio {t_plan / t_floor:6.2f}")
    _say(f"use case (load, plan, write, events)   {t_case * 1000:8.1f} ms   ratio {t_case / t_floor:6.2f}"
         f"   target < 5000 ms: {'ok' if t_case < 5 else 'MISSED'}")
