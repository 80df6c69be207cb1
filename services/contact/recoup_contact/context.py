"""Ctx: built once in the lifespan, handed to routes (api/deps.Context), handlers and jobs.

Beside the shared parts (settings, business clock, calendar, protector, pool) it holds the PBX
adapter and small caches of parsed, versioned configuration (a client's contact configuration and
code tables are parsed once per version, never per request)."""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import httpx

from recoup_shared.context import Context

from .adapters.pbx import AriPbx, LocalPbx, NoPbx, Pbx
from .settings import ContactSettings


class CachedCalendar:
    """The working calendar with its day arithmetic memoised: a worklist page asks "working days
    between today and the due date" fifty times with a handful of distinct dates."""

    def __init__(self, calendar: Any) -> None:
        self._calendar = calendar
        self.is_working_day = lru_cache(maxsize=8192)(calendar.is_working_day)
        self.add_working_days = lru_cache(maxsize=65536)(calendar.add_working_days)
        self.next_working_day = lru_cache(maxsize=8192)(calendar.next_working_day)
        self.working_days_between = lru_cache(maxsize=65536)(calendar.working_days_between)

    def __getattr__(self, name: str) -> Any:   # is_public_holiday, is_authoritative, ...
        return getattr(self._calendar, name)


class CachingVerifier:
    """The shared token verifier, remembering what it verified until the token's expiry: a collector's
    browser sends the same bearer token with every request (an RS256 verification and the claims'
    checks each time otherwise). A token that failed is never cached."""

    def __init__(self, verifier: Any, size: int = 20_000) -> None:
        self._verifier, self._size = verifier, size
        self._seen: dict[str, tuple[float, Any]] = {}

    def verify(self, token: str) -> Any:
        hit = self._seen.get(token)
        if hit is not None and hit[0] > time.time():
            return hit[1]
        principal = self._verifier.verify(token)
        if len(self._seen) >= self._size:
            self._seen.clear()
        self._seen[token] = (float(principal.claims.get("exp", 0)), principal)
        return principal


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

    async def close(self) -> None:
        await self.pbx.close()


async def build(base: Context, *, app: Any = None) -> Ctx:
    ctx = Ctx.extend(base, pbx=make_pbx(base.settings))
    ctx.calendar = CachedCalendar(base.calendar)  # type: ignore[assignment]
    # Everything built at start (modules, libphonenumber's metadata, compiled policies) lives as long
    # as the process: out of the collector's way, so a full collection in a request costs little
    # (tail latency of the worklist and the contact form).
    gc.collect()
    gc.freeze()
    if isinstance(ctx.pbx, LocalPbx) and app is not None:
        ctx.pbx.bind(httpx.ASGITransport(app=app))   # the local PBX calls this very service back
    if app is not None and getattr(app.state, "verifier", None) is not None:
        app.state.verifier = CachingVerifier(app.state.verifier)
    return ctx
