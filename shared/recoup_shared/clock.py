"""The business clock: "now" and "business today" for every service, and month arithmetic.

Every time rule (calling windows, promises breaking at the debtor's midnight, visit deadlines,
month close, recall days) reads the time through one `BusinessClock` held by the service's
context — never `datetime.now()` in a use case — so a test can put the whole platform at
21:05 debtor time without waiting for it.

The local and test profiles accept a clock setting; production refuses it (settings.py):
- `RECOUP_CLOCK`: `fixed:2026-12-05T21:05:00+08:00` (time stands still), `from:<iso>` (time runs
  from that moment, counted from when the setting was read), `offset:+3600` / `offset:-1d2h`
  (real time shifted), or empty for the real clock;
- `RECOUP_CLOCK_FILE`: a file holding the same text, re-read when it changes — one file moves
  every service of a stack at once (browser and end-to-end tests).
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"  # architecture.md: business dates in the debtor's zone by default


class ClockSpecError(ValueError):
    pass


_OFFSET_PART = re.compile(r"(\d+(?:\.\d+)?)([dhms]?)")
_UNIT = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "": 1.0}


def _parse_offset(text: str) -> timedelta:
    """`+3600`, `-90m`, `+1d2h30m` → timedelta."""
    sign = -1.0 if text.startswith("-") else 1.0
    body = text.lstrip("+-")
    pos, seconds = 0, 0.0
    while pos < len(body):
        m = _OFFSET_PART.match(body, pos)
        if not m or m.end() == pos:
            raise ClockSpecError(f"bad clock offset {text!r} (e.g. +3600, -1d2h, +90m)")
        seconds += float(m.group(1)) * _UNIT[m.group(2)]
        pos = m.end()
    if not body:
        raise ClockSpecError("empty clock offset")
    return timedelta(seconds=sign * seconds)


def _parse_moment(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ClockSpecError(f"bad clock moment {text!r} (ISO 8601 with an offset)") from None
    if moment.tzinfo is None:
        raise ClockSpecError(f"clock moment {text!r} needs a UTC offset, e.g. +08:00")
    return moment


@dataclass(frozen=True)
class ClockSpec:
    """A parsed clock setting: `kind` real | fixed | offset (`from:` becomes an offset)."""
    kind: str = "real"
    moment: datetime | None = None
    offset: timedelta = timedelta(0)

    @classmethod
    def parse(cls, text: str | None, *, read_at: float | None = None) -> "ClockSpec":
        text = (text or "").strip()
        if not text or text == "real":
            return cls()
        kind, _, value = text.partition(":")
        if kind == "fixed":
            return cls("fixed", moment=_parse_moment(value))
        if kind == "from":
            started = read_at if read_at is not None else time.time()
            target = _parse_moment(value)
            return cls("offset", offset=target - datetime.fromtimestamp(started, timezone.utc))
        if kind == "offset":
            return cls("offset", offset=_parse_offset(value))
        raise ClockSpecError(f"bad clock setting {text!r}: fixed:<iso>, from:<iso>, offset:<+-d h m s>")


class BusinessClock:
    """`now()` (UTC, aware), `today()` in the business zone, `local(tz)` for a debtor's zone."""

    def __init__(self, zone: str = DEFAULT_ZONE, *, spec: str | None = None,
                 spec_file: str | None = None) -> None:
        self.zone = zone_of(zone)
        self._spec = ClockSpec.parse(spec)
        self._file = spec_file
        self._file_stamp: tuple[int, int, int] | None = None
        self._file_spec = ClockSpec()

    @property
    def adjustable(self) -> bool:
        return self._spec.kind != "real" or self._file is not None

    def _current_spec(self) -> ClockSpec:
        if self._file is None:
            return self._spec
        try:
            st = os.stat(self._file)
        except FileNotFoundError:
            return self._spec
        stamp = (st.st_ino, st.st_mtime_ns, st.st_size)
        # A file stamped in the last two seconds is read again ("racy git"): on a file system with
        # coarse timestamps a second write of equal length may carry the same stamp as the first.
        if stamp != self._file_stamp or time.time_ns() - st.st_mtime_ns < 2_000_000_000:
            with open(self._file, encoding="utf-8") as fh:
                self._file_spec = ClockSpec.parse(fh.read(), read_at=st.st_mtime)
            self._file_stamp = stamp
        return self._file_spec

    def now(self) -> datetime:
        spec = self._current_spec()
        if spec.kind == "fixed":
            return spec.moment.astimezone(timezone.utc)  # type: ignore[union-attr]
        real = datetime.now(timezone.utc)
        return real + spec.offset if spec.kind == "offset" else real

    def local_now(self, zone: str | ZoneInfo | None = None) -> datetime:
        return self.now().astimezone(zone_of(zone) if zone is not None else self.zone)

    def today(self, zone: str | ZoneInfo | None = None) -> date:
        """Business today: the date in the business zone (or the given debtor zone)."""
        return self.local_now(zone).date()


def zone_of(zone: str | ZoneInfo) -> ZoneInfo:
    if isinstance(zone, ZoneInfo):
        return zone
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ClockSpecError(f"unknown time zone {zone!r}") from None


def write_clock_file(path: str, spec: str) -> None:
    """Tests: move every service reading `path` (RECOUP_CLOCK_FILE) to `spec` at once."""
    ClockSpec.parse(spec)  # refuse nonsense before any service reads it
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(spec)
    os.replace(tmp, path)


# --- month arithmetic ---------------------------------------------------------------------------

def month_start(d: date) -> date:
    return d.replace(day=1)


def add_months(d: date, n: int) -> date:
    """Same day `n` months later (or earlier), clamped to the month's last day: 01-31 + 1 → 02-28."""
    index = d.year * 12 + d.month - 1 + n
    year, month = divmod(index, 12)
    month += 1
    first_next = date(year + (month == 12), month % 12 + 1, 1)
    last_day = (first_next - timedelta(days=1)).day
    return date(year, month, min(d.day, last_day))


def previous_month(d: date) -> date:
    """The first day of the month before `d`'s month."""
    return add_months(month_start(d), -1)


def next_month(d: date) -> date:
    return add_months(month_start(d), 1)


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str) -> date:
    """`YYYY-MM` → the month's first day; ValueError otherwise (the API turns it into a 422)."""
    m = _MONTH.match(value or "")
    if not m or not (1 <= int(m.group(2)) <= 12) or not (2000 <= int(m.group(1)) <= 2100):
        raise ValueError(f"expected YYYY-MM (e.g. 2026-11), got {value!r}")
    return date(int(m.group(1)), int(m.group(2)), 1)


def month_label(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"
