"""Quality control at the envelope table (R-32): the two codes scanned from a letter and its
envelope give a match or a mismatch; a mismatch — a debtor's letter in another debtor's envelope —
is a serious breach that blocks the batches involved until a resolver clears it, which needs both
letters re-enveloped and scanned as matches. Codes no letter carries are a 404; codes of a revoked
batch are void (409: destroy the sheet)."""

from __future__ import annotations

from typing import Any

import asyncpg

from recoup_shared.auth import Principal

from ..context import Ctx
from ..rules import checkcode, lifecycle
from ..rules.checkcode import QcOutcome
from ..rules.errors import (BatchNotFound, CheckCodeUnknown, CheckCodeUnreadable, CheckCodeVoid, ScanNotFound,
                           StateConflict)
from ..rules.lifecycle import BatchStatus
from ..store import batches as batch_store
from ..store import qc as store

REPORT_LIMIT = 1000


def _side(r) -> dict[str, Any]:
    return {"letter_id": r["letter_id"], "batch_id": r["batch_id"], "sequence": r["sequence"],
            "check_code": checkcode.display(r["code"]), "letter_status": r["letter_status"]}


async def _lookup(conn: asyncpg.Connection, named: dict[str, str]) -> dict[str, Any]:
    """{"letter": code, "envelope": code} -> their letters; 404 unknown, 409 void or not at QC."""
    found = await store.codes(conn, list(set(named.values())))
    for side, code in named.items():
        r = found.get(code)
        if r is None:
            raise CheckCodeUnknown(f"no letter carries the {side} code {checkcode.display(code)} (R-32)")
        if r["void_at"] is not None:
            raise CheckCodeVoid(f"the {side} code {checkcode.display(code)} is from revoked batch {r['batch_id']}: "
                                "destroy this sheet")
        try:
            lifecycle.check_scan(BatchStatus(r["batch_status"]))
        except lifecycle.Refused as e:
            raise StateConflict(f"{side} code {checkcode.display(code)}: {e.detail}") from None
    return {side: found[code] for side, code in named.items()}


async def scan(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, letter_scan: str,
               envelope_scan: str) -> dict[str, Any]:
    decision = checkcode.qc_decide(letter_scan, envelope_scan)
    if decision.outcome == QcOutcome.UNREADABLE:
        raise CheckCodeUnreadable(decision.detail)
    if decision.outcome == QcOutcome.SAME_SHEET:
        code = checkcode.parse_scan(letter_scan)[0]
        named = {"letter": code}
    else:
        named = {"letter": decision.letter_code, "envelope": decision.envelope_code}
    found = await _lookup(conn, named)
    letter, envelope = found["letter"], found.get("envelope")
    at = ctx.clock.now()
    other = envelope["batch_id"] if envelope is not None and envelope["batch_id"] != letter["batch_id"] else None
    scan_id = await store.record(conn, {
        "batch_id": letter["batch_id"], "other_batch_id": other, "letter_id": letter["letter_id"],
        "envelope_letter_id": envelope["letter_id"] if envelope is not None else None,
        "letter_code": letter["code"], "envelope_code": envelope["code"] if envelope is not None else None,
        "outcome": decision.outcome.value, "detail": decision.detail, "by": principal.sub, "at": at})
    if decision.outcome == QcOutcome.MISMATCH:
        for batch_id in {letter["batch_id"], envelope["batch_id"]}:
            await batch_store.log(conn, batch_id, at, principal.sub, "qc_mismatch",
                                  {"scan_id": scan_id, "detail": decision.detail})
    return {"scan_id": scan_id, "outcome": decision.outcome.value, "detail": decision.detail,
            "letter": _side(letter), "envelope": _side(envelope) if envelope is not None else None,
            "batch_blocked": decision.outcome == QcOutcome.MISMATCH,
            "pull": [s["sequence"] for s in (letter, envelope) if s is not None and s["letter_status"] == "cancelled"]}


async def resolve(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, scan_id: int,
                  resolution: str) -> dict[str, Any]:
    """Clears a mismatch once both letters were put in their own envelopes and scanned as matches
    (cancelled letters are out of the run and need no rescan)."""
    s = await store.get(conn, scan_id, lock=True)
    if s is None:
        raise ScanNotFound(f"QC scan {scan_id} is unknown")
    if s["outcome"] != "mismatch" or s["resolved_at"] is not None:
        raise StateConflict("only an open mismatch is resolved")
    ids = [i for i in (s["letter_id"], s["envelope_letter_id"]) if i]
    going = [r["letter_id"] for r in await conn.fetch(
        "SELECT letter_id FROM letters WHERE letter_id = ANY($1::text[]) AND status <> 'cancelled'", ids)]
    missing = set(going) - await store.matched_since(conn, going, scan_id)
    if missing:
        raise StateConflict(f"{len(missing)} of the letters involved has no matching scan since the mismatch: "
                            "put each in its own envelope and scan it again first")
    at = ctx.clock.now()
    await store.resolve(conn, scan_id, principal.sub, resolution, at)
    for batch_id in {b for b in (s["batch_id"], s["other_batch_id"]) if b}:
        await batch_store.log(conn, batch_id, at, principal.sub, "qc_mismatch_resolved",
                              {"scan_id": scan_id, "resolution": resolution})
    return dict(await store.get(conn, scan_id))


async def report(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, batch_id: str) -> dict[str, Any]:
    batch = await batch_store.get(conn, batch_id)
    if batch is None:
        raise BatchNotFound(f"batch {batch_id} is unknown")
    out = await store.report(conn, batch_id, REPORT_LIMIT)
    open_ = sum(1 for m in out["mismatches"] if m["resolved_at"] is None)
    return {"batch_id": batch_id, "status": batch["status"], "blocked": open_ > 0, "open_mismatches": open_, **out}
