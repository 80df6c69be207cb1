"""Case addresses as fieldops sees them: a stable id per address, and whether it is "local" (R-35).

An address id is a hash of the address itself (kind, 省/市/区, line), so the same address arriving
again — a repeated event, a re-placement, skip tracing finding what the client already sent — is
the same address, and a collector's choice (R-34) names it without putting it in a URL (R-46).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable

from .plan_model import Area, Coverage

SOURCES = ("placement", "client_update", "skip_trace", "visit")
LEARNED_LATER = frozenset({"client_update", "skip_trace", "visit"})   # R-35 "address repaired"


def _norm(value: str | None) -> str:
    return " ".join(unicodedata.normalize("NFKC", value or "").split())


def address_id(kind: str, province: str | None, city: str | None, district: str | None,
               line: str) -> str:
    raw = "\x1f".join(_norm(p) for p in (kind, province, city, district, line))
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def area_of(province: str | None, city: str | None, district: str | None) -> Area:
    return Area(_norm(province), _norm(city), _norm(district))


def parse_area(text: str) -> Coverage:
    """"省", "省/市" or "省/市/区" (settings.local_areas) → a Coverage."""
    parts = [p.strip() for p in text.split("/")]
    return Coverage(parts[0], *(p or None for p in parts[1:]))


def covered(area: Area, coverages: Iterable[Coverage]) -> bool:
    """The area lies in one of the coverages (a province, a city of it, or one district)."""
    key = (area.province, area.city, area.district)
    return any(key[:len(c.key)] == c.key for c in coverages)


def repaired_on(source: str, found_on):
    """R-35: an address learned after the placement (skip tracing, a client update, a visit) was
    repaired on the day it was found; an address of the placement itself was never repaired."""
    return found_on if source in LEARNED_LATER else None
