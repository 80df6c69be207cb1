"""Recalls (退案, R-5) of single accounts or of a whole placement.

An open case becomes `recalled` and `case.updated` change=recall is emitted. Recalling again is
harmless: a case already recalled (or closed) is reported under `not_open`, nothing changes. An
unknown account is a row error; an unknown placement is 404. After a recall the account may be
placed again (R-1 re-placement rule).
"""

from __future__ import annotations

import asyncio
from datetime import date, datetime
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.logging import get_logger

from ..context import Ctx
from ..events import case_updated
from ..rules.balances import outstanding
from ..rules.errors import PlacementNotFound
from ..rules.model import RecallRequest, RowError
from ..rules.recalls import parse_account_refs
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
