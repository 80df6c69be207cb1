"""THE GATE: every dial and every logged outbound attempt passes `check_and_reserve` (R-14..R-18,
R-47). It uses the shared compliance engine (recoup_shared.compliance): the policy (policy.py:
system level from settings, the case's flags, holds and contact persons), the debtor's zones, and
the case's attempt history read under the case lock; an allowed request is reserved in the same
transaction, so fifty concurrent dials on one case never let more through than the cap. A refusal
is recorded with its reasons and the next allowed moment (`GateRefused` commits it and answers 409).

`evaluate` is the same decision without lock or writes: the case page's "callable now / next at"
and what POST /v1/compliance/evaluate (the compliance issue) will answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.compliance import (Attempt, Channel, Decision, Direction, Exemption, Outcome, Party, Request,
                                      decide)

from ..context import Ctx
from ..rules import Result
from ..rules.errors import GateRefused
from ..store import attempts as attempt_store
from ..store import points as point_store
from .common import lock_case
from .policy import policy_for, zones_for

# What a record's result says about the attempt (the engine counts CONNECTED as an effective call).
_OUTCOMES = {
    Result.CONNECTED: Outcome.CONNECTED, Result.CALLBACK_REQUESTED: Outcome.CONNECTED,
    Result.DO_NOT_CALL_REQUESTED: Outcome.CONNECTED,
    Result.NO_ANSWER: Outcome.NO_ANSWER, Result.REFUSED: Outcome.NO_ANSWER, Result.HUNG_UP: Outcome.NO_ANSWER,
    Result.WRONG_PARTY: Outcome.NO_ANSWER,
    Result.BUSY: Outcome.NOT_CONNECTED, Result.SWITCHED_OFF: Outcome.NOT_CONNECTED,
    Result.EMPTY_NUMBER: Outcome.NOT_CONNECTED, Result.SUSPENDED: Outcome.NOT_CONNECTED,
    Result.SMS_SENT: Outcome.CONNECTED, Result.SMS_FAILED: Outcome.NOT_CONNECTED,
}


def outcome_of(result: Result) -> Outcome:
    return _OUTCOMES.get(result, Outcome.NO_ANSWER)


@dataclass(frozen=True, slots=True)
class GateRequest:
    case: Any                          # the case row (store.cases.get)
    channel: Channel                   # call | sms
    at: datetime
    point: Any | None = None           # the contact point row
    direction: Direction = Direction.OUTBOUND
    exemption: Exemption | None = None
    exemption_at: datetime | None = None
    purpose: str = "dial"              # dial | log
    outcome: Outcome = Outcome.PENDING  # a log knows its outcome; a dial waits for it
    call_id: UUID | None = None
    record_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class GateResult:
    decision: Decision
    attempt_id: UUID | None = None
    refusal_id: UUID | None = None
    reservation: dict[str, Any] | None = None   # deferred: the caller writes it (store.attempts.ATTEMPT_COLUMNS)

    @property
    def allowed(self) -> bool:
        return self.decision.allowed


def _party(point: Any | None) -> tuple[Party, str | None]:
    """The engine's party: the debtor, or a contact person (R-18) known by their contact point."""
    if point is None or point["party"] == "debtor":
        return Party.DEBTOR, None
    return Party.THIRD_PARTY, str(point["point_id"])


def history_of(rows: list[Any]) -> list[Attempt]:
    return [Attempt(at=r["at"], channel=Channel(r["channel"]), party=Party(r["party"]),
                    contact_point=str(r["point_id"]) if r["point_id"] else None,
                    contact_person=r["contact_person"], outcome=Outcome(r["outcome"]),
                    direction=Direction(r["direction"]),
                    exemption=Exemption(r["exemption"]) if r["exemption"] else None, agents=r["agents"])
            for r in rows]


