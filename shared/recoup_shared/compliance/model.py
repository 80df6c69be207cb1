"""The engine's vocabulary: what was done (Attempt), what is asked (Request), what is answered (Decision).

Plain slotted dataclasses rather than pydantic models: the gate builds dozens of attempts per decision
from database rows at 300 decisions/s, and these are never parsed from untrusted JSON (the services'
schemas do that). `Decision.to_dict()` gives the JSON shape the services store and return.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Channel(StrEnum):
    CALL = "call"
    SMS = "sms"
    VISIT = "visit"


class Party(StrEnum):
    DEBTOR = "debtor"
    THIRD_PARTY = "third_party"   # a contact person (联系人), R-18


class Direction(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"           # the debtor called in (R-15 exemption)


class Outcome(StrEnum):
    """What became of an attempt. A reservation is PENDING until the call ends: it counts as a possible
    connected call, so concurrent dials cannot overrun the effective-call cap (R-15)."""
    PENDING = "pending"
    CONNECTED = "connected"          # a conversation took place (effective call, R-15)
    NO_ANSWER = "no_answer"          # rang unanswered, voicemail: an attempt, not a conversation
    NOT_CONNECTED = "not_connected"  # busy, not in service, network failure (Reg F 1006.14(b)(3)(ii))


class Exemption(StrEnum):
    """R-15: the debtor calling in or asking for a call-back is exempt from the frequency caps."""
    INBOUND = "inbound"
    CALLBACK_REQUESTED = "callback_requested"


class VisitPlace(StrEnum):
    WORKPLACE = "workplace"
    HOME = "home"
    OTHER = "other"


class LevelKind(StrEnum):
    """Inheritance order, least to most specific. DEFAULT is the built-in domain values (code)."""
    DEFAULT = "default"
    SYSTEM = "system"
    CLIENT = "client"
    PLACEMENT = "placement"
    CASE = "case"


LEVEL_ORDER: tuple[LevelKind, ...] = tuple(LevelKind)


class Group(StrEnum):
    """Rule groups: an exemption lists the groups it skips; holds, third-party and visit-team rules are
    never skippable (nothing overrides a hold)."""
    WINDOW = "window"
    CAP = "cap"
    INTERVAL = "interval"
    SPECIAL_POPULATION = "special_population"
    REGF = "regf"
    HOLD = "hold"
    THIRD_PARTY = "third_party"
    VISIT = "visit"


EXEMPTABLE_GROUPS: frozenset[Group] = frozenset(
    {Group.WINDOW, Group.CAP, Group.INTERVAL, Group.SPECIAL_POPULATION, Group.REGF})


@dataclass(frozen=True, slots=True)
class Attempt:
    """One contact already made or reserved on the case. `exemption` is the one the engine applied
    (Decision.exemption), so history keeps whether it counts toward the caps."""
    at: datetime
    channel: Channel
    party: Party = Party.DEBTOR
    contact_point: str | None = None
    contact_person: str | None = None
    outcome: Outcome = Outcome.PENDING
    direction: Direction = Direction.OUTBOUND
    exemption: Exemption | None = None
    agents: int = 0

    def person(self) -> str:
        """Reg F counts per "particular person": the debtor, or one contact person."""
        return person_key(self.party, self.contact_person)


def person_key(party: Party, contact_person: str | None) -> str:
    return "debtor" if party == Party.DEBTOR else f"cp:{contact_person}"


@dataclass(frozen=True, slots=True)
class Request:
    """What the collector (or the planner) wants to do at `at`. `exemption_at` is when the debtor asked
    for the call-back (needed for CALLBACK_REQUESTED). `agents`/`place` are for visits (R-36)."""
    at: datetime
    channel: Channel
    party: Party = Party.DEBTOR
    contact_point: str | None = None
    contact_person: str | None = None
    direction: Direction = Direction.OUTBOUND
    exemption: Exemption | None = None
    exemption_at: datetime | None = None
    agents: int = 0
    place: VisitPlace | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ValueError("Request.at must be timezone-aware")
        if self.party == Party.THIRD_PARTY and not self.contact_person:
            raise ValueError("a third-party request names its contact_person")

    def person(self) -> str:
        return person_key(self.party, self.contact_person)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a request is refused. `next_allowed` is when this reason alone clears; None when waiting
    does not help (a hold only a person can lift, a do-not-call third party, a team too small)."""
    rule: str
    ref: str
    detail: str
    limit: int | None = None
    count: int | None = None
    next_allowed: datetime | None = None
    zone: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "ref": self.ref, "detail": self.detail, "limit": self.limit,
                "count": self.count, "zone": self.zone,
                "next_allowed": self.next_allowed.isoformat() if self.next_allowed else None}


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the dial screen must show even when the request is allowed (e.g. R-18 no disclosure)."""
    rule: str
    ref: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "ref": self.ref, "detail": self.detail}


@dataclass(frozen=True, slots=True)
class Decision:
    """allowed, or refused with every reason that applies. `next_allowed` is the earliest moment when all
    reasons clear (== request.at when allowed; None when some reason cannot clear by waiting)."""
    allowed: bool
    request: Request
    reasons: tuple[Reason, ...] = ()
    notices: tuple[Notice, ...] = ()
    next_allowed: datetime | None = None
    exemption: Exemption | None = None
    zones: tuple[str, ...] = ()
    policy_fingerprint: str = ""

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(r.rule for r in self.reasons)

    def attempt(self, outcome: Outcome = Outcome.PENDING) -> Attempt:
        """The reservation to persist when allowed: history for the next decision."""
        if not self.allowed:
            raise ValueError("a refused request reserves nothing")
        r = self.request
        return Attempt(at=r.at, channel=r.channel, party=r.party, contact_point=r.contact_point,
                       contact_person=r.contact_person, outcome=outcome, direction=r.direction,
                       exemption=self.exemption, agents=r.agents)

    def to_dict(self) -> dict[str, Any]:
        return {
            "allowed": self.allowed,
            "at": self.request.at.isoformat(),
            "reasons": [r.to_dict() for r in self.reasons],
            "notices": [n.to_dict() for n in self.notices],
            "next_allowed": self.next_allowed.isoformat() if self.next_allowed else None,
            "exemption": self.exemption.value if self.exemption else None,
            "zones": list(self.zones),
            "policy_fingerprint": self.policy_fingerprint,
        }
