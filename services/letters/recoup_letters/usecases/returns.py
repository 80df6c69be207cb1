"""Returned letters (退函, R-31): the clerk scans the returned envelope's code (or types the tracking
number) and records the reason from the post office's slip. The address becomes invalid for
letters when the reason says it does not reach the debtor, the news goes out (letter.returned:
contact and fieldops trace a new address), and the letter is re-sent at once when a newer
confirmed address is known — once, and only while it is still the letter the case calls for;
otherwise the re-send job does it when a collector or a visit finds one."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.locks import xact_lock

from .. import events, views
from ..context import Ctx
from ..rules import checkcode
from ..rules.errors import LetterNotFound, ReturnReasonUnknown, StateConflict
from ..rules.model import PlannedLetter
from ..rules.returns import UnknownReturnReason, parse_return_reason, plan_resend, record_return
from ..store import addresses as address_store
from ..store import letters as letter_store
from .common import configs, histories, record_of, snapshots
from .planning import plan_cases


async def _find(conn: asyncpg.Connection, letter_id: str | None, check_code: str | None,
                tracking_no: str | None) -> asyncpg.Record:
    if letter_id:
        letter = await letter_store.get(conn, letter_id, lock=True)
    elif check_code:
        try:
            code, _ = checkcode.parse_scan(check_code)
        except checkcode.CheckCodeError as e:
            raise LetterNotFound(f"not a check code: {e}") from None
        letter = await letter_store.find(conn, check_code=code)
    else:
        letter = await letter_store.find(conn, tracking_no=(tracking_no or "").strip().upper())
    if letter is None:
        raise LetterNotFound("no letter matches")
    return letter


async def record(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, *, letter_id: str | None,
                 check_code: str | None, tracking_no: str | None, reason: str, note: str | None,
                 returned_at: datetime | None) -> dict[str, Any]:
    try:
        why = parse_return_reason(reason)
    except UnknownReturnReason as e:
        raise ReturnReasonUnknown(str(e), errors=[{"field": "reason", "reason": str(e)}]) from None
    letter = await _find(conn, letter_id, check_code, tracking_no)
    await xact_lock(conn, "letters-case", letter["case_id"])
    if letter["status"] == "returned":
        if letter["return_reason"] == why.value:
            return await _answer(conn, ctx, letter["letter_id"], None, already=True)
        raise StateConflict(f"the return was recorded already ({letter['return_reason']})")
    snap = (await snapshots(conn, [letter["case_id"]]))[letter["case_id"]]
    cfg = (await configs(conn, [snap.client_id]))[snap.client_id]
    try:
        outcome = record_return(record_of(letter), why, cfg)
    except ValueError as e:
        raise StateConflict(str(e)) from None
    at = returned_at or ctx.clock.now()
    await letter_store.mark_returned(conn, letter["letter_id"], at=at, reason=why.value, note=note, by=principal.sub)
    if outcome.invalidate_address_id:
        await address_store.invalidate(conn, outcome.invalidate_address_id, ctx.clock.today(), why.value)
    address = await address_store.get(conn, letter["address_id"])
    await write_outbox_records(conn, [events.letter_returned(letter, address, reason=why.value, at=at,
                                                             invalidated=outcome.invalidate_address_id is not None)])
    await plan_cases(conn, ctx, [letter["case_id"]], ctx.clock.today())          # R-31 re-send, cancellations
    return await _answer(conn, ctx, letter["letter_id"], outcome.invalidate_address_id is not None)


async def _answer(conn: asyncpg.Connection, ctx: Ctx, letter_id: str, invalidated: bool | None, *,
                  already: bool = False) -> dict[str, Any]:
    """The returned letter, its re-send if one is planned, or why not (yet)."""
    letter = await views.letter_detail(conn, letter_id)
    original = letter["resend_of"] or letter_id
    resend_id = await conn.fetchval(
        """SELECT letter_id FROM letters WHERE resend_of = $1 AND status <> 'cancelled'
           ORDER BY created_at DESC LIMIT 1""", original)
    out = {"letter": letter, "address_invalidated": invalidated, "already_recorded": already,
           "resend": await views.letter_detail(conn, resend_id) if resend_id else None, "resend_pending": None}
    if resend_id is None:
        case_id = letter["case_id"]
        snap = (await snapshots(conn, [case_id]))[case_id]
        cfg = (await configs(conn, [snap.client_id]))[snap.client_id]
        history = (await histories(conn, [case_id])).get(case_id, [])
        rec = next(r for r in history if r.letter_id == letter_id)
        why = plan_resend(rec, snap, history, cfg, ctx.clock.today())
        if not isinstance(why, PlannedLetter):
            out["resend_pending"] = {"reason": why.reason.value, "detail": why.detail}
    return out
