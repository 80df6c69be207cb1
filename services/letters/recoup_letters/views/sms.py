"""Text messages as the clerk's screen shows them (the phone masked, R-46)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from ..store import loads
from ..store import sms as store


def _sms(r: Mapping[str, Any]) -> dict[str, Any]:
    out = {k: r[k] for k in ("sms_id", "case_id", "client_id", "template_id", "template_version", "phone_masked",
                             "text", "status", "attempts", "requested_by", "requested_at", "attempt_at", "sent_at",
                             "provider", "provider_message_id", "provider_code", "provider_message",
                             "delivered_at", "receipt_code", "receipt_at")}
    out["decision"] = loads(r["decision"]) if r["decision"] else None
    return out


async def sms(conn: asyncpg.Connection, sms_id: str) -> dict[str, Any] | None:
    row = await store.get(conn, sms_id)
    return _sms(row) if row else None


async def list_sms(conn: asyncpg.Connection, *, case_id: str | None, status: str | None,
                   after: tuple[datetime, str] | None, limit: int) -> list[dict[str, Any]]:
    key = after
    return [_sms(r) for r in await store.page(conn, case_id=case_id, status=status, after=key, limit=limit)]
