"""The context every service builds once at start and hands to routes, handlers and jobs alike.

    ctx.settings   the service's settings (its own subclass of ServiceSettings)
    ctx.clock      the business clock (clock.py): now(), today(), local_now(zone)
    ctx.calendar   Chinese working days (calendar.py)
    ctx.protector  encryption, blind index and masks with the service's keys (crypto.py)
    ctx.pool       the database pool — for jobs and background work that open their own
                   connections; a request or an event batch gets its connection separately
    ctx.relay      the outbox relay (None where none runs: tools, tests without an app) — for a
                   bulk producer that hands over what it committed (`OutboxRelay.hand_over`)

A service that needs more (worker pools, an object store, a PBX adapter) subclasses `Context`
in its own `context.py` and builds it in `build(base)`: the shared app factory calls that once
in the lifespan and `close()` at shutdown. Cosmic Python's bootstrap, in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar

import asyncpg

from .calendar import WorkingCalendar
from .clock import BusinessClock
from .crypto import Protector
from .settings import ServiceSettings

if TYPE_CHECKING:
    from .bus.outbox import OutboxRelay

C = TypeVar("C", bound="Context")


@dataclass
class Context:
    name: str
    settings: Any  # the service's ServiceSettings subclass
    clock: BusinessClock
    calendar: WorkingCalendar
    protector: Protector
    pool: asyncpg.Pool | None = None
    relay: "OutboxRelay | None" = None  # set by the app factory once the relay runs

    @classmethod
    def extend(cls: type[C], base: "Context", **extra: Any) -> C:
        """A service's subclass built from the shared part plus its own fields."""
        return cls(**{f.name: getattr(base, f.name) for f in fields(Context)}, **extra)

    async def close(self) -> None:
        """Release what the service's own fields hold (worker pools, clients)."""


def base_context(name: str, settings: ServiceSettings, *, calendar: WorkingCalendar | None = None,
                 pool: asyncpg.Pool | None = None) -> Context:
    """The shared part, from settings alone (also what tests and tools use without an app)."""
    from .calendar import DEFAULT_CALENDAR

    clock = BusinessClock(settings.timezone, spec=settings.clock, spec_file=settings.clock_file)
    return Context(name=name, settings=settings, clock=clock, calendar=calendar or DEFAULT_CALENDAR,
                   protector=Protector.from_settings(settings), pool=pool)
