"""Staff reads of cases (R-25 inbound-call lookup, R-7 joint debt, R-46 confidentiality).

Masked by default for every staff role. Full ID/card numbers, phones and address lines only with
`reveal=true` and only for the reveal roles (IntakeSettings.reveal_roles: admin, supervisor,
data_specialist). Collectors, team leads, field agents and letters clerks get the phones and
addresses they work with from their own services (contact, fieldops, letters receive them in full
through case.received / case.updated), so intake never needs to unmask for them. Every reveal and
every lookup by an identifier writes an audit_log row (who, when, which case, which fields; the
searched value itself is never stored).
"""

from __future__ import annotations

import uuid
from typing import Any

import asyncpg
from fastapi import FastAPI

from recoup_shared.auth import Principal
from recoup_shared.errors import Forbidden, NotFound, UnprocessableInput

from recoup_shared.crypto import Protector, mask_address_line, mask_phone

from ..records import unpack_address, unpack_phone
from ..rules.validation import normalise_account_ref
from ..store import audit
from ..store import cases as store
from .common import protector_of, settings_of
from .events import outstanding

REVEALED_FIELDS = ("account_ref", "id_number", "birth_date", "phones", "addresses")


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise NotFound("no such case") from None


def summary(r: asyncpg.Record) -> dict[str, Any]:
    return {
        "case_id": r["case_id"], "client_id": r["client_id"], "placement_ref": r["placement_ref"],
        "row": r["row_index"], "product": r["product"], "account_masked": r["account_masked"],
        "debtor_name": r["debtor_name"], "id_number_masked": r["id_masked"], "gender": r["gender"],
        "currency": r["currency"], "placed_amount": r["placed_amount"], "repaid_total": r["repaid_total"],
        "outstanding": outstanding(r["placed_amount"], r["repaid_total"]), "dpd": r["dpd"],
        "dpd_bucket": r["dpd_bucket"], "status": r["status"], "flags": list(r["flags"]),
        "created_at": r["created_at"], "updated_at": r["updated_at"],
    }


def _cursor(after: str | None) -> str | None:
    if not after:
        return None
    try:
        return str(uuid.UUID(after))
    except ValueError:
        raise UnprocessableInput("bad cursor", errors=[{"field": "after", "reason": "use next_after of the previous page"}]) from None


