"""Drill-down: the spells and repayments behind a statement line, and the repayments of the month
that were not counted — of the issued revision when there is one, else of a draft (keyset pages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.clock import month_label
from recoup_shared.paging import page

from .. import views
from ..context import Ctx
from ..rules import schedule_from_dict
from ..rules.close import bucket_position, choose_schedule, lower_bounds
from ..rules.errors import StatementNotFound
from ..rules.model import Window
from ..store import close, statements as st_store
from . import documents as d
from .common import drafts_allowed, load_schedules


@dataclass(frozen=True)
class LineQuery:
    client_id: str
    month: date
    bucket: str                                  # a bucket name, or its 1-based position
    revision: int | None = None
    after: tuple[UUID, str] | None = None        # (case_id, placement_id) of the previous page's last spell
    limit: int = 100


@dataclass(frozen=True)
class NotCountedQuery:
    client_id: str
    month: date
    revision: int | None = None
    after: tuple[date, str] | None = None        # (paid_on, txn_ref) of the previous page's last repayment
    limit: int = 100


async def line_cases(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, q: LineQuery) -> d.Doc:
    drafts = drafts_allowed(principal, q.client_id)
    head = await st_store.get_issued(conn, q.client_id, q.month, q.revision)
    if head is None and (q.revision is not None or not drafts):
        raise StatementNotFound(f"no issued statement for {q.client_id} {month_label(q.month)}"
                                + (f" revision {q.revision}" if q.revision else ""))
    if head is not None:
        schedule = schedule_from_dict(head["schedule"])
        window = Window(head["month"], head["window_start"], head["window_end"])
        pos, name = bucket_position(schedule, q.bucket)
        sums, rows = await views.statement_cases_page(conn, head["id"], pos, after=q.after, limit=q.limit + 1)
        recorded_by = head["issued_at"]  # database time, like recorded_at: what was known then
    else:
        schedules = await load_schedules(conn, q.client_id)
        schedule = choose_schedule(schedules, q.month, q.client_id,
                                   fallback=ctx.settings.default_schedule_fallback).schedule
        window = Window.of(q.month, schedule.cycle_months)
        pos, name = bucket_position(schedule, q.bucket)
        sums, rows = await close.cases_page(conn, q.client_id, lower_bounds(schedule), window, pos,
                                            q.limit + 1, q.after)
        recorded_by = None
    got = page(rows, q.limit, key=lambda r: [r["case_id"], r["placement_id"]])
    rows = got["items"]
    pays = await close.repayments_of_spells(conn, q.client_id, rows, window, recorded_by)
    by_spell: dict[tuple[Any, str], list[d.Doc]] = {}
    for p in pays:
        by_spell.setdefault((p["case_id"], p["placement_id"]), []).append({
            "txn_ref": p["txn_ref"], "amount": p["amount"], "paid_at": p["paid_at"], "paid_on": p["paid_on"],
            "channel": p["channel"], "counted_in_cycle": p["counted_in_cycle"],
            "counted_in_month": p["counted_in_month"]})
    return {
        "client_id": q.client_id, "month": month_label(q.month), "bucket": name,
        "status": head["status"] if head is not None else "draft",
        "revision": head["revision"] if head is not None else None, "total": sums["total"], "limit": q.limit,
        "next_cursor": got["next_cursor"],
        "sums": {"cases": sums["cases"], "placed": sums["placed"], "excluded_placed": sums["excluded_placed"],
                 "recovered_in_cycle": sums["recovered_in_cycle"], "recovered": sums["recovered"]},
        "cases": [{
            "case_id": r["case_id"], "placement_id": r["placement_id"], "placed_on": r["placed_on"],
            "end_on": r["end_on"], "in_cohort": r["in_cohort"], "placed": r["placed"], "excluded": r["excluded"],
            "recovered_in_cycle": r["recovered_in_cycle"], "recovered_in_month": r["recovered_in_month"],
            "repayments": by_spell.get((r["case_id"], r["placement_id"]), [])} for r in rows]}


async def not_counted(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, q: NotCountedQuery) -> d.Doc:
    drafts = drafts_allowed(principal, q.client_id)
    head = await st_store.get_issued(conn, q.client_id, q.month, q.revision)
    if head is None and (q.revision is not None or not drafts):
        raise StatementNotFound(f"no issued statement for {q.client_id} {month_label(q.month)}")
    if head is not None:
        by_reason, rows = await views.statement_not_counted(conn, head["id"], after=q.after, limit=q.limit + 1)
    else:
        by_reason, rows = await close.not_counted(conn, q.client_id, Window.of(q.month, 1), q.limit + 1, q.after)
    got = page(rows, q.limit, key=lambda r: [r["paid_on"], r["txn_ref"]])
    return {
        "client_id": q.client_id, "month": month_label(q.month),
        "status": head["status"] if head is not None else "draft",
        "revision": head["revision"] if head is not None else None,
        "total": sum(r["count"] for r in by_reason), "limit": q.limit,
        "next_cursor": got["next_cursor"],
        "by_reason": [d.reason_doc(r) for r in by_reason],
        "repayments": [d.not_counted_repayment_doc(r) for r in got["items"]]}
