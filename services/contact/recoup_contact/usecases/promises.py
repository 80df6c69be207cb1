"""R-23 promises in the service: made with a record, matched by repayments (payment.posted, oldest
promise first), judged broken the day after their date in the debtor's zone (the expiry job, safe
with replicas), each outcome emitted as contact.logged and turned into the case's status and next
follow-up. The rules (rules/promises.py) decide; this module loads, saves and emits."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import asyncpg

from recoup_shared.bus.outbox import write_outbox_records

from .. import events
from ..context import Ctx
from ..rules import (ContactConfig, ContactStatus, Instalment, Promise, PromiseConfig, PromiseState, Repayment,
                     deadline, evaluate_promises, next_open_instalment, status_after)
from ..store import Columns
from ..store import cases as case_store
from ..store import promises as promise_store
from ..store import records as record_store
from .common import client_config, local_day, lock_case
from .plan import cadence_values, follow_up_for, status_of


def to_rule(row: Any) -> Promise:
    insts = tuple(Instalment(seq=i["seq"], due_on=date.fromisoformat(i["due_on"]), amount=Decimal(i["amount"]),
                             paid=Decimal(i["paid"]), state=PromiseState(i["state"]),
                             settled_on=date.fromisoformat(i["settled_on"]) if i.get("settled_on") else None)
                  for i in row["instalments"])
    return Promise(id=str(row["promise_id"]), made_on=row["made_on"], instalments=insts, state=PromiseState(row["state"]))


def instalments_json(promise: Promise) -> list[dict[str, Any]]:
    return [{"seq": i.seq, "due_on": i.due_on.isoformat(), "amount": str(i.amount), "paid": str(i.paid),
             "state": i.state.value, "settled_on": i.settled_on.isoformat() if i.settled_on else None}
            for i in promise.instalments]


def judge_from(promise: Promise, cfg: PromiseConfig) -> date | None:
    """The first day the expiry job must look at an open promise: its next deadline + 1 (R-23)."""
    if promise.state is not PromiseState.OPEN:
        return None
    open_insts = [i for i in promise.instalments if i.state is PromiseState.OPEN]
    return min(deadline(i, cfg) for i in open_insts) + timedelta(days=1) if open_insts else None


def promise_out(row: Any) -> dict[str, Any]:
    return {"promise_id": row["promise_id"], "state": row["state"], "made_on": row["made_on"],
            "amount": row["amount"], "collector_id": row["collector_id"], "record_id": row["record_id"],
            "settlement": row["settlement"], "settled_on": row["settled_on"],
            "instalments": [{**i, "amount": Decimal(i["amount"]), "paid": Decimal(i["paid"])}
                            for i in row["instalments"]]}


async def ptp_columns(conn: asyncpg.Connection, case_id: str) -> dict[str, Any]:
    """The worklist's "PTP due" columns: the next open instalment of the open promises."""
    nxt: tuple[date, Decimal] | None = None
    for row in await promise_store.of_case(conn, case_id, open_only=True):
        inst = next_open_instalment(to_rule(row))
        if inst is not None and (nxt is None or inst.due_on < nxt[0]):
            nxt = (inst.due_on, inst.amount - inst.paid)
    return {"ptp_due_on": nxt[0] if nxt else None, "ptp_amount": nxt[1] if nxt else None}


async def evaluate_case(conn: asyncpg.Connection, ctx: Ctx, case_id: str, *, now: datetime,
                        cfg: ContactConfig | None = None) -> list[Any]:
    """Match the case's unallocated repayments to its open promises and judge them on the debtor's
    today; persist, emit the outcomes, and move the case's status and follow-up. Idempotent: terminal
    states never change, a repayment is allocated once. The caller holds the case lock."""
    await lock_case(conn, case_id)
    case = await case_store.get(conn, case_id)
    rows = await promise_store.of_case(conn, case_id, open_only=True)
    if case is None or not rows:
        return []
    cfg = cfg or await client_config(conn, ctx, case["client_id"])
    today = local_day(now, case)
    promises = [to_rule(r) for r in rows]
    since = min(p.made_on for p in promises)
    pays = await promise_store.unallocated(conn, case_id, since)
    by_ref = {r["txn_ref"]: r["client_id"] for r in pays}
    ev = evaluate_promises(promises, [Repayment(r["txn_ref"], r["paid_on"], r["unallocated"]) for r in pays],
                           today, cfg.promises)
    for client_id in set(by_ref.values()):
        await promise_store.allocate(conn, client_id, [(UUID(a.promise_id), a.seq, a.repayment_ref, a.amount)
                                                       for a in ev.allocations if by_ref[a.repayment_ref] == client_id])
    saved = Columns()
    for p in ev.promises:
        saved.add(promise_id=UUID(p.id), state=p.state.value, instalments=instalments_json(p),
                  judge_from=judge_from(p, cfg.promises),
                  settled_on=max((i.settled_on for i in p.instalments if i.settled_on), default=None)
                  if p.state is not PromiseState.OPEN else None)
    await promise_store.save(conn, saved, now)
    if ev.outcomes:
        await _after_outcomes(conn, ctx, cfg, case, rows, ev, today, now)
    return list(ev.outcomes)


