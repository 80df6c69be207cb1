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
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.crypto import Protector
from recoup_shared.gcpause import gc_paused
from recoup_shared.logging import get_logger

from ..context import Ctx
from ..events import case_updated, payment_posted
from ..rules.balances import repayment_effect
from ..rules.model import RepaymentRow, RowError
from ..store import cases as case_store
from ..store import repayments as store
from ..store.ids import new_uuids

log = get_logger(__name__)


@dataclass
class Repayments:
    """The command: the rows valid on their own, the row errors so far, how many were received."""
    rows: list[RepaymentRow]
    errors: list[RowError]
    received: int
    correlation_id: str | None = None


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


class _Batch:
    """The repayments in request order against the locked cases (CPU only: a worker thread)."""

    def __init__(self, cases: dict[str, Any], *, client_id: str, correlation_id: str | None,
                 tz: ZoneInfo, occurred_at: datetime) -> None:
        self.cases, self.client_id, self.correlation_id = cases, client_id, correlation_id
        self.tz, self.occurred_at = tz, occurred_at
        self.state = {cid: {"repaid": c["repaid_total"], "status": c["status"]} for cid, c in cases.items()}
        self.out = _Applied()

    def refused(self, s: _Staged, recorded_before: bool | None, case_id: str | None) -> bool:
        """A txn_ref recorded before (a duplicate, or a row error with other data), an unknown account."""
        r, out = s.row, self.out
        if recorded_before is True:
            out.duplicates.append(r.index)
        elif recorded_before is False:
            out.errors.append(RowError(r.index, f"repayments[{r.index}].txn_ref",
                                       "txn_ref reused with different data (already recorded)"))
        elif case_id is None:
            out.errors.append(RowError(r.index, f"repayments[{r.index}].account_ref",
                                       "unknown account (never placed by this client)"))
        else:
            return False
        return True

    def record(self, s: _Staged, case_id: str, repayment_id: str, event_id: str) -> None:
        """R-5: the repayment recorded, `payment.posted`, and the case closed when fully repaid."""
        r, out, c, st = s.row, self.out, self.cases[case_id], self.state[case_id]
        status_before = st["status"]
        st["repaid"] += r.amount
        left, closes, flag = repayment_effect(status_before, c["placed_amount"], st["repaid"])
        if flag:
            out.flagged.append({"row": r.index, "txn_ref": r.txn_ref, "flag": flag})
        out.records.append((repayment_id, self.client_id, r.txn_ref, case_id, r.amount, r.paid_at, r.channel,
                            s.sha, status_before, flag, event_id))
        common = dict(client_id=self.client_id, case_id=case_id, correlation_id=self.correlation_id,
                      occurred_at=self.occurred_at)
        out.outbox.append(payment_posted(
            event_id=event_id, account_masked=c["account_masked"], amount=r.amount, paid_at=r.paid_at,
            txn_ref=r.txn_ref, channel=r.channel, repaid_total=st["repaid"], outstanding=left,
            closes_case=closes, **common))
        if closes:
            st["status"] = "closed"
            out.closed += 1
            out.outbox.append(case_updated(
                change="closed", status="closed", reason="fully repaid",
                effective_on=r.paid_at.astimezone(self.tz).date(), outstanding=left,
                placed_amount=c["placed_amount"], **common))

    def changes(self) -> list[dict[str, Any]]:
        """The cases whose repaid total or status changed, every column merged (one UPDATE)."""
        out = []
        for case_id, st in self.state.items():
            c = self.cases[case_id]
            if st["repaid"] == c["repaid_total"] and st["status"] == c["status"]:
                continue
            out.append({"case_id": case_id, "principal": c["principal"], "interest": c["interest"],
                        "fees": c["fees"], "placed_amount": c["placed_amount"],
                        "repaid_total": st["repaid"], "status": st["status"],
                        "status_reason": "fully repaid" if st["status"] != c["status"] else None,
                        "flags": list(c["flags"]), "remarks": c["remarks"],
                        "warnings": list(c["warnings"])})
        return out


def _apply(staged: list[_Staged], recorded_before: dict[int, bool], case_of: dict[str, str],
           batch: _Batch) -> _Applied:
    with gc_paused():  # a million rows alive, no reference cycles
        ids = new_uuids(2 * len(staged))
        for k, s in enumerate(staged):
            case_id = case_of.get(s.account_hash)
            if not batch.refused(s, recorded_before.get(k), case_id):
                batch.record(s, case_id, ids[2 * k], ids[2 * k + 1])  # type: ignore[arg-type]
        batch.out.changes = batch.changes()
        return batch.out


def _answer(cmd: Repayments, errors: list[RowError], duplicates: int, applied: _Applied) -> dict[str, Any]:
    errors.sort(key=lambda e: e.row)
    return {"received": cmd.received, "recorded": len(applied.records), "duplicates": duplicates,
            "rejected": len({e.row for e in errors}), "closed_cases": applied.closed,
            "flagged": applied.flagged, "errors": [e.as_dict() for e in errors]}


async def post_repayments(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, cmd: Repayments) -> dict[str, Any]:
    """Record a batch of repayments (the client's lock serialises its batches)."""
    client_id = principal.client_id
    assert client_id
    t0 = time.perf_counter()
    staged, duplicate_rows, batch_errors = await asyncio.to_thread(_stage_rows, cmd.rows, ctx.protector)
    errors = list(cmd.errors) + batch_errors
    await store.lock_client_repayments(conn, client_id)
    if staged:
        await store.stage(conn, [(i, s.row.txn_ref, s.account_hash, s.sha) for i, s in enumerate(staged)])
        recorded_before = await store.already_recorded(conn, client_id)
        case_of = await store.resolve_staged_accounts(conn, client_id)
    else:
        recorded_before, case_of = {}, {}
    cases = await case_store.lock_cases(conn, list(set(case_of.values())))
    now = ctx.clock.now()
    batch = _Batch(cases, client_id=client_id, correlation_id=cmd.correlation_id, tz=ctx.clock.zone, occurred_at=now)
    applied = await asyncio.to_thread(_apply, staged, recorded_before, case_of, batch)
    await store.insert(conn, applied.records)
    await case_store.apply_case_changes(conn, applied.changes, now)
    await write_outbox_records(conn, applied.outbox)
    answer = _answer(cmd, errors + applied.errors, len(duplicate_rows) + len(applied.duplicates), applied)
    log.info("repayments posted", client_id=client_id, received=cmd.received, recorded=answer["recorded"],
             duplicates=answer["duplicates"], rejected=answer["rejected"], closed_cases=applied.closed,
             seconds=round(time.perf_counter() - t0, 3))
    return answer
