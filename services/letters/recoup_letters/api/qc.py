"""The QC scan at the envelope table (R-32)."""

from __future__ import annotations

from fastapi import APIRouter, Path

from recoup_shared.errors import problem_responses

from ..rules.errors import CheckCodeUnknown, CheckCodeUnreadable, CheckCodeVoid, ScanNotFound, StateConflict
from ..schemas import batches as s
from ..usecases import qc
from .deps import Conn, Context, QcResolver, QcScanner

router = APIRouter(prefix="/v1/qc", tags=["quality control"])


@router.post("/scans", response_model=s.ScanOut,
             responses=problem_responses(CheckCodeUnknown, CheckCodeUnreadable, CheckCodeVoid, StateConflict),
             summary="The two codes scanned from a letter and its envelope: match or mismatch")
async def scan(body: s.ScanIn, conn: Conn, ctx: Context, who: QcScanner) -> dict:
    return await qc.scan(conn, ctx, who, body.letter_scan, body.envelope_scan)


@router.post("/scans/{scan_id}/resolve", responses=problem_responses(ScanNotFound, StateConflict),
             summary="Clear a mismatch once both letters were re-enveloped and scanned as matches")
async def resolve(body: s.ResolveIn, conn: Conn, ctx: Context, who: QcResolver,
                  scan_id: int = Path(ge=1, le=2**62)) -> dict:
    return await qc.resolve(conn, ctx, who, scan_id, body.resolution)
