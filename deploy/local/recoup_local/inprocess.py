"""Run a service in-process against the test stack: real pool, real broker, real lifespan.

    async with running_service(stack, "allocation") as svc:
        r = await svc.client.get("/v1/...", headers=svc.auth("team_lead", sub="lead-1"))

Each service's `create_app(settings=None)` accepts explicit settings, so several services run
side by side in one test process, each on its own database.
"""

from __future__ import annotations

import importlib
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, AsyncIterator

import httpx
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from recoup_shared.auth import mint_token


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
