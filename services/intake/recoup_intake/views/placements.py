"""Placements as the client (or a staff reader) sees them: the list, the status with its R-6
timings and rejected rows, the accepted rows for reconciliation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import asyncpg

from ..rules.placements import import_sla
from ..settings import IntakeSettings
from ..store import placements as store


async def list_placements(conn: asyncpg.Connection, client_id: str, *, after: tuple[datetime, str] | None,
                          limit: int) -> list[dict[str, Any]]:
    """The client's placements, newest first; `after`: the (received_at, id) of the last one seen."""
    rows = await conn.fetch(
        """SELECT id, placement_ref, product, placed_on, received_count, accepted_count, rejected_count,
                  received_at, published_at
           FROM placements WHERE client_id = $1
             AND ($2::timestamptz IS NULL OR (received_at, id) < ($2::timestamptz, $3::uuid))
           ORDER BY received_at DESC, id DESC LIMIT $4""",
        client_id, after[0] if after else None, after[1] if after else None, limit)
    return [{"placement_id": str(r["id"]), "placement_ref": r["placement_ref"], "product": r["product"],
             "placed_on": r["placed_on"], "received": r["received_count"], "accepted": r["accepted_count"],
             "rejected": r["rejected_count"], "received_at": r["received_at"],
             "published_at": r["published_at"]} for r in rows]


def _timings(p: asyncpg.Record, published_at: datetime | None, settings: IntakeSettings) -> dict[str, Any]:
    to_import = (p["imported_at"] - p["received_at"]).total_seconds()
    return {
        "received_at": p["received_at"], "imported_at": p["imported_at"], "published_at": published_at,
        "seconds_to_import": round(to_import, 3),
        "seconds_to_publish": (round((published_at - p["received_at"]).total_seconds(), 3)
                               if published_at else None),
        "sla": import_sla(p["received_at"], p["imported_at"], target_seconds=settings.import_sla_target_seconds,
                          max_seconds=settings.import_sla_max_seconds),
    }


async def placement_status(conn: asyncpg.Connection, p: asyncpg.Record, settings: IntakeSettings, *,
                           errors_after: int | None, errors_limit: int, warnings_after: int | None,
                           warnings_limit: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """The status body without its rejected rows and warnings, and a page of each (fetched with
    `limit + 1`, rows after the ordinal given)."""
    published_at = await store.publication_time(conn, p)
    rejected = await store.rejected_rows(conn, p["id"], after=-1 if errors_after is None else errors_after,
                                         limit=errors_limit + 1)
    warnings = await store.row_warnings(conn, p["id"], after=-1 if warnings_after is None else warnings_after,
                                        limit=warnings_limit + 1)
    body = {
        "placement_id": str(p["id"]), "placement_ref": p["placement_ref"], "client_id": p["client_id"],
        "product": p["product"], "placed_on": p["placed_on"], "recall_on": p["recall_on"],
        "source": p["source"],
        "template": ({"name": p["template_name"], "version": p["template_version"]}
                     if p["template_name"] else None),
        "status": "published" if published_at else "imported",
        "counts": {"received": p["received_count"], "accepted": p["accepted_count"],
                   "rejected": p["rejected_count"], "warned": p["response"].get("warned", 0),
                   "cases": await store.case_status_counts(conn, p["id"])},
        "timings": _timings(p, published_at, settings),
    }
    return body, rejected, warnings


async def placement_cases(conn: asyncpg.Connection, placement_id: Any, *, after_row: int | None,
                          limit: int) -> list[dict[str, Any]]:
    """Each accepted row: its row index, case id, masked account and status (row order)."""
    rows = await conn.fetch(
        """SELECT row_index, id, account_masked, status FROM cases
           WHERE placement_id = $1 AND row_index > $2 ORDER BY row_index LIMIT $3""",
        placement_id, -1 if after_row is None else after_row, limit)
    return [{"row": r["row_index"], "case_id": str(r["id"]), "account_masked": r["account_masked"],
             "status": r["status"]} for r in rows]
