"""R-42 exclusions (proven death or criminal conviction, with evidence) and recovery rates (R-40)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from recoup_shared.auth import Principal, require_roles
from recoup_shared.api import Conn
from recoup_shared.errors import Conflict, Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses

from .. import closing
from .. import schemas as s
from ..store import facts, schedules as sched_store, statements as st_store
from ..store.close import add_months
from .deps import EXCLUSION_WRITERS, READERS, close_config, parse_month

router = APIRouter(tags=["exclusions and recovery rates"])

Writer = Annotated[Principal, Depends(require_roles(*EXCLUSION_WRITERS))]
Reader = Annotated[Principal, Depends(require_roles(*READERS))]
ClientId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]


async def _exclusion_out(conn: Conn, row: Any, cfg: closing.CloseConfig) -> s.ExclusionOut:
    placed_month = row["placed_on"].replace(day=1)
    schedules = await closing.load_schedules(conn, row["client_id"])
    found = sched_store.in_force(schedules, placed_month)
    cycle = found.cycle_months if found else 3
    # R-42 as defined in store/close.py: the statement whose cycle window begins with the
    # placement month, i.e. the month in which the spell's collection cycle completes.
    effect = add_months(placed_month, cycle - 1)
    issued = await st_store.get_issued(conn, row["client_id"], effect)
    return s.ExclusionOut(
        id=row["id"], case_id=row["case_id"], placement_id=row["placement_id"], client_id=row["client_id"],
        kind=row["kind"], evidence_ref=row["evidence_ref"], evidence_sha256=row["evidence_sha256"],
        note=row["note"], recorded_by=row["recorded_by"], recorded_at=row["recorded_at"],
        placed_on=row["placed_on"], placed_amount=row["placed_amount"],
        takes_effect_in=closing.month_label(effect),
        issued_revision_affected=issued["revision"] if issued else None)


@router.post("/v1/exclusions", status_code=201, response_model=s.ExclusionOut,
             summary="Record a case's proven death or conviction (R-42), with evidence",
             responses=problem_responses(Unauthorized, Forbidden, NotFound, Conflict, UnprocessableInput))
async def post_exclusion(body: s.ExclusionIn, conn: Conn, request: Request, who: Writer) -> s.ExclusionOut:
    spell = await facts.find_spell(conn, body.case_id, body.placement_id)
    if spell is None:
        raise NotFound(f"billing knows no placement of case {body.case_id}"
                       + (f" under placement {body.placement_id}" if body.placement_id else ""))
    row = await facts.insert_exclusion(
        conn, case_id=spell["case_id"], placement_id=spell["placement_id"], client_id=spell["client_id"],
        kind=body.kind, evidence_ref=body.evidence_ref, evidence_sha256=body.evidence_sha256.lower(),
        note=body.note, recorded_by=who.sub)
    if row is None:
        raise Conflict(f"case {body.case_id} (placement {spell['placement_id']}) already has an exclusion")
    return await _exclusion_out(conn, {**dict(row), "placed_on": spell["placed_on"],
                                       "placed_amount": spell["placed_amount"]}, close_config(request))


@router.get("/v1/exclusions", response_model=s.ExclusionListOut, summary="Recorded exclusions",
            responses=problem_responses(Unauthorized, Forbidden))
async def list_exclusions(conn: Conn, request: Request, _: Reader,
                          client_id: Annotated[str | None, Query(max_length=64)] = None,
                          limit: Annotated[int, Query(ge=1, le=500)] = 100,
                          offset: Annotated[int, Query(ge=0)] = 0) -> s.ExclusionListOut:
    total, rows = await facts.list_exclusions(conn, client_id, limit, offset)
    cfg = close_config(request)
    return s.ExclusionListOut(total=total, exclusions=[await _exclusion_out(conn, r, cfg) for r in rows])


@router.get("/v1/recovery-rates/{client_id}", response_model=s.RecoveryRatesOut,
            summary="Recovery rate per bucket for a month (and the months before), with the formula and inputs",
            responses=problem_responses(Unauthorized, Forbidden, Conflict, UnprocessableInput))
async def recovery_rates(client_id: ClientId, conn: Conn, request: Request, _: Reader,
                         month: Annotated[str, Query(description="YYYY-MM")],
                         history: Annotated[int, Query(ge=0, le=23, description="also the N months before")] = 0,
                         ) -> s.RecoveryRatesOut:
    return await closing.recovery_rates(conn, close_config(request), client_id, parse_month(month), history)
