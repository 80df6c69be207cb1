"""A placement sent as JSON (contracts.md §1): a big body goes to the worker processes in pieces,
undecoded here (adapters.json_body.split_placement_body); anything else is decoded whole (exact
decimals) off the event loop and hashed canonically for R-1."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime
from functools import partial

from recoup_shared.auth import Principal
from recoup_shared.errors import UnprocessableInput

from ...adapters.json_body import canonical_sha256, decode_json, split_placement_body
from ...context import Ctx
from ...rules.requests import parse_placement_body
from .model import LoadedRows, PlacementAnswer, PlacementSubmission
from .submit import submit_placement


def _decode_whole(raw: bytes, limits: dict[str, int]) -> tuple[str, Callable[[], LoadedRows]]:
    """A split body decoded here after all (a replay, or pieces that were not whole cases)."""
    body = decode_json(raw)
    _, cases = parse_placement_body(body, **limits)
    return canonical_sha256(body), lambda: LoadedRows(cases)


async def _split(ctx: Ctx, raw: bytes, limits: dict[str, int], received_at: datetime) -> PlacementSubmission | None:
    """The submission of a body cut in pieces for the workers, or None (decode it whole)."""
    split = await asyncio.to_thread(split_placement_body, raw, segment_bytes=ctx.settings.split_segment_bytes)
    if split is None:
        return None
    try:
        header, _ = parse_placement_body({**split.header, "cases": [None]}, **limits)
    except UnprocessableInput:
        return None  # decoded whole: the same problems, listed the usual way
    return PlacementSubmission(header=header, received_at=received_at, body_sha256=None, load=None,
                               split=split, decode_whole=partial(_decode_whole, raw, limits))


async def submit_json(ctx: Ctx, principal: Principal, raw: bytes, received_at: datetime) -> PlacementAnswer:
    """POST /v1/placements: `raw` is the body (content type already checked)."""
    settings = ctx.settings
    limits = dict(max_cases=settings.max_cases_per_placement, default_months=settings.default_placement_months)
    if ctx.workers is not None and len(raw) >= settings.parallel_min_bytes:
        sub = await _split(ctx, raw, limits, received_at)
        if sub is not None:
            return await submit_placement(ctx, principal, sub)
    body = await asyncio.to_thread(decode_json, raw) if len(raw) > 1_000_000 else decode_json(raw)
    del raw
    header, cases = parse_placement_body(body, **limits)
    body_sha = await asyncio.to_thread(canonical_sha256, body) if len(cases) > 1000 else canonical_sha256(body)
    del body
    sub = PlacementSubmission(header=header, received_at=received_at, body_sha256=body_sha,
                              load=lambda: LoadedRows(cases))
    return await submit_placement(ctx, principal, sub)
