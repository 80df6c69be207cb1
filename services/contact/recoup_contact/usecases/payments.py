"""payment.posted: the case's repayments (for promises, R-23, and the collector's recovered amounts),
intake's running totals, R-5 auto-close; promises matched oldest first; payments the debtor
claimed (待银行对账) matched automatically."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import asyncpg

from recoup_shared.bus.events import PaymentPosted

from ..context import Ctx
from ..store import Columns
from ..store import cases as case_store
from ..store import promises as promise_store
from ..store import records as record_store
from ..store import work as work_store
from . import promises as promise_uc

Event = tuple[str, str, Any, Any, PaymentPosted]   # (case_id, client_id, occurred_at, event_id, payload)


async def apply_payments(conn: asyncpg.Connection, ctx: Ctx, batch: Sequence[Event]) -> None:
    now = ctx.clock.now()
    pays, totals, timeline = Columns(), Columns(), Columns()
    latest: dict[str, PaymentPosted] = {}
    closed: list[str] = []
    for case_id, client_id, _at, event_id, p in batch:
        pays.add(client_id=client_id, txn_ref=p.txn_ref, case_id=case_id, amount=p.amount, paid_at=p.paid_at,
                 channel=p.channel, event_id=event_id)
        latest[case_id] = p
        if p.closes_case:
            closed.append(case_id)
    new = await promise_store.add_repayments(conn, pays, default_zone=ctx.settings.timezone, now=now)
    for case_id, p in latest.items():
        totals.add(case_id=case_id, repaid_total=p.repaid_total, outstanding=p.outstanding, at=now,
                   closes=p.closes_case)   # the reminder is about news arriving, not the paid day
    await case_store.apply_payments(conn, totals, now)
    for r in new:
        timeline.add(case_id=r["case_id"], at=r["paid_at"], kind="repayment", actor="intake", ref=r["txn_ref"],
                     data={"amount": str(r["amount"]), "paid_on": r["paid_on"].isoformat()})
    await record_store.timeline_add(conn, timeline)
    for case_id in sorted({r["case_id"] for r in new}):   # oldest promise first, inside the rules
        await promise_uc.evaluate_case(conn, ctx, case_id, now=now)
    if closed:   # R-5 closed by the repayment: what it did not keep is cancelled, never judged
        await promise_store.cancel_open(conn, closed, now)
    matched = await work_store.match_claims(
        conn, [(r["case_id"], r["txn_ref"], r["amount"], r["paid_on"]) for r in new], ctx.settings.claim_match_days, now)
    claims = Columns()
    for m in matched:
        claims.add(case_id=m["case_id"], at=now, kind="claim_matched", actor="system", ref=str(m["claim_id"]),
                   data={"amount": str(m["amount"])})
    await record_store.timeline_add(conn, claims)
