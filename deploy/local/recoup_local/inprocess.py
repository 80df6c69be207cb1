"""Run a service in-process against the test stack: real pool, real broker, real lifespan.

    async with running_service(stack, "allocation") as svc:
        r = await svc.client.get("/v1/...", headers=svc.auth("team_lead", sub="lead-1"))

Each service's `create_app(settings=None)` accepts explicit settings, so several services run
side by side in one test process, each on its own database.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import threading
import traceback
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from recoup_shared.auth import mint_token

from .stack import CONSUMER_TIMERS


@dataclass
class RunningService:
    name: str
    app: FastAPI
    client: httpx.AsyncClient

    @property
    def pool(self):
        return self.app.state.pool

    @staticmethod
    def auth(role: str, sub: str | None = None, client_id: str | None = None,
             team_id: str | None = None) -> dict[str, str]:
        token = mint_token(sub=sub or client_id or role, roles=[role], client_id=client_id, team_id=team_id)
        return {"authorization": f"Bearer {token}"}


def settings_for(stack: Any, name: str, **overrides: Any):
    module = importlib.import_module(f"recoup_{name}.app")
    settings_cls = getattr(module, "SETTINGS_CLASS")
    values = dict(profile="test", service_name=name, database_url=stack.dsn(name),
                  kafka_bootstrap_servers=stack.bootstrap, relay_poll_seconds=0.2,
                  clock_file=str(stack.clock_file),
                  consumer_session_timeout_ms=CONSUMER_TIMERS["session_timeout_ms"],
                  consumer_heartbeat_ms=CONSUMER_TIMERS["heartbeat_interval_ms"],
                  # in-process services log beside the real ones: the session scans them all
                  log_file=str(stack.log_dir / f"{name}.inprocess.log"))
    values.update(overrides)
    return settings_cls(**values)


@asynccontextmanager
async def running_service(stack: Any, name: str, **overrides: Any) -> AsyncIterator[RunningService]:
    module = importlib.import_module(f"recoup_{name}.app")
    app: FastAPI = module.create_app(settings_for(stack, name, **overrides))
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=60) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}",
                                     timeout=300) as client:
            yield RunningService(name=name, app=app, client=client)


@asynccontextmanager
async def running_services(stack: Any, **services: dict[str, Any]) -> AsyncIterator[tuple[RunningService, ...]]:
    """Several services in-process, started at once — each start waits for its consumer to join
    the group (~2 s on the local stack), one after the other that added up. The services in the
    order named, each with its overrides:

        async with running_services(stack, intake={}, billing=dict(allow_issue_open_month=True)) as (intake, billing):
    """
    async with contextlib.AsyncExitStack() as exits:
        async def start(name: str, overrides: dict[str, Any]) -> RunningService:
            return await exits.enter_async_context(running_service(stack, name, **overrides))
        started = await asyncio.gather(*(start(n, o) for n, o in services.items()), return_exceptions=True)
        failed = [r for r in started if isinstance(r, BaseException)]
        if failed:
            raise failed[0]  # the ones that started are stopped on the way out
        yield tuple(started)  # type: ignore[arg-type]


class ThreadedService:
    """A service in-process, on an event loop of its own in a background thread, reachable from
    any other thread or loop through `asgi` — for synchronous drivers such as schemathesis, whose
    ASGI client runs requests on its own loop while the service's pool, consumer, relay and jobs
    stay on theirs.

        with ThreadedService(stack, "letters", database_url=dsn) as svc:
            schema = schemathesis.openapi.from_asgi("/openapi.json", svc.asgi)

    `errors` keeps the tracebacks of requests the application raised on (after it answered 500),
    so a failure can say where the service broke."""

    def __init__(self, stack: Any, name: str, *, fresh_database: bool = False, **overrides: Any) -> None:
        """`fresh_database`: the service runs on a new database of its own (its migrations
        applied), so what the caller writes stays out of the session's other tests."""
        self.stack, self.name, self.overrides = stack, name, overrides
        self.fresh_database = fresh_database
        self.loop: asyncio.AbstractEventLoop | None = None
        self.app: FastAPI | None = None
        self.errors: list[str] = []
        self._thread: threading.Thread | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    def __enter__(self) -> "ThreadedService":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout: float = 120) -> None:
        self._thread = threading.Thread(target=self._run, name=f"service-{self.name}", daemon=True)
        self._thread.start()
        if not self._ready.wait(timeout):
            raise RuntimeError(f"{self.name} did not start within {timeout:.0f}s")
        if self._failure is not None:
            raise RuntimeError(f"{self.name} failed to start") from self._failure

    def stop(self, timeout: float = 120) -> None:
        if self.loop is not None and self._stop is not None and self._thread is not None:
            self.loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(timeout)
        if self._failure is not None:
            raise RuntimeError(f"{self.name} failed while stopping") from self._failure

    def _run(self) -> None:
        self.loop = asyncio.new_event_loop()
        try:
            self.loop.run_until_complete(self._serve())
        except BaseException as exc:  # noqa: BLE001 - reported by start()/stop() in the caller's thread
            self._failure = exc
        finally:
            self._ready.set()
            self.loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        if self.fresh_database and "database_url" not in self.overrides:
            from . import services

            package = services.package(self.name) if services.has_migrations(self.name) else None
            self.overrides["database_url"] = await self.stack.new_database(package=package)
        async with running_service(self.stack, self.name, **self.overrides) as svc:
            self.app = svc.app
            self._ready.set()
            await self._stop.wait()

    def call(self, coro: Any, timeout: float = 300) -> Any:
        """Run a coroutine on the service's loop (e.g. a query on its pool); its result."""
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def asgi(self, scope: dict, receive: Any, send: Any) -> None:
        """ASGI entry for callers on another loop: the request is read there, handled on the
        service's loop, and its answer replayed to the caller. Lifespan events are acknowledged
        only: the real lifespan ran when the service started."""
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                kind = message["type"].rsplit(".", 1)[-1]
                await send({"type": f"lifespan.{kind}.complete"})
                if kind == "shutdown":
                    return
        incoming = []
        while True:
            message = await receive()
            incoming.append(message)
            if message["type"] != "http.request" or not message.get("more_body", False):
                break
        assert self.loop is not None
        outgoing = await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(self._handle(dict(scope), incoming), self.loop))
        for message in outgoing:
            await send(message)

    async def _handle(self, scope: dict, incoming: list[dict]) -> list[dict]:
        pending = list(incoming)
        outgoing: list[dict] = []
        done = asyncio.Event()

        async def receive() -> dict:
            if pending:
                return pending.pop(0)
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict) -> None:
            outgoing.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                done.set()

        assert self.app is not None
        try:
            await self.app(scope, receive, send)
        except Exception:  # noqa: BLE001 - Starlette re-raises after its 500: keep the answer
            self.errors.append(traceback.format_exc())
            if not outgoing:
                raise
        return outgoing
