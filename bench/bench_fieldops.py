"""Field-visit daily planning at scale: 5,000 approved visits, 200 teams, one working day.

The input (generated, deterministic, not measured): 10 provinces × 4 cities × 5 districts; one team
per district (2–4 agents, a few with a single agent on duty, so their district cannot be served),
every fifth team also covering its whole city; visits spread over the districts with deadlines
from three days overdue to ten days ahead (some without), 40 % workplace and 60 % home addresses,
5 % special population, some cases with two or three visits, a few cases visited the day before.

Measured in the same run, best of RUNS:
- planner: `recoup_fieldops.rules.plan_day` in pure Python with the default compliance checker
  (R-14 window, R-15 two visits per case per day, R-16 special populations) — team choice by
  coverage, bands, capacity, grouping by province/city/district and deadline order, the
  not-planned list with reasons;
- floor: the same rows grouped and sorted in one SQL statement on the benchmark's throw-away
  PostgreSQL — visits joined to their district team, ranked per team and band by deadline, cut at
  the band's slots, ordered by the nested area groups' earliest deadlines (no compliance, no
  choice among teams: what a person would write by hand), fetched to Python.

Prints both timings and the ratio planner ÷ floor; the target is < 5 s for the planner.
"""

from __future__ import annotations

import os
import random
import time
from datetime import date, timedelta

N_VISITS = int(os.environ.get("BENCH_FIELDOPS_VISITS", 5_000))
N_TEAMS = 200
RUNS = int(os.environ.get("BENCH_FIELDOPS_RUNS", 5))
DAY = date(2026, 10, 9)                    # a Friday, a working day after the Golden Week
SLOT_MINUTES, TEAM_CAPACITY = 30, 25       # daytime 17 slots, evening 6 slots per team


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
    SELECT v.*, t.team_id, CASE WHEN v.kind = 'work' THEN 0 ELSE 1 END AS band
    FROM bench_visits v JOIN bench_teams t USING (province, city, district)
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


async def load(conn, visits, teams) -> None:
    await conn.execute("""
        CREATE TEMP TABLE bench_visits (visit_id text PRIMARY KEY, case_id text, due_on date,
            province text, city text, district text, kind text, special boolean);
        CREATE TEMP TABLE bench_teams (team_id text PRIMARY KEY, province text, city text,
            district text)""")
    await conn.execute(
        "INSERT INTO bench_visits SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::text[],"
        " $5::text[], $6::text[], $7::text[], $8::boolean[])",
        [v.visit_id for v in visits], [v.case_id for v in visits], [v.due_on for v in visits],
        [v.area.province for v in visits], [v.area.city for v in visits],
        [v.area.district for v in visits], [v.address_kind for v in visits],
        [v.special_population for v in visits])
    district_teams = [(t.team_id, c) for t in teams for c in t.coverage if c.district]
    await conn.execute(
        "INSERT INTO bench_teams SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])",
        [t for t, _ in district_teams], [c.province for _, c in district_teams],
        [c.city for _, c in district_teams], [c.district for _, c in district_teams])
    await conn.execute("ANALYZE bench_visits; ANALYZE bench_teams")


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
    import asyncpg

    t0 = time.perf_counter()
    visits, teams, history = generate()
    _say(f"generated {len(visits):,} approved visits, {len(teams)} teams "
         f"in {time.perf_counter() - t0:.2f}s (not measured)")
    plan(visits, teams, history)                                   # warm imports and caches
    t_plan, day_plan = _best(lambda: plan(visits, teams, history))
    _report(day_plan, len(visits))

    conn = await asyncpg.connect(stack.dsn("fieldops"))
    try:
        await load(conn, visits, teams)
        slots = ((17 * 60 + 30 - 9 * 60) // SLOT_MINUTES, (21 * 60 - 18 * 60) // SLOT_MINUTES)

        async def floor():
            return await conn.fetch(FLOOR_SQL, *slots)

        await floor()
        t_floor, rows = await _best_async(floor)
    finally:
        await conn.close()
    _say(f"floor rows: {len(rows):,} (ranked and cut per team and band, no compliance)")
    _say(f"floor (one SQL statement, fetched)   {t_floor * 1000:8.1f} ms")
    _say(f"planner (pure Python, plan_day)      {t_plan * 1000:8.1f} ms   "
         f"ratio {t_plan / t_floor:.2f}   target < 5000 ms: {'ok' if t_plan < 5 else 'MISSED'}")
