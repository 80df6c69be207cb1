"""Drill-down: the cases and repayments behind a statement line, and the repayments not counted."""

from __future__ import annotations

from datetime import date
from typing import Any

import asyncpg

from recoup_shared.errors import NotFound

from .. import schemas as s
from ..rules import FeeSchedule, schedule_from_dict
from ..store import close, statements as st_store
from ..store.close import Window
from .statement import CloseConfig, load_schedules, lower_bounds, month_label, reason_out, resolve


def _position(schedule: FeeSchedule, bucket: str) -> tuple[int, str]:
    for pos, terms in enumerate(schedule.buckets, start=1):
        if terms.name == bucket:
            return pos, terms.name
    if bucket.isdigit() and 1 <= int(bucket) <= len(schedule.buckets):
        return int(bucket), schedule.buckets[int(bucket) - 1].name
    raise NotFound(f"schedule v{schedule.version} has no bucket {bucket!r}; "
                   f"buckets: {[b.name for b in schedule.buckets]} (or their position 1..n)")


async def drill_down(conn: asyncpg.Connection, cfg: CloseConfig, client_id: str, month: date,
                     bucket: str, revision: int | None, limit: int, offset: int,
                     drafts_allowed: bool) -> s.DrillDownOut:
    head = await st_store.get_issued(conn, client_id, month, revision)
    if head is None and (revision is not None or not drafts_allowed):
        raise NotFound(f"no issued statement for {client_id} {month_label(month)}"
                       + (f" revision {revision}" if revision else ""))
    if head is not None:
        schedule = schedule_from_dict(head["schedule"])
        window = Window(head["month"], head["window_start"], head["window_end"])
        pos, name = _position(schedule, bucket)
        sums, rows = await st_store.statement_cases_page(conn, head["id"], pos, limit, offset)
        recorded_by = head["computed_at"]
    else:
        choice = resolve(await load_schedules(conn, client_id), month, client_id, cfg)
        schedule = choice.schedule
        window = Window.of(month, schedule.cycle_months)
        pos, name = _position(schedule, bucket)
        sums, rows = await close.cases_page(conn, client_id, lower_bounds(schedule), window, pos,
                                            limit, offset)
        recorded_by = None
    pays = await close.repayments_of_spells(conn, client_id, rows, window, recorded_by)
    by_spell: dict[tuple[Any, str], list[s.DrillRepaymentOut]] = {}
    for p in pays:
        by_spell.setdefault((p["case_id"], p["placement_id"]), []).append(s.DrillRepaymentOut(
            txn_ref=p["txn_ref"], amount=p["amount"], paid_at=p["paid_at"], paid_on=p["paid_on"],
            channel=p["channel"], counted_in_cycle=p["counted_in_cycle"],
            counted_in_month=p["counted_in_month"]))
    return s.DrillDownOut(
        client_id=client_id, month=month_label(month), bucket=name,
        status=head["status"] if head is not None else "draft",
        revision=head["revision"] if head is not None else None, total=sums["total"], limit=limit,
        offset=offset,
        sums=s.DrillSumsOut(cases=sums["cases"], placed=sums["placed"], excluded_placed=sums["excluded_placed"],
                            recovered_in_cycle=sums["recovered_in_cycle"], recovered=sums["recovered"]),
        cases=[s.DrillCaseOut(
            case_id=r["case_id"], placement_id=r["placement_id"], placed_on=r["placed_on"],
            end_on=r["end_on"], in_cohort=r["in_cohort"], placed=r["placed"], excluded=r["excluded"],
            recovered_in_cycle=r["recovered_in_cycle"], recovered_in_month=r["recovered_in_month"],
            repayments=by_spell.get((r["case_id"], r["placement_id"]), [])) for r in rows])


async def not_counted_page(conn: asyncpg.Connection, cfg: CloseConfig, client_id: str, month: date,
                           revision: int | None, limit: int, offset: int,
                           drafts_allowed: bool) -> s.NotCountedPageOut:
    head = await st_store.get_issued(conn, client_id, month, revision)
    if head is None and (revision is not None or not drafts_allowed):
        raise NotFound(f"no issued statement for {client_id} {month_label(month)}")
    if head is not None:
        by_reason, rows = await st_store.statement_not_counted(conn, head["id"], limit, offset)
    else:
        by_reason, rows = await close.not_counted(conn, client_id, Window.of(month, 1), limit, offset)
    return s.NotCountedPageOut(
        client_id=client_id, month=month_label(month),
        status=head["status"] if head is not None else "draft",
        revision=head["revision"] if head is not None else None,
        total=sum(r["count"] for r in by_reason), limit=limit, offset=offset,
        by_reason=[reason_out(r) for r in by_reason],
        repayments=[s.NotCountedRepaymentOut(txn_ref=r["txn_ref"], case_id=r["case_id"], amount=r["amount"],
                                             paid_on=r["paid_on"], reason=r["reason"]) for r in rows])
