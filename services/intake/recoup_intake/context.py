"""Ctx: built once in the lifespan, handed to routes (api/deps.Context), handlers and jobs.

Beside the shared part (settings, business clock, calendar, protector, pool) intake holds the
placement worker processes (adapters/workers.py): started here, before the first request, so a
big placement does not pay for their start; stopped in `close()`, after uvicorn has finished the
requests in flight."""

from __future__ import annotations

import asyncio
import multiprocessing
from dataclasses import dataclass

from recoup_shared.context import Context
from recoup_shared.logging import get_logger

from .adapters.workers import PlacementWorkers
from .settings import IntakeSettings

# What the worker processes import before they fork (the functions they run live there): the
# placement workers' parts and the bounded upload reader (adapters/upload_worker.py).
log = get_logger(__name__)

WORKER_MODULES = ["recoup_intake.usecases.placements.parts", "recoup_intake.adapters.upload_worker"]


@dataclass
class Ctx(Context):
    settings: IntakeSettings
    workers: PlacementWorkers | None = None   # None: placement_workers = 0 (all in-process)

    async def close(self) -> None:
        workers, self.workers = self.workers, None
        if workers is not None:
            await asyncio.to_thread(workers.shutdown)


async def build(base: Context) -> Ctx:
    ctx = Ctx.extend(base)
    if ctx.settings.upload_worker:  # before the forkserver starts (the first worker process)
        multiprocessing.get_context("forkserver").set_forkserver_preload(
            ["recoup_intake.adapters.workers", *WORKER_MODULES])
    if ctx.settings.placement_workers > 0:
        workers = PlacementWorkers(ctx.settings.placement_workers, ctx.protector, preload=WORKER_MODULES)
        compiled = await workers.start()
        ctx.workers = workers
        # compiled: the case rules run as compiled code (compiled.txt); false after an edit until
        # `make venv`, or in a build without mypyc — same results, ~20 % more CPU per case.
        log.info("placement workers started", workers=workers.size, compiled=compiled)
    return ctx
