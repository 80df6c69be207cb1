"""Letters as the clerk's screens show them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.crypto import mask_address_line

from ..rules import checkcode
from ..rules.model import LETTER_TYPE_ZH, LetterType

_SELECT = """SELECT l.letter_id, l.case_id, l.client_id, l.letter_type, l.recipient_role, l.mail_class, l.status,
        l.origin, l.why, l.due_type, l.resend_of, l.requested_by, l.created_on, l.created_at, l.batch_id,
        l.sequence, l.check_code, l.template_id, l.template_version, l.tracking_no, l.dispatched_at,
        l.returned_at, l.return_reason, l.cancelled_at, l.cancel_reason, l.cancel_detail,
        a.address_id, a.kind AS address_kind, a.province, a.city, a.district, a.line, a.postcode, a.source,
        a.verified_on, a.invalid_since, a.invalid_reason
    FROM letters l JOIN addresses a USING (address_id)"""


def address_view(r: Mapping[str, Any]) -> dict[str, Any]:
    """R-46: region and street, house numbers hidden."""
    region = "".join(x for x in (r["province"], r["city"], r["district"]) if x)
    return {"address_id": r["address_id"], "kind": r["address_kind"], "region": region or None,
            "line_masked": mask_address_line(r["line"]), "postcode": r["postcode"], "source": r["source"],
            "verified_on": r["verified_on"], "invalid_since": r["invalid_since"],
            "invalid_reason": r["invalid_reason"]}


def _letter(r: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: r[k] for k in ("letter_id", "case_id", "client_id", "letter_type", "recipient_role", "mail_class",
                             "status", "origin", "why", "due_type", "resend_of", "requested_by", "created_on",
                             "created_at", "batch_id", "sequence", "template_id", "template_version",
                             "tracking_no", "dispatched_at", "returned_at", "return_reason", "cancelled_at",
                             "cancel_reason", "cancel_detail")}
    out["letter_title"] = LETTER_TYPE_ZH[LetterType(r["letter_type"])]
    out["check_code"] = checkcode.display(r["check_code"]) if r["check_code"] else None
    out["address"] = address_view(r)
    return out


async def letter_detail(conn: asyncpg.Connection, letter_id: str) -> dict[str, Any] | None:
    row = await conn.fetchrow(_SELECT + " WHERE l.letter_id = $1", letter_id)
    return _letter(row) if row else None


async def case_letters(conn: asyncpg.Connection, case_id: str) -> list[dict[str, Any]]:
    rows = await conn.fetch(_SELECT + " WHERE l.case_id = $1 ORDER BY l.created_at, l.letter_id", case_id)
    return [_letter(r) for r in rows]


async def list_letters(conn: asyncpg.Connection, *, status: str | None, letter_type: str | None,
                       client_id: str | None, batch_id: str | None, after: tuple[datetime, str] | None,
                       limit: int) -> list[dict[str, Any]]:
    """Newest first; `after` = (created_at ISO, letter_id) of the previous page's last row."""
    after_at = after[0] if after else None
    rows = await conn.fetch(
        _SELECT + """ WHERE ($1::text IS NULL OR l.status = $1) AND ($2::text IS NULL OR l.letter_type = $2)
                      AND ($3::text IS NULL OR l.client_id = $3) AND ($4::text IS NULL OR l.batch_id = $4)
                      AND ($5::timestamptz IS NULL OR (l.created_at, l.letter_id) < ($5, $6))
                    ORDER BY l.created_at DESC, l.letter_id DESC LIMIT $7""",
        status, letter_type, client_id, batch_id, after_at, after[1] if after else None, limit)
    return [_letter(r) for r in rows]
