"""The service application factory: one lifespan for all six services.

Start: logging → token verifier → pool → the service's context (clock, calendar, protector and
whatever the service adds) → producer → outbox relay → consumer → jobs. Stop (SIGTERM; uvicorn
has already drained in-flight requests): jobs finish their run → consumer finishes its batch,
commits and leaves the group → relay flushes → producer → context → pool.
"""

from __future__ import annotations

import asyncio
import gc
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import PlainTextResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException

from .auth import verifier_from_settings
from .bus.consumer import BatchHandler, EventConsumer
from .bus import topology
from .bus.outbox import OutboxRelay
from .bus.produce import make_producer
from .bus.security import client_kwargs
from .context import Context, base_context
from .db import create_pool
from .errors import (PayloadTooLarge, ServiceError, UnprocessableInput, declare_problems,
                     install_error_handlers, problem_response)
from .jobs import Job, JobRunner
from .logging import configure_logging, get_logger
from .metrics import HTTP_LATENCY
from .settings import ServiceSettings

log = get_logger(__name__)

ContextBuilder = Callable[[Context], Awaitable[Any]]


async def _start_with_retry(start: Callable[[], Awaitable[Any]], what: str, attempts: int = 30) -> None:
    for attempt in range(attempts):
        try:
            await start()
            return
        except Exception as exc:  # noqa: BLE001
            if attempt == attempts - 1:
                raise
            log.warning("dependency not ready; retrying", dependency=what, error=repr(exc))
            await asyncio.sleep(min(1 + attempt, 5))


def create_service_app(*, name: str, settings: ServiceSettings, routers: Sequence[APIRouter],
                       handlers: Mapping[str, BatchHandler] | None = None,
                       jobs: Sequence[Job] = (), context: ContextBuilder | None = None,
                       title: str | None = None, description: str = "",
                       run_relay: bool | None = None) -> FastAPI:
    """Wiring shared by every service. `context(base)` builds the service's own Ctx (context.py)
    from the shared part; handlers get `(conn, ctx, envelopes)`, jobs `ctx`, routes `Context`."""
    # Derived from deploy/k8s/services.yaml (bus/topology.py): a service that emits nothing runs
    # no relay, and the relay publishes only the topics the service is declared to emit (what its
    # Kafka ACLs allow in production). A service not in the list (tests) relays anything.
    emits = topology.emits(name)
    if run_relay is None:
        run_relay = emits is None or bool(emits)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        configure_logging(name, settings.log_level, settings.log_file, console=settings.log_console)
        app.state.settings = settings
        app.state.verifier = verifier_from_settings(settings)
        app.state.pool = await create_pool(settings.database_url, min_size=settings.db_pool_min,
                                           max_size=settings.db_pool_max)
        base = base_context(name, settings, pool=app.state.pool)
        app.state.ctx = ctx = await context(base) if context is not None else base
        # What start-up built (modules, phone metadata, compiled policies) lives as long as the
        # process: out of the collector's way, so a collection during a request costs little.
        gc.collect()
        gc.freeze()
        security = client_kwargs(settings)  # TLS/SASL: the same for every Kafka client
        app.state.producer = make_producer(settings.kafka_bootstrap_servers, **security)
        await _start_with_retry(app.state.producer.start, "kafka")
        # The relay's further connections (settings.relay_connections; bus/produce.py send_all).
        app.state.more_producers = []
        app.state.relay = None
        if run_relay:
            for _ in range(settings.relay_connections - 1):
                producer = make_producer(settings.kafka_bootstrap_servers, **security)
                await _start_with_retry(producer.start, "kafka")
                app.state.more_producers.append(producer)
            app.state.relay = OutboxRelay(app.state.pool, [app.state.producer, *app.state.more_producers],
                                          service=name,
                                          batch_size=settings.relay_batch_size,
                                          poll_seconds=settings.relay_poll_seconds,
                                          retention_days=settings.outbox_retention_days,
                                          topics=emits)
            await app.state.relay.start()
        ctx.relay = app.state.relay
        app.state.consumer = None
        if handlers:
            app.state.consumer = EventConsumer(
                app.state.pool, context=ctx, bootstrap_servers=settings.kafka_bootstrap_servers,
                group_id=f"recoup-{name}", handlers=dict(handlers), service=name,
                batch_max=settings.consumer_batch_max, max_attempts=settings.consumer_max_attempts,
                security=security, session_timeout_ms=settings.consumer_session_timeout_ms,
                heartbeat_interval_ms=settings.consumer_heartbeat_ms)
            await _start_with_retry(app.state.consumer.start, "kafka consumer")
        app.state.jobs = JobRunner(ctx, jobs, service=name)
        await app.state.jobs.start()
        log.info("service started", profile=settings.profile, jobs=app.state.jobs.names)
        try:
            yield
        finally:
            log.info("service stopping")
            await app.state.jobs.stop()
            if app.state.consumer:
                await app.state.consumer.stop()
            if app.state.relay:
                await app.state.relay.stop()
            for producer in (*app.state.more_producers, app.state.producer):
                await producer.stop()
            await ctx.close()
            await app.state.pool.close()
            log.info("service stopped")

    app = FastAPI(title=title or f"Recoup {name}", description=description, version="1.0.0",
                  lifespan=lifespan)
    install_error_handlers(app, service=name)
    _document_problems(app)
    app.add_middleware(_ObservabilityMiddleware, service=name, max_bytes=settings.max_request_bytes)  # type: ignore[arg-type]
    app.include_router(health_router())
    for router in routers:
        app.include_router(router)
    return app


