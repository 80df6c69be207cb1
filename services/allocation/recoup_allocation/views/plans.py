"""Plans as the API shows them (a preview, a commit, an automatic run, a rotation), their items
and the scheduled rotation register."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import asyncpg

from ..store.plans import PLAN_COLUMNS

LISTED = ("kind", "strategy", "status", "client_id", "month", "items", "created_by", "created_at",
          "expires_at", "committed_at")


def status_at(row: Mapping[str, Any], now: datetime) -> str:
    """Expiry is applied on read (the housekeeping job writes it down later)."""
    status = row["status"]
    return "expired" if status == "previewed" and row["expires_at"] < now else status


def plan_out(row: Mapping[str, Any], now: datetime, **extra: Any) -> dict[str, Any]:
    """A plan row with its stored summary."""
    out = dict(row["summary"])
    out.update(plan_id=str(row["plan_id"]), kind=row["kind"], strategy=row["strategy"],
               status=status_at(row, now), client_id=row["client_id"], month=row["month"],
               forced=row["forced"], created_by=row["created_by"], created_at=row["created_at"],
               expires_at=row["expires_at"], committed_by=row["committed_by"],
               committed_at=row["committed_at"], filters=row["filters"] or {})
    out.update(extra)
    return out


async def list_plans(conn: asyncpg.Connection, *, status: str | None, kind: str | None,
                     created_by: str | None, reader: tuple[str, str] | None,
                     limit: int) -> list[dict[str, Any]]:
    """Recent plans, newest first (the stored status: a preview past its time shows until the
    housekeeping job marks it expired). `reader` (sub, team) of a team lead: the plans they
    created and their team's."""
    sub, team = reader if reader is not None else (None, None)
    rows = await conn.fetch(
        f"""SELECT {PLAN_COLUMNS} FROM plans
            WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2)
              AND ($3::text IS NULL OR created_by = $3)
              AND ($5::text IS NULL OR created_by = $5 OR team_id = $6)
            ORDER BY created_at DESC LIMIT $4""", status, kind, created_by, limit, sub, team)
    return [{**{k: r[k] for k in LISTED}, "plan_id": str(r["plan_id"])} for r in rows]


async def plan_items(conn: asyncpg.Connection, plan_id: uuid.UUID, after: str | None,
                     limit: int) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT case_id, collector_id, team_id, previous_collector_id FROM plan_items
           WHERE plan_id = $1 AND ($2::text IS NULL OR case_id > $2) ORDER BY case_id LIMIT $3""",
        plan_id, after, limit)
    return [dict(r) for r in rows]


async def rotation_runs(conn: asyncpg.Connection, *, team: str | None,
                        limit: int = 100) -> list[dict[str, Any]]:
    """The register, newest month first; `team`: only runs whose plan is that team's."""
    rows = await conn.fetch(
        """SELECT r.month, r.client_id, r.plan_id, r.status, r.detail, r.ran_at FROM rotation_runs r
           WHERE $2::text IS NULL OR EXISTS (SELECT 1 FROM plans p
                                             WHERE p.plan_id = r.plan_id AND p.team_id = $2)
           ORDER BY r.month DESC, r.client_id LIMIT $1""", limit, team)
    return [{**dict(r), "plan_id": str(r["plan_id"]) if r["plan_id"] else None} for r in rows]
