"""Per-client, versioned configuration: contact rules, code tables, report templates."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import asyncpg

_TABLES = {"config": ("client_configs", "config"), "codes": ("code_tables", "codes"),
           "report": ("report_templates", "template")}


async def versions(conn: asyncpg.Connection, client_id: str, day: date) -> dict[str, int | None]:
    """The versions in force for a client on `day`: one round trip for everything a record needs."""
    row = await conn.fetchrow(
        """SELECT (SELECT max(version) FROM client_configs WHERE client_id = $1) AS config,
                  (SELECT version FROM code_tables WHERE client_id = $1 AND effective_from <= $2
                   ORDER BY effective_from DESC, version DESC LIMIT 1) AS codes""", client_id, day)
    return {"config": row["config"], "codes": row["codes"]}


async def load(conn: asyncpg.Connection, kind: str, client_id: str, version: int) -> asyncpg.Record | None:
    table, column = _TABLES[kind]
    extra = ", effective_from" if kind == "codes" else ""
    return await conn.fetchrow(
        f"SELECT version, {column} AS body, created_by, created_at{extra} FROM {table} "
        "WHERE client_id = $1 AND version = $2", client_id, version)


async def latest_version(conn: asyncpg.Connection, kind: str, client_id: str) -> int | None:
    table, _ = _TABLES[kind]
    return await conn.fetchval(f"SELECT max(version) FROM {table} WHERE client_id = $1", client_id)


async def history(conn: asyncpg.Connection, kind: str, client_id: str) -> list[asyncpg.Record]:
    table, column = _TABLES[kind]
    extra = ", effective_from" if kind == "codes" else ""
    return await conn.fetch(
        f"SELECT version, {column} AS body, created_by, created_at{extra} FROM {table} WHERE client_id = $1 "
        "ORDER BY version", client_id)


async def add(conn: asyncpg.Connection, kind: str, client_id: str, body: Any, by: str, now: datetime,
              effective_from: date | None = None) -> int:
    """A new version (the next number, taken under the caller's lock on the client)."""
    table, column = _TABLES[kind]
    version = (await latest_version(conn, kind, client_id) or 0) + 1
    if kind == "codes":
        await conn.execute(
            f"INSERT INTO {table} (client_id, version, effective_from, {column}, created_by, created_at) "
            "VALUES ($1, $2, $3, $4, $5, $6)", client_id, version, effective_from, body, by, now)
    else:
        await conn.execute(
            f"INSERT INTO {table} (client_id, version, {column}, created_by, created_at) VALUES ($1, $2, $3, $4, $5)",
            client_id, version, body, by, now)
    return version
