"""The fault suite (issue 14, "so that it stays fixed"): the placement → allocation flow survives
processes killed at random points, a frozen broker and a PostgreSQL restart.

The flow: a client system pushes placements to intake's client API (retrying as a bank's system
does: on a dropped connection or a 5xx, the same body again) → intake stores the cases and writes
case.received to its outbox in the same transaction → the relay publishes → allocation consumes
them → its automatic allocation (R-8) gives each case an owner → case.allocated.

The suite runs on a throw-away stack of its own (restarting PostgreSQL or freezing the broker
would disturb the session's other tests), with intake and allocation as real uvicorn processes.
Trials, each with a client of its own and TRIAL_PLACEMENTS placements of TRIAL_CASES cases (a
fault-free baseline first: it also measures the flow, and "a random point of the flow" is a
uniform point of that span):
  - kill -9 of intake at a random point of the flow, restarted at once (KILL_TRIALS trials);
  - kill -9 of allocation likewise (KILL_TRIALS trials);
  - the broker frozen for FREEZE_SECONDS at a random point (SIGSTOP, then SIGCONT: Tansu is
    memory-only, so it is never killed);
  - PostgreSQL restarted mid-batch — once allocation is consuming the trial's cases, while intake
    still writes placements (fast shutdown, PG_DOWN_SECONDS down, start);
and at the end both services must still stop gracefully.
The outage of a trial runs from the fault until the component is back: the restarted service
answering /healthz (for allocation that includes re-joining its consumer group, ~19 s on Tansu
after a kill -9), the broker resumed, PostgreSQL accepting connections.
Each trial asserts, for every case intake accepted:
  - 0 events lost: a case.received on the broker, the case in allocation, a case.allocated;
  - 0 effects doubled: one stored case per pushed row at intake, ONE distinct case.received and
    ONE distinct case.allocated event per case (a redelivered copy of the same event is fine:
    the bus is at-least-once), one ownership row per case;
  - exactly one owner per case (allocation's current ownership);
  - the backlog (both outboxes, every case allocated) drained within twice the outage (at least
    DRAIN_FLOOR_SECONDS), counted from the moment the outage ended;
  - allocation dead-lettered nothing.
RECOUP_FAULT_SEED replays the random points of a run (printed at the end).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import httpx
import pytest
import pytest_asyncio

from recoup_local.demo import make_placement
from recoup_local.demo_allocation import setup_demo_team
from recoup_local.factories import read_topic, wait_until
from recoup_local.pii_scan import scan_logs
from recoup_local.stack import Stack
from recoup_local.testing import report_cost
from recoup_shared.auth import mint_token

KILL_TRIALS = int(os.environ.get("RECOUP_FAULT_KILL_TRIALS", "3"))
TRIAL_PLACEMENTS = 6   # pushed one after another, as a bank's system sends its day's files
TRIAL_CASES = 400
FREEZE_SECONDS = 30.0
PG_DOWN_SECONDS = 10.0  # a restart as operators see it (stop, the time a restart takes, start)
SEED = int(os.environ.get("RECOUP_FAULT_SEED") or random.SystemRandom().randrange(10**6))
RNG = random.Random(SEED)
# What a drain may take however short the outage: the flow's own latency (relay poll 0.2 s,
# allocation's automatic run every second) and the client's retry pause.
DRAIN_FLOOR_SECONDS = 5.0

ALLOCATION_ENV = {
    "RECOUP_AUTO_ALLOCATE_DEBOUNCE_SECONDS": "0.2",
    "RECOUP_AUTO_ALLOCATE_INTERVAL_SECONDS": "1",
    "RECOUP_ROTATION_ENABLED": "false",
    "RECOUP_RELAY_POLL_SECONDS": "0.2",
}
INTAKE_ENV = {"RECOUP_RELAY_POLL_SECONDS": "0.2"}

RESULTS: list[str] = []
_findings: list[str] = []


# --- the stack --------------------------------------------------------------------------------

@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def faults():
    t0 = time.monotonic()
    s = Stack.throwaway()
    s.before_remove.append(lambda log_dir: _findings.extend(scan_logs(log_dir)))  # R-46 here too
    async with s:
        urls = await s.start_services(["intake", "allocation"],
                                      env={"intake": INTAKE_ENV, "allocation": ALLOCATION_ENV})
        yield Faults(s, urls)
    report_cost(f"fault suite: {time.monotonic() - t0:.0f}s, seed {SEED} (RECOUP_FAULT_SEED), "
                + "; ".join(RESULTS))
    assert not _findings, f"personal data in the fault stack's logs (R-46): {_findings[:5]}"


@dataclass
class Faults:
    stack: Stack
    urls: dict[str, str]

    def dsn(self, service: str) -> str:
        return self.stack.dsn(service)

    async def fetchval(self, service: str, sql: str, *args: Any) -> Any:
        conn = await asyncpg.connect(self.dsn(service))
        try:
            return await conn.fetchval(sql, *args)
        finally:
            await conn.close()

    async def fetch(self, service: str, sql: str, *args: Any) -> list:
        conn = await asyncpg.connect(self.dsn(service))
        try:
            return await conn.fetch(sql, *args)
        finally:
            await conn.close()


# --- a client system that retries -------------------------------------------------------------

@dataclass
class Trial:
    name: str
    client_id: str = field(default_factory=lambda: f"fault-{uuid.uuid4().hex[:8]}")
    placements: list[dict] = field(default_factory=list)
    answers: dict[str, dict] = field(default_factory=dict)
    retries: int = 0
    statuses: Counter = field(default_factory=Counter)

    def headers(self) -> dict[str, str]:
        token = mint_token(sub=f"{self.client_id}-system", roles=["client"], client_id=self.client_id)
        return {"authorization": f"Bearer {token}"}


async def push_all(f: Faults, trial: Trial, deadline: float) -> None:
    """Push the placements one after another, each retried (the same body) until intake
    answers 202."""
    async def push(body: dict) -> None:
        async with httpx.AsyncClient(base_url=f.urls["intake"], timeout=30) as c:
            while True:
                try:
                    r = await c.post("/v1/placements", json=body, headers=trial.headers())
                    trial.statuses[r.status_code] += 1
                    if r.status_code == 202:
                        trial.answers[body["placement_ref"]] = r.json()
                        return
                    assert r.status_code >= 500, f"{r.status_code} {r.text[:300]}"  # 4xx: a bug here
                    assert r.headers["content-type"].startswith("application/problem+json"), r.text[:300]
                except (httpx.TransportError, httpx.TimeoutException) as exc:
                    trial.statuses[type(exc).__name__] += 1
                if time.monotonic() > deadline:
                    raise AssertionError(f"{body['placement_ref']} not accepted before the deadline "
                                         f"({dict(trial.statuses)})")
                trial.retries += 1
                await asyncio.sleep(0.3)

    for body in trial.placements:
        await push(body)


def new_trial(name: str) -> Trial:
    trial = Trial(name)
    for i in range(TRIAL_PLACEMENTS):
        trial.placements.append(make_placement(TRIAL_CASES, seed=RNG.randrange(10**9),
                                               placement_ref=f"{trial.client_id}-P{i}",
                                               client_salt=RNG.randrange(10**6)))
    return trial


# --- faults -----------------------------------------------------------------------------------

async def kill_and_restart(f: Faults, service: str) -> tuple[float, float]:
    """kill -9, then start it again at once; (outage start, outage end)."""
    proc = f.stack.services[service].proc
    assert proc is not None and proc.poll() is None
    down = time.monotonic()
    proc.send_signal(signal.SIGKILL)
    await asyncio.to_thread(proc.wait)
    await f.stack.restart_service(service)
    return down, time.monotonic()


async def freeze_broker(f: Faults, seconds: float) -> tuple[float, float]:
    proc = f.stack.broker.proc
    assert proc is not None and proc.poll() is None
    down = time.monotonic()
    os.kill(proc.pid, signal.SIGSTOP)
    try:
        await asyncio.sleep(seconds)
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    return down, time.monotonic()


async def restart_postgres(f: Faults) -> tuple[float, float]:
    """Fast shutdown (open transactions rolled back, connections cut), down for PG_DOWN_SECONDS,
    started again on the same data."""
    down = time.monotonic()
    await f.stack.pg.stop()
    await asyncio.sleep(PG_DOWN_SECONDS)
    await f.stack.pg.start()
    return down, time.monotonic()


# --- one trial --------------------------------------------------------------------------------

FLOW_SECONDS: list[float] = []   # how long the flow takes without a fault (the baseline trial)


async def run_trial(f: Faults, trial: Trial, fault=None, *, at: float = 0.0, after=None) -> float:
    """Push the trial's placements; `at` seconds in (or `at` seconds after the coroutine function
    `after` returns), the fault (its outage: from the fault until the component is back); then
    wait for the backlog to drain and check the invariants. Returns how long the flow took."""
    await setup_demo_team(f.urls["allocation"], trial.client_id)
    t0 = time.monotonic()
    pushing = asyncio.ensure_future(push_all(f, trial, deadline=t0 + 240))
    up, outage, when = t0, 0.0, "no fault"
    if fault is not None:
        if after is not None:
            await after()
        await asyncio.sleep(at)
        when = (f"fault at {time.monotonic() - t0:.1f}s ({len(trial.answers)}/{len(trial.placements)} "
                f"placements acknowledged, {await consumed(f, trial)} cases in allocation)")
        down, up = await fault()
        outage = up - down
    await pushing
    case_ids = await accepted_cases(f, trial)
    drained_at = await wait_drained(f, trial, case_ids, up, limit=max(2 * outage, DRAIN_FLOOR_SECONDS))
    await check_invariants(f, trial, case_ids)
    RESULTS.append(f"{trial.name}: {len(case_ids)} cases, {when}, outage {outage:.1f}s, drained "
                   f"{drained_at - up:.1f}s after it, {trial.retries} client retries")
    return drained_at - t0


async def consumed(f: Faults, trial: Trial) -> int:
    try:
        return await f.fetchval("allocation", "SELECT count(*) FROM cases WHERE client_id = $1",
                                trial.client_id)
    except (OSError, asyncpg.PostgresError):
        return -1


def fault_point() -> float:
    """A random point of the flow: anywhere between the first push and the last allocation of the
    baseline trial."""
    assert FLOW_SECONDS, "the baseline trial runs first"
    return RNG.uniform(0.0, FLOW_SECONDS[0])


async def accepted_cases(f: Faults, trial: Trial) -> set[str]:
    """The case ids intake says it accepted, per placement (its client API, paged)."""
    out: set[str] = set()
    async with httpx.AsyncClient(base_url=f.urls["intake"], timeout=30) as c:
        for body in trial.placements:
            ref, cursor, got = body["placement_ref"], None, 0
            while True:
                params = {"limit": 1000, **({"cursor": cursor} if cursor else {})}
                r = await c.get(f"/v1/placements/{ref}/cases", params=params, headers=trial.headers())
                assert r.status_code == 200, r.text
                page = r.json()
                got += len(page["items"])
                out.update(item["case_id"] for item in page["items"])
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            assert got == trial.answers[ref]["accepted"], (ref, got, trial.answers[ref])
    assert out, "intake accepted nothing"
    return out


async def wait_drained(f: Faults, trial: Trial, case_ids: set[str], since: float, limit: float) -> float:
    """Both outboxes empty and every case allocated; when that was first seen."""
    ids = sorted(case_ids)

    async def drained() -> bool:
        try:
            backlog = (await f.fetchval("intake", "SELECT count(*) FROM outbox")
                       + await f.fetchval("allocation", "SELECT count(*) FROM outbox"))
            assigned = await f.fetchval(
                "allocation", "SELECT count(*) FROM cases WHERE case_id = ANY($1) AND status = 'assigned'", ids)
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
            return False
        return backlog == 0 and assigned == len(ids)

    try:
        await wait_until(drained, timeout=max(limit - (time.monotonic() - since), 0) + 0.5, interval=0.2,
                         what="the backlog drained")
    except AssertionError:
        backlog = {s: await f.fetchval(s, "SELECT count(*) FROM outbox") for s in ("intake", "allocation")}
        states = await f.fetch("allocation", "SELECT status, count(*) FROM cases WHERE case_id = ANY($1) "
                                             "GROUP BY status", ids)
        raise AssertionError(
            f"{trial.name}: backlog not drained within {limit:.1f}s of the outage's end (twice the "
            f"outage): outboxes {backlog}, allocation has {dict((r[0], r[1]) for r in states)} of "
            f"{len(ids)} cases") from None
    return time.monotonic()


async def check_invariants(f: Faults, trial: Trial, case_ids: set[str]) -> None:
    n = len(case_ids)
    ids = sorted(case_ids)
    # intake: one stored case per accepted row, whatever the retries
    stored = await f.fetchval("intake", "SELECT count(*) FROM cases WHERE client_id = $1", trial.client_id)
    assert stored == n, f"{trial.name}: intake stores {stored} cases for {n} accepted rows"
    placements = await f.fetchval("intake", "SELECT count(*) FROM placements WHERE client_id = $1",
                                  trial.client_id)
    assert placements == len(trial.placements)
    # the broker: every case announced once (copies of one event are redeliveries, fine)
    received = await read_topic(f.stack.bootstrap, "case.received", case_ids=case_ids, expect=n,
                                timeout=60, settle=1.0)
    per_case = _distinct_events(received)
    lost = case_ids - per_case.keys()
    assert not lost, f"{trial.name}: {len(lost)} cases never announced (case.received lost)"
    doubled = {c: k for c, k in per_case.items() if k > 1}
    assert not doubled, f"{trial.name}: {len(doubled)} cases announced twice: {list(doubled.items())[:5]}"
    # allocation: every case there, exactly one owner, allocated once
    rows = await f.fetch("allocation", """
        SELECT c.case_id, c.status, c.collector_id,
               count(o.id) AS ownerships, count(o.id) FILTER (WHERE o.valid_to IS NULL) AS current,
               max(o.collector_id) FILTER (WHERE o.valid_to IS NULL) AS owner
        FROM cases c LEFT JOIN ownership o ON o.case_id = c.case_id
        WHERE c.case_id = ANY($1) GROUP BY c.case_id, c.status, c.collector_id""", ids)
    assert len(rows) == n, f"{trial.name}: allocation knows {len(rows)} of {n} cases (events lost)"
    bad = [dict(r) for r in rows if (r["status"], r["ownerships"], r["current"]) != ("assigned", 1, 1)
           or r["owner"] != r["collector_id"]]
    assert not bad, f"{trial.name}: {len(bad)} cases without exactly one owner: {bad[:5]}"
    allocated = await read_topic(f.stack.bootstrap, "case.allocated", case_ids=case_ids, expect=n,
                                 timeout=60, settle=1.0)
    per_case = _distinct_events(allocated)
    assert case_ids == per_case.keys(), f"{trial.name}: {len(case_ids - per_case.keys())} case.allocated lost"
    doubled = {c: k for c, k in per_case.items() if k > 1}
    assert not doubled, f"{trial.name}: {len(doubled)} cases allocated twice: {list(doubled.items())[:5]}"
    owners = {e["case_id"]: e["payload"]["collector_id"] for e in allocated}
    assert owners == {r["case_id"]: r["collector_id"] for r in rows}, "case.allocated disagrees with the owner"
    dead = await f.fetchval("allocation", "SELECT count(*) FROM dead_letters")
    assert dead == 0, f"{trial.name}: allocation dead-lettered {dead} events"


def _distinct_events(envelopes: list[dict]) -> dict[str, int]:
    seen: dict[str, set] = {}
    for e in envelopes:
        seen.setdefault(e["case_id"], set()).add(e["event_id"])
    return {c: len(ids) for c, ids in seen.items()}


# --- the trials -------------------------------------------------------------------------------

async def test_baseline_flow_without_a_fault(faults):
    """The same flow untouched: the invariants hold and it gives the span faults are put in."""
    FLOW_SECONDS.append(await run_trial(faults, new_trial("baseline")))


@pytest.mark.parametrize("service", ["intake", "allocation"])
@pytest.mark.parametrize("trial_no", range(KILL_TRIALS))
async def test_kill_9_at_a_random_point_loses_and_doubles_nothing(faults, service, trial_no):
    trial = new_trial(f"kill -9 {service} #{trial_no + 1}")
    await run_trial(faults, trial, lambda: kill_and_restart(faults, service), at=fault_point())


async def test_broker_frozen_for_30_seconds_loses_and_doubles_nothing(faults):
    trial = new_trial("broker frozen")
    await run_trial(faults, trial, lambda: freeze_broker(faults, FREEZE_SECONDS), at=fault_point())


async def test_postgres_restarted_mid_batch_loses_and_doubles_nothing(faults):
    """Mid-batch: once allocation has begun to consume the trial's cases, while intake still
    writes placements and allocation still applies batches."""
    trial = new_trial("PostgreSQL restarted")

    async def allocation_consuming() -> None:
        await wait_until(lambda: consumed(faults, trial), timeout=60, interval=0.02,
                         what="allocation consuming the trial's cases")

    await run_trial(faults, trial, lambda: restart_postgres(faults), at=RNG.uniform(0.0, 0.2),
                    after=allocation_consuming)


async def test_services_stop_cleanly_after_the_faults(faults):
    """After all of it, a graceful stop still works: jobs finish, the consumer commits and leaves
    its group, the relay flushes (it failed after the PostgreSQL restart, on the job runner's dead
    LISTEN connection)."""
    import json

    for name in ("allocation", "intake"):
        log_file = faults.stack.log_dir / f"{name}.log"
        code = await faults.stack.stop_service(name)
        events = [json.loads(line).get("event") for line in log_file.read_text().splitlines()
                  if line.startswith("{")]
        last = len(events) - 1 - events[::-1].index("service stopping")
        assert "service stopped" in events[last:], f"{name} did not stop cleanly: {events[last:][:10]}"
        assert "Application shutdown failed. Exiting." not in events[last:]
        assert code in (0, -signal.SIGTERM), f"{name} exited with {code}"  # uvicorn re-raises SIGTERM
