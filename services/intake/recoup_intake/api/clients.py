"""Client routes after placement: repayments, balance/contact updates, recalls (R-5)."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone
from functools import partial
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request

from recoup_shared.auth import ClientSystem
from recoup_shared.errors import (Forbidden, NotFound, PayloadTooLarge, Unauthorized,
                                  UnprocessableInput, problem_responses)

from ..inputs import (MalformedJson, UnsupportedMediaType, parse_recall_body, parse_repayments_body,
                      parse_updates_body)
from ..schemas import RecallIn, RecallOut, RepaymentsIn, RepaymentsOut, UpdatesIn, UpdatesOut
from ..usecases.recalls import post_recall
from ..usecases.repayments import post_repayments
from ..usecases.updates import post_updates
from ..usecases.common import gc_paused
from .common import JSONAnswer, correlation_id, json_body, read_json

router = APIRouter(tags=["client data"])

_ERRORS = problem_responses(MalformedJson, Unauthorized, Forbidden, PayloadTooLarge,
                            UnsupportedMediaType, UnprocessableInput)


@router.post(
    "/v1/repayments", response_model=RepaymentsOut,
    summary="Repayments (还款记录): idempotent on txn_ref; fully repaid cases close automatically",
    description=("Unknown accounts and a txn_ref re-sent with different data are row errors; a txn_ref "
                 "re-sent with the same data is counted under `duplicates`. A repayment for a recalled "
                 "or closed case is recorded and listed under `flagged`. `paid_at` without an offset "
                 "is Asia/Shanghai time."),
    responses=_ERRORS, openapi_extra=json_body(RepaymentsIn, "repayment rows, judged one by one"),
)
async def repayments(request: Request, principal: ClientSystem) -> JSONAnswer:
    settings = request.app.state.settings
    with gc_paused():  # off while a million rows are alive (see usecases.common.gc_paused)
        return JSONAnswer(await _repayments(request, principal, settings))


async def _repayments(request: Request, principal, settings) -> dict:
    body = await read_json(request)
    parse = partial(parse_repayments_body, body, limit=settings.max_repayments_per_request,
                    tz=ZoneInfo(settings.timezone), now=datetime.now(timezone.utc),
                    future_tolerance=timedelta(seconds=settings.repayment_future_tolerance_seconds))
    big = isinstance(body, dict) and isinstance(body.get("repayments"), list) and len(body["repayments"]) > 10_000
    rows, errors = await asyncio.to_thread(parse) if big else parse()
    received = len(body["repayments"])
    del body
    return await post_repayments(request.app, principal, rows, errors, received, correlation_id(request))


@router.post(
    "/v1/cases/updates", response_model=UpdatesOut,
    summary="Balance (更新息费), phone/address and flag updates of open cases",
    responses=_ERRORS, openapi_extra=json_body(UpdatesIn, "update rows, judged one by one"),
)
async def updates(request: Request, principal: ClientSystem) -> JSONAnswer:
    settings = request.app.state.settings
    body = await read_json(request)
    rows, errors = parse_updates_body(body, limit=settings.max_updates_per_request)
    return JSONAnswer(await post_updates(request.app, principal, rows, errors, len(body["updates"]),
                                         correlation_id(request)))


@router.post(
    "/v1/recalls", response_model=RecallOut,
    summary="Recall (退案) accounts or a whole placement",
    responses=problem_responses(MalformedJson, Unauthorized, Forbidden, NotFound, PayloadTooLarge,
                                UnsupportedMediaType, UnprocessableInput),
    openapi_extra=json_body(RecallIn, "account_refs or placement_ref, optional reason and effective_on"),
)
async def recalls(request: Request, principal: ClientSystem) -> JSONAnswer:
    body = await read_json(request)
    req = parse_recall_body(body, limit=request.app.state.settings.max_recall_accounts)
    return JSONAnswer(await post_recall(request.app, principal, req, correlation_id(request)))
