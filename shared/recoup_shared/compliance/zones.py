"""The debtor's local time, resolved from the case — never guessed from the server.

Sources are what the case says: its address (province/city), the region of the contact point being
dialled (the phone's 归属地 or an overseas country), or an explicit IANA zone. Every usable case source
counts; when they disagree the engine keeps all their zones and allows only what is safe in every one
(windows are intersected, daily counters must hold in each zone's day) — the same rule Reg F's
commentary gives for conflicting location information. Only when the case gives nothing usable does
the client's default zone apply (policy key `zone.default`, Asia/Shanghai unless set).

Mainland China keeps one legal time (Asia/Shanghai); Xinjiang also lives by Ürümqi time (UTC+6, the
tz database's Asia/Urumqi), so a Xinjiang address yields both zones and the window narrows to the hours
that are acceptable on either clock.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"

_SHANGHAI = ("Asia/Shanghai",)
_XINJIANG = ("Asia/Shanghai", "Asia/Urumqi")

# Province-level divisions (GB/T 2260 names, short forms) -> zones. Matched as a prefix of the region
# text, so "新疆维吾尔自治区乌鲁木齐市" finds 新疆.
_PROVINCES: dict[str, tuple[str, ...]] = {name: _SHANGHAI for name in (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
    "云南", "西藏", "陕西", "甘肃", "青海", "宁夏")}
_PROVINCES.update({"新疆": _XINJIANG, "香港": ("Asia/Hong_Kong",), "澳门": ("Asia/Macau",),
                   "台湾": ("Asia/Taipei",)})

# Codes: ISO 3166-1 alpha-2 for the places the agency meets, ISO 3166-2:CN for provinces (CN-XJ and the
# older numeric CN-65). Anything else must come as an explicit IANA zone.
_CODES: dict[str, tuple[str, ...]] = {
    "CN": _SHANGHAI, "CN-XJ": _XINJIANG, "CN-65": _XINJIANG, "HK": ("Asia/Hong_Kong",),
    "CN-HK": ("Asia/Hong_Kong",), "MO": ("Asia/Macau",), "CN-MO": ("Asia/Macau",),
    "TW": ("Asia/Taipei",), "CN-TW": ("Asia/Taipei",), "SG": ("Asia/Singapore",),
    "JP": ("Asia/Tokyo",), "KR": ("Asia/Seoul",), "GB": ("Europe/London",),
}


class SourceKind(StrEnum):
    ADDRESS = "address"
    CONTACT_POINT = "contact_point"
    EXPLICIT = "explicit"


@dataclass(frozen=True, slots=True)
class ZoneSource:
    """One thing the case says about where the debtor is: a region (province name/code, country code)
    or an explicit IANA zone (wins over the region when both are given)."""
    kind: SourceKind
    region: str | None = None
    zone: str | None = None


@dataclass(frozen=True, slots=True)
class LocalZones:
    """The zones every rule must respect, with where each came from (for the dial screen and audits)."""
    zones: tuple[ZoneInfo, ...]
    names: tuple[str, ...]
    used: tuple[tuple[str, str], ...]       # (source kind, zone name)
    unresolved: tuple[str, ...] = ()        # sources that named nothing we know

    @property
    def primary(self) -> ZoneInfo:
        return self.zones[0]

    @property
    def disagree(self) -> bool:
        return len(self.zones) > 1


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def is_zone(name: object) -> bool:
    if not isinstance(name, str) or not name or name.startswith(("/", ".")):
        return False
    try:
        zone(name)
        return True
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False


@lru_cache(maxsize=4096)
def zones_for_region(region: str) -> tuple[str, ...]:
    text = region.strip()
    if not text:
        return ()
    if text.upper() in _CODES:
        return _CODES[text.upper()]
    if text.upper().startswith("CN-") and len(text) <= 6:
        return _SHANGHAI  # any other mainland province code
    for name, zones in _PROVINCES.items():
        if text.startswith(name):
            return zones
    return ()


def _source_zones(src: ZoneSource) -> tuple[str, ...]:
    if src.zone:
        return (src.zone,) if is_zone(src.zone) else ()
    return zones_for_region(src.region) if src.region else ()


def resolve_zones(sources: Iterable[ZoneSource], default: str | None = DEFAULT_ZONE) -> LocalZones:
    """All zones named by the case's sources; the client default (`policy.default_zone`) only if none."""
    return _resolve(tuple(sources), default)


@lru_cache(maxsize=4096)   # a worklist page resolves the same few provinces fifty times
def _resolve(sources: tuple[ZoneSource, ...], default: str | None) -> LocalZones:
    names: list[str] = []
    used: list[tuple[str, str]] = []
    unresolved: list[str] = []
    for src in sources:
        found = _source_zones(src)
        if not found:
            unresolved.append(f"{src.kind.value}:{src.zone or src.region or ''}")
        for name in found:
            used.append((src.kind.value, name))
            if name not in names:
                names.append(name)
    if not names:
        fallback = default if default and is_zone(default) else DEFAULT_ZONE
        names.append(fallback)
        used.append(("default", fallback))
    return LocalZones(zones=tuple(zone(n) for n in names), names=tuple(names), used=tuple(used),
                      unresolved=tuple(unresolved))
