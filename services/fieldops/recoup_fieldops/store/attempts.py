"""The compliance history of visits (R-15, R-16 are counted here, where visits happen) and the
refusals of the engine with their reasons."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg
import orjson

from recoup_shared.compliance import Attempt, Channel, Outcome


async def history(conn: asyncpg.Connection, case_ids: Sequence[str], since: datetime, until: datetime,
                  *, exclude_visit: str | None = None) -> dict[str, list[Attempt]]:
    """Visits planned or done for these cases between `since` and `until`, as engine attempts."""
    rows = await conn.fetch(
        """SELECT case_id, kind, at, agents FROM visit_attempts
           WHERE case_id = ANY($1::text[]) AND at > $2 AND at <= $3
             AND ($4::uuid IS NULL OR visit_id <> $4) ORDER BY at""",
        list(case_ids), since, until, uuid.UUID(exclude_visit) if exclude_visit else None)
    out: dict[str, list[Attempt]] = defaultdict(list)
    for r in rows:
        out[r["case_id"]].append(Attempt(
            at=r["at"], channel=Channel.VISIT, agents=r["agents"],
            outcome=Outcome.CONNECTED if r["kind"] == "done" else Outcome.PENDING))
    return out


async def reserve(conn: asyncpg.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """(visit_id, case_id, at, agents): planned visits hold their place in the caps."""
    if rows:
        await conn.execute(
            """INSERT INTO visit_attempts (visit_id, case_id, kind, at, agents)
               SELECT v, c, 'planned', a, n FROM unnest($1::uuid[], $2::text[], $3::timestamptz[],
                                                       $4::int[]) AS r(v, c, a, n)
               ON CONFLICT (visit_id) DO UPDATE SET kind = 'planned', at = EXCLUDED.at,
                   agents = EXCLUDED.agents""",
            [uuid.UUID(r[0]) for r in rows], [r[1] for r in rows], [r[2] for r in rows],
            [r[3] for r in rows])


async def record_done(conn: asyncpg.Connection, visit_id: str, case_id: str, at: datetime,
                      agents: int) -> None:
    """The visit happened: its reservation becomes the visit itself, at its arrival."""
    await conn.execute(
        """INSERT INTO visit_attempts (visit_id, case_id, kind, at, agents) VALUES ($1, $2, 'done', $3, $4)
           ON CONFLICT (visit_id) DO UPDATE SET kind = 'done', at = EXCLUDED.at, agents = EXCLUDED.agents""",
        uuid.UUID(visit_id), case_id, at, agents)


async def refuse(conn: asyncpg.Connection, rows: Sequence[tuple[Any, ...]]) -> None:
    """(visit_id, case_id, stage, decided_at, visit_at, decided_by, reasons, fingerprint)."""
    if rows:
        await conn.execute(
            """INSERT INTO compliance_refusals (visit_id, case_id, stage, decided_at, visit_at,
                                                decided_by, reasons, policy_fingerprint)
               SELECT v, c, s, d, a, b, r::jsonb, f FROM unnest($1::uuid[], $2::text[], $3::text[],
                   $4::timestamptz[], $5::timestamptz[], $6::text[], $7::text[], $8::text[])
                   AS x(v, c, s, d, a, b, r, f)""",
            [uuid.UUID(r[0]) for r in rows], [r[1] for r in rows], [r[2] for r in rows],
            [r[3] for r in rows], [r[4] for r in rows], [r[5] for r in rows],
            [orjson.dumps(r[6]).decode() for r in rows], [r[7] for r in rows])


async def refusals(conn: asyncpg.Connection, *, visit_id: str | None = None,
                   case_ids: Sequence[str] | None = None, after: int | None = None,
                   limit: int = 100) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT refusal_id, visit_id, case_id, stage, decided_at, visit_at, decided_by,
                  reasons::text AS reasons, policy_fingerprint FROM compliance_refusals
           WHERE ($1::uuid IS NULL OR visit_id = $1) AND ($2::text[] IS NULL OR case_id = ANY($2))
             AND ($3::bigint IS NULL OR refusal_id < $3)
           ORDER BY refusal_id DESC LIMIT $4""",
        uuid.UUID(visit_id) if visit_id else None, list(case_ids) if case_ids is not None else None,
        after, limit)
    return [{**dict(r), "visit_id": str(r["visit_id"]), "reasons": orjson.loads(r["reasons"])}
            for r in rows]


async def unreserve(conn: asyncpg.Connection, visit_id: str) -> None:
    """A planned visit that will not happen gives its place back."""
    await conn.execute("DELETE FROM visit_attempts WHERE visit_id = $1 AND kind = 'planned'",
                       uuid.UUID(visit_id))
