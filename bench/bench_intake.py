"""Intake: a 100,000-case placement over HTTP, against the floor of the same work done raw.

Measured, in one run on one throw-away stack:
- time to the 202 (parse, validate, encrypt, COPY cases + outbox, commit),
- time until every `case.received` is on the broker (the outbox relay's work included): when the
  last of the relay's acks (acks=all) came back — its publication record — as the floor's produce
  is timed to its last ack; the events are then consumed from the topic and counted (nothing
  consumes while the clock runs: a counting consumer took ~0.85 CPU-s from the 2 CPUs the relay
  and the broker share, which the floor's produce never had to share),
- where the time goes: the import's own laps (intake logs them with the placement: the pieces
  decoded and validated by the worker processes, the checks against stored cases, sealing and
  serialising, COPY of the cases and of the outbox, the commit), the relay's batches (from the
  outbox's publication records) and what is left (the HTTP body, the answer);
- the floor: COPY of the same rows into an empty table + raw produce of the same number of
  events of the same size, one `send` each (acks=all, the platform's producer settings) — and,
  for information, the same produce in record batches (what the relay does since issue 15);
- a second placement of the same debtors with other accounts, sent at once (every case a joint
  debt of one just placed, R-7; its lookups planned on statistics of a table that just grew),
- the ratio (judged: target <= 2; and the placement on the broker within 9 s) and the intake
  process's peak memory (VmHWM).
"""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from decimal import Decimal

import asyncpg
import httpx
import psutil
import orjson
from aiokafka import AIOKafkaConsumer

from recoup_local.demo import make_placement
from recoup_shared.auth import mint_token
from recoup_shared.bus import ensure_topics, make_producer, produce_all

TARGET_RATIO, TARGET_SECONDS = 2.0, 9.0

N = int(os.environ.get("BENCH_INTAKE_CASES", "100000"))


async def last_ack(dsn: str, placement_id: str, timeout: float) -> float:
    """The wall-clock time (epoch seconds) of the relay's last ack for the placement's events: once
    none of its outbox rows is left, the latest publication record over its id range."""
    conn = await asyncpg.connect(dsn)
    try:
        deadline = time.perf_counter() + timeout
        while True:
            row = await conn.fetchrow(
                """SELECT p.outbox_after, p.outbox_upto,
                          EXISTS (SELECT 1 FROM outbox o WHERE o.id > p.outbox_after AND o.id <= p.outbox_upto) AS pending
                   FROM placements p WHERE p.id = $1""", uuid.UUID(placement_id))
            if not row["pending"]:
                at = await conn.fetchval(
                    """SELECT extract(epoch FROM max(published_at)) FROM outbox_batches
                       WHERE last_id > $1 AND first_id <= $2""", row["outbox_after"], row["outbox_upto"])
                return float(at)
            if time.perf_counter() > deadline:
                raise RuntimeError("the placement's events were not all published in time")
            await asyncio.sleep(0.02)
    finally:
        await conn.close()


