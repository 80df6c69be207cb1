"""Who gets which letter when (R-28..R-31), for a set of cases on a business day: letters not yet
dispatched whose case became blocked are cancelled with the reason; returned letters are re-sent
once to a newer confirmed address while they are still the right letter; then the day's due
letters are planned. The same function serves the daily run (jobs.py), the handlers (a new
address arrived) and the clerk's "plan now".

Concurrency: two planners of the same case cannot both insert — one letter in flight per recipient
and once per cycle are unique indexes (the loser's row is skipped), and cancellation only touches
letters not yet dispatched.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.logging import get_logger

from ..context import Ctx
from ..rules.errors import PlanningRunNotFound
from ..rules.model import CaseSnapshot, LetterRecord, LetterStatus, PlannedLetter, Skipped
from ..rules.planning import cancellations, plan_case
from ..rules.returns import plan_resend
from ..store import addresses as address_store
from ..store import cases as case_store
from ..store import letters as letter_store
from ..store import planning as planning_store
from .common import configs, histories, letter_row, snapshots

log = get_logger(__name__)


@dataclass
class PlanStats:
    cases: int = 0
    planned: int = 0
    cancelled: int = 0
    resends: int = 0
    by_type: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)

    def add(self, other: "PlanStats") -> None:
        self.cases += other.cases
        self.planned += other.planned
        self.cancelled += other.cancelled
        self.resends += other.resends
        self.by_type.update(other.by_type)
        self.skipped.update(other.skipped)

    def as_dict(self) -> dict[str, Any]:
        return {"cases": self.cases, "planned": self.planned, "cancelled": self.cancelled,
                "resends": self.resends, "by_type": dict(self.by_type), "skipped": dict(self.skipped)}


def _skip_key(s: Skipped) -> str:
    return s.reason.value if s.block is None else f"{s.reason.value}:{s.block.value}"


def _as_record(p: PlannedLetter, row: dict) -> LetterRecord:
    return LetterRecord(row["letter_id"], p.case_id, p.cycle, p.letter_type, p.recipient.party_id,
                        p.address.address_id, LetterStatus.PLANNED, row["created_on"], resend_of=p.resend_of,
                        subject=p.subject)


def _latest_returns(history: Sequence[LetterRecord]) -> list[LetterRecord]:
    """Returned letters whose chain (the original and its re-sends) ends with them."""
    chains: dict[str, LetterRecord] = {}
    for r in sorted(history, key=lambda r: (r.created_on, r.letter_id)):
        if r.status == LetterStatus.CANCELLED:
            continue
        chains[r.resend_of or r.letter_id] = r
    return [r for r in chains.values() if r.status == LetterStatus.RETURNED]


def plan_one(snap: CaseSnapshot, history: list[LetterRecord], cfg, today: date, at,
             stats: PlanStats) -> tuple[list[tuple[str, str, str]], list[dict]]:
    """The rules for one case: (cancellations, letter rows). Pure apart from the ids it draws."""
    cancels = [(c.letter_id, str(getattr(c.reason, "value", c.reason)), c.detail)
               for c in cancellations(snap, history, cfg)]
    gone = {c[0] for c in cancels}
    history = [dataclasses.replace(r, status=LetterStatus.CANCELLED) if r.letter_id in gone else r
               for r in history]
    rows: list[dict] = []
    for returned in _latest_returns(history):                       # R-31 first: the returned letter
        out = plan_resend(returned, snap, history, cfg, today)
        if isinstance(out, PlannedLetter):
            row = letter_row(out, origin="resend", today=today, at=at)
            rows.append(row)
            history.append(_as_record(out, row))
            stats.resends += 1
    plan = plan_case(snap, history, cfg, today)                     # R-28..R-30
    for p in plan.letters:
        rows.append(letter_row(p, origin="planned", today=today, at=at))
    stats.skipped.update(_skip_key(s) for s in plan.skipped)
    return cancels, rows


async def plan_cases(conn: asyncpg.Connection, ctx: Ctx, case_ids: Sequence[str], today: date) -> PlanStats:
    stats = PlanStats()
    if not case_ids:
        return stats
    snaps = await snapshots(conn, case_ids)
    hist = await histories(conn, list(snaps))
    cfgs = await configs(conn, {s.client_id for s in snaps.values()})
    at = ctx.clock.now()
    cancels: list[tuple[str, str, str]] = []
    rows: list[dict] = []
    for case_id, snap in snaps.items():
        c, r = plan_one(snap, hist.get(case_id, []), cfgs[snap.client_id], today, at, stats)
        cancels += c
        rows += r
    stats.cases = len(snaps)
    stats.cancelled = len(await letter_store.cancel(conn, cancels, at))
    inserted = set(await letter_store.insert(conn, rows))
    stats.planned = len(inserted)
    stats.by_type.update(r["letter_type"] for r in rows if r["letter_id"] in inserted)
    stats.resends = sum(1 for r in rows if r["origin"] == "resend" and r["letter_id"] in inserted)
    return stats


async def cancel_blocked(conn: asyncpg.Connection, ctx: Ctx, case_ids: Sequence[str]) -> int:
    """R-31 at once when a case changes (settled, recalled, disputed, do-not-contact, paused, or its
    address became invalid): its letters not yet dispatched are cancelled with the reason."""
    if not case_ids:
        return 0
    snaps = await snapshots(conn, case_ids)
    hist = await histories(conn, list(snaps))
    cfgs = await configs(conn, {s.client_id for s in snaps.values()})
    cancels = [(c.letter_id, str(getattr(c.reason, "value", c.reason)), c.detail)
               for cid, snap in snaps.items()
               for c in cancellations(snap, hist.get(cid, []), cfgs[snap.client_id])]
    return len(await letter_store.cancel(conn, cancels, ctx.clock.now()))


async def resend_next(ctx: Ctx) -> float | None:
    """The re-send job (R-31): cases with a returned letter not yet re-sent are planned again (a
    newer confirmed address may have arrived: contact.logged, visit.completed wake this job)."""
    after, today = "", ctx.clock.today()
    total = PlanStats()
    async with ctx.pool.acquire() as conn:
        while True:
            async with conn.transaction():
                ids = await letter_store.returned_awaiting_resend(conn, after, ctx.settings.planning_chunk)
                if not ids:
                    break
                total.add(await plan_cases(conn, ctx, ids, today))
            after = ids[-1]
    if total.resends:
        log.info("returned letters re-sent", resends=total.resends, cases=total.cases)
    return None


# --- runs ------------------------------------------------------------------------------------------

async def request_run(conn: asyncpg.Connection, ctx: Ctx, principal: Principal) -> dict[str, Any]:
    """The clerk's "plan now" (R-26): queued for the planning job, which is woken at once."""
    row = await planning_store.request(conn, ctx.clock.today(), principal.sub, ctx.clock.now())
    await conn.execute("SELECT pg_notify('letters_plan', '')")
    return dict(row)


