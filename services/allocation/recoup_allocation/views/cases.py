"""Cases as the API shows them: detail with the ownership history, the owner on a date, keyset
pages of the pool / a worklist / a team, and a team's load against capacity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import asyncpg

from ..store.pool import CASE_COLUMNS, JOINT_CASE_IDS
from ..store.scope import lead_reaches


async def history(conn: asyncpg.Connection, case_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT collector_id, team_id, valid_from, valid_to, strategy, reason, end_reason, plan_id
           FROM ownership WHERE case_id = $1 ORDER BY valid_from, id""", case_id)


def _history(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"collector_id": r["collector_id"], "team_id": r["team_id"], "from": r["valid_from"],
             "to": r["valid_to"], "strategy": r["strategy"], "reason": r["reason"],
             "end_reason": r["end_reason"], "plan_id": str(r["plan_id"]) if r["plan_id"] else None}
            for r in rows]


async def case_detail(conn: asyncpg.Connection, case: Mapping[str, Any]) -> dict[str, Any]:
    """A case row (store.pool.get_case) with who owned it when."""
    out = dict(case)
    out["history"] = _history(await history(conn, case["case_id"]))
    return out


async def owner_at(conn: asyncpg.Connection, case_id: str, at: datetime) -> asyncpg.Record | None:
    """The owner on a date (billing attributes repayments this way): the interval [from, to)."""
    return await conn.fetchrow(
        """SELECT collector_id, team_id, valid_from, valid_to, strategy, reason FROM ownership
           WHERE case_id = $1 AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
           ORDER BY valid_from DESC, id DESC LIMIT 1""", case_id, at)


def owner_out(case_id: str, at: datetime, owner: Mapping[str, Any] | None) -> dict[str, Any]:
    if owner is None:
        return {"case_id": case_id, "at": at, "collector_id": None, "team_id": None}
    return {"case_id": case_id, "at": at, "collector_id": owner["collector_id"],
            "team_id": owner["team_id"], "from": owner["valid_from"], "to": owner["valid_to"],
            "strategy": owner["strategy"], "reason": owner["reason"]}


async def list_cases(conn: asyncpg.Connection, *, collector_id: str | None = None,
                     team_id: str | None = None, statuses: Sequence[str] | None = None,
                     client_id: str | None = None, lead_team: str | None = None,
                     after: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Keyset page by case_id (stable under inserts, no OFFSET scans); `lead_team`: only what
    that team's lead reaches."""
    rows = await conn.fetch(
        f"""SELECT {CASE_COLUMNS}, {JOINT_CASE_IDS} FROM cases c
            WHERE ($1::text IS NULL OR c.collector_id = $1) AND ($2::text IS NULL OR c.team_id = $2)
              AND ($3::text[] IS NULL OR c.status = ANY($3)) AND ($4::text IS NULL OR c.client_id = $4)
              AND ($5::text IS NULL OR c.case_id > $5)
              AND ($7::text IS NULL OR {lead_reaches("$7::text")})
            ORDER BY c.case_id LIMIT $6""",
        collector_id, team_id, list(statuses) if statuses else None, client_id, after, limit, lead_team)
    return [dict(r) for r in rows]


_PCT = Decimal("0.01")


def _pct(used: Decimal | int, cap: Decimal | int | None) -> Decimal | None:
    if cap is None:
        return None
    if not cap:
        return Decimal("0.00") if not used else None
    return (Decimal(used) * 100 / Decimal(cap)).quantize(_PCT, rounding=ROUND_HALF_UP)


async def team_load(conn: asyncpg.Connection, team_id: str) -> dict[str, Any]:
    """Per collector of the team: open cases and amount against their capacity."""
    rows = await conn.fetch(
        """SELECT c.collector_id, c.name, c.active, c.max_open_cases, c.max_open_amount,
                  COALESCE(l.n, 0) AS open_cases, COALESCE(l.amount, 0) AS open_amount
           FROM collectors c
           LEFT JOIN LATERAL (SELECT count(*) AS n, sum(placed_amount) AS amount FROM cases k
                              WHERE k.collector_id = c.collector_id AND k.status = 'assigned') l ON true
           WHERE c.team_id = $1 ORDER BY c.collector_id""", team_id)
    collectors = [{
        "collector_id": r["collector_id"], "name": r["name"], "active": r["active"],
        "open_cases": r["open_cases"], "open_amount": r["open_amount"],
        "max_open_cases": r["max_open_cases"], "max_open_amount": r["max_open_amount"],
        "cases_used_pct": _pct(r["open_cases"], r["max_open_cases"]),
        "amount_used_pct": _pct(r["open_amount"], r["max_open_amount"]),
    } for r in rows]
    return {"team_id": team_id, "collectors": collectors,
            "open_cases": sum(c["open_cases"] for c in collectors),
            "open_amount": sum((Decimal(c["open_amount"]) for c in collectors), Decimal("0.00"))}
