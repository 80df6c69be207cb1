"""Ctx: built once in the lifespan, handed to routes (api/deps.Context), handlers and jobs alike.

Allocation holds nothing long-lived beyond the shared part (settings, business clock, calendar,
protector, pool): its big plans run in worker threads (`usecases.common.compute`) and need no
pool of their own."""

from __future__ import annotations

from dataclasses import dataclass

from recoup_shared.context import Context

from .settings import AllocationSettings


@dataclass
class Ctx(Context):
    settings: AllocationSettings


async def build(base: Context) -> Ctx:
    return Ctx.extend(base)
