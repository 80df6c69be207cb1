"""Consumed events: HANDLERS maps an event type to a thin batch handler, called inside the
consumer's transaction (the inbox has already dropped repeated event ids): validate the payloads,
fold the batch, call the set-based use case."""

from __future__ import annotations

from typing import Any

import asyncpg
from pydantic import BaseModel, ValidationError

from recoup_shared.bus import BatchHandler, Envelope, PoisonEvent
from recoup_shared.bus import topics as t
from recoup_shared.bus.events import (CaseAllocated, CasePaused, CaseReceived, CaseResumed, CaseUpdated,
                                      LetterDispatched, LetterReturned, PaymentPosted, SmsSent, VisitCancelled,
                                      VisitCompleted)

from .context import Ctx
from .usecases import casefacts, fieldwork, payments


def _payload(env: Envelope, model: type[BaseModel]) -> Any:
    try:
        return model.model_validate(env.payload)
    except ValidationError as exc:   # never retried: straight to <topic>.dlq
        raise PoisonEvent(f"{env.event_type} {env.event_id}: {exc.error_count()} invalid field(s)") from None


def _batch(envs: list[Envelope], model: type[BaseModel]) -> list[tuple[str, str, Any, Any]]:
    return [(env.case_id, env.client_id, env.occurred_at, _payload(env, model)) for env in envs]


async def on_case_received(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    await casefacts.apply_received(conn, ctx, _batch(envs, CaseReceived))


async def on_case_updated(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    await casefacts.apply_updated(conn, ctx, _batch(envs, CaseUpdated))


async def on_case_allocated(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    await casefacts.apply_allocated(conn, ctx, _batch(envs, CaseAllocated))


async def on_case_paused(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    await casefacts.apply_paused(conn, ctx, _batch(envs, CasePaused))


async def on_case_resumed(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    await casefacts.apply_paused(conn, ctx, _batch(envs, CaseResumed))


async def on_payment_posted(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    await payments.apply_payments(conn, ctx, [(env.case_id, env.client_id, env.occurred_at, env.event_id,
                                               _payload(env, PaymentPosted)) for env in envs])


async def on_visit_completed(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    for env in envs:   # rare and per case: one use case each
        await fieldwork.apply_visit(conn, ctx, env.case_id, str(env.event_id), _payload(env, VisitCompleted))


async def on_letter_dispatched(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    await fieldwork.apply_letters_dispatched(conn, ctx, [(env.case_id, str(env.event_id),
                                                          _payload(env, LetterDispatched)) for env in envs])


async def on_letter_returned(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    for env in envs:
        await fieldwork.apply_letter_returned(conn, ctx, env.case_id, _payload(env, LetterReturned))


async def on_visit_cancelled(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    await fieldwork.apply_visits_cancelled(conn, [(env.case_id, _payload(env, VisitCancelled)) for env in envs])


async def on_sms_sent(conn: asyncpg.Connection, ctx: Ctx, envs: list[Envelope]) -> None:
    await fieldwork.apply_sms_sent(conn, ctx, [(env.case_id, _payload(env, SmsSent)) for env in envs])


HANDLERS: dict[str, BatchHandler] = {
    t.CASE_RECEIVED: on_case_received,
    t.CASE_UPDATED: on_case_updated,
    t.CASE_ALLOCATED: on_case_allocated,
    t.CASE_PAUSED: on_case_paused,
    t.CASE_RESUMED: on_case_resumed,
    t.PAYMENT_POSTED: on_payment_posted,
    t.VISIT_COMPLETED: on_visit_completed,
    t.LETTER_DISPATCHED: on_letter_dispatched,
    t.LETTER_RETURNED: on_letter_returned,
    t.SMS_SENT: on_sms_sent,
    t.VISIT_CANCELLED: on_visit_cancelled,
}
