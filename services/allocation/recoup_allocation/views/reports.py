"""R-8 SLA report: per client and arrival day, how long cases waited for their first owner."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import asyncpg

from ..store.scope import client_allows


async def sla_days(conn: asyncpg.Connection, *, tz: str, client_id: str | None, day_from: date,
                   day_to: date, team: str | None = None) -> list[date]:
    """The arrival days (debtor's zone) that saw cases, in the range (`team`: of the clients
    whose rules allow that team)."""
    rows = await conn.fetch(
        f"""SELECT DISTINCT (c.received_at AT TIME ZONE $1)::date AS day FROM cases c
            WHERE ($2::text IS NULL OR c.client_id = $2)
              AND (c.received_at AT TIME ZONE $1)::date BETWEEN $3 AND $4
              AND ($5::text IS NULL OR {client_allows("$5::text")})
            ORDER BY 1""", tz, client_id, day_from, day_to, team)
    return [r["day"] for r in rows]


async def sla_figures(conn: asyncpg.Connection, *, tz: str, client_id: str | None,
                      days: Sequence[date], deadlines: Sequence[datetime], now: datetime,
                      team: str | None = None) -> list[asyncpg.Record]:
    """Per client and arrival day: received, allocated, waiting, p50/p95/max seconds from arrival
    to first allocation, and breaches (allocated after the deadline or still waiting past it)."""
    return await conn.fetch(
        f"""WITH d AS (SELECT * FROM unnest($3::date[], $4::timestamptz[]) AS t(day, deadline))
           SELECT c.client_id, d.day, d.deadline, count(*) AS received,
                  count(c.first_allocated_at) AS allocated,
                  count(*) FILTER (WHERE c.first_allocated_at IS NULL) AS pending,
                  percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_allocated_at - c.received_at))
                      FILTER (WHERE c.first_allocated_at IS NOT NULL) AS p50,
                  percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM c.first_allocated_at - c.received_at))
                      FILTER (WHERE c.first_allocated_at IS NOT NULL) AS p95,
                  max(extract(epoch FROM c.first_allocated_at - c.received_at)) AS max_s,
                  count(*) FILTER (WHERE c.first_allocated_at > d.deadline
                                      OR (c.first_allocated_at IS NULL AND $5 > d.deadline
                                          AND c.status = 'unassigned')) AS breaches
           FROM cases c JOIN d ON (c.received_at AT TIME ZONE $1)::date = d.day
           WHERE ($2::text IS NULL OR c.client_id = $2)
             AND ($6::text IS NULL OR {client_allows("$6::text")})
           GROUP BY c.client_id, d.day, d.deadline ORDER BY c.client_id, d.day""",
        tz, client_id, list(days), list(deadlines), now, team)


def _f(v: Any) -> float | None:
    return None if v is None else round(float(v), 3)


def sla_rows(rows: Sequence[asyncpg.Record]) -> list[dict[str, Any]]:
    return [{"client_id": r["client_id"], "day": r["day"], "deadline": r["deadline"],
             "received": r["received"], "allocated": r["allocated"], "pending": r["pending"],
             "p50_seconds": _f(r["p50"]), "p95_seconds": _f(r["p95"]), "max_seconds": _f(r["max_s"]),
             "breaches": r["breaches"]} for r in rows]