def history_of_json(items: list[list[Any]]) -> list[Attempt]:
    """The history read with the case (store.casepage.HISTORY): [at, channel, party, point_id,
    contact_person, outcome, direction, exemption, agents] per attempt."""
    return [Attempt(at=datetime.fromisoformat(a[0]), channel=Channel(a[1]), party=Party(a[2]), contact_point=a[3],
                    contact_person=a[4], outcome=Outcome(a[5]), direction=Direction(a[6]),
                    exemption=Exemption(a[7]) if a[7] else None, agents=a[8]) for a in items]


async def _history(conn: asyncpg.Connection, ctx: Ctx, req: GateRequest, since: datetime,
                   fresh: bool) -> list[Attempt]:
    """The attempts since `since`: as read with the case when that read is fresh enough (after the
    case lock, reaching back far enough), else read now — and the longer horizon remembered."""
    pre = req.case.get("history") if fresh else None
    if pre is not None and req.case["history_since"] <= since:
        return history_of_json(pre)
    horizon = req.at - since
    if horizon > ctx.gate_horizon:
        ctx.gate_horizon = horizon
    return history_of(await attempt_store.history(conn, req.case["case_id"], since))


def _request(req: GateRequest) -> Request:
    party, person = _party(req.point)
    return Request(at=req.at, channel=req.channel, party=party,
                   contact_point=str(req.point["point_id"]) if req.point is not None else None,
                   contact_person=person, direction=req.direction, exemption=req.exemption,
                   exemption_at=req.exemption_at)


async def _decide(conn: asyncpg.Connection, ctx: Ctx, req: GateRequest, points: list[Any] | None,
                  fresh: bool) -> Decision:
    if points is None:
        points = await point_store.of_case(conn, req.case["case_id"])
    policy = await policy_for(conn, ctx, req.case, points)
    zones = zones_for(policy, req.case, points, req.point)
    history = await _history(conn, ctx, req, req.at - policy.horizon, fresh)
    return decide(policy, zones, history, _request(req), calendar=ctx.calendar)


async def evaluate(conn: asyncpg.Connection, ctx: Ctx, req: GateRequest, *,
                   points: list[Any] | None = None) -> Decision:
    """The decision as of `req.at`, without side effects (no lock, nothing reserved or recorded)."""
    return await _decide(conn, ctx, req, points, fresh=True)


async def evaluate_points(conn: asyncpg.Connection, ctx: Ctx, case: Any, points: list[Any], at: datetime,
                          channel: Channel = Channel.CALL) -> dict[Any, Decision]:
    """The case page: may each phone be called now? One policy and one history read for the case,
    one side-effect-free decision per phone (zones differ by the number's region)."""
    phones = [p for p in points if p["kind"] != "address"]
    if not phones:
        return {}
    policy = await policy_for(conn, ctx, case, points)
    rows = await attempt_store.history(conn, case["case_id"], at - policy.horizon)
    history = history_of(rows)
    out = {}
    for p in phones:
        req = GateRequest(case=case, channel=channel, at=at, point=p)
        out[p["point_id"]] = decide(policy, zones_for(policy, case, points, p), history, _request(req),
                                    calendar=ctx.calendar)
    return out


async def evaluate_cases(conn: asyncpg.Connection, ctx: Ctx, cases: list[Any], at: datetime,
                         channel: Channel = Channel.CALL) -> dict[str, Decision]:
    """The worklist: may each case's debtor be called at `at` (any of their numbers; the number's own
    region and the contact persons are the case page's)? One statement for the page's facts."""
    if not cases:
        return {}
    policies = {c["case_id"]: await policy_for(conn, ctx, c, []) for c in cases}
    horizon = max(p.horizon for p in policies.values())
    facts = await attempt_store.cases_facts(conn, list(policies), at - horizon)
    out = {}
    for c in cases:
        policy, f = policies[c["case_id"]], facts[c["case_id"]]
        addresses = [{"kind": "address", "party": "debtor", "province": p} for p in f["provinces"] or ()]
        req = Request(at=at, channel=channel)
        out[c["case_id"]] = decide(policy, zones_for(policy, c, addresses, None), history_of_json(f["history"]),
                                   req, calendar=ctx.calendar)
    return out


