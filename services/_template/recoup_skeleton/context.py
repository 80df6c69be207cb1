"""Ctx: built once in the lifespan, handed to routes (api/deps.Context), handlers and jobs.

Add here what this service holds for its lifetime (worker pools, adapters to external systems)
and release it in `close()`."""

from __future__ import annotations

from dataclasses import dataclass

from recoup_shared.context import Context

from .settings import SkeletonSettings


@dataclass
class Ctx(Context):
    settings: SkeletonSettings


async def build(base: Context) -> Ctx:
    return Ctx.extend(base)
