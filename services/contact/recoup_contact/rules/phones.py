"""Phones: the region of a number (号码归属地) and the order in which a case's contact points are dialled.

The region comes from libphonenumber's offline geocoder and carrier data (the `phonenumbers`
package): for a Chinese mobile it names the province/city where the number was issued, which also
helps place a debtor; for a landline the area code's city. No network, no tables of our own.

Dialling order (R-21) is per client and stage: early stage mobile → home → work, contact persons only
once the debtor is unreachable; a client may impose its own order (one client's: employer → contact
persons → village committee → family → debtor). Points whose state forbids dialling are skipped:
always "asked not to be called" (R-18); by default also wrong party and 空号 (configurable).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import phonenumbers
from phonenumbers import carrier, geocoder
from pydantic import Field, field_validator
from recoup_shared.identifiers import PhoneError, parse_phone

from .model import FAMILY, PHONE_KINDS, ConfigModel, Party, PointKind, PointState, Relationship

__all__ = [
    "PhoneRegion",
    "phone_region",
    "Stage",
    "DialStep",
    "DiallingPlan",
    "DiallingPolicy",
    "ContactPoint",
    "EARLY_STAGE_PLAN",
    "EMPLOYER_FIRST_PLAN",
    "dialable",
    "debtor_unreachable",
    "dialling_order",
]


@dataclass(frozen=True, slots=True)
class PhoneRegion:
    region: str | None      # e.g. "河南省郑州市"; None when unknown or not a valid Chinese number
    carrier: str | None     # e.g. "中国移动" (mobiles only; a ported number keeps its original carrier)
    is_mobile: bool


def phone_region(number: str, lang: str = "zh") -> PhoneRegion:
    """号码归属地 of a Chinese phone number in any form `recoup_shared.identifiers.parse_phone`
    accepts (separators, +86, full-width digits, extensions); never raises on bad input."""
    try:
        phone = parse_phone(number)
        parsed = phonenumbers.parse(phone.number, "CN")
    except (PhoneError, phonenumbers.NumberParseException):
        return PhoneRegion(None, None, False)
    region = geocoder.description_for_number(parsed, lang) or None
    operator = (carrier.name_for_number(parsed, lang) or None) if phone.is_mobile else None
    return PhoneRegion(region, operator, phone.is_mobile)


class Stage(StrEnum):
    EARLY = "early"
    LATE = "late"


@dataclass(frozen=True, slots=True)
class ContactPoint:
    id: str
    kind: PointKind
    party: Party
    state: PointState = PointState.UNKNOWN
    relationship: Relationship | None = None   # contact persons / third parties
    added_on: date | None = None


class DialStep(ConfigModel):
    """One step of a dialling order: the points of a party, optionally narrowed by kind/relationship."""

    party: Party
    kinds: frozenset[PointKind] = frozenset()                 # empty: any phone kind
    relationships: frozenset[Relationship] = frozenset()      # empty: any relationship

    def matches(self, p: ContactPoint) -> bool:
        return (p.party is self.party and (not self.kinds or p.kind in self.kinds)
                and (not self.relationships or p.relationship in self.relationships))


class DiallingPlan(ConfigModel):
    steps: tuple[DialStep, ...] = Field(min_length=1)
    # contact persons (and other third parties) only once the debtor is unreachable
    others_only_if_debtor_unreachable: bool = True


def _step(party: Party, kinds: Iterable[PointKind] = (), relationships: Iterable[Relationship] = ()) -> DialStep:
    return DialStep(party=party, kinds=frozenset(kinds), relationships=frozenset(relationships))


EARLY_STAGE_PLAN = DiallingPlan(steps=(                       # mobile → home → work → contacts
    _step(Party.DEBTOR, [PointKind.MOBILE]), _step(Party.DEBTOR, [PointKind.HOME]),
    _step(Party.DEBTOR, [PointKind.WORK]), _step(Party.DEBTOR),
    _step(Party.CONTACT_PERSON), _step(Party.THIRD_PARTY),
))
# R-21, one client's filtering order (seeds 004 过单顺序): employer → contact persons →
# village/residents' committee → family → debtor. The debtor comes last, so third parties are not
# held back behind the debtor's reachability.
EMPLOYER_FIRST_PLAN = DiallingPlan(others_only_if_debtor_unreachable=False, steps=(
    _step(Party.DEBTOR, [PointKind.WORK]),
    _step(Party.THIRD_PARTY, relationships=[Relationship.EMPLOYER, Relationship.COLLEAGUE]),
    _step(Party.CONTACT_PERSON, relationships=frozenset(Relationship) - FAMILY),
    _step(Party.THIRD_PARTY, relationships=[Relationship.VILLAGE_COMMITTEE]),
    _step(Party.CONTACT_PERSON, relationships=FAMILY), _step(Party.THIRD_PARTY, relationships=FAMILY),
    _step(Party.DEBTOR, [PointKind.MOBILE]), _step(Party.DEBTOR, [PointKind.HOME]), _step(Party.DEBTOR),
))
# R-18 asked not to be called; R-4 a malformed number is kept but never dialled
_ALWAYS_BLOCKED = frozenset({PointState.DO_NOT_CALL, PointState.INVALID})


class DiallingPolicy(ConfigModel):
    by_stage: dict[Stage, DiallingPlan] = Field(default_factory=lambda: {Stage.EARLY: EARLY_STAGE_PLAN})
    default: DiallingPlan = EARLY_STAGE_PLAN
    late_stage_from_dpd: int | None = Field(default=None, ge=1)   # DPD from which a case is LATE; None: all EARLY
    blocked_states: frozenset[PointState] = frozenset({PointState.DO_NOT_CALL, PointState.WRONG_PARTY,
                                                        PointState.EMPTY_NUMBER, PointState.UNDELIVERABLE})

    @field_validator("blocked_states")
    @classmethod
    def _do_not_call_blocked(cls, value: frozenset[PointState]) -> frozenset[PointState]:
        if PointState.DO_NOT_CALL not in value:
            raise ValueError("do_not_call must stay blocked (R-18)")
        return value

    def stage_for(self, dpd: int) -> Stage:
        return Stage.LATE if self.late_stage_from_dpd is not None and dpd >= self.late_stage_from_dpd else Stage.EARLY

    def plan_for(self, stage: Stage) -> DiallingPlan:
        return self.by_stage.get(stage, self.default)


def dialable(point: ContactPoint, policy: DiallingPolicy) -> bool:
    return point.kind in PHONE_KINDS and point.state not in (policy.blocked_states | _ALWAYS_BLOCKED)


def debtor_unreachable(points: Iterable[ContactPoint], policy: DiallingPolicy,
                       tried_without_answer: Iterable[str] = ()) -> bool:
    """R-21: the debtor counts as unreachable when none of the debtor's phones may be dialled, or
    every dialable one was tried in the current round without a conversation."""
    tried = set(tried_without_answer)
    return all(p.id in tried for p in points if p.party is Party.DEBTOR and dialable(p, policy))


# Within a step: confirmed numbers first, then untried, then ones that were off or suspended.
_STATE_RANK = {PointState.VALID: 0, PointState.UNKNOWN: 1, PointState.SWITCHED_OFF: 2, PointState.SUSPENDED: 3}


def dialling_order(points: Sequence[ContactPoint], dpd: int, policy: DiallingPolicy, *,
                   debtor_is_unreachable: bool) -> list[ContactPoint]:
    """R-21: the case's dialable phones in the order to dial them. Points no step names come after
    the plan's steps (every registered phone gets dialled, R-20), under the same third-party rule."""
    plan = policy.plan_for(policy.stage_for(dpd))
    hold_others = plan.others_only_if_debtor_unreachable and not debtor_is_unreachable
    candidates = [p for p in points if dialable(p, policy)
                  and not (hold_others and p.party is not Party.DEBTOR)]
    ordered: list[ContactPoint] = []
    taken: set[str] = set()
    for step in (*plan.steps, None):
        group = [p for p in candidates if p.id not in taken and (step is None or step.matches(p))]
        group.sort(key=lambda p: _STATE_RANK.get(p.state, 4))   # stable: keeps the given order inside a rank
        ordered += group
        taken.update(p.id for p in group)
    return ordered
