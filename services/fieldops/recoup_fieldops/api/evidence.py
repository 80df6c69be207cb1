"""Visit evidence (R-37): uploads streamed to the object store (multipart/form-data: `kind`,
`sha256`, optional `size`, then `file`), checked on arrival (422 on a checksum mismatch, 413 over
the size limit, nothing stored either way), listed, read back, deleted only after retention."""

from __future__ import annotations

from fastapi import APIRouter, Path, Request
from fastapi.responses import StreamingResponse

from recoup_shared.errors import problem_responses

from .. import schemas
from ..rules.errors import (
    ChecksumMismatch,
    EvidenceExists,
    EvidenceNotFound,
    EvidenceTooLarge,
    IllegalTransition,
    InvalidEvidence,
    NotAllowed,
    RetentionActive,
    VisitNotFound,
)
from ..usecases import evidence
from ..adapters.multipart import MultipartForm
from .deps import Conn, Context, EvidenceDeleter, EvidenceReader, FieldWorker, Pool, VisitReader

router = APIRouter(prefix="/v1/visits/{visit_id}/evidence", tags=["evidence"])
VisitId = Path(max_length=64)
EvidenceId = Path(max_length=64)

_FORM = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["kind", "sha256", "file"],
    "properties": {"kind": {"type": "string", "enum": ["door_plate_photo", "audio", "video"]},
                   "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                   "size": {"type": "integer", "minimum": 1},
                   "file": {"type": "string", "format": "binary"}}}}}}}


@router.post("", status_code=201, response_model=schemas.EvidenceOut, openapi_extra=_FORM,
             summary="Upload evidence, streamed; the fields come before the file",
             responses=problem_responses(VisitNotFound, NotAllowed, IllegalTransition, InvalidEvidence,
                                         ChecksumMismatch, EvidenceTooLarge, EvidenceExists))
async def upload(request: Request, pool: Pool, ctx: Context, who: FieldWorker,
                 visit_id: str = VisitId) -> dict:
    form = MultipartForm(request.stream(), request.headers.get("content-type"))
    length = request.headers.get("content-length", "")
    return await evidence.upload(pool, ctx, who, visit_id, form,
                                 int(length) if length.isdigit() else None)


@router.get("", response_model=list[schemas.EvidenceOut], summary="A visit's evidence",
            responses=problem_responses(VisitNotFound, NotAllowed))
async def listing(conn: Conn, ctx: Context, who: VisitReader, visit_id: str = VisitId) -> list[dict]:
    return await evidence.listing(conn, ctx, who, visit_id)


@router.get("/{evidence_id}/content", response_class=StreamingResponse,
            summary="The evidence's bytes (each read audited, R-46)",
            responses={200: {"content": {"application/octet-stream": {}}},
                       **problem_responses(VisitNotFound, NotAllowed, EvidenceNotFound)})
async def content(pool: Pool, ctx: Context, who: EvidenceReader, visit_id: str = VisitId,
                  evidence_id: str = EvidenceId) -> StreamingResponse:
    found, chunks = await evidence.open_content(pool, ctx, who, visit_id, evidence_id)
    return StreamingResponse(chunks, media_type=found["content_type"], headers={
        "content-length": str(found["size"]), "x-content-sha256": found["sha256"],
        "content-disposition": f'attachment; filename="{found["evidence_id"]}"'})


@router.delete("/{evidence_id}", status_code=204, summary="Delete after retention only (R-37)",
               responses=problem_responses(EvidenceNotFound, RetentionActive))
async def delete(conn: Conn, ctx: Context, who: EvidenceDeleter, visit_id: str = VisitId,
                 evidence_id: str = EvidenceId) -> None:
    await evidence.delete(conn, ctx, who, visit_id, evidence_id)
