"""The compliance gate for one visit at arrival and at record time (R-14, R-15, R-16, R-17,
R-36), with the policy and history fieldops keeps; and the effective policy of a case as fieldops
sees it (what `policy.changed` delivered plus the case's flags).

History and reservations are read and written under one advisory lock ("fieldops-attempts"), which
planning takes too: two recordings of one case never both pass a cap of one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.locks import xact_lock

from ..context import Ctx
from ..rules.compliance import Verdict, VisitProposal
from ..rules.errors import VisitRefused
from ..rules.policy import PolicyBook
from ..rules.slots import place_of
from ..rules.visit_gate import CasePolicy, EngineCompliance
from ..store import attempts, policies

ATTEMPTS_LOCK = "fieldops-attempts"


async def book_for(conn: asyncpg.Connection, rows: Sequence[Any]) -> PolicyBook:
    """The policy levels of these cases' clients, placements and case levels."""
    levels = await policies.levels(conn, clients={r["client_id"] for r in rows},
                                   placements={r["placement_id"] for r in rows if r["placement_id"]},
                                   cases={r["case_id"] for r in rows})
    return PolicyBook(levels)


def case_policy(book: PolicyBook, case: Any, province: str | None) -> CasePolicy:
    return book.case_policy(case_id=case["case_id"], client_id=case["client_id"],
                            placement_id=case["placement_id"], flags=case["flags"] or (),
                            province=province)


async def gate(conn: asyncpg.Connection, ctx: Ctx, who: Principal, *, visit_row: Any, case: Any,
               start: datetime, end: datetime, agent_ids: Sequence[str], stage: str) -> Verdict:
    """Decides the visit at [start, end) with its agents; a refusal is stored with its reasons and
    raised as VisitRefused (the route answers it after committing the refusal)."""
    await xact_lock(conn, ATTEMPTS_LOCK)
    cp = case_policy(await book_for(conn, [case]), case, visit_row["province"])
    horizon = cp.policy.horizon
    history = await attempts.history(conn, [case["case_id"]], start - horizon, start + horizon,
                                     exclude_visit=str(visit_row["visit_id"]))
    checker = EngineCompliance(lambda _: cp, [(case["case_id"], a) for a in history[case["case_id"]]],
                               ctx.calendar)
    zone = cp.zones.primary
    proposal = VisitProposal(
        visit_id=str(visit_row["visit_id"]), case_id=case["case_id"], day=start.astimezone(zone).date(),
        start=start, end=max(start, end), agent_ids=tuple(agent_ids),
        special_population=cp.policy.special is not None, client_id=case["client_id"], zone=zone,
        place=place_of(visit_row["address_kind"], ctx.slots))
    verdict = checker.check(proposal)
    if not verdict.allowed:
        await attempts.refuse(conn, [(proposal.visit_id, case["case_id"], stage, ctx.clock.now(), start,
                                      who.sub, verdict.reasons(), verdict.policy_fingerprint)])
        nxt = [r.next_allowed for r in verdict.refusals]
        raise VisitRefused(
            "; ".join(f"{r.ref} {r.detail}" for r in verdict.refusals),
            reasons=verdict.reasons(),
            next_allowed=max(nxt).isoformat() if nxt and None not in nxt else None)
    return verdict


async def explain(conn: asyncpg.Connection, case: Any, province: str | None) -> dict[str, Any]:
    """GET /v1/cases/{id}/visit-policy: every value and the level that set it."""
    cp = case_policy(await book_for(conn, [case]), case, province)
    return {"case_id": case["case_id"], "fingerprint": cp.policy.fingerprint,
            "zones": list(cp.zones.names), "special_population": cp.policy.special,
            "values": cp.policy.explain()}
