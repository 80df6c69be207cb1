"""The collector's working day at scale: 1,000,000 open cases owned by 2,000 collectors (100 teams),
seeded by COPY into the contact service's own tables (real AES-GCM ciphertexts and blind-index
hashes for the phones); then the real service — uvicorn worker processes on the bench stack — under
200 concurrent clients: collectors reading their worklists and case pages while others log contacts
(no-answer calls, through the contact policy). Each client waits between requests (think time), so
the offered load is BENCH_CONTACT_RATE requests/s in all; latency is measured at the client.

Targets (issue 9): worklist p99 < 50 ms, logging a contact p99 < 30 ms. Printed beside the floor,
measured in the same run on the same rows: the same index lookups in raw SQL (the worklist page and
its totals; the record's writes: one transaction inserting the record and the attempt and updating
the case), at the same concurrency from an asyncpg pool. Beside the latency at the client, the
time spent in the service (its Server-Timing header): the rest is the network and the load client.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

N_CASES = int(os.environ.get("BENCH_CONTACT_CASES", 1_000_000))
N_COLLECTORS = int(os.environ.get("BENCH_CONTACT_COLLECTORS", 2_000))
TEAM_SIZE = 20
CLIENTS = int(os.environ.get("BENCH_CONTACT_CLIENTS", 200))
RATE = float(os.environ.get("BENCH_CONTACT_RATE", 200))          # requests/s offered, all clients together
DURATION = float(os.environ.get("BENCH_CONTACT_SECONDS", 60))
WARMUP = float(os.environ.get("BENCH_CONTACT_WARMUP", 10))
WORKERS = int(os.environ.get("BENCH_CONTACT_WORKERS", 2))
MIX = (("worklist", 0.45), ("case", 0.35), ("log", 0.20))
MOMENT = "2026-12-07T10:00:00+08:00"        # a Monday morning in Shanghai: inside the calling window
TODAY = date(2026, 12, 7)
CHUNK = 100_000
PORT = int(os.environ.get("BENCH_CONTACT_PORT", 18003))


def _say(msg: str) -> None:
    print(f"  {msg}", flush=True)


# --- seeding by COPY ---------------------------------------------------------------------------

_BULK = ("cases", "contact_points", "timeline", "attempts")


async def _drop_indexes(conn) -> list[str]:
    """Bulk load without index maintenance; returns the DDL that recreates them exactly."""
    idx = await conn.fetch(
        """SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY($1)
           AND indexname NOT IN (SELECT conname FROM pg_constraint)""", list(_BULK))
    for i in idx:
        await conn.execute(f'DROP INDEX "{i["indexname"]}"')
    return [i["indexdef"] for i in idx]


def _case_rows(start: int, stop: int, protector, rng: random.Random):
    from recoup_shared.crypto import mask_card_number
    from recoup_shared.vocabulary import dpd_bucket

    now = datetime.now(timezone.utc)
    for i in range(start, stop):
        collector = i % N_COLLECTORS
        amount = Decimal(rng.randint(30_000, 5_000_000)).scaleb(-2)
        dpd = rng.randint(1, 400)
        allocated = TODAY - timedelta(days=rng.randint(0, 40))
        follow = allocated + timedelta(days=rng.randint(0, 12))
        contacted = rng.random() < 0.7
        last = follow - timedelta(days=rng.randint(1, 6)) if contacted else None
        acct = f"6222{i:015d}"
        yield (f"case-{i:07d}", f"bank-{i % 5}", "pl-bench", "REF-BENCH", "credit_card", mask_card_number(acct),
               protector.card_hash(acct), "王伟", "410105************", protector.id_hash(f"4101051980{i:08d}"),
               amount, amount, dpd, dpd_bucket(dpd), TODAY - timedelta(days=60), TODAY + timedelta(days=rng.randint(3, 90)),
               "河南省", "Asia/Shanghai", "open", f"col-{collector:04d}", f"team-{collector // TEAM_SIZE:03d}",
               datetime.combine(allocated, datetime.min.time(), timezone.utc), allocated, allocated + timedelta(days=3),
               "REACHABLE_SELF" if contacted else None, follow, follow, follow + timedelta(days=3),
               follow + timedelta(days=rng.randint(-2, 4)), "follow_up" if contacted else "first_contact",
               datetime.combine(last, datetime.min.time(), timezone.utc) if last else None, last, last,
               None if contacted else allocated, now, now)


CASE_COLUMNS = ["case_id", "client_id", "placement_id", "placement_ref", "product", "account_masked", "account_hash",
                "debtor_name", "id_masked", "id_hash", "placed_amount", "outstanding", "dpd", "dpd_bucket",
                "placed_on", "recall_on", "region", "zone", "status", "owner_id", "team_id", "allocated_at",
                "allocated_on", "first_contact_due", "contact_status", "next_follow_up", "follow_up_earliest",
                "follow_up_latest", "cadence_due", "cadence_rule", "last_contact_at", "last_effective_on",
                "last_follow_up_on", "undialled_since", "received_at", "updated_at"]
POINT_COLUMNS = ["point_id", "case_id", "kind", "party", "source", "state", "number_enc", "number_hash",
                 "number_masked", "region", "address_kind", "province", "city", "line_enc", "line_masked",
                 "address_hash", "added_at", "added_on"]


def _point_rows(start: int, stop: int, protector):
    from recoup_shared.crypto import mask_phone

    now = datetime.now(timezone.utc)
    for i in range(start, stop):
        case_id = f"case-{i:07d}"
        number = f"139{(i * 7919) % 100_000_000:08d}"
        pid = uuid.uuid4()
        yield (pid, case_id, "mobile", "debtor", "placement", "unknown", protector.encrypt(str(pid), number),
               protector.phone_hash(number), mask_phone(number), "河南省郑州市", None, None, None, None, None, None,
               now, TODAY)
        aid = uuid.uuid4()
        yield (aid, case_id, "address", "debtor", "placement", "unknown", None, None, None, None,
               "household_registration", "河南省", "郑州市", protector.encrypt(str(aid), f"花园路 {i} 号"),
               "花园路 * 号", protector.blind_index("address", f"a{i}"), now, TODAY)


async def _seed(pool) -> None:
    from recoup_shared.crypto import Protector
    from recoup_shared.settings import ServiceSettings

    protector = Protector.from_settings(ServiceSettings(profile="test"))
    rng = random.Random(11)
    t0 = time.perf_counter()
    async with pool.acquire() as conn:
        await conn.execute("SET synchronous_commit = off; SET maintenance_work_mem = '512MB'")
        recreate = await _drop_indexes(conn)
        for start in range(0, N_CASES, CHUNK):
            stop = min(start + CHUNK, N_CASES)
            await conn.copy_records_to_table("cases", records=list(_case_rows(start, stop, protector, rng)),
                                             columns=CASE_COLUMNS)
            await conn.copy_records_to_table("contact_points", records=list(_point_rows(start, stop, protector)),
                                             columns=POINT_COLUMNS)
            now = datetime.now(timezone.utc)
            await conn.copy_records_to_table("timeline", records=[
                (f"case-{i:07d}", now, "owner_change", "allocation", None, '{"bench": true}') for i in range(start, stop)],
                columns=["case_id", "at", "kind", "actor", "ref", "data"])
            await conn.copy_records_to_table("attempts", records=[
                (uuid.uuid4(), f"case-{i:07d}", now - timedelta(hours=rng.randint(1, 60)), "call", "debtor", "outbound",
                 "no_answer", 0, "log") for i in range(start, stop)],
                columns=["attempt_id", "case_id", "at", "channel", "party", "direction", "outcome", "agents", "purpose"])
        t1 = time.perf_counter()
        for ddl in recreate:
            await conn.execute(ddl)
        await conn.execute("VACUUM ANALYZE cases, contact_points, timeline, attempts")
        n = await conn.fetchval("SELECT count(*) FROM cases WHERE in_worklist")
    _say(f"seeded {n:,} open cases of {N_COLLECTORS:,} collectors ({2 * N_CASES:,} contact points, "
         f"{N_CASES:,} timeline rows, {N_CASES:,} attempts) by COPY in {t1 - t0:.0f}s, indexes and "
         f"VACUUM ANALYZE in {time.perf_counter() - t1:.0f}s (not measured)")


# --- the service under load ----------------------------------------------------------------------

async def _start_service(stack, n: int) -> subprocess.Popen:
    """Service process n on port PORT + n (separate processes, the clients spread over them evenly:
    uvicorn's --workers would let long keep-alive connections pile up on one worker)."""
    import httpx

    from recoup_local import procs

    env = {**os.environ, **stack.env("contact"), "PYTHONUNBUFFERED": "1", "RECOUP_DB_POOL_MAX": "20",
           "RECOUP_LOG_LEVEL": "WARNING", "RECOUP_LOG_FILE": str(stack.log_dir / f"contact.bench.{n}.log")}
    argv = [sys.executable, "-m", "uvicorn", "recoup_contact.app:create_app", "--factory", "--host", "127.0.0.1",
            "--port", str(PORT + n), "--no-access-log", "--loop", "uvloop", "--http", "httptools",
            "--timeout-graceful-shutdown", "20", "--timeout-keep-alive", "120"]
    log = open(stack.log_dir / f"contact.bench.{n}.console.log", "ab")
    proc = procs.spawn(argv, env=env, stdout=log, stderr=subprocess.STDOUT)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{PORT + n}", timeout=2) as client:
        for _ in range(300):
            if proc.poll() is not None:
                raise RuntimeError(f"the contact service exited ({proc.returncode}); see {log.name}")
            try:
                if (await client.get("/readyz")).status_code == 200:
                    return proc
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError("the contact service did not become ready")


async def _targets(pool) -> dict[str, list[tuple[str, str]]]:
    """Per collector: a few of their cases and each case's mobile (what the clients work on)."""
    rows = await pool.fetch(
        """SELECT c.owner_id, c.case_id, p.point_id FROM cases c JOIN contact_points p
               ON p.case_id = c.case_id AND p.kind = 'mobile'
           WHERE c.case_id = ANY($1::text[])""",
        [f"case-{i:07d}" for i in range(min(N_CASES, N_COLLECTORS * 20))])
    out: dict[str, list[tuple[str, str]]] = {}
    for r in rows:
        out.setdefault(r["owner_id"], []).append((r["case_id"], str(r["point_id"])))
    return out


def _pick(rng: random.Random) -> str:
    x, acc = rng.random(), 0.0
    for op, share in MIX:
        acc += share
        if x < acc:
            return op
    return MIX[-1][0]


async def _run(clients: int, seconds: float, do, rng_seed: int) -> tuple[dict[str, list], dict[str, int]]:
    """`clients` concurrent loops, each: one request (`do(op, rng)`), then an exponential think time
    so that all together offer RATE requests/s. Latencies after the warm-up only; `do` returns
    (ok, seconds in the service or None) — the latter go to results["<op> in service"]."""
    results: dict[str, list] = {op: [] for op, _ in MIX} | {f"{op} in service": [] for op, _ in MIX}
    errors: dict[str, int] = {op: 0 for op, _ in MIX}
    start = time.perf_counter()
    warm_until, stop_at = start + WARMUP, start + WARMUP + seconds
    mean_think = clients / RATE

    async def loop(i: int) -> None:
        rng = random.Random(rng_seed * 1000 + i)
        await asyncio.sleep(rng.random() * mean_think)
        while time.perf_counter() < stop_at:
            op = _pick(rng)
            t0 = time.perf_counter()
            ok, served = await do(op, rng, i)
            t1 = time.perf_counter()
            if t0 >= warm_until:
                results[op].append(t1 - t0)
                if served is not None:
                    results[f"{op} in service"].append(served)
                errors[op] += 0 if ok else 1
            await asyncio.sleep(rng.expovariate(1 / mean_think))

    await asyncio.gather(*(loop(i) for i in range(clients)))
    return results, errors


def _pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


async def _http_phase(targets, tokens) -> tuple[dict[str, list], dict[str, int]]:
    import gc

    import aiohttp

    gc.collect()
    gc.freeze()      # the load client's own pauses must not count as the service's latency

    collectors = sorted(targets)
    # One connection per client, as a browser tab keeps one. aiohttp rather than httpx: about a
    # third of the client CPU per request (measured: httpx's own queueing added ~3 ms at p50 and
    # ~10 ms at p99 to what the service spent), so the latency measured is the service's.
    sessions = [aiohttp.ClientSession(base_url=f"http://127.0.0.1:{PORT + n % WORKERS}",
                                      connector=aiohttp.TCPConnector(limit=1, force_close=False),
                                      timeout=aiohttp.ClientTimeout(total=30), skip_auto_headers=("User-Agent",))
                for n in range(CLIENTS)]
    try:
        async def do(op: str, rng: random.Random, client: int) -> tuple[bool, float | None]:
            http = sessions[client]
            who = rng.choice(collectors)
            headers = tokens[who]
            case_id, point_id = rng.choice(targets[who])
            try:
                if op == "worklist":
                    request = http.get("/v1/worklist", headers=headers)
                elif op == "case":
                    request = http.get(f"/v1/cases/{case_id}", headers=headers)
                else:
                    request = http.post(f"/v1/cases/{case_id}/records", headers=headers, json={
                        "channel": "outbound_call", "party": "debtor", "point_id": point_id, "result": "no_answer",
                        "code": "NA", "notes": "bench"})
                async with request as r:
                    await r.read()
            except (aiohttp.ClientError, asyncio.TimeoutError):
                return False, None
            timing = r.headers.get("server-timing", "")     # app;dur=<ms>, from the service's middleware
            served = float(timing.partition("dur=")[2]) / 1000 if "dur=" in timing else None
            return r.status in (200, 201), served

        return await _run(CLIENTS, DURATION, do, 1)
    finally:
        for http in sessions:
            await http.close()


FLOOR_WORKLIST = """SELECT case_id, outstanding, next_follow_up FROM cases WHERE in_worklist AND owner_id = $1
                    ORDER BY follow_up_key, case_id LIMIT 51"""
FLOOR_TOTALS = "SELECT count(*), sum(outstanding) FROM cases WHERE in_worklist AND owner_id = $1"
FLOOR_CASE = "SELECT * FROM cases WHERE case_id = $1"
FLOOR_POINTS = "SELECT * FROM contact_points WHERE case_id = $1"
FLOOR_TIMELINE = "SELECT * FROM timeline WHERE case_id = $1 ORDER BY at DESC, id DESC LIMIT 50"


async def _floor_phase(pool, targets) -> tuple[dict[str, list], dict[str, int]]:
    """The same index lookups and writes in raw SQL, same clients, same offered rate."""
    collectors = sorted(targets)

    async def do(op: str, rng: random.Random, client: int) -> tuple[bool, None]:
        who = rng.choice(collectors)
        case_id, point_id = rng.choice(targets[who])
        async with pool.acquire() as conn:
            if op == "worklist":
                await conn.fetch(FLOOR_WORKLIST, who)
                await conn.fetchrow(FLOOR_TOTALS, who)
            elif op == "case":
                await conn.fetchrow(FLOOR_CASE, case_id)
                await conn.fetch(FLOOR_POINTS, case_id)
                await conn.fetch(FLOOR_TIMELINE, case_id)
            else:
                now = datetime.now(timezone.utc)
                async with conn.transaction():
                    await conn.execute(
                        """INSERT INTO contact_records (record_id, case_id, client_id, collector_id, channel, party,
                               point_id, result, code, effective, occurred_at, occurred_on, recorded_at)
                           VALUES ($1, $2, 'bank-0', $3, 'outbound_call', 'debtor', $4, 'no_answer', 'NA', false,
                                   $5, $6, $5)""", uuid.uuid4(), case_id, who, uuid.UUID(point_id), now, TODAY)
                    await conn.execute(
                        """INSERT INTO attempts (attempt_id, case_id, at, channel, party, direction, outcome, purpose)
                           VALUES ($1, $2, $3, 'call', 'debtor', 'outbound', 'no_answer', 'log')""",
                        uuid.uuid4(), case_id, now)
                    await conn.execute("UPDATE cases SET last_contact_at = $2, updated_at = $2 WHERE case_id = $1",
                                       case_id, now)
        return True, None

    return await _run(CLIENTS, max(20.0, DURATION / 3), do, 2)


_ROUTES = {"worklist": ("GET", "/v1/worklist"), "case": ("GET", "/v1/cases/{case_id}"),
           "log": ("POST", "/v1/cases/{case_id}/records")}


async def _server_side(n: int) -> str:
    """The services' own latency histograms (recoup_http_request_duration_seconds, warm-up
    included): where p99 falls server-side, apart from the load client and the network."""
    import httpx
    from prometheus_client.parser import text_string_to_metric_families

    buckets: dict[str, dict[float, float]] = {op: {} for op in _ROUTES}
    async with httpx.AsyncClient(timeout=10) as client:
        for i in range(n):
            text = (await client.get(f"http://127.0.0.1:{PORT + i}/metrics")).text
            for family in text_string_to_metric_families(text):
                if family.name != "recoup_http_request_duration_seconds":
                    continue
                for sample in family.samples:
                    if not sample.name.endswith("_bucket"):
                        continue
                    for op, (method, route) in _ROUTES.items():
                        if sample.labels.get("route") == route and sample.labels.get("method") == method:
                            le = float(sample.labels["le"])
                            buckets[op][le] = buckets[op].get(le, 0) + sample.value
    out = []
    for op, b in buckets.items():
        total = b.get(float("inf"), 0)
        if not total:
            continue
        p99 = next((le for le, c in sorted(b.items()) if c >= 0.99 * total), float("inf"))
        out.append(f"{op}: {b.get(0.025, 0) / total:.1%} <= 25 ms, {b.get(0.05, 0) / total:.1%} <= 50 ms, "
                   f"p99 <= {p99 * 1000:.0f} ms")
    return "; ".join(out)


class _CpuUsage:
    """CPU seconds of the service processes, PostgreSQL, the broker and this load client."""

    def __init__(self, stack, services) -> None:
        import psutil

        pg = psutil.Process(stack.pg.proc.pid)
        self.groups = {"service": [psutil.Process(p.pid) for p in services],
                       "postgres": [pg, *pg.children(recursive=True)],
                       "broker": [psutil.Process(stack.broker.proc.pid)], "load client": [psutil.Process()]}
        self.start = {k: self._cpu(v) for k, v in self.groups.items()}

    @staticmethod
    def _cpu(procs) -> float:
        total = 0.0
        for p in procs:
            try:
                t = p.cpu_times()
                total += t.user + t.system
            except Exception:   # noqa: BLE001 - a backend that ended
                pass
        return total

    def done(self, seconds: float) -> str:
        import psutil

        out = []
        for k, v in self.groups.items():
            used = self._cpu(v) - self.start[k]
            if k == "postgres":   # backends opened during the run count whole
                known = {p.pid for p in v}
                used += self._cpu([c for c in psutil.Process(v[0].pid).children(recursive=True) if c.pid not in known])
            out.append(f"{k} {used / seconds:.2f}")
        return ", ".join(out)


def _report(http: dict[str, list], errors: dict[str, int], floor: dict[str, list]) -> None:
    total = sum(len(http[op]) for op, _ in MIX)
    _say(f"{CLIENTS} clients, offered {RATE:.0f} req/s, measured {DURATION:.0f}s after a {WARMUP:.0f}s warm-up: "
         f"{total:,} requests ({total / DURATION:.0f}/s), {WORKERS} uvicorn process(es)")
    _say(f"{'':10} {'n':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'errors':>7}   "
         f"{'in service p50':>14} {'p99':>6}   {'floor p50':>9} {'floor p99':>9}   target")
    targets = {"worklist": 50, "case": None, "log": 30}
    for op, _ in MIX:
        v, f = http[op], floor[op]
        target = targets[op]
        verdict = "" if target is None else (f"p99 < {target} ms: " + ("yes" if _pct(v, 99) < target else "NO"))
        _say(f"{op:10} {len(v):7,} {_pct(v, 50):8.1f} {_pct(v, 95):8.1f} {_pct(v, 99):8.1f} "
             f"{max(v) * 1000 if v else float('nan'):8.1f} {errors[op]:7}   "
             f"{_pct(http[f'{op} in service'], 50):14.1f} {_pct(http[f'{op} in service'], 99):6.1f}   "
             f"{_pct(f, 50):9.2f} {_pct(f, 99):9.2f}   "
             f"{verdict}")


async def main(stack) -> None:
    import asyncpg

    from recoup_shared.auth import mint_token

    stack.set_clock(f"fixed:{MOMENT}")
    seed_conn = await asyncpg.create_pool(stack.dsn("contact"), min_size=1, max_size=1)
    try:
        await _seed(seed_conn)
    finally:
        await seed_conn.close()
    pool = await asyncpg.create_pool(stack.dsn("contact"), min_size=20, max_size=20)
    services = [await _start_service(stack, n) for n in range(WORKERS)]
    try:
        targets = await _targets(pool)
        tokens = {c: {"authorization": "Bearer " + mint_token(
            sub=c, roles=["collector"], team_id=f"team-{int(c[4:]) // TEAM_SIZE:03d}")} for c in targets}
        floor, _ = await _floor_phase(pool, targets)
        usage = _CpuUsage(stack, services)
        load_before = os.getloadavg()[0]
        http, errors = await _http_phase(targets, tokens)
        _report(http, errors, floor)
        _say(f"server side (the services' histograms): {await _server_side(WORKERS)}")
        _say(f"CPU used during the measured phase (s per s of run): {usage.done(WARMUP + DURATION)}; "
             f"machine load average {load_before:.1f} -> {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs "
             "(the floor ran on the same machine just before)")
        logged = await pool.fetchval("SELECT count(*) FROM contact_records WHERE notes = 'bench'")
        _say(f"contact records written by the service: {logged:,} (each with its attempt, case update and contact.logged)")
    finally:
        from recoup_local import procs

        for proc in services:
            await asyncio.to_thread(procs.stop_process, proc, timeout=30)
        await pool.close()
        stack.set_clock(None)
