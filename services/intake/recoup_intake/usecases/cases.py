"""Staff reads of cases (R-25 inbound-call lookup, R-7 joint debt, R-46 confidentiality).

Masked by default for every staff role. Full ID/card numbers, phones and address lines only with
`reveal=true` and only for the reveal roles (settings.REVEAL_ROLES: admin, supervisor,
data_specialist). Collectors, team leads, field agents and letters clerks get the phones and
addresses they work with from their own services (contact, fieldops, letters receive them in full
through case.received / case.updated), so intake never needs to unmask for them. Every reveal and
every lookup by an identifier writes an audit_log row (who, when, which case, which fields; the
searched value itself is never stored).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.errors import UnprocessableInput
from recoup_shared.identifiers import normalise_account_ref
from recoup_shared.paging import page

from ..context import Ctx
from ..rules.errors import CaseNotFound, RevealForbidden
from ..settings import REVEAL_ROLES
from ..store import audit
from ..views import cases as views

REVEALED_FIELDS = ("account_ref", "id_number", "birth_date", "phones", "addresses")


@dataclass(frozen=True)
class CaseSearch:
    """Exact identifiers (looked up by blind index, never stored) and filters; `after`: the last
    case id of the previous page."""
    client_id: str | None = None
    placement_ref: str | None = None
    status: str | None = None
    id_number: str | None = None
    card_number: str | None = None
    phone: str | None = None
    after: str | None = None
    limit: int = 100
    correlation_id: str | None = None


def _case_uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise CaseNotFound("no such case") from None


def _lookup_hashes(ctx: Ctx, q: CaseSearch) -> tuple[str | None, str | None, str | None]:
    """(id_hash, account_hash, phone_hash) of the identifiers searched, canonicalised as on import."""
    protector = ctx.protector
    id_hash = account_hash = phone_hash = None
    if q.id_number:
        id_hash = protector.lookup_id_hash(q.id_number)
        if id_hash is None:
            raise UnprocessableInput("not a valid ID number",
                                     errors=[{"field": "id_number", "reason": "not a valid ID number (GB 11643)"}])
    if q.card_number:
        account_hash = protector.card_hash(normalise_account_ref(q.card_number))
    if q.phone:
        phone_hash = protector.lookup_phone_hash(q.phone)
        if phone_hash is None:
            raise UnprocessableInput("not a phone number", errors=[{"field": "phone", "reason": "no digits"}])
    return id_hash, account_hash, phone_hash


async def search_cases(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, q: CaseSearch) -> dict[str, Any]:
    """Masked summaries, opaque-cursor paged; a lookup by identifier is audited (R-46)."""
    id_hash, account_hash, phone_hash = _lookup_hashes(ctx, q)
    if q.placement_ref and not q.client_id:
        raise UnprocessableInput("placement_ref needs client_id",
                                 errors=[{"field": "client_id", "reason": "required with placement_ref"}])
    rows = await views.search_cases(conn, client_id=q.client_id, placement_ref=q.placement_ref, status=q.status,
                                    account_hash=account_hash, id_hash=id_hash, phone_hash=phone_hash,
                                    after=q.after, limit=q.limit + 1)
    lookups = [k for k, v in (("id_number", q.id_number), ("card_number", q.card_number), ("phone", q.phone)) if v]
    if lookups:  # who looked up whom (the searched value itself is never stored)
        found = rows[:q.limit]
        await audit.record(conn, actor=principal.sub, roles=principal.roles, action="search",
                           client_id=q.client_id, fields=lookups, correlation_id=q.correlation_id,
                           detail={"matches": len(found), "case_ids": [r["case_id"] for r in found[:50]]})
    return page([views.summary(r) for r in rows], q.limit, key=lambda r: r["case_id"])


async def read_case(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str, *, reveal: bool,
                    reason: str | None, correlation_id: str | None) -> dict[str, Any]:
    """One case, masked; `reveal` (the reveal roles only) adds the full values and is audited."""
    case_id = _case_uuid(case_id)
    if reveal and not principal.has(*REVEAL_ROLES):
        raise RevealForbidden("full personal data is shown only to: " + ", ".join(sorted(REVEAL_ROLES)) + " (R-46)")
    c = await views.get_case(conn, case_id)
    if c is None:
        raise CaseNotFound("no such case")
    personal = ctx.protector.open(case_id, c["personal_enc"])
    out = views.case_detail(c, personal, await views.case_repayments(conn, case_id), reveal=reveal)
    if reveal:
        out["audit_id"] = await audit.record(conn, actor=principal.sub, roles=principal.roles, action="reveal",
                                             case_id=case_id, client_id=c["client_id"], fields=REVEALED_FIELDS,
                                             reason=reason, correlation_id=correlation_id)
    return out


async def joint_debt(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str) -> dict[str, Any]:
    """R-7: the other cases of the same debtor, any client."""
    case_id = _case_uuid(case_id)
    if await views.get_case(conn, case_id) is None:
        raise CaseNotFound("no such case")
    return {"case_id": case_id, "links": await views.joint_links(conn, case_id)}
