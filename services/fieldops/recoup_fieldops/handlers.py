"""Consumed events: HANDLERS maps an event type to a thin batch handler, called inside the
consumer's transaction (the inbox has already dropped repeated event ids). Set-based: a batch
costs a few statements whatever its size.

What fieldops keeps from them: the case's owner and phone team (case.allocated: who may request,
who is the phone manager — R-34), balance (R-35 thresholds), flags (R-16, R-17), status and pauses
(R-13: closed or recalled cases lose their open visits, paused ones leave the plans), the R-22
contact status (R-35 lost contact), addresses as they become known (R-25: skip tracing repairs an
address, R-35), and the compliance levels of `policy.changed` (issue 10: by event only).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TypeVar

import asyncpg
import orjson
import pydantic

from recoup_shared.bus import BatchHandler, Envelope, PoisonEvent
from recoup_shared.bus.events import (
    AddressOut,
    CaseAllocated,
    CasePaused,
    CaseReceived,
    CaseResumed,
    CaseUpdated,
    ContactLogged,
    PaymentPosted,
    PolicyChanged,
)
from recoup_shared.bus.topics import (
    CASE_ALLOCATED,
    CASE_PAUSED,
    CASE_RECEIVED,
    CASE_RESUMED,
    CASE_UPDATED,
    CONTACT_LOGGED,
    PAYMENT_POSTED,
    POLICY_CHANGED,
)
from recoup_shared.compliance import PolicyInvalid, validate_level

from .context import Ctx
from .rules.addresses import address_id
from .store import cases, policies
from .usecases.planning import cancel_cases, release_cases

P = TypeVar("P", bound=pydantic.BaseModel)


def _parsed(model: type[P], envelopes: Sequence[Envelope]) -> list[tuple[Envelope, P]]:
    out = []
    for env in envelopes:
        try:
            out.append((env, model.model_validate(env.payload)))
        except pydantic.ValidationError as exc:
            raise PoisonEvent(f"{env.event_type} payload does not match its model: {exc}") from exc
    return out


def _address_rows(case_id: str, found: Sequence[AddressOut], source: str, on: date,
                  at: datetime) -> list[tuple]:
    """R-4: an address intake marked invalid is never visited: not kept here."""
    return [(case_id, address_id(a.kind, a.province, a.city, a.district, a.line), a.kind, a.province,
             a.city, a.district, a.line, a.employer, a.verified, source, on, at, a.owner, a.postcode)
            for a in found if a.line and a.valid]


def _latest(rows: Sequence[tuple], at: int = -1, key: int = 0) -> list[tuple]:
    """One row per key (a statement may touch a row once): the newest by its moment."""
    best: dict = {}
    for r in rows:
        if r[key] not in best or best[r[key]][at] <= r[at]:
            best[r[key]] = r
    return list(best.values())


def _first_per_address(rows: Sequence[tuple]) -> list[tuple]:
    return list({(r[0], r[1]): r for r in reversed(rows)}.values())


def _local_day(ctx: Ctx, at: datetime) -> date:
    return at.astimezone(ctx.clock.zone).date()


async def on_case_received(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    rows, addresses = {}, []
    for env, p in _parsed(CaseReceived, envelopes):   # in partition order: the last one wins
        rows[env.case_id] = (env.case_id, env.client_id, p.placement_id, p.debtor.name, p.placed_amount,
                             orjson.dumps(p.flags).decode(), p.status, env.occurred_at)
        addresses += _address_rows(env.case_id, p.addresses, "placement", p.placed_on, env.occurred_at)
    await cases.upsert_received(conn, list(rows.values()))
    await cases.add_addresses(conn, _first_per_address(addresses))


async def on_case_updated(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    balances, statuses, flags, addresses, gone = [], {}, {}, [], []
    for env, p in _parsed(CaseUpdated, envelopes):
        if p.outstanding is not None:
            balances.append((env.case_id, env.client_id, p.outstanding, env.occurred_at))
        statuses[env.case_id] = (env.case_id, env.client_id, p.status)
        if p.flags is not None:
            flags[env.case_id] = (env.case_id, env.client_id, orjson.dumps(p.flags).decode())
        day = p.effective_on or _local_day(ctx, env.occurred_at)
        addresses += _address_rows(env.case_id, p.addresses_added, "client_update", day, env.occurred_at)
    for case_id, _, status in statuses.values():
        if status != "open":
            gone.append(case_id)
    await cases.set_outstanding(conn, _latest(balances))
    await cases.set_status(conn, list(statuses.values()))
    await cases.set_flags(conn, list(flags.values()))
    await cases.add_addresses(conn, _first_per_address(addresses))
    await cancel_cases(conn, gone, "case closed or recalled (R-13)", ctx.clock.now())


async def on_payment_posted(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    balances, closed = [], []
    for env, p in _parsed(PaymentPosted, envelopes):
        balances.append((env.case_id, env.client_id, p.outstanding, p.paid_at))
        if p.closes_case:
            closed.append((env.case_id, env.client_id, "closed"))
    await cases.set_outstanding(conn, _latest(balances))
    closed = list({c[0]: c for c in closed}.values())
    await cases.set_status(conn, closed)
    await cancel_cases(conn, [c[0] for c in closed], "case repaid and closed (R-5)", ctx.clock.now())


async def on_case_allocated(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    rows = [(env.case_id, env.client_id, p.collector_id, p.team_id, p.allocated_at)
            for env, p in _parsed(CaseAllocated, envelopes)]
    await cases.set_owner(conn, _latest(rows))


async def on_contact_logged(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    statuses, addresses = [], []
    for env, p in _parsed(ContactLogged, envelopes):
        if p.status:
            statuses.append((env.case_id, env.client_id, p.status, p.occurred_at))
        addresses += _address_rows(env.case_id, p.addresses_found, "skip_trace",
                                   _local_day(ctx, p.occurred_at), p.occurred_at)
    await cases.set_contact_status(conn, _latest(statuses))
    await cases.add_addresses(conn, _first_per_address(addresses))


async def on_case_paused(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    rows = [(env.case_id, env.client_id, True, p.paused_at) for env, p in _parsed(CasePaused, envelopes)]
    changed = await cases.set_paused(conn, _latest(rows))
    await release_cases(conn, changed, ctx.clock.now())      # agents do not go


async def on_case_resumed(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    parsed = _parsed(CaseResumed, envelopes)
    await cases.set_paused(conn, _latest([(env.case_id, env.client_id, False, p.resumed_at)
                                          for env, p in parsed]))
    await cases.set_owner(conn, _latest([(env.case_id, env.client_id, p.collector_id, p.team_id,
                                          p.resumed_at) for env, p in parsed if p.collector_id]))


async def on_policy_changed(conn: asyncpg.Connection, ctx: Ctx, envelopes: list[Envelope]) -> None:
    """A compliance level as contact saved it; validated again here (a level fieldops cannot read
    is dead-lettered, never half-applied)."""
    rows = []
    for env, p in _parsed(PolicyChanged, envelopes):
        try:
            level = validate_level(p.values, p.level, scope=p.scope_id, version=p.version)
        except PolicyInvalid as exc:
            raise PoisonEvent(f"policy.changed with an invalid level: {exc}") from exc
        rows.append(((p.level, p.scope_id or ""), p.version, level.values, p.changed_by, p.changed_at))
    newest = _latest(rows, at=1)                          # the highest version per scope
    await policies.upsert(conn, [(k[0], k[1], *rest) for k, *rest in newest])


HANDLERS: dict[str, BatchHandler] = {
    CASE_RECEIVED: on_case_received,
    CASE_UPDATED: on_case_updated,
    CASE_ALLOCATED: on_case_allocated,
    PAYMENT_POSTED: on_payment_posted,
    CONTACT_LOGGED: on_contact_logged,
    CASE_PAUSED: on_case_paused,
    CASE_RESUMED: on_case_resumed,
    POLICY_CHANGED: on_policy_changed,
}