async def check_and_reserve(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, req: GateRequest, *,
                            points: list[Any] | None = None, locked: bool = False,
                            defer: bool = False) -> GateResult:
    """The one function every dial and every logged outbound attempt goes through. `locked`: the
    caller took the case lock and then read the case (with its history) and `points`. `defer`: the
    reservation is returned (`GateResult.reservation`) for the caller to write in its own statement
    of this transaction, still under the lock (the contact form: one round trip less)."""
    if not locked:
        await lock_case(conn, req.case["case_id"])   # history read and reservation under one lock
    decision = await _decide(conn, ctx, req, points, fresh=locked)
    party, person = _party(req.point)
    point_id = req.point["point_id"] if req.point is not None else None
    if decision.allowed:
        attempt_id = uuid4()
        attempt = decision.attempt(req.outcome)
        row = dict(attempt_id=attempt_id, case_id=req.case["case_id"], at=attempt.at, channel=attempt.channel.value,
                   party=party.value, point_id=point_id, contact_person=person, direction=attempt.direction.value,
                   outcome=attempt.outcome.value, exemption=attempt.exemption.value if attempt.exemption else None,
                   agents=attempt.agents, collector_id=principal.sub, purpose=req.purpose, call_id=req.call_id,
                   record_id=req.record_id, policy_fingerprint=decision.policy_fingerprint,
                   settled_at=None if req.outcome is Outcome.PENDING else ctx.clock.now())
        if defer:
            return GateResult(decision, attempt_id=attempt_id, reservation=row)
        await attempt_store.reserve(conn, fingerprint=decision.policy_fingerprint,
                                    **{k: v for k, v in row.items() if k != "policy_fingerprint"})
        return GateResult(decision, attempt_id=attempt_id)
    refusal_id = uuid4()
    await attempt_store.refuse(
        conn, refusal_id=refusal_id, case_id=req.case["case_id"], collector_id=principal.sub, at=req.at,
        channel=req.channel.value, party=party.value, point_id=point_id, purpose=req.purpose,
        rules=decision.rules, next_allowed=decision.next_allowed, decision=decision.to_dict())
    return GateResult(decision, refusal_id=refusal_id)


def refused(result: GateResult) -> GateRefused:
    """The problem to raise for a refusal (it keeps the recorded refusal: see api/deps.Conn)."""
    return GateRefused(result.decision.to_dict(), str(result.refusal_id))


async def record_inbound(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case: Any, point: Any | None,
                         at: datetime, outcome: Outcome, record_id: UUID) -> UUID:
    """The debtor called in (R-15 exempt): not a request to decide — it happened — but history the
    engine needs (Reg F's conversation period counts it)."""
    await lock_case(conn, case["case_id"])
    party, person = _party(point)
    attempt_id = uuid4()
    await attempt_store.reserve(
        conn, attempt_id=attempt_id, case_id=case["case_id"], at=at, channel=Channel.CALL.value,
        party=party.value, point_id=point["point_id"] if point is not None else None, contact_person=person,
        direction=Direction.INBOUND.value, outcome=outcome.value, exemption=Exemption.INBOUND.value, agents=0,
        collector_id=principal.sub, purpose="log", call_id=None, record_id=record_id, fingerprint="",
        settled_at=at)
    return attempt_id


async def settle(conn: asyncpg.Connection, ctx: Ctx, attempt_id: UUID, outcome: Outcome, *,
                 record_id: UUID | None = None) -> None:
    """A dial's reservation gets its outcome (from the record or the CDR)."""
    await attempt_store.settle(conn, attempt_id, outcome.value, ctx.clock.now(), record_id=record_id)