def _document_problems(app: FastAPI) -> None:
    from fastapi.openapi.utils import get_openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = declare_problems(get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="Process alive (no dependencies checked)")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Database and broker reachable",
                responses={503: {"description": "A dependency is not reachable (the checks say which)"}})
    async def readyz(request: Request) -> Response:
        checks: dict[str, str] = {}
        try:
            async with request.app.state.pool.acquire(timeout=2) as conn:
                await conn.fetchval("SELECT 1")
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["database"] = f"error: {exc.__class__.__name__}"
        try:
            await asyncio.wait_for(request.app.state.producer.client.fetch_all_metadata(), timeout=3)
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
        consumer = request.app.state.consumer
        if consumer is not None:
            checks["consumer"] = "ok" if consumer.running else "stopped"
        ok = all(v == "ok" for v in checks.values())
        if ok:
            return Response(content=_json({"status": "ready", "checks": checks}), media_type="application/json")
        return problem_response(503, {"type": "https://recoup.example/problems/not-ready",
                                      "title": "Not ready", "status": 503, "checks": checks})

    # Prometheus' text format, documented as such (issue 14.10: the OpenAPI says what is answered)
    @router.get("/metrics", summary="Prometheus metrics", response_class=PlainTextResponse,
                responses={200: {"description": "Prometheus text exposition format",
                                 "content": {"text/plain": {"schema": {"type": "string"}}}}})
    async def metrics(request: Request) -> Response:
        relay = request.app.state.relay
        if relay is not None:
            try:
                await relay.backlog()
            except Exception:  # noqa: BLE001
                pass
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return router


def _json(obj: Any) -> bytes:
    import orjson
    return orjson.dumps(obj)


_CORRELATION_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_NUL_IN_QUERY = re.compile(rb"%00|\x00")


class BodyRefused(StarletteHTTPException):
    """Raised from `receive` while a body arrives; rendered as its problem (errors.py). An HTTP
    exception, so FastAPI's body parsing lets it through instead of answering 400."""

    def __init__(self, problem: ServiceError) -> None:
        super().__init__(problem.status, problem.detail or problem.title)
        self.problem = problem


def _too_large(limit: int) -> BodyRefused:
    # issue 14.2: counted as bytes arrive, whatever the framing (Content-Length or chunked)
    return BodyRefused(PayloadTooLarge(f"request body over {limit} bytes"))


# JSON escapes PostgreSQL or Python's UTF-8 encoder refuse: \u0000, a high surrogate not followed
# by a low one, a low one not after a high one. The group is the run of backslashes before the
# `u`: an odd run is an escape, an even one an escaped backslash followed by the text "u…".
_HEX2 = rb"[0-9a-fA-F]{2}"
_BAD_ESCAPE = re.compile(
    rb"(\\+)u0000"
    rb"|(\\+)u[dD][89abAB]" + _HEX2 + rb"(?!\\u[dD][c-fC-F]" + _HEX2 + rb")"
    rb"|(?<!\\u[dD][89abAB]" + _HEX2 + rb")(\\+)u[dD][c-fC-F]" + _HEX2)


