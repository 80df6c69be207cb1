"""Background jobs (recoup_shared.jobs): each opens its own connections, never a request's; several
replicas share them safely (claims with FOR UPDATE SKIP LOCKED, unique indexes on the letters).

- planning   the day's letters (R-28..R-31) once the planning hour has come in the business zone
             (ctx.clock), and the clerk's "plan now" runs (woken by NOTIFY letters_plan);
- resends    returned letters re-sent once a newer confirmed address is known (R-31; woken when a
             collector or a visit reports an address);
- generation a queued batch's print files, in the PDF worker processes (R-33);
- sms        queued text messages through the compliance gate to the provider (R-27, issue 10).
"""

from __future__ import annotations

from recoup_shared.jobs import Job

from .context import Ctx
from .settings import LettersSettings
from .usecases.generation import generate_next
from .usecases.planning import resend_next, run_next
from .usecases.sms import send_next


async def planning(ctx: Ctx) -> float | None:
    return await run_next(ctx)


async def resends(ctx: Ctx) -> float | None:
    return await resend_next(ctx)


async def generation(ctx: Ctx) -> float | None:
    return await generate_next(ctx)


async def sms(ctx: Ctx) -> float | None:
    return await send_next(ctx)


def jobs(s: LettersSettings) -> list[Job]:
    """The service's jobs with the intervals of its settings."""
    return [
        Job("letters-planning", planning, every=s.planning_check_seconds, wake_on="letters_plan", debounce=0.2,
            initial_delay=2.0),
        Job("letters-resends", resends, every=s.resend_check_seconds, wake_on="letters_resend", debounce=0.5,
            initial_delay=5.0),
        Job("letters-generation", generation, every=s.generation_check_seconds, wake_on="letters_render",
            debounce=0.1, initial_delay=1.0),
        Job("letters-sms", sms, every=s.sms_send_check_seconds, wake_on="letters_sms", debounce=0.1,
            initial_delay=1.0),
    ]
