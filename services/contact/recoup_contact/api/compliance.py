"""Contact-policy levels (R-14..R-18, R-45: who writes which level), the case's explained policy,
holds (R-17, R-47, R-22) and the side-effect-free evaluation."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from recoup_shared.compliance import Channel, LevelKind
from recoup_shared.errors import Forbidden, problem_responses

from ..rules.errors import (CaseForbidden, CaseNotFound, HoldConflict, HoldLiftForbidden, InvalidPolicy,
                            InvalidRecord, NotFoundHere)
from ..schemas import compliance as s
from ..usecases import evaluate as evaluate_uc
from ..usecases import holds as holds_uc
from ..usecases import levels as levels_uc
from ..usecases.common import get_case_for
from .deps import (CaseId, CaseReader, ClientId, Conn, ContactWriter, Context, HoldLifter, PlacementId, PolicyReader,
                   PolicyWriter, ReadConn)

router = APIRouter(tags=["compliance"])
_WRITE = problem_responses(Forbidden, InvalidPolicy, NotFoundHere)
Before = Annotated[int | None, Query(ge=1, le=1_000_000_000, description="versions older than this")]
Limit = Annotated[int, Query(ge=1, le=200)]
HoldKind = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z_]+$")]


@router.get("/v1/compliance/policy/system", response_model=s.LevelOut)
async def system_policy(conn: ReadConn, ctx: Context, who: PolicyReader) -> dict:
    return await levels_uc.read_level(conn, ctx, LevelKind.SYSTEM, "")


@router.put("/v1/compliance/policy/system", response_model=s.LevelOut, responses=_WRITE,
            summary="The agency's level: a new version, in force at once (admin, R-45)")
async def put_system_policy(body: s.LevelIn, conn: Conn, ctx: Context, who: PolicyWriter) -> dict:
    return await levels_uc.put_level(conn, ctx, who, LevelKind.SYSTEM, "", body.values, body.reason)


@router.get("/v1/compliance/policy/system/versions", response_model=s.LevelPage)
async def system_versions(conn: ReadConn, who: PolicyReader, before: Before = None, limit: Limit = 50) -> dict:
    return {"items": await levels_uc.history(conn, LevelKind.SYSTEM, "", before, limit)}


@router.get("/v1/clients/{client_id}/policy", response_model=s.LevelOut)
async def client_policy(client_id: ClientId, conn: ReadConn, ctx: Context, who: PolicyReader) -> dict:
    return await levels_uc.read_level(conn, ctx, LevelKind.CLIENT, client_id)


@router.put("/v1/clients/{client_id}/policy", response_model=s.LevelOut, responses=_WRITE,
            summary="A client's level, e.g. 09:00-21:00 windows or {\"preset\": \"us_regf\"} (supervisor, admin)")
async def put_client_policy(client_id: ClientId, body: s.LevelIn, conn: Conn, ctx: Context,
                            who: PolicyWriter) -> dict:
    return await levels_uc.put_level(conn, ctx, who, LevelKind.CLIENT, client_id, body.values, body.reason)


@router.get("/v1/clients/{client_id}/policy/versions", response_model=s.LevelPage)
async def client_versions(client_id: ClientId, conn: ReadConn, who: PolicyReader, before: Before = None,
                          limit: Limit = 50) -> dict:
    return {"items": await levels_uc.history(conn, LevelKind.CLIENT, client_id, before, limit)}


@router.get("/v1/placements/{placement_id}/policy", response_model=s.LevelOut)
async def placement_policy(placement_id: PlacementId, conn: ReadConn, ctx: Context, who: PolicyReader) -> dict:
    return await levels_uc.read_level(conn, ctx, LevelKind.PLACEMENT, placement_id)


@router.put("/v1/placements/{placement_id}/policy", response_model=s.LevelOut, responses=_WRITE)
async def put_placement_policy(placement_id: PlacementId, body: s.LevelIn, conn: Conn, ctx: Context,
                               who: PolicyWriter) -> dict:
    return await levels_uc.put_level(conn, ctx, who, LevelKind.PLACEMENT, placement_id, body.values, body.reason)


@router.get("/v1/placements/{placement_id}/policy/versions", response_model=s.LevelPage)
async def placement_versions(placement_id: PlacementId, conn: ReadConn, who: PolicyReader, before: Before = None,
                             limit: Limit = 50) -> dict:
    return {"items": await levels_uc.history(conn, LevelKind.PLACEMENT, placement_id, before, limit)}


_CASE = problem_responses(CaseNotFound, CaseForbidden)


@router.get("/v1/cases/{case_id}/policy", response_model=s.CasePolicyOut, responses=_CASE,
            summary="Every effective value of the case's policy and the level (and version) that set it")
async def case_policy(case_id: CaseId, conn: ReadConn, ctx: Context, who: CaseReader) -> dict:
    return await levels_uc.explain(conn, ctx, who, case_id)


@router.patch("/v1/cases/{case_id}/policy", response_model=s.CasePolicyOut,
              responses=problem_responses(CaseNotFound, CaseForbidden, InvalidPolicy),
              summary="The debtor's own requests (windows, a call-back, contact persons): a new case version")
async def change_case_policy(case_id: CaseId, body: s.CaseLevelIn, conn: Conn, ctx: Context,
                             who: ContactWriter) -> dict:
    return await levels_uc.change_case(conn, ctx, who, case_id, body.set, body.unset, body.reason)


@router.get("/v1/cases/{case_id}/policy/versions", response_model=s.LevelPage, responses=_CASE)
async def case_versions(case_id: CaseId, conn: ReadConn, who: CaseReader, before: Before = None,
                        limit: Limit = 50) -> dict:
    await get_case_for(conn, who, case_id)
    return {"items": await levels_uc.history(conn, LevelKind.CASE, case_id, before, limit)}


@router.post("/v1/cases/{case_id}/holds", response_model=s.CasePolicyOut, status_code=201,
             responses=problem_responses(CaseNotFound, CaseForbidden, NotFoundHere),
             summary="Stop all contact (R-17, R-47, R-22) until a role allowed for the kind lifts it")
async def place_hold(case_id: CaseId, body: s.HoldIn, conn: Conn, ctx: Context, who: ContactWriter) -> dict:
    return await holds_uc.place(conn, ctx, who, case_id, body.kind, body.note)


@router.post("/v1/cases/{case_id}/holds/{kind}/lift",
             responses=problem_responses(CaseNotFound, CaseForbidden, HoldLiftForbidden, HoldConflict, NotFoundHere),
             summary="Lift a hold: 403 unless the role may lift that kind (a dispute: the client's instruction)")
async def lift_hold(case_id: CaseId, kind: HoldKind, body: s.LiftIn, conn: Conn, ctx: Context,
                    who: HoldLifter) -> dict:
    return await holds_uc.lift(conn, ctx, who, case_id, kind, body.note)


@router.post("/v1/compliance/evaluate", response_model=s.DecisionOut,
             responses=problem_responses(CaseNotFound, CaseForbidden, InvalidRecord),
             summary="The gate's decision as of a moment, without side effects (nothing reserved or recorded)")
async def evaluate(body: s.EvaluateIn, conn: ReadConn, ctx: Context, who: CaseReader) -> dict:
    return await evaluate_uc.evaluate(conn, ctx, who, evaluate_uc.EvaluateCmd(
        case_id=body.case_id, channel=Channel(body.channel), party=body.party, point_id=body.point_id, at=body.at,
        callback_requested_at=body.callback_requested_at))
