"""Teams, collectors and client rules (R-9): the staff side of allocation. SQL only; the caller's
transaction (one per request) is never committed here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import asyncpg

from ..rules import ClientRules, CollectorLoad

WAKE_CHANNEL = "recoup_allocation_pool"

TEAM_COLUMNS = "team_id, name, lead_id, active, created_at, updated_at"
COLLECTOR_COLUMNS = ("collector_id, name, team_id, role, active, clients, products, dpd_buckets, "
                     "regions, max_open_cases, max_open_amount, capacity_weight, created_at, updated_at")
RULE_COLUMNS = ("client_id, dedicated_team_ids, excluded_collector_ids, default_strategy, "
                "auto_allocate, rotation_enabled, team_products, team_dpd_buckets, updated_by, updated_at")


# --- teams ---------------------------------------------------------------------------------------
async def insert_team(conn: asyncpg.Connection, team_id: str, name: str, lead_id: str | None,
                      active: bool) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"""INSERT INTO teams (team_id, name, lead_id, active) VALUES ($1, $2, $3, $4)
            ON CONFLICT (team_id) DO NOTHING RETURNING {TEAM_COLUMNS}""",
        team_id, name, lead_id, active)


async def get_team(conn: asyncpg.Connection, team_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {TEAM_COLUMNS} FROM teams WHERE team_id = $1", team_id)


async def missing_teams(conn: asyncpg.Connection, team_ids: Iterable[str]) -> list[str]:
    wanted = sorted(set(team_ids))
    if not wanted:
        return []
    found = {r["team_id"] for r in await conn.fetch(
        "SELECT team_id FROM teams WHERE team_id = ANY($1)", wanted)}
    return [t for t in wanted if t not in found]


async def update_row(conn: asyncpg.Connection, table: str, key: str, key_value: str,
                     changes: dict[str, Any], columns: str) -> asyncpg.Record | None:
    """UPDATE one row with the given column values (names come from our own schemas only)."""
    if not changes:
        return await conn.fetchrow(f"SELECT {columns} FROM {table} WHERE {key} = $1", key_value)
    sets = ", ".join(f"{col} = ${i + 2}" for i, col in enumerate(changes))
    return await conn.fetchrow(
        f"UPDATE {table} SET {sets}, updated_at = now() WHERE {key} = $1 RETURNING {columns}",
        key_value, *changes.values())


# --- collectors ----------------------------------------------------------------------------------
async def insert_collector(conn: asyncpg.Connection, values: dict[str, Any]) -> asyncpg.Record | None:
    cols = list(values)
    placeholders = ", ".join(f"${i + 1}" for i in range(len(cols)))
    return await conn.fetchrow(
        f"""INSERT INTO collectors ({', '.join(cols)}) VALUES ({placeholders})
            ON CONFLICT (collector_id) DO NOTHING RETURNING {COLLECTOR_COLUMNS}""",
        *values.values())


async def get_collector(conn: asyncpg.Connection, collector_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {COLLECTOR_COLUMNS} FROM collectors WHERE collector_id = $1",
                               collector_id)


async def collector_names(conn: asyncpg.Connection, collector_ids: Sequence[str]) -> dict[str, str]:
    rows = await conn.fetch("SELECT collector_id, name FROM collectors WHERE collector_id = ANY($1)",
                            list(collector_ids))
    return {r["collector_id"]: r["name"] for r in rows}


async def collectors_outside(conn: asyncpg.Connection, collector_ids: Iterable[str], team_id: str) -> list[str]:
    """Of these ids, those that are not collectors of `team_id` (unknown ids included)."""
    wanted = sorted(set(collector_ids))
    inside = {r["collector_id"] for r in await conn.fetch(
        "SELECT collector_id FROM collectors WHERE collector_id = ANY($1) AND team_id = $2", wanted, team_id)}
    return [c for c in wanted if c not in inside]


async def team_of(conn: asyncpg.Connection, sub: str) -> str | None:
    return await conn.fetchval("SELECT team_id FROM collectors WHERE collector_id = $1", sub)


async def collector_loads(conn: asyncpg.Connection, *, team_ids: Sequence[str] | None = None,
                          collector_ids: Sequence[str] | None = None,
                          include_inactive: bool = False) -> list[CollectorLoad]:
    """Collectors with their current open book (assigned cases: count and placed amount)."""
    rows = await conn.fetch(
        """SELECT c.collector_id, c.team_id, c.active, c.clients, c.products, c.dpd_buckets,
                  c.regions, c.max_open_cases, c.max_open_amount, c.capacity_weight,
                  COALESCE(l.n, 0) AS open_cases, COALESCE(l.amount, 0) AS open_amount
           FROM collectors c
           LEFT JOIN (SELECT collector_id, count(*) AS n, sum(placed_amount) AS amount
                      FROM cases WHERE status = 'assigned' GROUP BY collector_id) l
                  ON l.collector_id = c.collector_id
           WHERE ($1::text[] IS NULL OR c.team_id = ANY($1))
             AND ($2::text[] IS NULL OR c.collector_id = ANY($2))
             AND ($3 OR c.active)
           ORDER BY c.collector_id""",
        list(team_ids) if team_ids is not None else None,
        list(collector_ids) if collector_ids is not None else None, include_inactive)
    return [to_load(r) for r in rows]


def _fs(values: Sequence[str] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(values)


def to_load(r: Any) -> CollectorLoad:
    return CollectorLoad(
        collector_id=r["collector_id"], team_id=r["team_id"], active=r["active"],
        clients=_fs(r["clients"]), products=_fs(r["products"]), dpd_buckets=_fs(r["dpd_buckets"]),
        regions=_fs(r["regions"]), max_open_cases=r["max_open_cases"],
        max_open_amount=r["max_open_amount"], open_cases=int(r["open_cases"]),
        open_amount=Decimal(r["open_amount"]), capacity_weight=r["capacity_weight"])


# --- client rules --------------------------------------------------------------------------------
async def put_client_rules(conn: asyncpg.Connection, client_id: str, values: dict[str, Any],
                           updated_by: str) -> tuple[asyncpg.Record, bool]:
    """Upsert; returns (row, created)."""
    row = await conn.fetchrow(
        f"""INSERT INTO client_rules (client_id, dedicated_team_ids, excluded_collector_ids,
                                      default_strategy, auto_allocate, rotation_enabled,
                                      team_products, team_dpd_buckets, updated_by)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (client_id) DO UPDATE SET
                dedicated_team_ids = EXCLUDED.dedicated_team_ids,
                excluded_collector_ids = EXCLUDED.excluded_collector_ids,
                default_strategy = EXCLUDED.default_strategy,
                auto_allocate = EXCLUDED.auto_allocate,
                rotation_enabled = EXCLUDED.rotation_enabled,
                team_products = EXCLUDED.team_products,
                team_dpd_buckets = EXCLUDED.team_dpd_buckets,
                updated_by = EXCLUDED.updated_by, updated_at = now()
            RETURNING {RULE_COLUMNS}, (xmax = 0) AS created""",
        client_id, values["dedicated_team_ids"], values["excluded_collector_ids"],
        values["default_strategy"], values["auto_allocate"], values["rotation_enabled"],
        values["team_products"], values["team_dpd_buckets"], updated_by)
    return row, bool(row["created"])


async def get_client_rules_row(conn: asyncpg.Connection, client_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {RULE_COLUMNS} FROM client_rules WHERE client_id = $1", client_id)


def to_rules(r: Any) -> ClientRules:
    return ClientRules(
        client_id=r["client_id"],
        dedicated_team_ids=frozenset(r["dedicated_team_ids"] or ()),
        excluded_collector_ids=frozenset(r["excluded_collector_ids"] or ()),
        team_products={t: frozenset(v) for t, v in (r["team_products"] or {}).items()},
        team_dpd_buckets={t: frozenset(v) for t, v in (r["team_dpd_buckets"] or {}).items()})


async def client_rules_for(conn: asyncpg.Connection, client_ids: Iterable[str]) -> dict[str, ClientRules]:
    ids = sorted(set(client_ids))
    rows = await conn.fetch(f"SELECT {RULE_COLUMNS} FROM client_rules WHERE client_id = ANY($1)", ids)
    return {r["client_id"]: to_rules(r) for r in rows}


async def wake_auto_allocation(conn: asyncpg.Connection, *, retry_now: bool = True) -> None:
    """Staff, collectors or rules changed: cases waiting on a back-off get another chance now."""
    if retry_now:
        await conn.execute(
            "UPDATE cases SET auto_retry_at = NULL WHERE status = 'unassigned' AND auto_retry_at IS NOT NULL")
    await conn.execute(f"NOTIFY {WAKE_CHANNEL}")
