"""R-42 exclusions: a case's proven death or criminal conviction, recorded with its evidence;
the spell's placed amount leaves the denominator of the statement in which its cycle completes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.clock import month_label
from recoup_shared.paging import page

from .. import views
from ..context import Ctx
from ..rules import FeeSchedule
from ..rules.close import exclusion_takes_effect, in_force
from ..rules.errors import ExclusionExists, SpellNotFound
from ..rules.schedule import DEFAULT_CYCLE_MONTHS
from ..store import exclusions as store, facts, statements as st_store
from . import documents as d
from .common import load_schedules


@dataclass(frozen=True)
class NewExclusion:
    case_id: UUID
    kind: str                       # death | conviction
    evidence_ref: str
    evidence_sha256: str
    placement_id: str | None = None  # default: the case's latest placement
    note: str | None = None


@dataclass(frozen=True)
class ExclusionQuery:
    client_id: str | None = None
    after: int | None = None         # the id of the previous page's last exclusion
    limit: int = 100


async def record_exclusion(conn: asyncpg.Connection, ctx: Ctx, principal: Principal,
                           cmd: NewExclusion) -> d.Doc:
    spell = await facts.find_spell(conn, cmd.case_id, cmd.placement_id)
    if spell is None:
        raise SpellNotFound(f"billing knows no placement of case {cmd.case_id}"
                            + (f" under placement {cmd.placement_id}" if cmd.placement_id else ""))
    row = await store.insert_exclusion(
        conn, case_id=spell["case_id"], placement_id=spell["placement_id"], client_id=spell["client_id"],
        kind=cmd.kind, evidence_ref=cmd.evidence_ref, evidence_sha256=cmd.evidence_sha256.lower(),
        note=cmd.note, recorded_by=principal.sub)
    if row is None:
        raise ExclusionExists(f"case {cmd.case_id} (placement {spell['placement_id']}) already has an exclusion")
    return await _exclusion_doc(conn, {**dict(row), "placed_on": spell["placed_on"],
                                       "placed_amount": spell["placed_amount"]}, {})


async def list_exclusions(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, q: ExclusionQuery) -> d.Doc:
    total, rows = await views.list_exclusions(conn, q.client_id, after=q.after, limit=q.limit + 1)
    got = page(rows, q.limit, key=lambda r: r["id"])
    schedules: dict[str, list[FeeSchedule]] = {}
    return {"total": total, "next_cursor": got["next_cursor"],
            "exclusions": [await _exclusion_doc(conn, r, schedules) for r in got["items"]]}


async def _exclusion_doc(conn: asyncpg.Connection, row: Any, schedules: dict[str, list[FeeSchedule]]) -> d.Doc:
    """The exclusion with the statement month it takes effect in, and that month's issued
    revision if any (re-issue it to apply the exclusion). `schedules`: per client, loaded once."""
    client_id = row["client_id"]
    if client_id not in schedules:
        schedules[client_id] = await load_schedules(conn, client_id)
    found = in_force(schedules[client_id], row["placed_on"].replace(day=1))
    effect = exclusion_takes_effect(row["placed_on"], found.cycle_months if found else DEFAULT_CYCLE_MONTHS)
    issued = await st_store.get_issued(conn, client_id, effect)
    return {
        "id": row["id"], "case_id": row["case_id"], "placement_id": row["placement_id"], "client_id": client_id,
        "kind": row["kind"], "evidence_ref": row["evidence_ref"], "evidence_sha256": row["evidence_sha256"],
        "note": row["note"], "recorded_by": row["recorded_by"], "recorded_at": row["recorded_at"],
        "placed_on": row["placed_on"], "placed_amount": row["placed_amount"],
        "takes_effect_in": month_label(effect),
        "issued_revision_affected": issued["revision"] if issued else None}
