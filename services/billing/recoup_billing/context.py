"""Ctx: built once in the lifespan, handed to routes (api/deps.Context), handlers and jobs.

Billing holds nothing long-lived beyond the shared part: its settings (the close configuration,
the business zone of repayment dates), the business clock (business today, computed_at) and the
pool."""

from __future__ import annotations

from dataclasses import dataclass

from recoup_shared.context import Context

from .settings import BillingSettings


@dataclass
class Ctx(Context):
    settings: BillingSettings


async def build(base: Context) -> Ctx:
    return Ctx.extend(base)
