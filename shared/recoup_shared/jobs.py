"""Background jobs: periodic loops every service declares in its `jobs.py` as `JOBS`.

    JOBS = [Job("ptp-expiry", expire_promises, every=300),
            Job("auto-allocation", run_auto, every=lambda s: s.auto_interval_seconds,
                wake_on="allocation_wake", debounce=0.3)]

A time (`every`, `debounce`, `initial_delay`) is seconds, or a function of the service's settings
giving seconds (read once when the runner starts), so a job's pace is configuration.

`run(ctx)` opens its own connections (never a request's) and returns None to wait the normal
interval, or a number of seconds to run again sooner (0 = at once: more work is waiting, or the
lock was busy). A failing run is logged, counted and retried with back-off; the loop never dies.

Several replicas run the same jobs: a run that must happen once takes `try_xact_lock(conn,
"job", name, ...)` inside its transaction (locks.py) or claims a register row, and skips when
another replica holds it. Stop lets a run in flight finish (its transaction commits or rolls back).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from prometheus_client import Counter, Histogram

from .logging import get_logger
from .notify import Listener
from .waiting import wait_event

log = get_logger(__name__)

JOB_RUNS = Counter("recoup_job_runs_total", "Background job runs", ["service", "job", "outcome"])
JOB_SECONDS = Histogram("recoup_job_run_seconds", "Background job run time", ["service", "job"],
                        buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300))

JobFn = Callable[[Any], Awaitable[float | None]]
Seconds = float | Callable[[Any], float]   # seconds, or settings -> seconds


@dataclass(frozen=True)
class Job:
    name: str
    run: JobFn
    every: Seconds                     # seconds between runs when nothing wakes it
    wake_on: str | None = None         # a NOTIFY channel that wakes it early
    debounce: Seconds = 0.0            # after a wake, wait this long (bursts become one run)
    initial_delay: Seconds = 0.0       # first run this long after start
    enabled: Callable[[Any], bool] | None = None   # settings -> bool
    max_backoff: float = 60.0


def _seconds(value: Seconds, settings: Any) -> float:
    return float(value(settings) if callable(value) else value)


class _Loop:
    def __init__(self, job: Job, ctx: Any, service: str) -> None:
        self.job, self.ctx, self.service = job, ctx, service
        self.every = _seconds(job.every, ctx.settings)
        self.debounce = _seconds(job.debounce, ctx.settings)
        self.initial_delay = _seconds(job.initial_delay, ctx.settings)
        self.event = asyncio.Event()
        self.task: asyncio.Task | None = None
        self.runs = 0


class JobRunner:
    def __init__(self, ctx: Any, jobs: Sequence[Job], *, service: str) -> None:
        self.ctx, self.service = ctx, service
        self._loops = {j.name: _Loop(j, ctx, service) for j in jobs
                       if j.enabled is None or j.enabled(ctx.settings)}
        self._stopping = False
        self._listener: Listener | None = None
        self._channels: dict[str, list[_Loop]] = {}

    @property
    def names(self) -> list[str]:
        return list(self._loops)

    def runs(self, name: str) -> int:
        return self._loops[name].runs

    async def start(self) -> None:
        for loop in self._loops.values():
            if loop.job.wake_on:
                self._channels.setdefault(loop.job.wake_on, []).append(loop)
        if self._channels and self.ctx.pool is not None:
            # kept across database restarts (notify.py); once back, every woken job runs
            self._listener = Listener(self.ctx.pool, {c: self._waker(c) for c in self._channels},
                                      name=f"{self.service}-jobs")
            await self._listener.start()
        for loop in self._loops.values():
            if loop.job.wake_on:
                loop.event.set()  # whatever was signalled while we were down
            loop.task = asyncio.create_task(self._run(loop), name=f"job-{loop.job.name}")

    def _waker(self, channel: str) -> Callable[[], None]:
        def wake() -> None:
            for loop in self._channels.get(channel, ()):
                loop.event.set()
        return wake

    def wake(self, name: str) -> None:
        self._loops[name].event.set()

    async def run_now(self, name: str) -> float | None:
        """Run one job once in the caller's task (tests, admin routes)."""
        return await self._once(self._loops[name])

    async def stop(self, timeout: float = 20.0) -> None:
        self._stopping = True
        for loop in self._loops.values():
            loop.event.set()
        tasks = [loop.task for loop in self._loops.values() if loop.task is not None]
        if tasks:
            _, pending = await asyncio.wait(tasks, timeout=timeout)
            for t in pending:
                t.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._listener is not None:
            await self._listener.stop()
            self._listener = None

    async def _once(self, loop: _Loop) -> float | None:
        start = time.perf_counter()
        try:
            again = await loop.job.run(loop.ctx)
        except Exception:
            JOB_RUNS.labels(self.service, loop.job.name, "failed").inc()
            raise
        finally:
            JOB_SECONDS.labels(self.service, loop.job.name).observe(time.perf_counter() - start)
        loop.runs += 1
        JOB_RUNS.labels(self.service, loop.job.name, "ok").inc()
        return again

    async def _sleep(self, loop: _Loop, seconds: float) -> None:
        await wait_event(loop.event, seconds)

    async def _run(self, loop: _Loop) -> None:
        job, backoff = loop.job, 1.0
        if loop.initial_delay:
            await self._sleep(loop, loop.initial_delay)
        while not self._stopping:
            if loop.debounce and loop.event.is_set():
                await asyncio.sleep(loop.debounce)
            loop.event.clear()
            if self._stopping:
                return
            try:
                again = await self._once(loop)
                backoff = 1.0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the loop must survive; retried
                log.error("job failed; will retry", job=job.name, error=repr(exc), backoff=backoff)
                await self._sleep(loop, backoff)
                backoff = min(backoff * 2, job.max_backoff)
                continue
            if again is not None and again <= 0:
                await asyncio.sleep(0)  # more is waiting: go again (let others run first)
                loop.event.set()
                continue
            await self._sleep(loop, loop.every if again is None else again)
