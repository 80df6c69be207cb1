"""Click-to-dial (through the gate), the PBX's signed CDR webhook, the collectors' PBX lines and
the telephony mismatches for quality inspection (R-19, R-48)."""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Path, Query, Request
from pydantic import ValidationError

from recoup_shared.errors import UnprocessableInput, problem_responses
from recoup_shared.paging import Cursor

from ..adapters import signing
from ..rules.errors import (BadSignature, CaseForbidden, CaseNotFound, CaseNotWorkable, GateRefused, InvalidRecord,
                            NotFoundHere, TelephonyFailed, TelephonyOff)
from ..schemas import work as ws
from ..usecases import admin as admin_uc
from ..usecases import telephony as uc
from . import paging as keyset
from .deps import CaseId, CaseReader, Conn, ContactWriter, Context, ReadConn, Reporter

router = APIRouter(tags=["telephony"])
_ID = r"^[A-Za-z0-9_.:\-]+$"


@router.post("/v1/cases/{case_id}/dial", status_code=201, response_model=ws.DialOut,
             responses=problem_responses(CaseNotFound, CaseForbidden, CaseNotWorkable, GateRefused, InvalidRecord,
                                         NotFoundHere, TelephonyFailed, TelephonyOff),
             summary="Click-to-dial: the contact policy decides (409 with reasons and the next allowed time), "
                     "then the PBX rings the collector's line and dials the debtor")
async def dial(case_id: CaseId, body: ws.DialIn, conn: Conn, ctx: Context, who: ContactWriter) -> dict:
    return await uc.dial(conn, ctx, who, case_id, body.point_id, callback_requested_at=body.callback_requested_at)


@router.post("/v1/telephony/cdr", response_model=ws.CdrOut,
             responses=problem_responses(BadSignature, NotFoundHere),
             summary="The PBX's call-detail record (HMAC-signed; idempotent on the call id)")
async def cdr(request: Request, conn: Conn, ctx: Context) -> dict:
    raw = await request.body()
    why = signing.verify(ctx.settings.pbx_webhook_secret, raw, request.headers.get(signing.TIMESTAMP_HEADER),
                         request.headers.get(signing.SIGNATURE_HEADER),
                         tolerance_seconds=ctx.settings.pbx_signature_tolerance_seconds)
    if why is not None:
        raise BadSignature(why)
    try:
        body = ws.CdrIn.model_validate(orjson.loads(raw))
    except (orjson.JSONDecodeError, ValidationError) as exc:
        errors = ([{"field": ".".join(str(x) for x in e["loc"]) or "body", "reason": e["msg"]} for e in exc.errors()]
                  if isinstance(exc, ValidationError) else [{"field": "body", "reason": "malformed JSON"}])
        raise UnprocessableInput("the CDR does not match the schema", errors=errors) from None
    rec = body.recording
    return await uc.receive_cdr(conn, ctx, uc.Cdr(
        call_id=body.call_id, answered=body.answered, ring_seconds=body.ring_seconds,
        talk_seconds=body.talk_seconds, started_at=body.started_at, ended_at=body.ended_at,
        hangup_cause=body.hangup_cause, recording_uri=rec.uri if rec else None,
        recording_sha256=rec.sha256 if rec else None, recording_bytes=rec.bytes if rec else None), raw)


@router.put("/v1/agent-lines/{collector_id}", summary="The collector's PBX extension (rung first on a dial)")
async def agent_line(collector_id: Annotated[str, Path(min_length=1, max_length=64, pattern=_ID)],
                     body: ws.AgentLineIn, conn: Conn, ctx: Context, who: CaseReader) -> dict:
    return await admin_uc.set_agent_line(conn, ctx, who, collector_id, body.extension)


@router.get("/v1/quality/flags", response_model=ws.QualityPage,
            summary="Telephony mismatches for quality inspection (R-19, R-48)")
async def quality_flags(conn: ReadConn, ctx: Context, who: Reporter,
                        kind: Literal["record_connected_call_unanswered", "call_without_record"] | None = None,
                        collector_id: Annotated[str | None, Query(max_length=64, pattern=_ID)] = None,
                        cursor: Cursor = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict:
    rows = await uc.quality_flags(conn, kind=kind, collector_id=collector_id, after=keyset.after(cursor),
                                  limit=limit + 1)
    return keyset.page(rows, limit, "created_at", "flag_id")
