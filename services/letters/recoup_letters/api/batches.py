"""Batches (R-33): preview, create (generated in the background), generate again, approve, revoke,
dispatch; the files and the manifest; the post office's tracking numbers; the QC report (R-32)."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from recoup_shared.errors import PayloadTooLarge, problem_responses
from recoup_shared.paging import Cursor, Limit, page

from ..rules.errors import (BatchBlocked, BatchNotFound, FileNotFound, NothingToBatch, StateConflict,
                            TrackingFileRejected)
from ..rules.model import LetterType
from ..schemas import batches as s
from ..usecases import batches, qc, tracking
from ..views import batches as view
from .body import read_body
from .deps import ClientFilter, Clerk, Conn, Context, FileReader, Id, Reader, time_cursor

router = APIRouter(prefix="/v1/batches", tags=["batches"])

Status = Literal["queued", "rendering", "generated", "failed", "approved", "dispatched", "revoked"]
_MEDIA = {"pdf": "application/pdf", "csv": "text/csv; charset=utf-8",
          "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@router.get("/preview", response_model=s.PreviewOut,
            summary="Planned letters not yet in a batch, by type, mail class and province")
async def preview(conn: Conn, ctx: Context, who: Reader, client_id: ClientFilter = None,
                  letter_type: list[LetterType] | None = Query(default=None, max_length=len(LetterType))) -> dict:
    return await batches.preview(conn, ctx, who, client_id, [t.value for t in letter_type] if letter_type else None)


@router.post("", status_code=202, response_model=s.BatchOut, responses=problem_responses(NothingToBatch),
             summary="A batch of the oldest planned letters; its files are generated in the background")
async def create(body: s.BatchIn, conn: Conn, ctx: Context, who: Clerk) -> dict:
    return await batches.create(conn, ctx, who, client_id=body.client_id,
                                types=[t.value for t in body.letter_types] if body.letter_types else None,
                                max_letters=body.max_letters, label=body.label)


@router.get("", response_model=s.BatchPage, summary="Batches, newest first")
async def list_batches(conn: Conn, who: Reader, status: Status | None = None, client_id: ClientFilter = None,
                       cursor: Cursor = None, limit: Limit = 100) -> dict:
    rows = await view.list_batches(conn, status=status, client_id=client_id, after=time_cursor(cursor),
                                   limit=limit + 1)
    return page(rows, limit, key=lambda r: [r["created_at"].isoformat(), r["batch_id"]])


@router.get("/{batch_id}", response_model=s.BatchOut, responses=problem_responses(BatchNotFound))
async def get_batch(batch_id: Id, conn: Conn, ctx: Context, who: Reader) -> dict:
    return await batches.get(conn, ctx, who, batch_id)


@router.post("/{batch_id}/generate", status_code=202, response_model=s.BatchOut,
             responses=problem_responses(BatchNotFound, StateConflict), summary="Generate a failed batch again")
async def retry(batch_id: Id, conn: Conn, ctx: Context, who: Clerk) -> dict:
    return await batches.retry(conn, ctx, who, batch_id)


@router.post("/{batch_id}/approve", response_model=s.BatchOut,
             responses=problem_responses(BatchNotFound, StateConflict, BatchBlocked))
async def approve(batch_id: Id, conn: Conn, ctx: Context, who: Clerk) -> dict:
    return await batches.approve(conn, ctx, who, batch_id)


@router.post("/{batch_id}/revoke", response_model=s.BatchOut,
             responses=problem_responses(BatchNotFound, StateConflict), summary="Revoke before dispatch (R-33)")
async def revoke(batch_id: Id, body: s.RevokeIn, conn: Conn, ctx: Context, who: Clerk) -> dict:
    return await batches.revoke(conn, ctx, who, batch_id, body.reason)


@router.post("/{batch_id}/dispatch", response_model=s.BatchOut,
             responses=problem_responses(BatchNotFound, StateConflict, BatchBlocked),
             summary="Mark the batch dispatched (letter.dispatched per letter)")
async def dispatch(batch_id: Id, conn: Conn, ctx: Context, who: Clerk) -> dict:
    return await batches.dispatch(conn, ctx, who, batch_id)


@router.get("/{batch_id}/files/{name}", responses={**problem_responses(BatchNotFound, FileNotFound, StateConflict),
                                                   200: {"content": {m: {} for m in _MEDIA.values()}}},
            summary="A generated file (letters or envelopes PDF, manifest), streamed")
async def download(batch_id: Id, conn: Conn, ctx: Context, who: FileReader,
                   name: str = Path(max_length=64, pattern=r"^[a-z]+(_\d{6}-\d{6})?\.(pdf|csv|xlsx)$")
                   ) -> StreamingResponse:
    chunks, size = await batches.open_file(conn, ctx, who, batch_id, name)
    return StreamingResponse(chunks, media_type=_MEDIA[name.rsplit(".", 1)[1]],
                             headers={"content-disposition": f'attachment; filename="{name}"',
                                      "content-length": str(size)})


@router.get("/{batch_id}/manifest", responses={**problem_responses(BatchNotFound, StateConflict),
                                               200: {"content": {_MEDIA["csv"]: {}, _MEDIA["xlsx"]: {}}}},
            summary="The post office's manifest as it stands (with the tracking numbers imported)")
async def manifest(batch_id: Id, conn: Conn, ctx: Context, who: FileReader,
                   format: Literal["csv", "xlsx"] = "csv") -> StreamingResponse:
    chunks, filename = await tracking.manifest(conn, ctx, who, batch_id, format)
    return StreamingResponse(chunks, media_type=_MEDIA[format],
                             headers={"content-disposition": f'attachment; filename="{filename}"'})


@router.post("/{batch_id}/tracking", response_model=s.TrackingOut,
             responses=problem_responses(BatchNotFound, StateConflict, TrackingFileRejected, PayloadTooLarge),
             summary="Import the post office's tracking numbers (CSV or XLSX as the body)")
async def import_tracking(batch_id: Id, request: Request, conn: Conn, ctx: Context, who: Clerk) -> dict:
    data = await read_body(request, ctx.settings.max_tracking_file_bytes)
    return await tracking.import_file(conn, ctx, who, batch_id, data)


@router.get("/{batch_id}/qc", response_model=s.QcReportOut, responses=problem_responses(BatchNotFound),
            summary="QC report (R-32): matched, not yet scanned, mismatches, letters to pull")
async def qc_report(batch_id: Id, conn: Conn, ctx: Context, who: Reader) -> dict:
    return await qc.report(conn, ctx, who, batch_id)

