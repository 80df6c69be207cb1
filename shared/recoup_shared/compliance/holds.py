"""Holds, third parties and visit teams: the refusals no waiting can clear (next_allowed is None).

Holds stop all contact — every channel, every party, exemption or not (nothing overrides a hold) —
until lifted by a role allowed to lift that kind (R-17: only the client's instruction resumes a
disputed case; R-47; R-22). Holds live on the case level; placing or lifting one is a new version of
that level, so it is audited and takes effect at once.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from .catalog import HOLD_KINDS, NOTICES, RULES
from ..vocabulary import COLLECTION_STOP_FLAGS, ClientFlag
from .inheritance import EffectivePolicy
from .levels import PolicyLevel
from .model import Channel, Direction, LevelKind, Notice, Party, Reason, Request

# client flags that stop collection -> the hold they place.
FLAG_HOLDS: dict[str, str] = {str(flag): str(flag) for flag in COLLECTION_STOP_FLAGS}
SPECIAL_POPULATION_FLAG = ClientFlag.SPECIAL_POPULATION.value


class HoldLiftForbidden(PermissionError):
    """The role may not lift this hold (the API answers 403)."""

    def __init__(self, hold: str, roles: Iterable[str], allowed: Iterable[str]) -> None:
        self.hold, self.allowed = hold, sorted(allowed)
        super().__init__(f"hold {hold} can only be lifted by: {', '.join(self.allowed)} "
                         f"(not {', '.join(sorted(roles)) or 'no role'})")


def hold_reasons(policy: EffectivePolicy) -> list[Reason]:
    out = []
    for kind, info in policy.holds:
        rule = f"hold.{kind}"
        since = f" since {info['since']}" if info.get("since") else ""
        out.append(Reason(rule=rule, ref=RULES[rule].ref, detail=f"{RULES[rule].what}{since}"))
    return out


def party_checks(policy: EffectivePolicy, request: Request) -> tuple[list[Reason], list[Notice]]:
    """R-18: never call a third party who asked not to be; never tell one who does not know."""
    if request.party != Party.THIRD_PARTY:
        return [], []
    tp = policy.third_party(request.contact_person or "")
    reasons: list[Reason] = []
    notices: list[Notice] = []
    if tp.do_not_call and request.direction == Direction.OUTBOUND:   # they may still call us
        r = RULES["third_party.do_not_call"]
        reasons.append(Reason(rule="third_party.do_not_call", ref=r.ref, detail=r.what))
    if not tp.knows_debt:
        n = NOTICES["third_party.no_disclosure"]
        notices.append(Notice(rule="third_party.no_disclosure", ref=n.ref, detail=n.what))
    return reasons, notices


def team_checks(policy: EffectivePolicy, request: Request) -> list[Reason]:
    """R-36 teams of at least two; R-16 at most two agents at a special-population debtor's door."""
    if request.channel != Channel.VISIT:
        return []
    out = []
    if request.agents < policy.min_agents:
        out.append(Reason(rule="visit.min_agents", ref=RULES["visit.min_agents"].ref,
                          limit=policy.min_agents, count=request.agents,
                          detail=f"a visit needs at least {policy.min_agents} agents"))
    cap = policy.max_special_agents
    if cap is not None and request.agents > cap:
        rule = "special_population.visit_agents"
        out.append(Reason(rule=rule, ref=RULES[rule].ref, limit=cap, count=request.agents,
                          detail=f"at most {cap} agents may visit this debtor"))
    return out


def place_hold(case_level: PolicyLevel, hold: str, *, since: datetime, by: str | None = None,
               note: str | None = None) -> PolicyLevel:
    """The case level with `hold` in force (a new version for the service to save)."""
    _case(case_level, hold)
    info = {"since": since.isoformat(), "by": by, "note": note}
    return case_level.with_values({**case_level.values, f"holds.{hold}": info})


def lift_hold(case_level: PolicyLevel, hold: str, roles: Iterable[str],
              policy: EffectivePolicy) -> PolicyLevel:
    """The case level without `hold`, if one of `roles` may lift it (else HoldLiftForbidden)."""
    _case(case_level, hold)
    roles = set(roles)
    allowed = policy.values[f"hold_lift_roles.{hold}"]
    if not roles.intersection(allowed):
        raise HoldLiftForbidden(hold, roles, allowed)
    values = {k: v for k, v in case_level.values.items() if k != f"holds.{hold}"}
    return case_level.with_values(values)


def case_values_from_flags(flags: Iterable[str], *, since: datetime) -> dict[str, Any]:
    """The case-level values a client's flags imply (R-16, R-17): for the contact service when a case
    arrives or its flags change."""
    out: dict[str, Any] = {}
    for flag in flags:
        if flag in FLAG_HOLDS:
            out[f"holds.{FLAG_HOLDS[flag]}"] = {"since": since.isoformat(), "by": "client",
                                                "note": f"client flag {flag}"}
        elif flag == SPECIAL_POPULATION_FLAG:
            out["special_population.kind"] = "client_flag"
    return out


def _case(level: PolicyLevel, hold: str) -> None:
    if level.kind != LevelKind.CASE:
        raise ValueError("holds live on the case level")
    if hold not in HOLD_KINDS:
        raise ValueError(f"unknown hold {hold!r} (known: {', '.join(HOLD_KINDS)})")
