"""Recalls (退案, R-5, R-13) of single accounts or of a whole placement — on the client's request,
or on the placement's recall date (the daily job, jobs.py) — and the extension of that date,
announced to every case of the placement (`case.updated` change=recall_extended, the new recall_on).

An open case becomes `recalled` and `case.updated` change=recall is emitted. Recalling again is
harmless: a case already recalled (or closed) is reported under `not_open`, nothing changes. An
unknown account is a row error; an unknown placement is 404. After a recall the account may be
placed again (R-1 re-placement rule).

On its date, a placement is recalled once whatever the number of replicas: the job takes the
placement's row with FOR UPDATE SKIP LOCKED and records its run on it (the register), and only
still-open cases change — a second run finds nothing to do.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.errors import UnprocessableInput
from recoup_shared.logging import get_logger

from ..context import Ctx
from ..events import case_updated, recall_extended_format
from ..rules.balances import outstanding
from ..rules.errors import PlacementNotFound, RecallDatePassed
from ..rules.model import RecallRequest, RowError
from ..rules.recalls import (RECALLED_ON_DATE, effective_recall_day, extension_problem, parse_account_refs,
                             recall_due)
from ..store import cases as store
from ..store import placements as placement_store

log = get_logger(__name__)


def _events(at: datetime, rows: list, *, client_id: str, reason: str | None, effective_on: date | None,
            correlation_id: str | None) -> list[tuple]:
    return [case_updated(client_id=client_id, case_id=r["case_id"], change="recall", status="recalled",
                         correlation_id=correlation_id, occurred_at=at, reason=reason,
                         effective_on=effective_on, placed_amount=r["placed_amount"],
                         outstanding=outstanding(r["placed_amount"], r["repaid_total"]))
            for r in rows]


async def _recall_placement(conn: asyncpg.Connection, ctx: Ctx, client_id: str, req: RecallRequest,
                            correlation_id: str | None) -> dict[str, Any]:
    placement = await placement_store.get_placement(conn, client_id, req.placement_ref)  # type: ignore[arg-type]
    if placement is None:
        raise PlacementNotFound(f"no placement {req.placement_ref} for this client")
    now = ctx.clock.now()
    rows = await store.recall_placement_cases(conn, placement["id"], req.reason, now)
    await write_outbox_records(conn, _events(now, rows, client_id=client_id, reason=req.reason,
                                             effective_on=req.effective_on,
                                             correlation_id=correlation_id or str(placement["id"])))
    counts = await placement_store.case_status_counts(conn, placement["id"])
    log.info("placement recalled", client_id=client_id, placement_ref=req.placement_ref, recalled=len(rows))
    return {"placement_ref": req.placement_ref, "recalled": len(rows),
            "not_open": {"recalled": counts["recalled"] - len(rows), "closed": counts["closed"]},
            "errors": []}


async def _recall_accounts(conn: asyncpg.Connection, ctx: Ctx, client_id: str, req: RecallRequest,
                           correlation_id: str | None) -> dict[str, Any]:
    good, errors = parse_account_refs(req.account_refs or [])
    protector = ctx.protector
    hashes = await asyncio.to_thread(lambda: [protector.card_hash(a) for _, a in good])
    not_open = {"recalled": 0, "closed": 0}
    resolved = await store.resolve_accounts(conn, client_id, hashes)
    to_recall: list[str] = []
    for (i, _), h in zip(good, hashes):
        hit = resolved.get(h)
        if hit is None:
            errors.append(RowError(i, f"account_refs[{i}]", "unknown account (never placed by this client)"))
        elif hit["status"] == "open":
            to_recall.append(str(hit["id"]))
        else:
            not_open[hit["status"]] += 1
    now = ctx.clock.now()
    rows = await store.recall_cases(conn, to_recall, req.reason, now)
    await write_outbox_records(conn, _events(now, rows, client_id=client_id, reason=req.reason,
                                             effective_on=req.effective_on, correlation_id=correlation_id))
    errors.sort(key=lambda e: e.row)
    log.info("accounts recalled", client_id=client_id, recalled=len(rows), rejected=len(errors))
    return {"recalled": len(rows), "not_open": not_open, "rejected": len({e.row for e in errors}),
            "errors": [e.as_dict() for e in errors]}


async def post_recall(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, req: RecallRequest, *,
                      correlation_id: str | None) -> dict[str, Any]:
    """Recall the accounts, or every still-open case of the placement, of this client."""
    client_id = principal.client_id
    assert client_id
    if req.placement_ref is not None:
        return await _recall_placement(conn, ctx, client_id, req, correlation_id)
    return await _recall_accounts(conn, ctx, client_id, req, correlation_id)


# --- on the recall date (R-5, R-13) -------------------------------------------------------------

async def due_placements(conn: asyncpg.Connection, ctx: Ctx, today: date) -> list[asyncpg.Record]:
    """The placements whose recall day has come (`today`: the business date) and that are not
    recalled yet, each judged by its client's rule for a non-working recall day."""
    settings, calendar = ctx.settings, ctx.calendar
    return [p for p in await placement_store.recall_candidates(conn, today)
            if recall_due(p["recall_on"], settings.recall_day_rule(p["client_id"]), today, calendar.is_working_day)]


