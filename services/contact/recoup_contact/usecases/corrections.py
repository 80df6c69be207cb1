"""Corrections: records are append-only; a correction is a new record that references the original,
with a reason (rules/records.py: who, how long, how often; the channel and the call never change;
a judged promise is not changed). The attempt behind the original gets the corrected outcome; an
open promise the correction replaces is cancelled; the case's status follows the correction when
the original is the case's latest record."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from recoup_shared.auth import Principal

from ..context import Ctx
from ..rules import Channel, CorrectionDraft, PromiseState, RecordRef, check_correction
from ..rules.errors import CorrectionForbidden, CorrectionRefused, NotFoundHere
from ..store import points as point_store
from ..store import promises as promise_store
from ..store import records as record_store
from . import gate
from .common import client_config, get_case_for
from .record_effects import RecordPlan, apply_record
from .records import RecordCmd, validate


async def correct(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, record_id: UUID, cmd: RecordCmd,
                  reason: str) -> dict[str, Any]:
    original = await record_store.get(conn, record_id)
    if original is None:
        raise NotFoundHere("no such contact record")
    case = await get_case_for(conn, principal, original["case_id"], lock=True)
    cfg = await client_config(conn, ctx, case["client_id"])
    promise = await promise_store.get(conn, original["promise_id"]) if original["promise_id"] else None
    ref = RecordRef(id=str(original["record_id"]), author_id=original["collector_id"],
                    author_team_id=original["team_id"], recorded_at=original["recorded_at"],
                    channel=Channel(original["channel"]), call_id=str(original["call_id"]) if original["call_id"] else None,
                    corrects=str(original["corrects"]) if original["corrects"] else None,
                    promise_state=PromiseState(promise["state"]) if promise else None)
    now = ctx.clock.now()
    changes_promise = promise is not None or cmd.promise is not None
    errors = check_correction(ref, CorrectionDraft(corrects=str(record_id), reason=reason, channel=cmd.channel,
                                                   call_id=ref.call_id, changes_promise=changes_promise),
                              actor_id=principal.sub, actor_roles=principal.roles, actor_team_id=principal.team_id,
                              now=now, corrections_so_far=await record_store.corrections_of(conn, record_id),
                              cfg=cfg.corrections)
    if errors:
        never = any("only the author" in e.reason for e in errors)
        raise CorrectionForbidden(errors) if never else CorrectionRefused(errors)
    # the moment of the attempt never moves; the call it belongs to is already linked
    cmd = replace(cmd, occurred_at=original["occurred_at"], call_id=None, correction_reason=reason)
    points = await point_store.of_case(conn, case["case_id"])
    point, _, cfg, table, check = await validate(conn, ctx, case, cmd, now, points)
    if promise is not None and promise["state"] == PromiseState.OPEN:
        await promise_store.save_cancelled(conn, promise["promise_id"], now)
    new_id = uuid4()
    if original["attempt_id"] is not None:
        await gate.settle(conn, ctx, original["attempt_id"], gate.outcome_of(cmd.result), record_id=new_id)
    latest = await record_store.latest_of_case(conn, case["case_id"])
    plan = RecordPlan(case=case, cmd=cmd, point=point, call=None, cfg=cfg, table=table, status=check.status,
                      effective=check.effective, at=original["occurred_at"], now=now, record_id=new_id,
                      attempt_id=original["attempt_id"], collector_id=principal.sub,
                      team_id=principal.team_id or original["team_id"], correlation_id=None, original=original,
                      update_case=latest is not None and latest["record_id"] == record_id,
                      base_status=await record_store.status_before(conn, case["case_id"], original))
    return await apply_record(conn, ctx, plan)


__all__ = ["correct"]
