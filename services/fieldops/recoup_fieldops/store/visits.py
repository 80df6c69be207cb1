"""The visits table and the managers' decisions: the VisitRequest aggregate (rules/model.py) in
and out, and the set-based moves of the planner and the jobs. Never commits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import asyncpg

from ..rules.errors import AlreadyDecided
from ..rules.model import ApproverRole, Deadline, Decision, Purpose, VisitRequest, VisitState

OPEN = ("requested", "approved", "planned", "in_progress")


def _decisions(rows: Sequence[asyncpg.Record]) -> tuple[tuple[Decision, ...], Decision | None]:
    approvals, rejection = [], None
    for r in sorted(rows, key=lambda r: r["decided_at"]):
        d = Decision(ApproverRole(r["role"]), r["decided_by"], r["text"], r["decided_at"])
        if r["decision"] == "approve":
            approvals.append(d)
        else:
            rejection = d
    return tuple(approvals), rejection


def to_visit(row: asyncpg.Record, decisions: Sequence[asyncpg.Record] = ()) -> VisitRequest:
    state = VisitState(row["state"])
    approvals, rejection = _decisions(decisions)
    deadline = (Deadline(row["due_on"], row["deadline_rule"] or "none", row["escalate_at"])
                if row["escalate_at"] is not None else None)
    finished = row["closed_at"] if state is VisitState.CANCELLED else row["left_at"]
    return VisitRequest(
        visit_id=str(row["visit_id"]), case_id=row["case_id"], requested_by=row["requested_by"],
        purpose=Purpose(row["purpose"]), reason=row["reason"], address_kind=row["address_kind"],
        requested_at=row["requested_at"], state=state, approvals=approvals, rejection=rejection,
        approved_at=row["approved_at"], deadline=deadline, planned_on=row["planned_on"],
        team_id=row["team_id"], agent_ids=tuple(row["agent_ids"] or ()), arrived_at=row["arrived_at"],
        finished_at=finished, cancel_reason=row["cancel_reason"])


async def insert(conn: asyncpg.Connection, v: VisitRequest, *, client_id: str,
                 address: asyncpg.Record) -> None:
    await conn.execute(
        """INSERT INTO visits (visit_id, case_id, client_id, requested_by, purpose, reason, address_id,
                               address_kind, province, city, district, line, requested_at, state,
                               updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $13)""",
        uuid.UUID(v.visit_id), v.case_id, client_id, v.requested_by, v.purpose.value, v.reason,
        address["address_id"], v.address_kind, address["province"], address["city"],
        address["district"], address["line"], v.requested_at, v.state.value)


async def load(conn: asyncpg.Connection, visit_id: str, *,
               lock: bool = True) -> tuple[VisitRequest, asyncpg.Record] | None:
    """The aggregate and its raw row (address, plan slot, client), locked for the transaction."""
    try:
        vid = uuid.UUID(visit_id)
    except ValueError:
        return None
    row = await conn.fetchrow(f"SELECT * FROM visits WHERE visit_id = $1{' FOR UPDATE' if lock else ''}",
                              vid)
    if row is None:
        return None
    decisions = await conn.fetch("SELECT * FROM visit_decisions WHERE visit_id = $1", vid)
    return to_visit(row, decisions), row


async def save(conn: asyncpg.Connection, before: VisitRequest, after: VisitRequest,
               now: datetime) -> None:
    """Writes what a transition changed: the state fields and any new decision."""
    vid = uuid.UUID(after.visit_id)
    new = [d for d in after.approvals if d not in before.approvals]
    kinds = [("approve", d) for d in new]
    if after.rejection is not None and before.rejection is None:
        kinds.append(("reject", after.rejection))
    for kind, d in kinds:
        try:
            await conn.execute(
                """INSERT INTO visit_decisions (visit_id, role, decision, decided_by, text, decided_at)
                   VALUES ($1, $2, $3, $4, $5, $6)""", vid, d.role.value, kind, d.by, d.text, d.at)
        except asyncpg.UniqueViolationError:
            raise AlreadyDecided(f"the {d.role.value} has already decided on this visit",
                                 visit_id=after.visit_id, role=d.role.value) from None
    done = after.state in (VisitState.DONE, VisitState.CANCELLED, VisitState.REJECTED)
    dl = after.deadline
    await conn.execute(
        """UPDATE visits SET state = $2, approved_at = $3, due_on = $4, deadline_rule = $5,
               escalate_at = $6, planned_on = $7, team_id = $8, agent_ids = $9, arrived_at = $10,
               left_at = $11, cancel_reason = $12, closed_at = $13, updated_at = $14,
               band = CASE WHEN $7::date IS NULL THEN NULL ELSE band END,
               slot_start = CASE WHEN $7::date IS NULL THEN NULL ELSE slot_start END,
               slot_end = CASE WHEN $7::date IS NULL THEN NULL ELSE slot_end END,
               plan_seq = CASE WHEN $7::date IS NULL THEN NULL ELSE plan_seq END
           WHERE visit_id = $1""",
        vid, after.state.value, after.approved_at, dl.due_on if dl else None, dl.rule if dl else None,
        dl.escalate_at if dl else None, after.planned_on, after.team_id, list(after.agent_ids),
        after.arrived_at,
        after.finished_at if after.state is not VisitState.CANCELLED else None,
        after.cancel_reason, now if done else None, now)


async def open_for_address(conn: asyncpg.Connection, case_id: str, address_id: str) -> bool:
    return bool(await conn.fetchval(
        "SELECT 1 FROM visits WHERE case_id = $1 AND address_id = $2 AND state = ANY($3::text[])",
        case_id, address_id, list(OPEN)))


async def open_of_cases(conn: asyncpg.Connection, case_ids: Sequence[str],
                        states: Sequence[str] = OPEN) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT * FROM visits WHERE case_id = ANY($1::text[]) AND state = ANY($2::text[]) FOR UPDATE",
        list(case_ids), list(states))


async def cancel_open(conn: asyncpg.Connection, case_ids: Sequence[str], reason: str,
                      now: datetime) -> list[asyncpg.Record]:
    """R-13: a closed or recalled case's open visits (not one under way) are cancelled; returns
    them (visit_id, case_id, client_id, requested_by, previous_state)."""
    if not case_ids:
        return []
    return await conn.fetch(
        """WITH was AS (
               SELECT visit_id, state FROM visits
               WHERE case_id = ANY($1::text[]) AND state IN ('requested', 'approved', 'planned')
               ORDER BY visit_id FOR UPDATE)
           , gone AS (
               UPDATE visits v SET state = 'cancelled', cancel_reason = $2, closed_at = $3, updated_at = $3,
                   planned_on = NULL, team_id = NULL, agent_ids = '{}', band = NULL, slot_start = NULL,
                   slot_end = NULL, plan_seq = NULL
               FROM was WHERE v.visit_id = was.visit_id
               RETURNING v.visit_id, v.case_id, v.client_id, v.requested_by, was.state AS previous_state)
           , att AS (DELETE FROM visit_attempts a USING gone WHERE a.visit_id = gone.visit_id
                     AND a.kind = 'planned')
           SELECT * FROM gone""", list(case_ids), reason, now)


async def release(conn: asyncpg.Connection, *, day_before: date | None = None,
                  day: date | None = None, case_ids: Sequence[str] | None = None,
                  now: datetime) -> list[asyncpg.Record]:
    """Planned visits nobody started go back to the approved pool (their reservation with them):
    those of days before `day_before`, of `day`, or of `case_ids` (paused)."""
    return await conn.fetch(
        """WITH back AS (
               UPDATE visits SET state = 'approved', planned_on = NULL, team_id = NULL, agent_ids = '{}',
                   band = NULL, slot_start = NULL, slot_end = NULL, plan_seq = NULL, updated_at = $4
               WHERE state = 'planned' AND arrived_at IS NULL
                 AND ($1::date IS NULL OR planned_on < $1) AND ($2::date IS NULL OR planned_on = $2)
                 AND ($3::text[] IS NULL OR case_id = ANY($3::text[]))
               RETURNING visit_id, case_id, client_id, requested_by, approved_at, due_on, escalate_at)
           , att AS (DELETE FROM visit_attempts a USING back WHERE a.visit_id = back.visit_id
                     AND a.kind = 'planned')
           SELECT * FROM back""", day_before, day, list(case_ids) if case_ids is not None else None, now)


async def approvers(conn: asyncpg.Connection, visit_ids: Sequence[Any]) -> dict[str, list[str]]:
    rows = await conn.fetch(
        """SELECT visit_id, array_agg(decided_by ORDER BY decided_at) AS who FROM visit_decisions
           WHERE visit_id = ANY($1::uuid[]) AND decision = 'approve' GROUP BY visit_id""",
        [uuid.UUID(str(v)) for v in visit_ids])
    return {str(r["visit_id"]): list(r["who"]) for r in rows}


async def escalate_due(conn: asyncpg.Connection, now: datetime) -> int:
    """R-35: open visits past their escalation moment are marked (once)."""
    got = await conn.fetch(
        """UPDATE visits SET escalated_at = $1, updated_at = $1
           WHERE escalated_at IS NULL AND escalate_at <= $1
             AND state IN ('approved', 'planned', 'in_progress') RETURNING visit_id""", now)
    return len(got)


async def count_open_escalated(conn: asyncpg.Connection) -> int:
    return await conn.fetchval(
        "SELECT count(*) FROM visits WHERE escalated_at IS NOT NULL "
        "AND state IN ('approved', 'planned', 'in_progress')")