async def recall_on_date(conn: asyncpg.Connection, ctx: Ctx, placement_id: Any, today: date) -> int | None:
    """In the caller's transaction: recall the placement's open cases and record the run; None
    when another replica (or an extension) holds it, it was done already, or it is not due."""
    p = await placement_store.lock_for_recall(conn, placement_id)
    if p is None:
        return None
    rule = ctx.settings.recall_day_rule(p["client_id"])
    if not recall_due(p["recall_on"], rule, today, ctx.calendar.is_working_day):
        return None  # extended meanwhile
    now = ctx.clock.now()
    rows = await store.recall_placement_cases(conn, p["id"], RECALLED_ON_DATE, now)
    day = effective_recall_day(p["recall_on"], rule, ctx.calendar.is_working_day)
    await write_outbox_records(conn, _events(now, rows, client_id=p["client_id"], reason=RECALLED_ON_DATE,
                                             effective_on=day, correlation_id=str(p["id"])))
    await placement_store.record_recall_run(conn, p["id"], on=today, cases=len(rows), now=now)
    log.info("placement recalled on its date", client_id=p["client_id"], placement_ref=p["placement_ref"],
             recall_on=p["recall_on"].isoformat(), recalled=len(rows))
    return len(rows)


@dataclass(frozen=True)
class RecallExtension:
    placement_ref: str
    recall_on: date
    reason: str | None


async def extend_recall_date(conn: asyncpg.Connection, ctx: Ctx, principal: Principal,
                             cmd: RecallExtension) -> dict[str, Any]:
    """The client moves its placement's recall date later, before it comes (R-5)."""
    client_id = principal.client_id
    assert client_id
    p = await placement_store.lock_placement(conn, client_id, cmd.placement_ref)
    if p is None:
        raise PlacementNotFound(f"no placement {cmd.placement_ref} for this client")
    rule, today = ctx.settings.recall_day_rule(client_id), ctx.clock.today()
    problem = extension_problem(p["recall_on"], cmd.recall_on, today, rule, ctx.calendar.is_working_day,
                                p["recall_run_at"])
    if problem is not None:
        if p["recall_run_at"] is not None or cmd.recall_on > p["recall_on"]:
            raise RecallDatePassed(problem, placement_ref=cmd.placement_ref, recall_on=p["recall_on"].isoformat())
        raise UnprocessableInput(problem, errors=[{"field": "recall_on", "reason": problem}])
    now = ctx.clock.now()
    await placement_store.extend_recall(conn, p["id"], previous=p["recall_on"], recall_on=cmd.recall_on,
                                        reason=cmd.reason, by=principal.sub, now=now)
    # every case of the placement learns its new date (allocation, contact, letters, billing keep it)
    announced = await store.announce_placement_cases(conn, p["id"], recall_extended_format(
        placement_id=str(p["id"]), recall_on=cmd.recall_on, reason=cmd.reason, correlation_id=str(p["id"]),
        occurred_at=now))
    log.info("recall date extended", client_id=client_id, placement_ref=cmd.placement_ref,
             previous=p["recall_on"].isoformat(), recall_on=cmd.recall_on.isoformat(), cases=announced)
    return {"placement_ref": cmd.placement_ref, "previous_recall_on": p["recall_on"], "recall_on": cmd.recall_on,
            "effective_recall_on": effective_recall_day(cmd.recall_on, rule, ctx.calendar.is_working_day),
            "non_working_day_rule": rule}
