"""Text messages with approved wording (R-27) through the compliance gate (issue 10)."""

from __future__ import annotations

import hmac
from typing import Literal

from fastapi import APIRouter, Request

from recoup_shared.auth import principal as authenticate
from recoup_shared.errors import PayloadTooLarge, UnprocessableInput, problem_responses
from recoup_shared.paging import Cursor, Limit, page

from ..rules.errors import ReceiptsRejected, ReceiptUnauthorized, SmsNotFound, StateConflict, TemplateNotFound
from ..schemas import batches as s
from ..settings import RECEIPT_POSTERS
from ..usecases import sms
from ..views import sms as view
from .body import read_body
from .deps import Conn, Context, IdFilter, Id, Reader, SmsSender, time_cursor

router = APIRouter(prefix="/v1/sms", tags=["sms"])

Status = Literal["refused", "queued", "sending", "sent", "failed", "delivered", "undelivered"]
RECEIPTS_MAX_BYTES = 10 * 1024 * 1024


@router.post("", status_code=202, response_model=s.SmsSendOut,
             responses=problem_responses(TemplateNotFound, StateConflict),
             summary="Send an approved SMS template to cases (each through the compliance gate)")
async def send(body: s.SmsIn, conn: Conn, ctx: Context, who: SmsSender) -> dict:
    if len(body.case_ids) > ctx.settings.sms_max_cases_per_request:
        raise UnprocessableInput("too many cases", errors=[{
            "field": "case_ids", "reason": f"at most {ctx.settings.sms_max_cases_per_request} per request"}])
    return await sms.send(conn, ctx, who, body.template_id, body.case_ids)


@router.get("", response_model=s.SmsPage, summary="Text messages, newest first")
async def list_sms(conn: Conn, who: Reader, case_id: IdFilter = None, status: Status | None = None,
                   cursor: Cursor = None, limit: Limit = 100) -> dict:
    rows = await view.list_sms(conn, case_id=case_id, status=status, after=time_cursor(cursor), limit=limit + 1)
    return page(rows, limit, key=lambda r: [r["requested_at"].isoformat(), r["sms_id"]])


@router.get("/{sms_id}", response_model=s.SmsOut, responses=problem_responses(SmsNotFound))
async def get_sms(sms_id: Id, conn: Conn, ctx: Context, who: Reader) -> dict:
    return await sms.get(conn, ctx, who, sms_id)


@router.post("/receipts", response_model=s.ReceiptsOut,
             responses=problem_responses(ReceiptsRejected, ReceiptUnauthorized, PayloadTooLarge),
             summary="Delivery receipts: the provider's push (X-Receipt-Token) or a file posted by staff")
async def receipts(request: Request, conn: Conn, ctx: Context) -> dict:
    token = ctx.settings.sms_receipt_token
    given = request.headers.get("x-receipt-token")
    if token is not None and given is not None:
        if not hmac.compare_digest(given.encode(), token.get_secret_value().encode()):
            raise ReceiptUnauthorized("wrong receipt token")
    else:
        (await authenticate(request)).require(*RECEIPT_POSTERS)
    return await sms.receipts(conn, ctx, await read_body(request, RECEIPTS_MAX_BYTES))
