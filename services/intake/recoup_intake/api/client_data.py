"""Client routes after placement: repayments, balance/contact updates, recalls (R-5)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from functools import partial

from fastapi import APIRouter, Request

from recoup_shared.errors import Forbidden, PayloadTooLarge, Unauthorized, UnprocessableInput, problem_responses
from recoup_shared.gcpause import gc_paused

from ..rules.errors import MalformedJson, PlacementNotFound, UnsupportedMediaType
from ..rules.recalls import parse_recall_body
from ..rules.repayments import parse_repayments_body
from ..rules.updates import parse_updates_body
from ..schemas import RecallIn, RecallOut, RepaymentsIn, RepaymentsOut, UpdatesIn, UpdatesOut
from ..usecases.recalls import post_recall
from ..usecases.repayments import Repayments, post_repayments
from ..usecases.updates import Updates, post_updates
from .common import JSONAnswer, correlation_id, json_body, read_json
from .deps import ClientSystem, Conn, Context

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
async def repayments(request: Request, principal: ClientSystem, conn: Conn, ctx: Context) -> JSONAnswer:
    with gc_paused():  # off while a million rows are alive
        return JSONAnswer(await post_repayments(conn, ctx, principal, await _repayment_rows(request, ctx)))


async def _repayment_rows(request: Request, ctx: Context) -> Repayments:
    settings = ctx.settings
    body = await read_json(request)
    parse = partial(parse_repayments_body, body, limit=settings.max_repayments_per_request,
                    tz=ctx.clock.zone, now=ctx.clock.now(),
                    future_tolerance=timedelta(seconds=settings.repayment_future_tolerance_seconds))
    big = isinstance(body, dict) and isinstance(body.get("repayments"), list) and len(body["repayments"]) > 10_000
    rows, errors = await asyncio.to_thread(parse) if big else parse()
    return Repayments(rows, errors, len(body["repayments"]), correlation_id(request))


@router.post(
    "/v1/cases/updates", response_model=UpdatesOut,
    summary="Balance (更新息费), phone/address and flag updates of open cases",
    responses=_ERRORS, openapi_extra=json_body(UpdatesIn, "update rows, judged one by one"),
)
async def updates(request: Request, principal: ClientSystem, conn: Conn, ctx: Context) -> JSONAnswer:
    body = await read_json(request)
    rows, errors = parse_updates_body(body, limit=ctx.settings.max_updates_per_request)
    cmd = Updates(rows, errors, len(body["updates"]), correlation_id(request))
    return JSONAnswer(await post_updates(conn, ctx, principal, cmd))


@router.post(
    "/v1/recalls", response_model=RecallOut,
    summary="Recall (退案) accounts or a whole placement",
    responses=problem_responses(MalformedJson, Unauthorized, Forbidden, PlacementNotFound, PayloadTooLarge,
                                UnsupportedMediaType, UnprocessableInput),
    openapi_extra=json_body(RecallIn, "account_refs or placement_ref, optional reason and effective_on"),
)
async def recalls(request: Request, principal: ClientSystem, conn: Conn, ctx: Context) -> JSONAnswer:
    req = parse_recall_body(await read_json(request), limit=ctx.settings.max_recall_accounts)
    return JSONAnswer(await post_recall(conn, ctx, principal, req, correlation_id=correlation_id(request)))
