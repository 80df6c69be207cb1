"""Repayments reported by the client (R-5 还款记录).

- Idempotent on (client_id, txn_ref): the same txn_ref with the same content again is a duplicate
  (counted, nothing written, no event); with different content it is a row error.
- An unknown account is a row error. A repayment for a recalled or closed case is still recorded
  (the money was paid) and flagged `case_recalled` / `case_closed`.
- Each recorded repayment adds to the case's repaid total and emits `payment.posted`; when an open
  case's outstanding amount reaches zero it closes automatically (结清自动闭案) with a
  `case.updated` change=closed. Repayments of one case are applied in request order.
- Set-based: rows staged by COPY, matched by two joins, inserted by COPY, cases updated by one
  UPDATE … FROM unnest(…), events written by COPY — whatever the batch size.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import FastAPI

from recoup_shared.auth import Principal
from recoup_shared.bus.envelope import outbox_record
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.logging import get_logger

from ..inputs import RepaymentRow
from recoup_shared.crypto import Protector
from ..records import new_uuids
from ..rules.validation import RowError
from ..store import cases as case_store
from ..store import repayments as store
from .common import gc_paused, protector_of, settings_of
from .events import case_updated, outstanding, payment_posted

log = get_logger(__name__)


@dataclass
class _Staged:
    row: RepaymentRow
    sha: str
    account_hash: str


def _stage_rows(rows: list[RepaymentRow], protector: Protector) -> tuple[list[_Staged], list[int], list[RowError]]:
    """In-batch de-duplication: a txn_ref repeated with the same content is one repayment."""
    first: dict[str, tuple[str, int]] = {}
    staged: list[_Staged] = []
    duplicates: list[int] = []
    errors: list[RowError] = []
    for r in rows:
        sha = r.content_sha256()
        seen = first.get(r.txn_ref)
        if seen is not None:
            if seen[0] == sha:
                duplicates.append(r.index)
            else:
                errors.append(RowError(r.index, f"repayments[{r.index}].txn_ref",
                                       f"txn_ref reused with different data (first at row {seen[1]})"))
            continue
        first[r.txn_ref] = (sha, r.index)
        staged.append(_Staged(r, sha, protector.card_hash(r.account_ref)))
    return staged, duplicates, errors


@dataclass
class _Applied:
    records: list[tuple] = field(default_factory=list)        # repayments rows (COPY)
    outbox: list[tuple] = field(default_factory=list)         # serialised events
    changes: list[dict[str, Any]] = field(default_factory=list)
    flagged: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    closed: int = 0


def _apply(staged: list[_Staged], recorded_before: dict[int, bool], case_of: dict[str, str],
           cases: dict[str, Any], *, client_id: str, correlation_id: str | None, tz: ZoneInfo) -> _Applied:
    """The repayments in request order against the locked cases (CPU only: a worker thread)."""
    out = _Applied()
    occurred_at = datetime.now(timezone.utc)
    state = {cid: {"repaid": c["repaid_total"], "status": c["status"]} for cid, c in cases.items()}
    ids = new_uuids(2 * len(staged))
    for k, s in enumerate(staged):
        r = s.row
        same = recorded_before.get(k)
        if same is True:
            out.duplicates.append(r.index)
            continue
        if same is False:
            out.errors.append(RowError(r.index, f"repayments[{r.index}].txn_ref",
                                       "txn_ref reused with different data (already recorded)"))
            continue
        case_id = case_of.get(s.account_hash)
        if case_id is None:
            out.errors.append(RowError(r.index, f"repayments[{r.index}].account_ref",
                                       "unknown account (never placed by this client)"))
            continue
        c, st = cases[case_id], state[case_id]
        status_before = st["status"]
        st["repaid"] += r.amount
        left = outstanding(c["placed_amount"], st["repaid"])
        closes = status_before == "open" and left == 0      # R-5 结清自动闭案
        flag = None if status_before == "open" else f"case_{status_before}"
        if flag:
            out.flagged.append({"row": r.index, "txn_ref": r.txn_ref, "flag": flag})
        repayment_id, event_id = ids[2 * k], ids[2 * k + 1]
        out.records.append((repayment_id, client_id, r.txn_ref, case_id, r.amount, r.paid_at, r.channel,
                            s.sha, status_before, flag, event_id))
        out.outbox.append(outbox_record(*payment_posted(
            client_id=client_id, case_id=case_id, event_id=event_id, correlation_id=correlation_id,
            occurred_at=occurred_at, account_masked=c["account_masked"], amount=r.amount,
            paid_at=r.paid_at, txn_ref=r.txn_ref, channel=r.channel, repaid_total=st["repaid"],
            outstanding=left, closes_case=closes)))
        if closes:
            st["status"] = "closed"
            out.closed += 1
            out.outbox.append(outbox_record(*case_updated(
                client_id=client_id, case_id=case_id, change="closed", status="closed",
                correlation_id=correlation_id, occurred_at=occurred_at, reason="fully repaid",
                effective_on=r.paid_at.astimezone(tz).date(), outstanding=left,
                placed_amount=c["placed_amount"])))
    for case_id, st in state.items():
        c = cases[case_id]
        if st["repaid"] == c["repaid_total"] and st["status"] == c["status"]:
            continue
        out.changes.append({"case_id": case_id, "principal": c["principal"], "interest": c["interest"],
                            "fees": c["fees"], "placed_amount": c["placed_amount"],
                            "repaid_total": st["repaid"], "status": st["status"],
                            "status_reason": "fully repaid" if st["status"] != c["status"] else None,
                            "flags": list(c["flags"]), "remarks": c["remarks"],
                            "warnings": list(c["warnings"])})
    return out


def _apply_bulk(*args, **kw) -> _Applied:
    with gc_paused():
        return _apply(*args, **kw)


async def post_repayments(app: FastAPI, principal: Principal, rows: list[RepaymentRow],
                          row_errors: list[RowError], received: int,
                          correlation_id: str | None) -> dict[str, Any]:
    client_id = principal.client_id
    assert client_id
    t0 = time.perf_counter()
    staged, duplicate_rows, batch_errors = await asyncio.to_thread(_stage_rows, rows, protector_of(app))
    errors = list(row_errors) + batch_errors

    async with app.state.pool.acquire() as conn, conn.transaction():
        await store.lock_client_repayments(conn, client_id)
        if staged:
            await store.stage(conn, [(i, s.row.txn_ref, s.account_hash, s.sha) for i, s in enumerate(staged)])
            recorded_before = await store.already_recorded(conn, client_id)
            case_of = await store.resolve_staged_accounts(conn, client_id)
        else:
            recorded_before, case_of = {}, {}
        cases = await case_store.lock_cases(conn, list(set(case_of.values())))
        applied = await asyncio.to_thread(
            _apply_bulk, staged, recorded_before, case_of, cases, client_id=client_id,
            correlation_id=correlation_id, tz=ZoneInfo(settings_of(app).timezone))
        await store.insert(conn, applied.records)
        await case_store.apply_case_changes(conn, applied.changes)
        await write_outbox_records(conn, applied.outbox)
    errors += applied.errors
    duplicate_rows += applied.duplicates
    records, flagged, closed = applied.records, applied.flagged, applied.closed

    errors.sort(key=lambda e: e.row)
    answer = {
        "received": received, "recorded": len(records), "duplicates": len(duplicate_rows),
        "rejected": len({e.row for e in errors}), "closed_cases": closed, "flagged": flagged,
        "errors": [e.as_dict() for e in errors],
    }
    log.info("repayments posted", client_id=client_id, received=received, recorded=len(records),
             duplicates=len(duplicate_rows), rejected=answer["rejected"], closed_cases=closed,
             seconds=round(time.perf_counter() - t0, 3))
    return answer
