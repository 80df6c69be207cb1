"""Letters one at a time: the clerk asks for a letter (R-26), checked by the same rules as the
planner (R-27..R-31), or cancels one not yet dispatched."""

from __future__ import annotations

from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.locks import xact_lock

from .. import views
from ..context import Ctx
from ..rules.errors import CaseNotFound, LetterNotFound, LetterRefused, StateConflict
from ..rules.model import LetterType, PlannedLetter
from ..rules.planning import request_letter as request_rule
from ..store import letters as letter_store
from .common import configs, histories, letter_row, snapshots


async def request_letter(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str,
                         letter_type: LetterType, recipient_id: str) -> dict[str, Any]:
    """R-26: a letter the clerk asks for. The rules may refuse it (a third party, a blocked case,
    already sent, no approved template for the client, R-27): 422 with the reason."""
    await xact_lock(conn, "letters-case", case_id)
    snaps = await snapshots(conn, [case_id])
    snap = snaps.get(case_id)
    if snap is None:
        raise CaseNotFound(f"case {case_id} is unknown here")
    cfg = (await configs(conn, [snap.client_id]))[snap.client_id]
    history = (await histories(conn, [case_id])).get(case_id, [])
    today = ctx.clock.today()
    out = request_rule(snap, history, cfg, today, letter_type, recipient_id)
    if not isinstance(out, PlannedLetter):
        raise LetterRefused(out.detail, reason=out.reason.value,
                            block=out.block.value if out.block else None)
    row = letter_row(out, origin="requested", today=today, at=ctx.clock.now(), requested_by=principal.sub)
    if not await letter_store.insert(conn, [row]):
        raise StateConflict("another letter to this recipient was planned meanwhile")
    return await views.letter_detail(conn, row["letter_id"])


async def cancel_letter(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, letter_id: str,
                        reason: str) -> dict[str, Any]:
    letter = await letter_store.get(conn, letter_id, lock=True)
    if letter is None:
        raise LetterNotFound(f"letter {letter_id} is unknown")
    if letter["status"] not in letter_store.PENDING:
        raise StateConflict(f"a {letter['status']} letter cannot be cancelled (R-31: before dispatch)")
    await letter_store.cancel(conn, [(letter_id, "clerk", f"{reason} ({principal.sub})")], ctx.clock.now())
    return await views.letter_detail(conn, letter_id)


async def get_letter(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, letter_id: str) -> dict[str, Any]:
    found = await views.letter_detail(conn, letter_id)
    if found is None:
        raise LetterNotFound(f"letter {letter_id} is unknown")
    return found