async def search_cases(app: FastAPI, conn: asyncpg.Connection, principal: Principal, *,
                       client_id: str | None, placement_ref: str | None, status: str | None,
                       id_number: str | None, card_number: str | None, phone: str | None,
                       after: str | None, limit: int, correlation_id: str | None) -> dict[str, Any]:
    protector: Protector = protector_of(app)
    lookups = [k for k, v in (("id_number", id_number), ("card_number", card_number), ("phone", phone)) if v]
    id_hash = account_hash = phone_hash = None
    if id_number:
        id_hash = protector.lookup_id_hash(id_number)
        if id_hash is None:
            raise UnprocessableInput("not a valid ID number",
                                     errors=[{"field": "id_number", "reason": "not a valid ID number (GB 11643)"}])
    if card_number:
        account_hash = protector.card_hash(normalise_account_ref(card_number))
    if phone:
        phone_hash = protector.lookup_phone_hash(phone)
        if phone_hash is None:
            raise UnprocessableInput("not a phone number", errors=[{"field": "phone", "reason": "no digits"}])
    if placement_ref and not client_id:
        raise UnprocessableInput("placement_ref needs client_id",
                                 errors=[{"field": "client_id", "reason": "required with placement_ref"}])
    rows = await store.search_cases(conn, client_id=client_id, placement_ref=placement_ref, status=status,
                                    account_hash=account_hash, id_hash=id_hash, phone_hash=phone_hash,
                                    after=_cursor(after), limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    if lookups:  # who looked up whom (the searched value itself is never stored)
        await audit.record(conn, actor=principal.sub, roles=principal.roles, action="search",
                           client_id=client_id, fields=lookups, correlation_id=correlation_id,
                           detail={"matches": len(rows), "case_ids": [r["case_id"] for r in rows[:50]]})
    last = rows[-1] if rows else None
    return {"items": [summary(r) for r in rows],
            "next_after": last["case_id"] if more and last else None}


def _phone_view(seq: int, p: dict[str, Any], added_at: Any, reveal: bool) -> dict[str, Any]:
    out = {"seq": seq, "number_masked": mask_phone(p["number"]), "extension": p.get("extension"),
           "kind": p["kind"], "owner": p["owner"], "name": p.get("name"),
           "relationship": p.get("relationship"), "knows_debt": p.get("knows_debt"),
           "source": p.get("source") or "placement", "added_at": p.get("added_at") or added_at}
    if reveal:
        out["number"] = p["number"]
    return out


def _address_view(seq: int, a: dict[str, Any], added_at: Any, reveal: bool) -> dict[str, Any]:
    out = {"seq": seq, "kind": a["kind"], "province": a.get("province"), "city": a.get("city"),
           "district": a.get("district"), "line_masked": mask_address_line(a["line"]),
           "employer": a.get("employer"), "source": a.get("source") or "placement",
           "added_at": a.get("added_at") or added_at}
    if reveal:
        out["line"] = a["line"]
    return out


async def read_case(app: FastAPI, conn: asyncpg.Connection, principal: Principal, case_id: str, *,
                    reveal: bool, reason: str | None, correlation_id: str | None) -> dict[str, Any]:
    case_id = _uuid(case_id)
    if reveal and not principal.has(*settings_of(app).reveal_roles):
        raise Forbidden("full personal data is shown only to: "
                        + ", ".join(sorted(settings_of(app).reveal_roles)) + " (R-46)")
    c = await store.get_case(conn, case_id)
    if c is None:
        raise NotFound("no such case")
    # Masked views are derived from the decrypted blob here; full values leave only with reveal.
    personal = protector_of(app).open(case_id, c["personal_enc"])
    created_at = c["created_at"]
    out = summary(c)
    out.update({
        "placement_id": str(c["placement_id"]), "placed_on": c["placed_on"], "recall_on": c["recall_on"],
        "principal": c["principal"], "interest": c["interest"], "fees": c["fees"],
        "overdue_since": c["overdue_since"],
        "last_payment": ({"on": c["last_payment_on"], "amount": c["last_payment_amount"]}
                         if c["last_payment_on"] else None),
        "credit_limit": c["credit_limit"], "employer": c["employer"], "region": c["region"],
        "remarks": c["remarks"], "warnings": list(c["warnings"]), "status_reason": c["status_reason"],
        "recalled_at": c["recalled_at"], "closed_at": c["closed_at"],
        "phones": [_phone_view(i, unpack_phone(p), created_at, reveal) for i, p in enumerate(personal["phones"])],
        "addresses": [_address_view(i, unpack_address(a), created_at, reveal)
                      for i, a in enumerate(personal["addresses"])],
        "repayments": [dict(r) for r in await store.case_repayments(conn, case_id)],
        "revealed": reveal,
    })
    if reveal:
        out["account_ref"] = personal["account_ref"]
        out["id_number"] = personal["id_number"]
        out["birth_date"] = c["birth_date"]
        entry = await audit.record(conn, actor=principal.sub, roles=principal.roles, action="reveal",
                                   case_id=case_id, client_id=c["client_id"], fields=REVEALED_FIELDS,
                                   reason=reason, correlation_id=correlation_id)
        out["audit_id"] = entry
    return out


async def joint_debt(conn: asyncpg.Connection, case_id: str) -> dict[str, Any]:
    case_id = _uuid(case_id)
    if await store.get_case(conn, case_id) is None:
        raise NotFound("no such case")
    rows = await store.joint_links(conn, case_id)
    return {"case_id": case_id, "links": [
        {"case_id": r["case_id"], "client_id": r["client_id"], "placement_ref": r["placement_ref"],
         "account_masked": r["account_masked"], "debtor_name": r["debtor_name"],
         "placed_amount": r["placed_amount"], "repaid_total": r["repaid_total"],
         "outstanding": outstanding(r["placed_amount"], r["repaid_total"]), "status": r["status"],
         "linked_at": r["linked_at"]} for r in rows]}