async def count_on_topic(bootstrap: str, topic: str, expected: int, timeout: float = 120) -> tuple[int, int]:
    """(distinct event_ids, size of one event) read back from the topic (Tansu's end offsets
    under-report, so count by consuming)."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest",
                                enable_auto_commit=False)
    await consumer.start()
    seen: set[str] = set()
    size = 0
    try:
        deadline = time.perf_counter() + timeout
        while len(seen) < expected and time.perf_counter() < deadline:
            batch = await consumer.getmany(timeout_ms=500, max_records=20000)
            for records in batch.values():
                for r in records:
                    seen.add(orjson.loads(r.value)["event_id"])
                    size = size or len(r.value)
    finally:
        await consumer.stop()
    return len(seen), size


class CpuMeter:
    """CPU seconds (user + system) of the processes that do the work, between `start` and `stop`:
    the machine is shared, so wall-clock laps are noisy but CPU seconds are not."""

    def __init__(self, **groups: "psutil.Process | None") -> None:
        self.roots = {name: p for name, p in groups.items() if p is not None}
        self.seconds: dict[str, float] = {}

    @staticmethod
    def _cpu(proc: psutil.Process, *, tree: bool) -> float:
        total = 0.0
        for p in [proc, *(proc.children(recursive=True) if tree else ())]:
            try:
                t = p.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += t.user + t.system + t.children_user + t.children_system  # reaped children too
        return total

    def _sample(self) -> dict[str, float]:
        out = {}
        for name, proc in self.roots.items():
            if name == "intake workers":  # the service's children: forkserver and worker processes
                out[name] = sum(self._cpu(c, tree=True) for c in proc.children())
            else:
                out[name] = self._cpu(proc, tree=name in ("postgres", "broker"))
        return out

    def start(self) -> None:
        self._t0 = self._sample()
        self._marks: list[dict[str, float]] = []

    def mark(self) -> None:
        """A point in between (the 202): `stop` then also gives the CPU before and after it."""
        self._marks.append(self._sample())

    def stop(self) -> dict[str, float]:
        t1 = self._sample()
        self.seconds = {k: t1[k] - self._t0[k] for k in t1}
        if self._marks:
            m = self._marks[0]
            self.before = {k: m[k] - self._t0[k] for k in t1}
            self.after = {k: t1[k] - m[k] for k in t1}
        return self.seconds


def peak_rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


async def floor_copy(dsn: str, body: dict) -> float:
    """COPY the same case rows (same fields, as text/numeric/jsonb) into an empty table."""
    rows = [(
        uuid.uuid4(), c["account_ref"], c["debtor"]["name"], c["debtor"]["id_number"],
        c["debtor"].get("gender"), c.get("currency", "CNY"), c.get("principal"), c.get("interest"),
        c.get("fees"), c.get("placed_amount"), c.get("dpd"),
        orjson.dumps(c.get("phones", [])).decode(), orjson.dumps(c.get("addresses", [])).decode(),
        c.get("flags", []), c.get("remarks"),
    ) for c in body["cases"]]
    rows = [(*r[:6], *(None if v is None else Decimal(str(v)) for v in r[6:10]), *r[10:]) for r in rows]
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("""
            DROP TABLE IF EXISTS bench_floor_cases;
            CREATE TABLE bench_floor_cases (
                id uuid PRIMARY KEY, account_ref text, name text, id_number text, gender text,
                currency text, principal numeric(18,2), interest numeric(18,2), fees numeric(18,2),
                placed_amount numeric(18,2), dpd int, phones text, addresses text, flags text[],
                remarks text)""")
        t0 = time.perf_counter()
        await conn.copy_records_to_table("bench_floor_cases", records=rows)
        elapsed = time.perf_counter() - t0
        await conn.execute("DROP TABLE bench_floor_cases")
        return elapsed
    finally:
        await conn.close()


async def floor_produce(bootstrap: str, n: int, size: int, *, batched: bool) -> float:
    """Raw produce of n events of `size` bytes: one `send` each (the floor), or record batches."""
    topic = f"bench-floor-{uuid.uuid4().hex[:8]}"
    await ensure_topics(bootstrap, partitions=12, topics=[topic])
    value = b"x" * size
    producer = make_producer(bootstrap)
    await producer.start()
    try:
        t0 = time.perf_counter()
        if batched:
            await produce_all(producer, [(topic, str(i), value) for i in range(n)])
        else:
            futures = [await producer.send(topic, value=value, key=str(i).encode()) for i in range(n)]
            await asyncio.gather(*futures)
        return time.perf_counter() - t0
    finally:
        await producer.stop()


async def second_placement(url: str, body: dict, token: str) -> float:
    """The same debtors placed again at once, with other account numbers (another card of each
    debtor): every case of it is a joint debt of one just placed (R-7) — the lookups run on the
    planner's statistics of a table that just grew by 100,000 rows."""
    body = dict(body, placement_ref=body["placement_ref"] + "-second")
    body["cases"] = [dict(c, account_ref=c["account_ref"][:-2] + "%02d" % ((int(c["account_ref"][-2:]) + 37) % 100))
                     for c in body["cases"]]
    async with httpx.AsyncClient(timeout=900) as client:
        t0 = time.perf_counter()
        r = await client.post(f"{url}/v1/placements", content=orjson.dumps(body),
                              headers={"authorization": f"Bearer {token}", "content-type": "application/json"})
        if r.status_code != 202:
            raise RuntimeError(f"intake answered {r.status_code} to the second placement: {r.text[:500]}")
        return time.perf_counter() - t0


