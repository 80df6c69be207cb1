"""Text messages through the compliance gate like a call (issue 10, R-14..R-18, R-27), decided by
the shared engine `recoup_shared.compliance` from what the letters service keeps itself — never
by a synchronous call to contact (architecture: no service calls another to do its own job):

- the policy levels contact publishes on `policy.changed` (system, client, placement, case), the
  newest version of each, as fieldops keeps them for visits;
- the case level the client's flags imply (R-16 special population, R-17 holds): a hold set by a
  flag stays in force even where contact's case level says otherwise, until the client's flag goes
  (nothing overrides a hold);
- the history of text messages: those sent here and those contact reports (`contact.logged`,
  channel sms), so the SMS cap counts both.

A case the letters rules block (settled, recalled, disputed, do-not-contact, paused: R-31, R-13)
gets no text either, whatever the policy says.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from recoup_shared.compliance import (Attempt, Channel, LevelKind, Outcome, PolicyLevel, Request, SourceKind,
                                      ZoneSource, case_values_from_flags, decide, effective_policy,
                                      resolve_zones)
from recoup_shared.compliance.inheritance import EffectivePolicy
from recoup_shared.compliance.zones import LocalZones

from .model import BlockReason

Levels = Mapping[tuple[str, str], tuple[int, dict[str, Any]]]
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# our message states that are attempts the caps count (a reservation counts until it resolves)
COUNTED = {"sending": Outcome.PENDING, "sent": Outcome.CONNECTED, "delivered": Outcome.CONNECTED,
           "undelivered": Outcome.NOT_CONNECTED}


def flag_values(flags: Iterable[str]) -> dict[str, Any]:
    return case_values_from_flags(sorted(set(flags)), since=_EPOCH)


def case_values(flags: Iterable[str], published: Mapping[str, Any] | None) -> dict[str, Any]:
    """Contact's published case level over the flags' values, except that a flag's hold cannot be
    lifted by it (R-17)."""
    implied = flag_values(flags)
    merged = {**implied, **(published or {})}
    for key, value in implied.items():
        if key.startswith("holds.") and merged.get(key) is None:
            merged[key] = value
    return merged


def case_policy(levels: Levels, *, client_id: str, placement_id: str | None, case_id: str,
                flags: Iterable[str]) -> EffectivePolicy:
    def level(kind: str, scope: str) -> PolicyLevel | None:
        found = levels.get((kind, scope))
        return PolicyLevel.stored(LevelKind(kind), dict(found[1]), scope=scope or None,
                                  version=found[0]) if found else None

    published = levels.get(("case", case_id))
    values = case_values(flags, published[1] if published else None)
    chain = [level("system", ""), level("client", client_id),
             level("placement", placement_id) if placement_id else None,
             PolicyLevel.stored(LevelKind.CASE, values, scope=case_id,
                                version=published[0] if published else None) if values else None]
    return effective_policy([lv for lv in chain if lv is not None])


def zones_for(regions: Iterable[str | None], default_zone: str) -> LocalZones:
    """The debtor's zone(s) from the case's address provinces (R-14: the debtor's local time)."""
    sources = [ZoneSource(SourceKind.ADDRESS, region=r) for r in dict.fromkeys(r for r in regions if r)]
    return resolve_zones(sources, default_zone)


def history(ours: Iterable[tuple[datetime, str]], theirs: Iterable[datetime]) -> list[Attempt]:
    """Attempts the SMS caps count: (moment, status) of our messages, and contact's texts."""
    out = [Attempt(at=at, channel=Channel.SMS, outcome=COUNTED[status]) for at, status in ours
           if status in COUNTED]
    out += [Attempt(at=at, channel=Channel.SMS, outcome=Outcome.CONNECTED) for at in theirs]
    return out


def blocked(at: datetime, block: BlockReason) -> dict[str, Any]:
    """The refusal of a case the letters rules block, in the engine's decision shape."""
    return {"allowed": False, "at": at.isoformat(), "notices": [], "next_allowed": None,
            "exemption": None, "zones": [], "policy_fingerprint": "",
            "reasons": [{"rule": f"case.{block.value}", "ref": "R-31", "limit": None, "count": None,
                         "zone": None, "next_allowed": None,
                         "detail": f"the case is {block.value}: no contact by text message"}]}


def decide_sms(policy: EffectivePolicy, zones: LocalZones, attempts: Sequence[Attempt],
               at: datetime) -> dict[str, Any]:
    """The engine's decision for one text to the debtor at `at` (the gate's `to_dict()`)."""
    return decide(policy, zones, attempts, Request(at=at, channel=Channel.SMS)).to_dict()


def choose_mobile(phones: Iterable[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The debtor's own mobile, the most recently added first (R-18: never a contact person's)."""
    mine = [p for p in phones if p.get("owner") == "debtor" and p.get("kind") == "mobile"]
    return max(mine, key=lambda p: (p.get("added_at") or _EPOCH, p.get("number_hash", ""))) if mine else None
