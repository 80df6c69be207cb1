"""The service application factory: one lifespan for all six services.

Start: logging → pool → token verifier, field cipher, blind index, calendar → producer → outbox
relay → consumer. Stop (SIGTERM; uvicorn has already drained in-flight requests): consumer finishes
its batch, commits and leaves the group → relay flushes → producer → pool.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import Any

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .auth import verifier_from_settings
from .bus.consumer import BatchHandler, EventConsumer
from .bus import topology
from .bus.outbox import OutboxRelay, make_producer
from .bus.security import client_kwargs
from .calendar import DEFAULT_CALENDAR
from .crypto import blind_index_from_settings, cipher_from_settings
from .db import create_pool
from .errors import PayloadTooLarge, install_error_handlers, problem_response
from .logging import configure_logging, get_logger
from .metrics import HTTP_LATENCY
from .settings import ServiceSettings

log = get_logger(__name__)

Hook = Callable[[FastAPI], Awaitable[None]]


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
                       handlers: dict[str, BatchHandler] | None = None,
                       consumer_group: str | None = None, title: str | None = None,
                       description: str = "", on_startup: Hook | None = None,
                       on_shutdown: Hook | None = None, run_relay: bool | None = None) -> FastAPI:
    # Derived from deploy/k8s/services.yaml (bus/topology.py): a service that emits nothing runs
    # no relay, and the relay publishes only the topics the service is declared to emit (what its
    # Kafka ACLs allow in production). A service not in the list (tests) relays anything.
    emits = topology.emits(name)
    if run_relay is None:
        run_relay = emits is None or bool(emits)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        configure_logging(name, settings.log_level, settings.log_file)
        app.state.settings = settings
        app.state.verifier = verifier_from_settings(settings)
        app.state.cipher = cipher_from_settings(settings)
        app.state.blind_index = blind_index_from_settings(settings)
        app.state.calendar = DEFAULT_CALENDAR
        app.state.pool = await create_pool(settings.database_url, min_size=settings.db_pool_min,
                                           max_size=settings.db_pool_max)
        security = client_kwargs(settings)  # TLS/SASL: the same for every Kafka client
        app.state.producer = make_producer(settings.kafka_bootstrap_servers, **security)
        await _start_with_retry(app.state.producer.start, "kafka")
        app.state.relay = None
        if run_relay:
            app.state.relay = OutboxRelay(app.state.pool, app.state.producer, service=name,
                                          batch_size=settings.relay_batch_size,
                                          poll_seconds=settings.relay_poll_seconds,
                                          retention_days=settings.outbox_retention_days,
                                          topics=emits)
            await app.state.relay.start()
        app.state.consumer = None
        if handlers:
            app.state.consumer = EventConsumer(
                app.state.pool, bootstrap_servers=settings.kafka_bootstrap_servers,
                group_id=consumer_group or f"recoup-{name}", handlers=handlers, service=name,
                batch_max=settings.consumer_batch_max, max_attempts=settings.consumer_max_attempts,
                security=security)
            await _start_with_retry(app.state.consumer.start, "kafka consumer")
        if on_startup:
            await on_startup(app)
        log.info("service started", profile=settings.profile)
        try:
            yield
        finally:
            log.info("service stopping")
            if on_shutdown:
                await on_shutdown(app)
            if app.state.consumer:
                await app.state.consumer.stop()
            if app.state.relay:
                await app.state.relay.stop()
            await app.state.producer.stop()
            await app.state.pool.close()
            log.info("service stopped")

    app = FastAPI(title=title or f"Recoup {name}", description=description, version="1.0.0",
                  lifespan=lifespan)
    install_error_handlers(app)
    app.add_middleware(_ObservabilityMiddleware, service=name, max_bytes=settings.max_request_bytes)  # type: ignore[arg-type]
    app.include_router(health_router())
    for router in routers:
        app.include_router(router)
    return app


def health_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/healthz", summary="Process alive (no dependencies checked)")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", summary="Database and broker reachable")
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

    @router.get("/metrics", summary="Prometheus metrics")
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


class _ObservabilityMiddleware:
    """Pure ASGI: correlation id in the log context, latency histogram, request size limit."""

    def __init__(self, app: Any, service: str, max_bytes: int) -> None:
        self.app, self.service, self.max_bytes = app, service, max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        correlation_id = (headers.get(b"x-correlation-id") or headers.get(b"x-request-id")
                          or str(uuid.uuid4()).encode()).decode(errors="replace")[:128]
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_bytes:
            body = PayloadTooLarge(f"request body over {self.max_bytes} bytes").body()
            await problem_response(413, body)(scope, receive, send)
            return
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(correlation_id=correlation_id)
        scope.setdefault("state", {})["correlation_id"] = correlation_id
        status_holder = {"status": 500}
        start = time.perf_counter()

        async def send_wrapper(message: dict) -> None:
            if message["type"] == "http.response.start":
                status_holder["status"] = message["status"]
                message.setdefault("headers", []).append((b"x-correlation-id", correlation_id.encode()))
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = scope.get("route")
            path = getattr(route, "path", None) or "unmatched"
            if path not in ("/metrics", "/healthz"):
                HTTP_LATENCY.labels(self.service, scope.get("method", ""), path,
                                    str(status_holder["status"])).observe(time.perf_counter() - start)