def import_laps(log_file: str, placement_id: str) -> dict:
    """The "placement imported" line intake logged for this placement (JSON, its log file)."""
    with open(log_file, encoding="utf-8") as f:
        for line in f:
            if placement_id in line and '"placement imported"' in line:
                return orjson.loads(line)
    return {}


def handover_laps(log_file: str, events: int) -> dict:
    """The relay's "hand-over published" line for this placement's events (seconds from the start
    of the produce: all sent, all acked, rows deleted), if the hand-over published them."""
    with open(log_file, encoding="utf-8") as f:
        for line in f:
            if '"hand-over published"' in line:
                entry = orjson.loads(line)
                if entry.get("events") == events:
                    return entry.get("seconds", {})
    return {}


async def relay_batches(dsn: str) -> tuple[int, float | None, float | None]:
    """(batches, seconds from the first to the last batch's ack, from the commit to the last ack)."""
    conn = await asyncpg.connect(dsn)
    try:
        row = await conn.fetchrow(
            """SELECT count(*) AS n, extract(epoch FROM max(b.published_at) - min(b.published_at)) AS span,
                      extract(epoch FROM max(b.published_at) - (SELECT max(imported_at) FROM placements)) AS after
               FROM outbox_batches b""")
        return row["n"], row["span"] and float(row["span"]), row["after"] and float(row["after"])
    finally:
        await conn.close()


def breakdown(t_202: float, t_published: float, laps: dict, relay: tuple, handover: dict) -> None:
    steps, steps_cpu, workers = laps.get("laps", {}), laps.get("laps_cpu", {}), laps.get("worker_cpu", {})
    names = {"validate": "parse + validate (worker processes; waited for)", "checks": "checks (stored cases, R-1/R-7)",
             "prepare": "seal + rows + events (worker processes; waited for)", "copy_cases": "COPY cases + phone lookup",
             "copy_outbox": "COPY outbox", "joint_links": "joint-debt links", "commit": "commit"}
    imported = laps.get("seconds_from_arrival")
    print(f"where the time goes:{'wall':>45s}  service CPU  workers CPU")
    for key, label in names.items():
        if key in steps:
            w = f"{workers[key]:11.2f} s" if key in workers else ""
            print(f"    {label:<56s}{steps[key]:8.2f} s {steps_cpu.get(key, 0.0):9.2f} s {w}")
    if imported is not None:
        print(f"    {'(arrival to commit, all of the above)':<56s}{imported:8.2f} s {sum(steps_cpu.values()):9.2f} s "
              f"{sum(workers.values()):11.2f} s")
        print(f"    {'body upload + split, answer (to the 202)':<56s}{t_202 - imported:8.2f} s")
    n, span, after = relay
    print(f"    {'relay: from the commit to the last ack':<56s}{(after or 0):8.2f} s  ({n} batches, first to "
          f"last {(span or 0):.2f} s)")
    if handover:
        print(f"    {'  handed over (waited for the relay to take it)':<56s}{handover.get('waited') or 0:8.2f} s")
        print(f"    {'  then: all sent / all acked after':<56s}{handover.get('sent', 0):8.2f} s "
              f"/ {handover.get('acked', 0):.2f} s  (rows deleted after the acks, "
              f"{handover.get('deleted', 0) - handover.get('acked', 0):.2f} s)")
    print(f"    {'(202 to all on the bus, as the client sees it)':<56s}{t_published - t_202:8.2f} s")


