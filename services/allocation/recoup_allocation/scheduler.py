"""Background work of the allocation service, one instance per replica:

- auto-allocation (R-8): woken by NOTIFY (new cases, resumed cases, staff/rule changes) after a
  short debounce so a placement's burst of batches becomes one run, plus a periodic poll. Each run
  is one transaction under the allocation advisory lock: with several replicas one runs and the
  others skip (and retry shortly), never allocating a case twice.
- monthly rotation (R-12): checked every `rotation_check_interval_seconds`; on or after the first
  working day of a month (Chinese calendar, 调休 included) it runs once per client for the month
  just ended — the rotation_runs register makes it once, across restarts and replicas. It leaves
  a preview for the team lead, or commits when `rotation_auto_commit` is on.
- housekeeping: previews past their time become `expired`; items of old uncommitted plans go.

Never holds a request's connection: every run opens its own.
"""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

import asyncpg

from recoup_shared.auth import Principal, Role
from recoup_shared.calendar import WorkingCalendar
from recoup_shared.errors import ServiceError
from recoup_shared.logging import get_logger

from .planning import SYSTEM_ROTATION, AutoResult, Ctx, auto_allocate, commit, preview_rotation
from .store import facts, plans
from .store.staff import WAKE_CHANNEL

log = get_logger(__name__)

HOUSEKEEPING_SECONDS = 60.0
_SYSTEM = Principal(sub=SYSTEM_ROTATION, roles=frozenset({Role.ADMIN.value}))


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


class Scheduler:
    def __init__(self, pool: asyncpg.Pool, settings: Any, calendar: WorkingCalendar) -> None:
        self.pool, self.settings = pool, settings
        self.ctx = Ctx(settings, calendar)
        self._wake = asyncio.Event()
        self._stopping = False
        self._tasks: list[asyncio.Task] = []
        self._listen_conn: asyncpg.Connection | None = None
        self._last_rotation_check = float("-inf")
        self.runs = 0  # auto-allocation runs done (tests and /metrics-free introspection)

    async def start(self) -> None:
        if self.settings.auto_allocate_enabled:
            self._listen_conn = await self.pool.acquire()
            await self._listen_conn.add_listener(WAKE_CHANNEL, self._on_notify)
            self._wake.set()  # whatever waited while we were down
            self._tasks.append(asyncio.create_task(self._auto_loop(), name="auto-allocation"))
        self._tasks.append(asyncio.create_task(self._housekeeping_loop(), name="allocation-housekeeping"))

    async def stop(self, timeout: float = 20.0) -> None:
        """Let a run in flight finish (its transaction commits or rolls back), then stop."""
        self._stopping = True
        self._wake.set()
        if self._tasks:
            done, pending = await asyncio.wait(self._tasks, timeout=timeout)
            for t in pending:
                t.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        if self._listen_conn is not None:
            try:
                await self._listen_conn.remove_listener(WAKE_CHANNEL, self._on_notify)
            finally:
                await self.pool.release(self._listen_conn)
                self._listen_conn = None

    def _on_notify(self, *_: Any) -> None:
        self._wake.set()

    def wake(self) -> None:
        self._wake.set()

    # --- auto-allocation ----------------------------------------------------------------------
    async def _auto_loop(self) -> None:
        s = self.settings
        backoff = 1.0
        while not self._stopping:
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=s.auto_allocate_interval_seconds)
            except asyncio.TimeoutError:
                pass
            if self._stopping:
                return
            if s.auto_allocate_debounce_seconds:
                await asyncio.sleep(s.auto_allocate_debounce_seconds)
            self._wake.clear()
            try:
                result = await self.run_auto_allocation()
                backoff = 1.0
            except Exception as exc:  # noqa: BLE001 - the loop must survive; retried
                log.error("auto-allocation failed; will retry", error=repr(exc), backoff=backoff)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 60.0)
                self._wake.set()
                continue
            if result.busy:
                await asyncio.sleep(0.5)  # another replica or a commit holds the lock
                self._wake.set()
            elif result.considered >= s.auto_allocate_max_cases:
                self._wake.set()  # more is waiting

    async def run_auto_allocation(self) -> AutoResult:
        result = await auto_allocate(self.pool, self.ctx)
        self.runs += 1
        if result.considered:
            log.info("auto-allocation run", considered=result.considered, allocated=result.allocated,
                     unplaced=result.unplaced, plans=result.plan_ids)
        return result

    # --- rotation and housekeeping ------------------------------------------------------------
    async def _housekeeping_loop(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._stopping:
            try:
                async with self.pool.acquire() as conn:
                    expired, purged = await plans.expire_plans(conn, self.settings.plan_retention_days)
                if expired or purged:
                    log.info("plans expired", expired=expired, items_purged=purged)
                if (self.settings.rotation_enabled and loop.time() - self._last_rotation_check
                        >= self.settings.rotation_check_interval_seconds):
                    self._last_rotation_check = loop.time()
                    await self.run_rotation_check()
            except Exception as exc:  # noqa: BLE001
                log.error("allocation housekeeping failed", error=repr(exc))
            for _ in range(int(HOUSEKEEPING_SECONDS * 2)):
                if self._stopping:
                    return
                await asyncio.sleep(0.5)

    async def run_rotation_check(self, today: date | None = None) -> list[dict[str, Any]]:
        """R-12: once per month and client, on or after the month's first working day, for the
        month just ended. Returns what it did (one entry per client run now)."""
        today = today or self.ctx.today()
        first_working = self.ctx.calendar.add_working_days(today.replace(day=1), 0)
        if today < first_working:
            return []
        month = previous_month(today)
        async with self.pool.acquire() as conn:
            clients = await facts.rotation_clients(conn, True)
        done = []
        for client_id in clients:
            async with self.pool.acquire() as conn, conn.transaction():
                if not await facts.claim_rotation_run(conn, month, client_id):
                    continue
                plan = await preview_rotation(
                    conn, self.ctx, month=month, client_id=client_id, strategy=None, team_ids=None,
                    collector_ids=None, created_by=SYSTEM_ROTATION,
                    ttl_minutes=self.settings.rotation_plan_ttl_minutes)
                status, detail = "previewed", None
                if plan["cases_planned"] == 0:
                    status = "empty"
                elif self.settings.rotation_auto_commit:
                    try:
                        async with conn.transaction():  # savepoint: a refused commit keeps the preview
                            await commit(conn, self.ctx, _SYSTEM, plan_id=_uuid(plan["plan_id"]))
                        status = "committed"
                    except ServiceError as exc:
                        detail = f"auto-commit refused: {exc.detail or exc.title}"
                await facts.finish_rotation_run(conn, month, client_id, plan_id=_uuid(plan["plan_id"]),
                                                status=status, detail=detail)
                done.append({"client_id": client_id, "month": month, "plan_id": plan["plan_id"],
                             "status": status, "cases_planned": plan["cases_planned"]})
                log.info("scheduled rotation", client_id=client_id, month=month.isoformat(),
                         status=status, planned=plan["cases_planned"], detail=detail)
        return done


def _uuid(value: str):
    import uuid
    return uuid.UUID(value)
