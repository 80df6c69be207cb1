"""Cases as staff read them (R-7, R-25, R-46): masked summaries and details, joint debt.

Masked by default: the masked views of phones and addresses are derived here from the decrypted
blob; full values are added only when the use case allows a reveal."""

from __future__ import annotations

from typing import Any

import asyncpg

from recoup_shared.crypto import mask_address_line, mask_phone

from ..rules.balances import outstanding
from ..store.personal import unpack_address, unpack_phone

CASE_SUMMARY = """c.id::text AS case_id, c.client_id, p.placement_ref, c.row_index, c.product,
    c.account_masked, c.debtor_name, c.id_masked, c.gender, c.currency, c.placed_amount,
    c.repaid_total, c.dpd, c.dpd_bucket, c.status, c.flags, c.created_at, c.updated_at"""


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


async def search_cases(conn: asyncpg.Connection, *, client_id: str | None, placement_ref: str | None,
                       status: str | None, account_hash: str | None, id_hash: str | None,
                       phone_hash: str | None, after: str | None, limit: int) -> list[asyncpg.Record]:
    """Exact-match lookups by blind index (R-25) and filters; keyset pagination on the id (ids
    are time-ordered, so this is placement order)."""
    where, args = [], []

    def arg(v: Any) -> str:
        args.append(v)
        return f"${len(args)}"

    if client_id:
        where.append(f"c.client_id = {arg(client_id)}")
    if placement_ref:
        where.append(f"p.placement_ref = {arg(placement_ref)}")
    if status:
        where.append(f"c.status = {arg(status)}")
    if account_hash:
        where.append(f"c.account_hash = {arg(account_hash)}")
    if id_hash:
        where.append(f"c.id_hash = {arg(id_hash)}")
    if phone_hash:
        where.append(f"c.id IN (SELECT case_id FROM phone_lookup WHERE number_hash = {arg(phone_hash)})")
    if after:
        where.append(f"c.id > {arg(after)}::uuid")
    sql = (f"SELECT {CASE_SUMMARY} FROM cases c JOIN placements p ON p.id = c.placement_id "
           f"{'WHERE ' + ' AND '.join(where) if where else ''} "
           f"ORDER BY c.id LIMIT {arg(limit)}")
    return await conn.fetch(sql, *args)


async def get_case(conn: asyncpg.Connection, case_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        """SELECT c.*, c.id::text AS case_id, p.placement_ref, p.placed_on, p.recall_on
           FROM cases c JOIN placements p ON p.id = c.placement_id WHERE c.id = $1::uuid""", case_id)


async def case_repayments(conn: asyncpg.Connection, case_id: str) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT txn_ref, amount, paid_at, channel, flag, recorded_at FROM repayments
           WHERE case_id = $1::uuid ORDER BY paid_at, recorded_at""", case_id)
    return [dict(r) for r in rows]


def _phone_view(seq: int, p: dict[str, Any], added_at: Any, reveal: bool) -> dict[str, Any]:
    out = {"seq": seq, "number_masked": mask_phone(p["number"]), "extension": p.get("extension"),
           "kind": p["kind"], "owner": p["owner"], "name": p.get("name"),
           "relationship": p.get("relationship"), "knows_debt": p.get("knows_debt"),
           "employer": p.get("employer"), "valid": p.get("invalid") is None, "invalid_reason": p.get("invalid"),
           "source": p.get("source") or "placement", "added_at": p.get("added_at") or added_at}
    if reveal:
        out["number"] = p["number"]
    return out


def _address_view(seq: int, a: dict[str, Any], added_at: Any, reveal: bool) -> dict[str, Any]:
    out = {"seq": seq, "kind": a["kind"], "province": a.get("province"), "city": a.get("city"),
           "district": a.get("district"), "line_masked": mask_address_line(a["line"]),
           "employer": a.get("employer"), "owner": a["owner"], "name": a.get("name"),
           "relationship": a.get("relationship"), "valid": a.get("invalid") is None,
           "invalid_reason": a.get("invalid"), "source": a.get("source") or "placement",
           "added_at": a.get("added_at") or added_at}
    if reveal:
        out["line"] = a["line"]
    return out


def case_detail(c: asyncpg.Record, personal: dict[str, Any], repayments: list[dict[str, Any]], *,
                reveal: bool) -> dict[str, Any]:
    """One case, masked; with `reveal` the full account and ID numbers, phones, address lines."""
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
        "skip_trace": c["skip_trace"], "extra": c["extra"] or {},
        "recalled_at": c["recalled_at"], "closed_at": c["closed_at"],
        "phones": [_phone_view(i, unpack_phone(p), created_at, reveal) for i, p in enumerate(personal["phones"])],
        "addresses": [_address_view(i, unpack_address(a), created_at, reveal)
                      for i, a in enumerate(personal["addresses"])],
        "repayments": repayments,
        "revealed": reveal,
    })
    if reveal:
        out["account_ref"] = personal["account_ref"]
        out["id_number"] = personal["id_number"]
        out["birth_date"] = c["birth_date"]
    return out


async def joint_links(conn: asyncpg.Connection, case_id: str) -> list[dict[str, Any]]:
    """R-7, read live: the other cases of the same debtor (ID-number blind index), any client —
    the open ones, and those linked on import even if since recalled or closed. Live, so a
    debtor placed by two clients at the same moment is still seen from both sides."""
    rows = await conn.fetch(
        """SELECT o.id::text AS case_id, o.client_id, p.placement_ref, o.account_masked, o.debtor_name,
                  o.placed_amount, o.repaid_total, o.status, l.linked_at
           FROM cases c
           JOIN cases o ON o.id_hash = c.id_hash AND o.id <> c.id
           JOIN placements p ON p.id = o.placement_id
           LEFT JOIN joint_debt_links l ON l.case_id = c.id AND l.linked_case_id = o.id
           WHERE c.id = $1::uuid AND (o.status = 'open' OR l.linked_at IS NOT NULL)
           ORDER BY o.id
           LIMIT 500""", case_id)
    return [{"case_id": r["case_id"], "client_id": r["client_id"], "placement_ref": r["placement_ref"],
             "account_masked": r["account_masked"], "debtor_name": r["debtor_name"],
             "placed_amount": r["placed_amount"], "repaid_total": r["repaid_total"],
             "outstanding": outstanding(r["placed_amount"], r["repaid_total"]), "status": r["status"],
             "linked_at": r["linked_at"]} for r in rows]
