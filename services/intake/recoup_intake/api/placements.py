"""Client routes for placements: push (JSON), status with timings (R-6), accepted rows."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from datetime import datetime, timezone
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request

from recoup_shared.auth import Authenticated, ClientSystem
from recoup_shared.api import Conn
from recoup_shared.errors import (Conflict, Forbidden, NotFound, PayloadTooLarge, Unauthorized,
                                  UnprocessableInput, problem_responses)

from ..inputs import (MalformedJson, UnsupportedMediaType, canonical_sha256, check_json_content_type, decode_json,
                      parse_placement_body, split_placement_body)
from ..schemas import (PlacementAccepted, PlacementCasesOut, PlacementIn, PlacementListOut,
                       PlacementStatusOut)
from ..store import placements as store
from ..usecases.placements import LoadedRows, PlacementSubmission, submit_placement
from ..usecases.common import gc_paused
from .common import JSONAnswer, json_body, placement_client_id

router = APIRouter(tags=["placements"])


def accepted_response(body: dict, replayed: bool) -> JSONAnswer:
    return JSONAnswer(body, status_code=202, headers={
        "Location": f"/v1/placements/{quote(body['placement_ref'], safe='')}",
        "Idempotent-Replayed": "true" if replayed else "false"})


@router.post(
    "/v1/placements", status_code=202, response_model=PlacementAccepted,
    summary="Push a placement (委案): per-row validation, idempotent on placement_ref",
    description=(
        "Good rows are accepted even when others are rejected; `errors` lists every rejected row's "
        "0-based index, field path and reason. The same placement_ref with the same body answers the "
        "same (header `Idempotent-Replayed: true`); a different body is `409`. A still-open account "
        "of this client placed again is a row error; after a recall or closing it may be re-placed."),
    responses=problem_responses(MalformedJson, Unauthorized, Forbidden, Conflict, PayloadTooLarge,
                                UnsupportedMediaType, UnprocessableInput),
    openapi_extra=json_body(PlacementIn, "contracts.md §1; rows are judged one by one"),
)
async def post_placement(request: Request, principal: ClientSystem) -> JSONAnswer:
    received_at = datetime.now(timezone.utc)
    # The collector stays off while the placement's millions of objects are alive (see
    # gc_paused); they are all freed when _receive returns, before it is switched back on.
    with gc_paused():
        answer = await _receive(request, principal, received_at)
    return accepted_response(answer.body, answer.replayed)


def _decode_whole(raw: bytes, limits: dict[str, int]) -> tuple[str, Callable[[], LoadedRows]]:
    """A split body decoded here after all (a replay, or pieces that were not whole cases)."""
    body = decode_json(raw)
    _, cases = parse_placement_body(body, **limits)
    return canonical_sha256(body), lambda: LoadedRows(cases)


async def _receive(request: Request, principal, received_at: datetime):
    settings = request.app.state.settings
    check_json_content_type(request.headers.get("content-type"))
    raw = await request.body()
    limits = dict(max_cases=settings.max_cases_per_placement, default_months=settings.default_placement_months)

    # A big body goes to the worker processes in pieces, undecoded here (parallel.py).
    if getattr(request.app.state, "placement_workers", None) is not None and len(raw) >= settings.parallel_min_bytes:
        split = await asyncio.to_thread(split_placement_body, raw, segment_bytes=settings.split_segment_bytes)
        if split is not None:
            try:
                header, _ = parse_placement_body({**split.header, "cases": [None]}, **limits)
            except UnprocessableInput:
                pass  # decoded whole below: the same problems, listed the usual way
            else:
                sub = PlacementSubmission(header=header, body_sha256=None, load=None, split=split,
                                          decode_whole=partial(_decode_whole, raw, limits))
                return await submit_placement(request.app, principal, sub, received_at)

    body = await asyncio.to_thread(decode_json, raw) if len(raw) > 1_000_000 else decode_json(raw)
    del raw
    header, cases = parse_placement_body(body, **limits)
    body_sha = await asyncio.to_thread(canonical_sha256, body) if len(cases) > 1000 else canonical_sha256(body)
    del body
    sub = PlacementSubmission(header=header, body_sha256=body_sha, load=lambda: LoadedRows(cases))
    return await submit_placement(request.app, principal, sub, received_at)


@router.get(
    "/v1/placements", response_model=PlacementListOut,
    summary="The client's placements, newest first",
    responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput),
)
async def list_placements(
    request: Request, principal: Authenticated, conn: Conn,
    client_id: Annotated[str | None, Query(description="staff only: whose placements")] = None,
    before: Annotated[datetime | None, Query(description="next_before of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSONAnswer:
    cid = placement_client_id(principal, client_id, request.app.state.settings.placement_reader_roles)
    rows = await store.list_placements(conn, cid, before=before, limit=limit)
    items = [{"placement_id": str(r["id"]), "placement_ref": r["placement_ref"], "product": r["product"],
              "placed_on": r["placed_on"], "received": r["received_count"], "accepted": r["accepted_count"],
              "rejected": r["rejected_count"], "received_at": r["received_at"],
              "published_at": r["published_at"]} for r in rows]
    return JSONAnswer({"items": items,
                       "next_before": rows[-1]["received_at"] if len(rows) == limit else None})


async def _placement(conn, principal, request, placement_ref: str, client_id: str | None):
    cid = placement_client_id(principal, client_id, request.app.state.settings.placement_reader_roles)
    placement = await store.get_placement(conn, cid, placement_ref)
    if placement is None:
        raise NotFound(f"no placement {placement_ref} for this client")
    return placement


@router.get(
    "/v1/placements/{placement_ref}", response_model=PlacementStatusOut,
    summary="Placement status: counts, rejected rows (paged), timings and the R-6 import SLA",
    responses=problem_responses(Unauthorized, Forbidden, NotFound, UnprocessableInput),
)
async def get_placement(
    request: Request, placement_ref: str, principal: Authenticated, conn: Conn,
    client_id: Annotated[str | None, Query(description="staff only: whose placement")] = None,
    errors_after: Annotated[int, Query(ge=-1, description="rejected rows after this ordinal")] = -1,
    errors_limit: Annotated[int, Query(ge=0, le=10_000)] = 100,
) -> JSONAnswer:
    settings = request.app.state.settings
    p = await _placement(conn, principal, request, placement_ref, client_id)
    published_at = await store.publication_time(conn, p)
    rejected = await store.rejected_rows(conn, p["id"], after=errors_after, limit=errors_limit + 1)
    more = len(rejected) > errors_limit
    rejected = rejected[:errors_limit]
    to_import = (p["imported_at"] - p["received_at"]).total_seconds()
    body = {
        "placement_id": str(p["id"]), "placement_ref": p["placement_ref"], "client_id": p["client_id"],
        "product": p["product"], "placed_on": p["placed_on"], "recall_on": p["recall_on"],
        "source": p["source"],
        "template": ({"name": p["template_name"], "version": p["template_version"]}
                     if p["template_name"] else None),
        "status": "published" if published_at else "imported",
        "counts": {"received": p["received_count"], "accepted": p["accepted_count"],
                   "rejected": p["rejected_count"], "cases": await store.case_status_counts(conn, p["id"])},
        "timings": {
            "received_at": p["received_at"], "imported_at": p["imported_at"], "published_at": published_at,
            "seconds_to_import": round(to_import, 3),
            "seconds_to_publish": (round((published_at - p["received_at"]).total_seconds(), 3)
                                   if published_at else None),
            # imported within 1 hour of arrival, 3 hours at most.
            "sla": {"import_target_seconds": settings.import_sla_target_seconds,
                    "import_max_seconds": settings.import_sla_max_seconds,
                    "import_within_target": to_import <= settings.import_sla_target_seconds,
                    "import_within_max": to_import <= settings.import_sla_max_seconds},
        },
        "rejected_rows": {
            "items": [{"row": e["row"], "field": e["field"], "reason": e["reason"]} for e in rejected],
            "next_after": rejected[-1]["ordinal"] if more and rejected else None},
    }
    return JSONAnswer(body)


@router.get(
    "/v1/placements/{placement_ref}/cases", response_model=PlacementCasesOut,
    summary="Each accepted row: its row index, case_id, masked account and status (reconciliation)",
    responses=problem_responses(Unauthorized, Forbidden, NotFound, UnprocessableInput),
)
async def get_placement_cases(
    request: Request, placement_ref: str, principal: Authenticated, conn: Conn,
    client_id: Annotated[str | None, Query(description="staff only: whose placement")] = None,
    after: Annotated[int, Query(ge=-1, description="rows after this row index (next_after)")] = -1,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> JSONAnswer:
    p = await _placement(conn, principal, request, placement_ref, client_id)
    rows = await store.placement_cases(conn, p["id"], after_row=after, limit=limit)
    items = [{"row": r["row_index"], "case_id": str(r["id"]), "account_masked": r["account_masked"],
              "status": r["status"]} for r in rows]
    return JSONAnswer({"placement_ref": p["placement_ref"], "items": items,
                       "next_after": items[-1]["row"] if len(items) == limit else None})
