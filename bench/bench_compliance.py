"""THE GATE at scale (issue 10): 1,000,000 open cases (seeded by COPY as bench_contact seeds them:
a mobile and an address per case, an attempt in the last 60 hours, 2,000 collectors), three stored
client levels (one on 09:00–21:00, one on the Reg F preset, the others on the agency's policy), then
the real service — uvicorn processes on the bench stack — offered BENCH_GATE_RATE gate decisions per
second by BENCH_GATE_CLIENTS concurrent collectors:

- evaluate: `POST /v1/compliance/evaluate` — the decision for a case's mobile now (side-effect free);
- gate:     `POST /v1/cases/{id}/records`, an outbound no-answer attempt — the decision under the case
            lock with its reservation, written with the record (201), or the refusal recorded (409).

Target: p99 < 20 ms. Printed beside the floor measured in the same run at the same rate and
concurrency: the same counter read in raw SQL (the case's attempts since the policy's horizon,
`SELECT count(*) FROM attempts WHERE case_id = $1 AND at > $2`).
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from datetime import datetime, timedelta, timezone

import orjson

from bench import bench_contact as base

RATE = float(os.environ.get("BENCH_GATE_RATE", 300))
CLIENTS = int(os.environ.get("BENCH_GATE_CLIENTS", 100))
DURATION = float(os.environ.get("BENCH_GATE_SECONDS", 60))
MIX = (("evaluate", 0.5), ("gate", 0.5))
TARGET_MS = 20
FLOOR = "SELECT count(*) FROM attempts WHERE case_id = $1 AND at > $2"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


async def _levels(pool) -> None:
    """Stored client levels, as a supervisor saves them (the gate reads them per version)."""
    now = datetime.now(timezone.utc)
    rows = [("client", "bank-1", 1, {f"windows.{d}": ["09:00-21:00"] for d in DAYS}),
            ("client", "bank-2", 1, {"preset": "us_regf"}),
            ("system", "", 1, {"caps.call_attempts_per_day": 10})]
    for level, scope, version, values in rows:
        await pool.execute("""INSERT INTO policy_levels (level, scope_id, version, "values", changed_by, changed_at,
                                  reason) VALUES ($1, $2, $3, $4::jsonb, 'bench', $5, 'bench')""",
                           level, scope, version, orjson.dumps(values).decode(), now)


async def _run(do, seed: int) -> tuple[dict[str, list], dict[str, int]]:
    results: dict[str, list] = {op: [] for op, _ in MIX}
    errors: dict[str, int] = {op: 0 for op, _ in MIX}
    start = time.perf_counter()
    warm_until, stop_at = start + base.WARMUP, start + base.WARMUP + DURATION
    mean_think = CLIENTS / RATE

    async def loop(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        await asyncio.sleep(rng.random() * mean_think)
        while time.perf_counter() < stop_at:
            op = "evaluate" if rng.random() < MIX[0][1] else "gate"
            t0 = time.perf_counter()
            ok = await do(op, rng, i)
            t1 = time.perf_counter()
            if t0 >= warm_until:
                results[op].append(t1 - t0)
                errors[op] += 0 if ok else 1
            await asyncio.sleep(rng.expovariate(1 / mean_think))

    await asyncio.gather(*(loop(i) for i in range(CLIENTS)))
    return results, errors


async def _http(targets, tokens) -> tuple[tuple[dict, dict], dict[int, int]]:
    import gc

    import httpx

    gc.collect()
    gc.freeze()
    collectors = sorted(targets)
    statuses: dict[int, int] = {}
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    https = [httpx.AsyncClient(base_url=f"http://127.0.0.1:{base.PORT + n % base.WORKERS}", limits=limits,
                               timeout=30) for n in range(CLIENTS)]
    try:
        async def do(op: str, rng: random.Random, client: int) -> bool:
            who = rng.choice(collectors)
            case_id, point_id = rng.choice(targets[who])
            try:
                if op == "evaluate":
                    r = await https[client].post("/v1/compliance/evaluate", headers=tokens[who],
                                                 json={"case_id": case_id, "point_id": point_id})
                else:
                    r = await https[client].post(f"/v1/cases/{case_id}/records", headers=tokens[who], json={
                        "channel": "outbound_call", "party": "debtor", "point_id": point_id, "result": "no_answer",
                        "code": "NA", "notes": "bench-gate"})
            except httpx.TransportError:
                return False
            statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
            return r.status_code in (200, 201, 409)       # a refusal is a decision too (recorded)

        return await _run(do, 1), statuses
    finally:
        for h in https:
            await h.aclose()


async def _floor(pool, targets) -> tuple[dict, dict]:
    collectors = sorted(targets)

    async def do(op: str, rng: random.Random, client: int) -> bool:
        case_id, _ = rng.choice(targets[rng.choice(collectors)])
        since = datetime.now(timezone.utc) - timedelta(days=4)
        await pool.fetchval(FLOOR, case_id, since)
        return True

    return await _run(do, 2)


def _report(http, errors, floor, statuses) -> None:
    total = sum(len(v) for v in http.values())
    base._say(f"{CLIENTS} clients, offered {RATE:.0f} gate decisions/s, measured {DURATION:.0f}s after a "
              f"{base.WARMUP:.0f}s warm-up: {total:,} requests ({total / DURATION:.0f}/s), {base.WORKERS} uvicorn "
              f"process(es); answers {dict(sorted(statuses.items()))}")
    base._say(f"{'':10} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}   "
              f"{'floor p50':>9} {'floor p99':>9}   target")
    for op, _ in MIX:
        v, f = http[op], floor[op]
        verdict = f"p99 < {TARGET_MS} ms: " + ("yes" if base._pct(v, 99) < TARGET_MS else "NO")
        base._say(f"{op:10} {len(v):7,} {base._pct(v, 50):8.1f} {base._pct(v, 95):8.1f} {base._pct(v, 99):8.1f} "
                  f"{max(v) * 1000 if v else float('nan'):8.1f} {errors[op]:7}   {base._pct(f, 50):9.2f} "
                  f"{base._pct(f, 99):9.2f}   {verdict}")


async def main(stack) -> None:
    import asyncpg

    from recoup_shared.auth import mint_token

    stack.set_clock(f"fixed:{base.MOMENT}")
    seed = await asyncpg.create_pool(stack.dsn("contact"), min_size=1, max_size=1)
    try:
        await base._seed(seed)
        await _levels(seed)
    finally:
        await seed.close()
    pool = await asyncpg.create_pool(stack.dsn("contact"), min_size=20, max_size=20)
    services = [await base._start_service(stack, n) for n in range(base.WORKERS)]
    try:
        targets = await base._targets(pool)
        tokens = {c: {"authorization": "Bearer " + mint_token(
            sub=c, roles=["collector"], team_id=f"team-{int(c[4:]) // base.TEAM_SIZE:03d}")} for c in targets}
        floor, _ = await _floor(pool, targets)
        usage = base._CpuUsage(stack, services)
        load_before = os.getloadavg()[0]
        (http, errors), statuses = await _http(targets, tokens)
        _report(http, errors, floor, statuses)
        base._say(f"CPU used during the measured phase (s per s of run): {usage.done(base.WARMUP + DURATION)}; "
                  f"machine load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        refused = await pool.fetchval("SELECT count(*) FROM gate_refusals WHERE purpose = 'log'")
        reserved = await pool.fetchval("SELECT count(*) FROM attempts WHERE purpose = 'log' AND policy_fingerprint "
                                       "IS NOT NULL")
        base._say(f"gate writes: {reserved:,} reservations with their records, {refused:,} refusals recorded")
    finally:
        from recoup_local import procs

        for proc in services:
            await asyncio.to_thread(procs.stop_process, proc, timeout=30)
        await pool.close()
        stack.set_clock(None)
