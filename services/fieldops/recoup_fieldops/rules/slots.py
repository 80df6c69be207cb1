"""When and how a visit may happen (R-36).

Seed 004: 通常在工作日, 访问客户的办公地点; 在节假日或晚间, 前往债务人的住宅; 每组至少两名成员.
So a workplace address is visited on working days in the daytime, a home address on working-day
evenings and on rest days (weekends and public holidays; an adjusted working weekend 调休 is a
working day). Time bands are configurable; the R-14 window is the compliance engine's to enforce,
the bands below merely sit inside the default 08:00–21:00.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from types import MappingProxyType

from recoup_shared.calendar import WorkingCalendar

from .errors import TooFewAgents
from .model import Place, TimeBand

# household_registration / home / other are all residences for the purpose of the time of day.
_DEFAULT_PLACES = MappingProxyType({"work": Place.WORKPLACE})


@dataclass(frozen=True, slots=True)
class SlotConfig:
    """R-36 bands (debtor local time) per place and kind of day; None = no visits there that day."""

    min_agents: int = 2
    workplace_working_day: TimeBand | None = TimeBand("daytime", time(9), time(17, 30))
    workplace_rest_day: TimeBand | None = None                           # offices are closed
    home_working_day: TimeBand | None = TimeBand("evening", time(18), time(21))
    home_rest_day: TimeBand | None = TimeBand("rest_day", time(9), time(21))
    places: Mapping[str, Place] = field(default_factory=lambda: dict(_DEFAULT_PLACES))  # kind → place
    default_place: Place = Place.HOME

    def __post_init__(self) -> None:
        if self.min_agents < 2:
            raise ValueError("min_agents must be at least 2 (R-36)")


DEFAULT_SLOTS = SlotConfig()


def place_of(address_kind: str, cfg: SlotConfig = DEFAULT_SLOTS) -> Place:
    """R-36: a work address is a workplace, every other kind of address a home."""
    return cfg.places.get(address_kind, cfg.default_place)


def band_for(place: Place, day: date, calendar: WorkingCalendar,
             cfg: SlotConfig = DEFAULT_SLOTS) -> TimeBand | None:
    """R-36: the band a visit to `place` may use on `day`, or None when it may not happen that day."""
    working = calendar.is_working_day(day)
    if place is Place.WORKPLACE:
        return cfg.workplace_working_day if working else cfg.workplace_rest_day
    return cfg.home_working_day if working else cfg.home_rest_day


def slot_allows(place: Place, start: datetime, end: datetime, calendar: WorkingCalendar,
                cfg: SlotConfig = DEFAULT_SLOTS) -> bool:
    """R-36: a visit to `place` from `start` to `end` (aware, already in the debtor's zone) lies
    within the band of its day. Used when an agent records a visit outside the plan."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware")
    if end < start or end.date() != start.date():
        return False
    band = band_for(place, start.date(), calendar, cfg)
    return band is not None and band.contains(start.timetz().replace(tzinfo=None),
                                              end.timetz().replace(tzinfo=None))


def require_agents(agent_ids: Collection[str], cfg: SlotConfig = DEFAULT_SLOTS) -> tuple[str, ...]:
    """R-36: at least `min_agents` distinct agents go on a visit; returns them in a stable order."""
    distinct = tuple(dict.fromkeys(agent_ids))
    if len(distinct) < cfg.min_agents:
        raise TooFewAgents(f"{len(distinct)} agent(s) given, at least {cfg.min_agents} needed",
                           min_agents=cfg.min_agents)
    return distinct
