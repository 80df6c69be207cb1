"""Calling windows in the debtor's local time (R-14; Reg F 1006.6(b)(1)(i)).

A window is written "HH:MM-HH:MM" (seconds optional, end "24:00" allowed), start inclusive, end
exclusive: with 08:00-21:00 a call at 20:59:59 is inside and one at 21:00:00 is not. Windows never
cross midnight (split them). Which windows apply on a day, in this order: the debtor's own windows for
a public holiday, the debtor's windows for that weekday, the policy's holiday windows, the policy's
weekday windows — the debtor's request replaces the standard window (R-14 "unless the debtor asked for
another time") but never the blackout (R-14 "never 00:00-08:00"). Holidays come from WorkingCalendar:
an adjusted working weekend (调休) uses its weekday's window.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

DAY_KEYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOLIDAY = "holiday"
DAY_SECONDS = 86400
# How far ahead the next opening is searched: longer than any holiday closure (春节 is 8 days).
SEARCH_DAYS = 62

Interval = tuple[int, int]  # seconds since local midnight, [start, end)

_TIME = re.compile(r"^(\d{2}):(\d{2})(?::(\d{2}))?$")


class WindowError(ValueError):
    """A window string that cannot be a window; `index` is its position in the list."""

    def __init__(self, index: int, reason: str) -> None:
        super().__init__(reason)
        self.index = index
        self.reason = reason


def _seconds(text: str) -> int | None:
    m = _TIME.match(text.strip())
    if not m:
        return None
    h, mi, s = int(m[1]), int(m[2]), int(m[3] or 0)
    if (h, mi, s) == (24, 0, 0):
        return DAY_SECONDS
    if h > 23 or mi > 59 or s > 59:
        return None
    return h * 3600 + mi * 60 + s


def fmt(seconds: int) -> str:
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}" + (f":{s:02d}" if s else "")


def fmt_interval(iv: Interval) -> str:
    return f"{fmt(iv[0])}-{fmt(iv[1])}"


def parse_windows(items: object) -> tuple[Interval, ...]:
    """Validates a list of window strings; raises WindowError naming the bad element. Empty windows
    (start >= end, including ones that try to cross midnight) and overlaps are errors."""
    if not isinstance(items, (list, tuple)):
        raise WindowError(-1, "must be a list of windows like \"08:00-21:00\"")
    parsed: list[tuple[Interval, int]] = []
    for i, item in enumerate(items):
        if not isinstance(item, str) or item.count("-") != 1:
            raise WindowError(i, "must be a window like \"08:00-21:00\"")
        a, b = (_seconds(p) for p in item.split("-"))
        if a is None or b is None or a == DAY_SECONDS:
            raise WindowError(i, "times must be HH:MM or HH:MM:SS (end may be 24:00)")
        if a >= b:
            raise WindowError(i, "empty window: the start must be before the end "
                                 "(a window cannot cross midnight; split it in two)")
        parsed.append(((a, b), i))
    parsed.sort()
    for (prev, pi), (cur, ci) in zip(parsed, parsed[1:]):
        if cur[0] < prev[1]:
            raise WindowError(ci, f"overlaps {fmt_interval(prev)} (element {pi})")
    return tuple(iv for iv, _ in parsed)


def canonical(items: Sequence[str]) -> list[str]:
    return [fmt_interval(iv) for iv in parse_windows(items)]


@lru_cache(maxsize=4096)
def _parsed(items: tuple[str, ...]) -> tuple[Interval, ...]:
    return parse_windows(list(items))


def subtract(windows: tuple[Interval, ...], blackout: tuple[Interval, ...]) -> tuple[Interval, ...]:
    """The parts of `windows` outside every blackout interval."""
    out: list[Interval] = []
    for s, e in windows:
        pieces = [(s, e)]
        for bs, be in blackout:
            pieces = [p for ps, pe in pieces
                      for p in ((ps, min(pe, bs)), (max(ps, be), pe)) if p[0] < p[1]]
        out.extend(pieces)
    return tuple(out)


@dataclass(frozen=True, slots=True)
class WindowTable:
    """Compiled windows, blackout already cut out. Index 0..6 = Monday..Sunday, 7 = public holiday;
    None means "not set at this layer" (fall through to the next layer)."""
    debtor: tuple[tuple[Interval, ...] | None, ...]
    standard: tuple[tuple[Interval, ...] | None, ...]

    def intervals(self, day: date, calendar) -> tuple[Interval, ...]:
        wd = day.weekday()
        holiday = (self.debtor[7] is not None or self.standard[7] is not None) \
            and calendar.is_public_holiday(day)
        for layer in (self.debtor, self.standard):
            if holiday and layer[7] is not None:
                return layer[7]
            if layer[wd] is not None:
                return layer[wd]
        return ()

    def describe(self, day: date, calendar) -> str:
        ivs = self.intervals(day, calendar)
        return ", ".join(fmt_interval(iv) for iv in ivs) or "no window"


def compile_table(values: dict, blackout_items: Sequence[str]) -> WindowTable:
    blackout = _parsed(tuple(blackout_items))

    def layer(prefix: str) -> tuple[tuple[Interval, ...] | None, ...]:
        out = []
        for key in (*DAY_KEYS, HOLIDAY):
            items = values.get(f"{prefix}.{key}")
            out.append(None if items is None else subtract(_parsed(tuple(items)), blackout))
        return tuple(out)

    return WindowTable(debtor=layer("debtor_windows"), standard=layer("windows"))


def _wall(day: date, seconds: int, zone: ZoneInfo) -> datetime:
    """Local wall-clock time on `day` as a UTC instant (24:00 is the next midnight)."""
    base = datetime(day.year, day.month, day.day, tzinfo=zone)
    return (base + timedelta(seconds=seconds)).astimezone(timezone.utc)


def local_midnight(day_ordinal: int, zone: ZoneInfo) -> datetime:
    return _wall(date.fromordinal(day_ordinal), 0, zone)


def is_open(table: WindowTable, t: datetime, zone: ZoneInfo, calendar) -> bool:
    local = t.astimezone(zone)
    micros = (local.hour * 3600 + local.minute * 60 + local.second) * 1_000_000 + local.microsecond
    return any(s * 1_000_000 <= micros < e * 1_000_000
               for s, e in table.intervals(local.date(), calendar))


def next_open_in(table: WindowTable, t: datetime, zone: ZoneInfo, calendar) -> datetime | None:
    """The earliest instant >= t inside a window in `zone`."""
    t = t.astimezone(timezone.utc)
    first = t.astimezone(zone).date()
    for k in range(SEARCH_DAYS):
        day = first + timedelta(days=k)
        for s, e in table.intervals(day, calendar):
            if _wall(day, e, zone) > t:
                return max(_wall(day, s, zone), t)
    return None


def next_open(table: WindowTable, t: datetime, zones: Sequence[ZoneInfo], calendar) -> datetime | None:
    """The earliest instant >= t inside a window in every zone (only the window safe in all sources)."""
    cur = t.astimezone(timezone.utc)
    limit = cur + timedelta(days=SEARCH_DAYS)
    while cur <= limit:
        found = [next_open_in(table, cur, z, calendar) for z in zones]
        if any(f is None for f in found):
            return None
        latest = max(found)  # type: ignore[type-var]
        if latest == cur:
            return cur
        cur = latest
    return None