async def main(stack) -> None:
    url = await stack.start_service("intake")
    pid = stack.services["intake"].proc.pid
    body = make_placement(N, seed=20261124)
    payload = orjson.dumps(body)
    token = mint_token(sub="bench-bank", roles=["client"], client_id="bench-bank")
    print(f"placement: {N:,} cases, {len(payload) / 2**20:.1f} MiB of JSON")

    intake = psutil.Process(pid)
    meter = CpuMeter(**{"intake service": intake, "intake workers": intake, "postgres": psutil.Process(stack.pg.proc.pid),
                        "broker": psutil.Process(stack.broker.proc.pid), "bench client (HTTP, polling)": psutil.Process()})
    async with httpx.AsyncClient(timeout=600) as client:
        meter.start()
        t0, wall0 = time.perf_counter(), time.time()
        r = await client.post(f"{url}/v1/placements", content=payload,
                              headers={"authorization": f"Bearer {token}",
                                       "content-type": "application/json"})
        t_202 = time.perf_counter() - t0
        meter.mark()
        if r.status_code != 202:
            raise RuntimeError(f"intake answered {r.status_code}: {r.text[:500]}")
        accepted = r.json()["accepted"]
        t_published = await last_ack(stack.dsn("intake"), r.json()["placement_id"], timeout=900) - wall0
    cpu = meter.stop()
    peak = peak_rss_mib(pid)
    on_topic, size = await count_on_topic(stack.bootstrap, "case.received", accepted)
    if on_topic != accepted:
        raise RuntimeError(f"only {on_topic:,} of {accepted:,} case.received read back from the broker")

    laps = import_laps(str(stack.log_dir / "intake.log"), r.json()["placement_id"])
    relay = await relay_batches(stack.dsn("intake"))
    floor_meter = CpuMeter(postgres=psutil.Process(stack.pg.proc.pid), broker=psutil.Process(stack.broker.proc.pid),
                           bench=psutil.Process())
    floor_meter.start()
    t_copy = await floor_copy(stack.dsn("intake"), body)
    cpu_copy = floor_meter.stop()
    floor_meter.start()
    t_produce = await floor_produce(stack.bootstrap, accepted, size, batched=False)
    cpu_produce = floor_meter.stop()
    t_batched = await floor_produce(stack.bootstrap, accepted, size, batched=True)
    floor = t_copy + t_produce
    print(f"accepted {accepted:,} (rejected {r.json()['rejected']:,}); event size ~{size:,} B; "
          f"{on_topic:,} distinct events read back from the topic")
    print(f"time to 202:                         {t_202:8.2f} s")
    print(f"time until all case.received on bus: {t_published:8.2f} s  (the last ack; target <= {TARGET_SECONDS:g} s: "
          f"{'met' if t_published <= TARGET_SECONDS else 'NOT met'})")
    breakdown(t_202, t_published, laps, relay, handover_laps(str(stack.log_dir / "intake.log"), accepted))
    print(f"floor: COPY same rows {t_copy:.2f} s + raw produce {accepted:,} events, one send each, {t_produce:.2f} s "
          f"= {floor:.2f} s")
    print(f"       (the same produce in record batches: {t_batched:.2f} s)")
    print(f"CPU seconds (user + system), from the request:{'to the 202':>21s}  then to the bus   total")
    for name, seconds in cpu.items():
        print(f"    {name:<56s}{meter.before[name]:8.2f} s {meter.after[name]:11.2f} s {seconds:9.2f} s")
    print(f"    {'(all of them)':<56s}{sum(meter.before.values()):8.2f} s {sum(meter.after.values()):11.2f} s "
          f"{sum(cpu.values()):9.2f} s")
    print(f"    floor COPY: postgres {cpu_copy['postgres']:.2f} s, bench {cpu_copy['bench']:.2f} s; floor produce: "
          f"broker {cpu_produce['broker']:.2f} s, bench {cpu_produce['bench']:.2f} s")
    print(f"intake peak memory (VmHWM):          {peak:8.0f} MiB")
    t_second = await second_placement(url, body, token)
    print(f"a second placement of the same debtors (other accounts) right after: {t_second:.2f} s to the 202 "
          f"(R-7: every case a joint debt of one just placed)")
    print(f"RATIO intake/floor = {t_published / floor:.2f}  (target <= {TARGET_RATIO:g}: "
          f"{'met' if t_published / floor <= TARGET_RATIO else 'NOT met'})")
