"""The gate's own tables: attempts (history and reservations) and refusals (R-14..R-18, R-48)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

import asyncpg


async def history(conn: asyncpg.Connection, case_id: str, since: datetime) -> list[asyncpg.Record]:
    """Every attempt of the case after `since` (the policy's horizon before the moment asked)."""
    return await conn.fetch(
        """SELECT at, channel, party, point_id, contact_person, outcome, direction, exemption, agents
           FROM attempts WHERE case_id = $1 AND at > $2 ORDER BY at""", case_id, since)


# An attempt row as `reserve` writes it, for a caller that folds it into its own statement.
ATTEMPT_COLUMNS = (
    ("attempt_id", "uuid"), ("case_id", "text"), ("at", "timestamptz"), ("channel", "text"), ("party", "text"),
    ("point_id", "uuid"), ("contact_person", "text"), ("direction", "text"), ("outcome", "text"),
    ("exemption", "text"), ("agents", "int"), ("collector_id", "text"), ("purpose", "text"), ("call_id", "uuid"),
    ("record_id", "uuid"), ("policy_fingerprint", "text"), ("settled_at", "timestamptz"))


async def reserve(conn: asyncpg.Connection, *, attempt_id: UUID, case_id: str, at: datetime, channel: str,
                  party: str, point_id: UUID | None, contact_person: str | None, direction: str, outcome: str,
                  exemption: str | None, agents: int, collector_id: str | None, purpose: str,
                  call_id: UUID | None, record_id: UUID | None, fingerprint: str, settled_at: datetime | None) -> None:
    await conn.execute(
        """INSERT INTO attempts (attempt_id, case_id, at, channel, party, point_id, contact_person, direction,
               outcome, exemption, agents, collector_id, purpose, call_id, record_id, policy_fingerprint, settled_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)""",
        attempt_id, case_id, at, channel, party, point_id, contact_person, direction, outcome, exemption,
        agents, collector_id, purpose, call_id, record_id, fingerprint, settled_at)


async def settle(conn: asyncpg.Connection, attempt_id: UUID, outcome: str, at: datetime, *,
                 record_id: UUID | None = None) -> None:
    """The outcome of a reservation is known (the record or the CDR said it)."""
    await conn.execute(
        """UPDATE attempts SET outcome = $2, settled_at = $3, record_id = coalesce($4, record_id)
           WHERE attempt_id = $1""", attempt_id, outcome, at, record_id)


async def settle_stale(conn: asyncpg.Connection, older_than: datetime, outcome: str, now: datetime,
                       limit: int) -> int:
    """Reservations whose outcome never came: counted as unanswered attempts from now on."""
    result = await conn.execute(
        """UPDATE attempts SET outcome = $2, settled_at = $3 WHERE attempt_id IN (
               SELECT attempt_id FROM attempts WHERE outcome = 'pending' AND at < $1
               ORDER BY at LIMIT $4 FOR UPDATE SKIP LOCKED)""", older_than, outcome, now, limit)
    return int(result.split()[-1])


async def add_sent_elsewhere(conn: asyncpg.Connection, rows: Sequence[tuple[UUID, str, datetime, str, str]]
                             ) -> list[asyncpg.Record]:
    """(attempt_id, case_id, at, channel, number_hash) of contact another service made (letters' texts):
    settled attempts of the debtor, on the contact point with that number when the case has it.
    Idempotent on attempt_id; returns the rows written (attempt_id, case_id, point_id)."""
    if not rows:
        return []
    return await conn.fetch(
        """INSERT INTO attempts (attempt_id, case_id, at, channel, party, point_id, direction, outcome, agents,
               purpose, policy_fingerprint, settled_at)
           SELECT u.attempt_id, u.case_id, u.at, u.channel, 'debtor',
                  (SELECT p.point_id FROM contact_points p WHERE p.case_id = u.case_id AND p.number_hash = u.hash),
                  'outbound', 'connected', 0, 'elsewhere', '', u.at
           FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[])
                AS u(attempt_id, case_id, at, channel, hash)
           ON CONFLICT (attempt_id) DO NOTHING
           RETURNING attempt_id, case_id, point_id""",
        *[list(c) for c in zip(*rows)])


async def refuse(conn: asyncpg.Connection, *, refusal_id: UUID, case_id: str, collector_id: str | None,
                 at: datetime, channel: str, party: str, point_id: UUID | None, purpose: str,
                 rules: Sequence[str], next_allowed: datetime | None, decision: dict[str, Any]) -> None:
    await conn.execute(
        """INSERT INTO gate_refusals (refusal_id, case_id, collector_id, at, channel, party, point_id, purpose,
               rules, next_allowed, decision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
        refusal_id, case_id, collector_id, at, channel, party, point_id, purpose, list(rules),
        next_allowed, decision)


async def refusals(conn: asyncpg.Connection, case_id: str, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT refusal_id, collector_id, at, channel, party, point_id, purpose, rules, next_allowed, decision
           FROM gate_refusals WHERE case_id = $1 ORDER BY at DESC LIMIT $2""", case_id, limit)


async def cases_facts(conn: asyncpg.Connection, case_ids: list[str], since: datetime) -> dict[str, asyncpg.Record]:
    """The worklist's gate facts in one statement: each case's debtor address provinces (zones) and
    its attempts since `since` (store.casepage.HISTORY's shape)."""
    rows = await conn.fetch(
        """SELECT c.case_id,
               (SELECT array_agg(p.province) FROM contact_points p WHERE p.case_id = c.case_id
                AND p.kind = 'address' AND p.party = 'debtor' AND p.province <> '') AS provinces,
               (SELECT coalesce(jsonb_agg(jsonb_build_array(a.at, a.channel, a.party, a.point_id, a.contact_person,
                                                            a.outcome, a.direction, a.exemption, a.agents)
                                          ORDER BY a.at), '[]'::jsonb)
                FROM attempts a WHERE a.case_id = c.case_id AND a.at > $2) AS history
           FROM unnest($1::text[]) AS c(case_id)""", case_ids, since)
    return {r["case_id"]: r for r in rows}