class _JsonEscapeScan:
    """Scans a JSON body chunk by chunk for \\u0000 and lone surrogates (issue 14.3).

    Each round scans the kept tail of the previous chunk plus the new one, but judges only the
    matches that start in the part not judged yet: the last bytes of a chunk (an escape may be
    cut there, with its whole run of backslashes) and a high surrogate whose low half may come
    with the next chunk. The tail keeps some bytes before that part as context."""

    CONTEXT = 16

    def __init__(self) -> None:
        self.tail = b""
        self.from_ = 0      # index in tail + chunk where the unjudged part starts
        self.seen = 0       # body bytes before the tail

    def feed(self, chunk: bytes, last: bool) -> None:
        data = self.tail + chunk
        open_at = len(data) if last else len(data) - 12
        while 0 < open_at <= len(data) and data[open_at - 1:open_at] == b"\\":
            open_at -= 1  # an escape cut here may start with a longer run of backslashes
        if b"\\u" in data:
            for m in _BAD_ESCAPE.finditer(data, self.from_):
                if m.start() >= open_at:
                    break  # judged next round, whole
                run = m.group(1) or m.group(2) or m.group(3)
                if len(run) % 2 == 0:
                    continue  # an escaped backslash, then the text "u…"
                escape = m.group(0)[len(run):]
                if not last and m.group(2) and m.end() + 6 > len(data):
                    open_at = min(open_at, m.start())  # its low half may be in the next chunk
                    break
                what = "a NUL character" if escape.endswith(b"0000") else "a lone UTF-16 surrogate"
                raise BodyRefused(UnprocessableInput(f"the JSON body contains {what}", errors=[{
                    "field": "body", "reason": f"{what} (\\u escape) at byte {self.seen + m.start()}"}]))
        cut = max(0, min(open_at, len(data)) - self.CONTEXT)
        self.seen += cut
        self.tail, self.from_ = data[cut:], max(0, open_at - cut)


def _bad_query(scope: dict) -> str | None:
    """NUL in the path or query: PostgreSQL refuses the byte, so it is refused here (422)."""
    if "\x00" in scope.get("path", ""):
        return "path"
    if _NUL_IN_QUERY.search(scope.get("query_string") or b""):
        return "query"
    return None


class _ObservabilityMiddleware:
    """Pure ASGI: correlation id in the log context, latency histogram, request size limit
    counted as bytes arrive, NUL refused in paths and query strings."""

    def __init__(self, app: Any, service: str, max_bytes: int) -> None:
        self.app, self.service, self.max_bytes = app, service, max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = (headers.get(b"x-correlation-id") or headers.get(b"x-request-id") or b"").decode(errors="replace")
        correlation_id = given if _CORRELATION_ID.match(given) else str(uuid.uuid4())
        scope.setdefault("state", {})["correlation_id"] = correlation_id
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            body = PayloadTooLarge(f"request body over {self.max_bytes} bytes").body()
            await problem_response(413, body)(scope, receive, send)
            return
        where = _bad_query(scope)
        if where is not None:
            body = UnprocessableInput("a NUL character is not allowed", errors=[
                {"field": where, "reason": "contains a NUL character (\\u0000)"}]).body()
            await problem_response(422, body)(scope, receive, send)
            return
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(correlation_id=correlation_id)
        status_holder = {"status": 500, "started": False}
        start = time.perf_counter()
        received = 0

        content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        scan = _JsonEscapeScan() if content_type.endswith(b"json") else None

        async def limited_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                chunk = message.get("body", b"")
                received += len(chunk)
                if received > self.max_bytes:
                    raise _too_large(self.max_bytes)
                if scan is not None:
                    scan.feed(chunk, last=not message.get("more_body", False))
            return message

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"], status_holder["started"] = message["status"], True
                # Server-Timing: the time spent in the service, apart from the network and the client
                # (browsers' developer tools show it; the benchmarks read it).
                message.setdefault("headers", []).extend((
                    (b"x-correlation-id", correlation_id.encode()),
                    (b"server-timing", b"app;dur=%.1f" % ((time.perf_counter() - start) * 1000))))
            await send(message)

        try:
            await self.app(scope, limited_receive, send_wrapper)
        except BodyRefused as exc:  # read outside FastAPI's body parsing (a route's own stream)
            if status_holder["started"]:
                raise
            await problem_response(exc.status_code, exc.problem.body())(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            if path not in ("/metrics", "/healthz"):
                HTTP_LATENCY.labels(self.service, scope.get("method", ""), path,
                                    str(status_holder["status"])).observe(time.perf_counter() - start)
