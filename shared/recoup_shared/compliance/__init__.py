"""Compliance policy engine (R-14…R-18, R-36, R-47, R-48; a U.S. Regulation F preset): pure rules that
refuse, before it happens, a call, text or visit that would break the contact policy, and say why.

What the services call (contact for calls/SMS, fieldops for visits):

- ``validate_level(raw, kind, scope=, version=) -> PolicyLevel`` — a system/client/placement/case
  level from the API; raises ``PolicyInvalid`` whose ``.errors`` is ``[{field, reason}]`` (answer 422,
  save nothing). Store ``level.model_dump(mode="json")``; read back with ``PolicyLevel.stored(...)``.
- ``effective_policy([system, client, placement, case]) -> EffectivePolicy`` — merged key by key
  (most specific level wins; a client's ``preset`` such as ``"us_regf"`` sits below its own values);
  ``.explain()`` lists every value with the level that set it; ``.fingerprint`` identifies it;
  ``.horizon`` is how much history a decision needs. Cache it per level versions.
- ``resolve_zones([ZoneSource(...)], policy.default_zone) -> LocalZones`` — the debtor's zone(s).
- ``decide(policy, zones, history, request) -> Decision`` — ``.allowed``, ``.reasons`` (rule id, ref,
  limit, count, next_allowed), ``.notices`` (e.g. ``third_party.no_disclosure``), ``.next_allowed``,
  ``.attempt()`` = the reservation to insert, ``.to_dict()`` for storage and the API.
- ``replay(policy, zones, attempts)`` — every recorded attempt re-decided against the ones before it
  (R-48 quality inspection: the refused ones are breaches).
- ``place_hold`` / ``lift_hold(case_level, hold, roles, policy)`` (``HoldLiftForbidden``),
  ``case_values_from_flags(flags, since=)``; ``RULES`` / ``NOTICES`` list every id.

Example (the gate, inside one transaction holding the case lock)::

    policy = effective_policy([system, client, placement, case_level])
    zones = resolve_zones([ZoneSource(SourceKind.ADDRESS, region="新疆"),
                           ZoneSource(SourceKind.CONTACT_POINT, region="CN-31")], policy.default_zone)
    history = [Attempt(at=row.at, channel=Channel(row.channel), outcome=Outcome(row.outcome), ...)
               for row in rows_since(now - policy.horizon)]
    decision = decide(policy, zones, history, Request(at=now, channel=Channel.CALL, contact_point="p1"))
    if decision.allowed:
        insert_attempt(decision.attempt())            # PENDING until the call ends
    else:
        record_refusal(decision.to_dict())            # rules + next_allowed for the collector

What callers must hold to: history holds every attempt of the case since ``now - policy.horizon``
(inbound calls too: they start Reg F's conversation period), each with the exemption the engine
applied (``decision.attempt()`` keeps it); a reservation stays PENDING — counted as connected —
until the call's outcome is written, so settle stale ones; read the history and insert the
reservation under one lock on the case; all datetimes are timezone-aware.
"""
from __future__ import annotations

from .catalog import HOLD_KINDS, NOTICES, RULES, SPECIAL_POPULATION_KINDS, RuleInfo
from .engine import decide, replay
from .holds import FLAG_HOLDS, HoldLiftForbidden, case_values_from_flags, lift_hold, place_hold
from .inheritance import EffectivePolicy, Origin, effective_policy
from .keys import PRESET_NAMES
from .levels import PolicyInvalid, PolicyLevel, validate_level
from .model import (Attempt, Channel, Decision, Direction, Exemption, Group, LevelKind, Notice, Outcome,
                    Party, Reason, Request, VisitPlace)
from .presets import PRESETS
from .zones import DEFAULT_ZONE, LocalZones, SourceKind, ZoneSource, resolve_zones

__all__ = [
    "Attempt", "Channel", "DEFAULT_ZONE", "Decision", "Direction", "EffectivePolicy", "Exemption",
    "FLAG_HOLDS", "Group", "HOLD_KINDS", "HoldLiftForbidden", "LevelKind", "LocalZones", "NOTICES",
    "Notice", "Origin", "Outcome", "PRESETS", "PRESET_NAMES", "Party", "PolicyInvalid", "PolicyLevel",
    "RULES", "Reason", "Request", "RuleInfo", "SPECIAL_POPULATION_KINDS", "SourceKind", "VisitPlace",
    "ZoneSource", "case_values_from_flags", "decide", "effective_policy", "lift_hold", "place_hold",
    "replay", "resolve_zones", "validate_level",
]
