"""R-12 the scheduled monthly rotation: once per month and client, on or after the month's first
working day (Chinese calendar, 调休 included), for the month just ended. The rotation_runs register
makes it once across restarts and replicas; it leaves a preview for the team lead, or commits when
RECOUP_ROTATION_AUTO_COMMIT is on."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import asyncpg

from recoup_shared.clock import month_start, previous_month
from recoup_shared.errors import ServiceError
from recoup_shared.logging import get_logger

from ..context import Ctx
from ..store import facts
from .commands import PreviewRotation
from .commit import commit
from .common import SYSTEM_ROTATION_PRINCIPAL
from .previews import preview_rotation

log = get_logger(__name__)


def month_due(ctx: Ctx, today: date) -> date | None:
    """The month to rotate on `today`: the previous one, from the month's first working day on."""
    first_working = ctx.calendar.add_working_days(month_start(today), 0)
    return previous_month(today) if today >= first_working else None


async def rotate_client(conn: asyncpg.Connection, ctx: Ctx, month: date,
                        client_id: str) -> dict[str, Any] | None:
    """One client's run, in the caller's transaction; None when another run (a replica, an
    earlier check) already claimed this month and client."""
    if not await facts.claim_rotation_run(conn, month, client_id):
        return None
    plan = await preview_rotation(conn, ctx, SYSTEM_ROTATION_PRINCIPAL,
                                  PreviewRotation(month=month, client_id=client_id),
                                  ttl_minutes=ctx.settings.rotation_plan_ttl_minutes)
    plan_id = uuid.UUID(plan["plan_id"])
    status, detail = "previewed", None
    if plan["cases_planned"] == 0:
        status = "empty"
    elif ctx.settings.rotation_auto_commit:
        try:
            async with conn.transaction():  # savepoint: a refused commit keeps the preview
                await commit(conn, ctx, SYSTEM_ROTATION_PRINCIPAL, plan_id)
            status = "committed"
        except ServiceError as exc:
            detail = f"auto-commit refused: {exc.detail or exc.title}"
    await facts.finish_rotation_run(conn, month, client_id, plan_id=plan_id, status=status, detail=detail)
    log.info("scheduled rotation", client_id=client_id, month=month.isoformat(), status=status,
             planned=plan["cases_planned"], detail=detail)
    return {"client_id": client_id, "month": month, "plan_id": plan["plan_id"], "status": status,
            "cases_planned": plan["cases_planned"]}