async def _after_outcomes(conn: asyncpg.Connection, ctx: Ctx, cfg: ContactConfig, case: Any, rows: list[Any],
                          ev: Any, today: date, now: datetime) -> None:
    """R-23: BROKEN_PTP → next working day; kept with nothing left open → REACHABLE_SELF; an
    instalment kept → the day before the next one. Each outcome is emitted."""
    current = status_of(case["contact_status"])
    new_status = status_after(ev, current) or current
    still_open = [p for p in ev.promises if p.state is PromiseState.OPEN]
    nxt = min((i for p in still_open if (i := next_open_instalment(p))), key=lambda i: i.due_on, default=None)
    values: dict[str, Any] = {}
    if case["in_worklist"] and new_status is not None and new_status is not ContactStatus.DISPUTE:
        needs_promise = new_status in (ContactStatus.PTP, ContactStatus.PTP_INSTALMENT)
        if not needs_promise or nxt is not None:
            values.update(follow_up_for(ctx, cfg, case, new_status, today, now=now,
                                        promise_on=nxt.due_on if nxt else None))
            values["contact_status"] = new_status.value
    values.update(await ptp_columns(conn, case["case_id"]))
    values.update(cadence_values(ctx, cfg, status=status_of(values.get("contact_status", case["contact_status"])),
                                 allocated_on=case["allocated_on"], outstanding=case["outstanding"],
                                 last_effective_on=case["last_effective_on"],
                                 undialled_since=case["undialled_since"], today=today))
    await case_store.update(conn, case["case_id"], values, now)
    by_id = {str(r["promise_id"]): r for r in rows}
    records, timeline = [], Columns()
    for o in ev.outcomes:
        row = by_id[o.promise_id]
        records.append(events.promise_outcome(
            case_id=case["case_id"], client_id=case["client_id"], collector_id=row["collector_id"],
            team_id=case["team_id"], promise_id=o.promise_id, instalment=o.instalment, outcome=o.kind.value,
            on=o.on, promised=o.promised, paid=o.paid, status=values.get("contact_status", case["contact_status"]),
            next_follow_up_on=values.get("next_follow_up", case["next_follow_up"]), occurred_at=now))
        timeline.add(case_id=case["case_id"], at=now, kind=f"promise_{o.kind.value}", actor="system",
                     ref=o.promise_id, data={"instalment": o.instalment, "on": o.on.isoformat(),
                                             "promised": str(o.promised), "paid": str(o.paid)})
    await record_store.timeline_add(conn, timeline)
    await write_outbox_records(conn, records)


async def judge_due(ctx: Ctx) -> float | None:
    """The PTP-expiry job: promises whose deadline has passed in the debtor's zone become BROKEN_PTP
    (R-23). Claims cases with FOR UPDATE SKIP LOCKED, so replicas share the work; the per-case lock
    and the idempotent evaluation make a repeat harmless. Returns 0 while more is waiting."""
    now = ctx.clock.now()
    latest_local_day = (now + timedelta(hours=14)).date()   # the latest calendar day anywhere on earth
    async with ctx.pool.acquire() as conn, conn.transaction():
        case_ids = await promise_store.cases_to_judge(conn, now, latest_local_day, ctx.settings.ptp_expiry_batch)
        for case_id in case_ids:
            await evaluate_case(conn, ctx, case_id, now=now)
    return 0 if len(case_ids) >= ctx.settings.ptp_expiry_batch else None
