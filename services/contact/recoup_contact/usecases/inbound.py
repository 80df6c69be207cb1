"""R-25 inbound lookup (来电查询, seeds 4.4.11): the number that calls in, a card number or an ID
number — given in the request body, never in a URL (issue 14.7) — found through the blind indexes
shared with intake (one implementation, one key). Any collector may find the case and log the
inbound contact; the answer says little (masked, no amounts) unless the caller may read the case."""

from __future__ import annotations

from typing import Any

import asyncpg

from recoup_shared.auth import Principal

from ..context import Ctx
from ..rules import FieldError
from ..rules.errors import InvalidRecord
from ..store import cases as case_store
from ..store import points as point_store
from .common import can_read


def mask_name(name: str | None) -> str | None:
    """张伟 -> 张*, 欧阳娜娜 -> 欧***: enough to confirm, not to expose (R-46)."""
    return None if not name else name[0] + "*" * (len(name) - 1)


async def lookup(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, *, phone: str | None,
                 card: str | None, id_number: str | None) -> dict[str, Any]:
    given = [(k, v) for k, v in (("phone", phone), ("card", card), ("id_number", id_number)) if v]
    if len(given) != 1:
        raise InvalidRecord([FieldError("body", "give exactly one of phone, card, id_number")])
    kind, value = given[0]
    limit = ctx.settings.lookup_max_results
    if kind == "phone":
        digest = ctx.protector.lookup_phone_hash(value)
        rows = await case_store.get_many(conn, await point_store.by_number_hash(conn, digest, limit)) if digest else []
    elif kind == "card":
        digest = ctx.protector.lookup_card_hash(value)
        rows = await case_store.find_by_hash(conn, account_hash=digest, limit=limit) if digest else []
    else:
        digest = ctx.protector.lookup_id_hash(value)
        if digest is None:
            raise InvalidRecord([FieldError("id_number", "not a valid ID number (GB 11643)")])
        rows = await case_store.find_by_hash(conn, id_hash=digest, limit=limit)
    rows = sorted(rows, key=lambda r: (r["status"] != "open", r["case_id"]))
    return {"matched_by": kind, "cases": [_hit(principal, r) for r in rows[:limit]]}


def _hit(principal: Principal, case: Any) -> dict[str, Any]:
    readable = can_read(principal, case)
    out = {"case_id": case["case_id"], "client_id": case["client_id"], "account_masked": case["account_masked"],
           "debtor_name": case["debtor_name"] if readable else mask_name(case["debtor_name"]),
           "status": case["status"], "in_worklist": case["in_worklist"], "owner_id": case["owner_id"],
           "team_id": case["team_id"], "mine": case["owner_id"] == principal.sub, "may_read": readable}
    if readable:   # full details stay with the owner and the team
        out.update(outstanding=case["outstanding"], currency=case["currency"],
                   contact_status=case["contact_status"], next_follow_up=case["next_follow_up"])
    return out
