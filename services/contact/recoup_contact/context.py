"""Ctx: built once in the lifespan, handed to routes (api/deps.Context), handlers and jobs.

Beside the shared parts (settings, business clock, calendar, protector, pool) it holds the PBX
adapter and small caches of parsed, versioned configuration (a client's contact configuration and
code tables are parsed once per version, never per request)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from recoup_shared.compliance import effective_policy
from recoup_shared.context import Context

from .adapters.pbx import AriPbx, LocalPbx, NoPbx, Pbx
from .settings import ContactSettings


def make_pbx(settings: ContactSettings) -> Pbx:
    if settings.pbx_kind == "ari":
        return AriPbx(settings.pbx_url or "", username=settings.pbx_username, password=settings.pbx_password,
                      agent_endpoint=settings.pbx_agent_endpoint, context=settings.pbx_context,
                      caller_id=settings.pbx_caller_id, ring_timeout=settings.pbx_ring_timeout_seconds,
                      request_timeout=settings.pbx_request_timeout_seconds)
    if settings.pbx_kind == "local":
        return LocalPbx(secret=settings.pbx_webhook_secret, delay=settings.local_pbx_delay_seconds,
                        answer_pct=settings.local_pbx_answer_pct, callback_url=settings.local_pbx_callback_url)
    return NoPbx()


@dataclass
class Ctx(Context):
    settings: ContactSettings
    pbx: Pbx = field(default_factory=NoPbx)
    # (kind, client_id, version) -> parsed object; versions are immutable, so entries never go stale
    parsed: dict[tuple[str, str, int], Any] = field(default_factory=dict)
    # (kind, client_id) -> (valid until, monotonic clock; the latest version number)
    latest: dict[tuple[str, str], tuple[float, int | None]] = field(default_factory=dict)
    # how much attempt history the gate reads with the case: the longest policy horizon met so far
    # (a longer one costs one more read, then is remembered)
    gate_horizon: timedelta = field(default_factory=lambda: effective_policy().horizon)

    async def close(self) -> None:
        await self.pbx.close()


async def build(base: Context, *, app: Any = None) -> Ctx:
    ctx = Ctx.extend(base, pbx=make_pbx(base.settings))
    if isinstance(ctx.pbx, LocalPbx) and app is not None:
        ctx.pbx.bind(httpx.ASGITransport(app=app))   # the local PBX calls this very service back
    return ctx
