"""Quality inspection (质检, R-48): the weekly sample of contact records becomes an inspection queue
(every collector who worked that week represented; telephony mismatches join it), each sampled
attempt re-checked by the engine's replay against the attempts before it; inspectors (auditors and
supervisors) record findings (R-18, R-19, R-49); violations are counted per collector per month from
findings, gate refusals and mismatches."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.compliance import replay
from recoup_shared.compliance.zones import zone as zone_info

from ..context import Ctx
from ..rules.errors import AlreadyDecided, FieldError, InvalidRecord, NotFoundHere
from ..rules.quality import FindingKind, Verdict, fold_violations, month_range, verdict_errors, week_start, \
    week_to_sample
from ..store import casepage as page_store
from ..store import points as point_store
from ..store import quality as store
from ..store import records as record_store
from .gate import history_of
from .policy import policy_for, zones_for

RECHECK_BATCH = 200


def _business(ctx: Ctx, day: date) -> datetime:
    return datetime.combine(day, time(0), zone_info(ctx.settings.timezone))


async def sample_week(ctx: Ctx) -> float | None:
    """Job: the last full week is sampled once (the week's row is the claim, safe with replicas);
    then sampled attempts are re-checked in batches."""
    week = week_to_sample(ctx.clock.today())
    now = ctx.clock.now()
    s = ctx.settings
    async with ctx.pool.acquire() as conn, conn.transaction():
        if await store.claim_week(conn, week, s.quality_sample_rate, now):
            items = await store.sample_records(conn, week, s.quality_sample_rate, s.quality_min_per_collector, now)
            flagged = await store.flags_into_queue(conn, week, _business(ctx, week),
                                                   _business(ctx, week + timedelta(days=7)), now)
            await store.set_sampled(conn, week, len(items) + flagged)
    return 0 if await recheck_batch(ctx) >= RECHECK_BATCH else None


async def recheck_batch(ctx: Ctx) -> int:
    """Sampled items not yet re-checked: each case's history replayed with its policy (R-48)."""
    async with ctx.pool.acquire() as conn, conn.transaction():
        items = await conn.fetch(
            """SELECT i.item_id, i.case_id, i.record_id, i.occurred_at FROM inspection_items i
               WHERE i.recheck IS NULL AND i.record_id IS NOT NULL
               ORDER BY i.created_at LIMIT $1 FOR UPDATE SKIP LOCKED""", RECHECK_BATCH)
        out = []
        for item in items:
            out.append((item["item_id"], await _recheck(conn, ctx, item)))
        await store.set_recheck(conn, out)
    return len(items)


async def _recheck(conn: asyncpg.Connection, ctx: Ctx, item: Any) -> dict[str, Any]:
    case = await page_store.for_work(conn, item["case_id"], ctx.clock.today())
    if case is None:
        return {"checked": False, "why": "case unknown"}
    points = await point_store.of_case(conn, item["case_id"])
    policy = await policy_for(conn, ctx, case, points)
    rows = await conn.fetch(
        """SELECT at, channel, party, point_id, contact_person, outcome, direction, exemption, agents, record_id
           FROM attempts WHERE case_id = $1 AND at > $2 AND at <= $3 ORDER BY at""",
        item["case_id"], item["occurred_at"] - policy.horizon, item["occurred_at"] + timedelta(seconds=1))
    mine = next((i for i, r in enumerate(rows) if r["record_id"] == item["record_id"]), None)
    if mine is None:
        return {"checked": False, "why": "no gate attempt for this record (inbound or event-made)"}
    point = next((p for p in points if p["point_id"] == rows[mine]["point_id"]), None)
    decided = replay(policy, zones_for(policy, case, points, point), history_of(rows), calendar=ctx.calendar)
    decision = next(d for a, d in decided if a.at == rows[mine]["at"])
    return {"checked": True, "allowed": decision.allowed, "rules": list(decision.rules),
            "policy_fingerprint": policy.fingerprint}


async def queue(conn: asyncpg.Connection, *, state: str | None, collector_id: str | None,
                after: tuple[datetime, UUID] | None, limit: int) -> list[dict[str, Any]]:
    return [dict(r) for r in await store.queue(conn, state=state, collector_id=collector_id, after=after,
                                               limit=limit)]


async def add_record(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, record_id: UUID) -> dict[str, Any]:
    """An inspector queues one record outside the sample (a complaint, a client's query)."""
    record = await record_store.get(conn, record_id)
    if record is None:
        raise NotFoundHere("no such contact record")
    week = week_start(record["occurred_on"])
    item_id = await store.add_item(conn, week=week, source="manual", record=record, now=ctx.clock.now())
    if item_id is None:
        raise AlreadyDecided("the record is already in this week's queue")
    return await item(conn, item_id)


async def item(conn: asyncpg.Connection, item_id: UUID) -> dict[str, Any]:
    row = await store.get_item_details(conn, item_id)
    if row is None:
        raise NotFoundHere("no such inspection item")
    return {**dict(row), "findings": [dict(f) for f in await store.findings_of(conn, item_id)]}


async def inspect(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, item_id: UUID, verdict: Verdict,
                  findings: list[tuple[FindingKind, str | None]], note: str | None) -> dict[str, Any]:
    """The inspector's verdict and findings on one item (once: a second verdict is refused)."""
    row = await store.get_item(conn, item_id, for_update=True)
    if row is None:
        raise NotFoundHere("no such inspection item")
    if row["state"] != "open":
        raise AlreadyDecided(f"the item was already inspected ({row['state']})")
    errors = verdict_errors(verdict, [k for k, _ in findings], [n for _, n in findings])
    if row["collector_id"] == principal.sub:
        errors.append(FieldError("item_id", "nobody inspects their own contacts"))
    if errors:
        raise InvalidRecord(errors)
    now = ctx.clock.now()
    await store.decide(conn, item_id, verdict.value, by=principal.sub, at=now, note=note)
    await store.add_findings(conn, row, [(k.value, n) for k, n in findings], by=principal.sub, at=now)
    return await item(conn, item_id)


async def violations(conn: asyncpg.Connection, ctx: Ctx, month: str, collector_id: str | None) -> dict[str, Any]:
    """R-48: violations per collector in the month (business zone)."""
    try:
        first, nxt = month_range(month)
    except ValueError as exc:
        raise InvalidRecord([FieldError("month", str(exc))]) from None
    rows = await store.violations(conn, _business(ctx, first), _business(ctx, nxt), collector_id)
    return {"month": month, "collectors": [
        {"collector_id": v.collector_id, "total": v.total, "findings": v.findings, "refusals": v.refusals,
         "refused_attempts": v.refused_attempts, "mismatches": v.mismatches} for v in fold_violations(rows)]}