async def get_run(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, run_id: int) -> dict[str, Any]:
    row = await planning_store.get(conn, run_id)
    if row is None:
        raise PlanningRunNotFound(f"planning run {run_id} is unknown")
    return dict(row)


async def run_next(ctx: Ctx) -> float | None:
    """The planning job: today's scheduled run once the planning hour has come (business zone of
    ctx.clock), else any queued run; chunk by chunk, each its own transaction."""
    s = ctx.settings
    now = ctx.clock.now()
    async with ctx.pool.acquire() as conn:
        async with conn.transaction():
            if ctx.clock.local_now().hour >= s.planning_hour:
                await planning_store.ensure_scheduled(conn, ctx.clock.today(), now)
            run = await planning_store.claim(conn, now, now - timedelta(seconds=s.planning_timeout_seconds))
        if run is None:
            return None
        try:
            stats = await _run(conn, ctx, run)
        except Exception as exc:
            async with conn.transaction():
                await planning_store.finish(conn, run["run_id"], "failed", ctx.clock.now(), repr(exc)[:500])
            raise
        async with conn.transaction():
            await planning_store.finish(conn, run["run_id"], "done", ctx.clock.now())
    log.info("letters planned", run_id=run["run_id"], day=str(run["day"]), **stats.as_dict())
    return 0


async def _run(conn: asyncpg.Connection, ctx: Ctx, run) -> PlanStats:
    total, after = PlanStats(), ""
    while True:
        async with conn.transaction():
            ids = await case_store.page_for_planning(conn, after, ctx.settings.planning_chunk)
            if not ids:
                break
            total.add(await plan_cases(conn, ctx, ids, run["day"]))
            await planning_store.progress(conn, run["run_id"], total.as_dict(), ctx.clock.now())
        after = ids[-1]
    async with conn.transaction():
        before = ctx.clock.now() - timedelta(days=ctx.settings.delivery_presumed_after_days)
        await address_store.presume_delivered(conn, before)
    return total
