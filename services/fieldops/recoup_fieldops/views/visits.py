"""Visits as the console shows them: one visit in full, lists (an approver's queue, a collector's
requests, the escalation list). Address lines are masked (R-46) except for the agents planned on
the visit, who must find the door — and those reads are audited."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.crypto import mask_address_line
from recoup_shared.errors import UnprocessableInput
from recoup_shared.vocabulary import Role

from ..store import attempts, records

_FIELDS = """v.visit_id, v.case_id, v.client_id, v.requested_by, v.purpose, v.reason, v.address_id,
             v.address_kind, v.province, v.city, v.district, v.line, v.requested_at, v.state,
             v.approved_at, v.due_on, v.deadline_rule, v.escalate_at, v.escalated_at, v.planned_on,
             v.team_id, v.agent_ids, v.band, v.slot_start, v.slot_end, v.plan_seq, v.arrived_at,
             v.left_at, v.cancel_reason, v.closed_at, v.updated_at"""


def _pair(after: list | None) -> tuple[datetime | None, uuid.UUID | None]:
    """A list cursor: [moment, visit id] of the last row of the previous page."""
    if after is None:
        return None, None
    try:
        return datetime.fromisoformat(after[0]), uuid.UUID(after[1])
    except (TypeError, ValueError, IndexError, KeyError, AttributeError):
        raise UnprocessableInput("invalid cursor", errors=[
            {"field": "cursor", "reason": "not a cursor this service issued"}]) from None


def full_address_for(who: Principal, row: Any) -> bool:
    return who.has(Role.FIELD_AGENT) and who.sub in (row["agent_ids"] or ())


def shape(row: Any, *, full_address: bool = False) -> dict[str, Any]:
    """One visit row for the API (compact; lists and plans use it too)."""
    line = row["line"] if full_address else mask_address_line(row["line"])
    return {
        "visit_id": str(row["visit_id"]), "case_id": row["case_id"], "client_id": row["client_id"],
        "requested_by": row["requested_by"], "purpose": row["purpose"], "reason": row["reason"],
        "address": {"address_id": row["address_id"], "kind": row["address_kind"],
                    "province": row["province"], "city": row["city"], "district": row["district"],
                    "line": line, "masked": not full_address},
        "state": row["state"], "requested_at": row["requested_at"], "approved_at": row["approved_at"],
        "deadline": {"due_on": row["due_on"], "rule": row["deadline_rule"],
                     "escalate_at": row["escalate_at"], "escalated_at": row["escalated_at"]}
        if row["escalate_at"] else None,
        "plan": {"day": row["planned_on"], "team_id": row["team_id"], "agent_ids": list(row["agent_ids"]),
                 "band": row["band"], "slot_start": row["slot_start"], "slot_end": row["slot_end"],
                 "seq": row["plan_seq"]} if row["planned_on"] else None,
        "arrived_at": row["arrived_at"], "left_at": row["left_at"],
        "cancel_reason": row["cancel_reason"], "closed_at": row["closed_at"],
    }


async def visit_detail(conn: asyncpg.Connection, visit_id: str, who: Principal) -> dict[str, Any]:
    row = await conn.fetchrow(f"SELECT {_FIELDS} FROM visits v WHERE v.visit_id = $1", uuid.UUID(visit_id))
    decisions = await conn.fetch(
        "SELECT role, decision, decided_by, text, decided_at FROM visit_decisions WHERE visit_id = $1 "
        "ORDER BY decided_at", row["visit_id"])
    full = full_address_for(who, row)
    if full:                                          # an agent reads where to go
        await records.audit_read(conn, who.sub, "visit_address", [visit_id])
    out = shape(row, full_address=full)
    out["approvals"] = [dict(d) for d in decisions if d["decision"] == "approve"]
    rejection = [dict(d) for d in decisions if d["decision"] == "reject"]
    out["rejection"] = rejection[0] if rejection else None
    out["record"] = await records.record(conn, visit_id)
    out["evidence"] = await records.evidence_of(conn, visit_id)
    out["refusals"] = await attempts.refusals(conn, visit_id=visit_id, limit=20)
    return out


def _scope(who: Principal, field_lead: bool) -> tuple[str, list[Any]]:
    """Which visits a list may show (OWASP API1): everything for supervisors, admins, auditors
    and field team leads; a collector's own; a phone team lead's team; an agent's planned ones."""
    if who.has(Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR) or field_lead:
        return "TRUE", []
    parts, args = [], []
    if who.has(Role.COLLECTOR):
        args.append(who.sub)
        parts.append(f"(v.requested_by = ${len(args)} OR c.collector_id = ${len(args)})")
    if who.has(Role.TEAM_LEAD) and who.team_id:
        args.append(who.team_id)
        parts.append(f"(c.team_id = ${len(args)} OR v.team_id = ${len(args)})")
    if who.has(Role.FIELD_AGENT):
        args.append(who.sub)
        parts.append(f"${len(args)} = ANY(v.agent_ids)")
    return ("(" + " OR ".join(parts) + ")") if parts else "FALSE", args


async def list_visits(conn: asyncpg.Connection, who: Principal, *, field_lead: bool,
                      state: str | None, case_id: str | None, escalated: bool | None,
                      after: list | None, limit: int) -> list[dict[str, Any]]:
    """Newest request first; cursor = [requested_at, visit_id] of the last row."""
    where, args = _scope(who, field_lead)
    n = len(args)
    args += [state, case_id, escalated, *_pair(after), limit]
    rows = await conn.fetch(
        f"""SELECT {_FIELDS} FROM visits v JOIN cases c USING (case_id)
            WHERE {where} AND (${n + 1}::text IS NULL OR v.state = ${n + 1})
              AND (${n + 2}::text IS NULL OR v.case_id = ${n + 2})
              AND (${n + 3}::boolean IS NULL OR (v.escalated_at IS NOT NULL) = ${n + 3})
              AND (${n + 4}::timestamptz IS NULL OR (v.requested_at, v.visit_id) < (${n + 4}, ${n + 5}))
            ORDER BY v.requested_at DESC, v.visit_id DESC LIMIT ${n + 6}""", *args)
    return [shape(r, full_address=full_address_for(who, r)) for r in rows]


async def escalated(conn: asyncpg.Connection, who: Principal, *, field_lead: bool,
                    after: list | None, limit: int) -> list[dict[str, Any]]:
    """R-35: open visits not done 5 days after approval, the longest overdue first."""
    where, args = _scope(who, field_lead)
    n = len(args)
    args += [*_pair(after), limit]
    rows = await conn.fetch(
        f"""SELECT {_FIELDS}, c.collector_id FROM visits v JOIN cases c USING (case_id)
            WHERE {where} AND v.escalated_at IS NOT NULL AND v.state IN ('approved', 'planned', 'in_progress')
              AND (${n + 1}::timestamptz IS NULL OR (v.escalate_at, v.visit_id) > (${n + 1}, ${n + 2}))
            ORDER BY v.escalate_at, v.visit_id LIMIT ${n + 3}""", *args)
    return [{**shape(r), "collector_id": r["collector_id"]} for r in rows]


async def case_addresses(conn: asyncpg.Connection, case_id: str) -> list[dict[str, Any]]:
    """The addresses a collector chooses a visit's target from (lines masked, R-46)."""
    rows = await conn.fetch(
        """SELECT address_id, kind, province, city, district, line, employer, verified, source, found_on
           FROM case_addresses WHERE case_id = $1 ORDER BY found_on, kind, address_id""", case_id)
    return [{**dict(r), "line": mask_address_line(r["line"])} for r in rows]
