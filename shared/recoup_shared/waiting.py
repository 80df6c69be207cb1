"""Wait for an event with a timeout, and stay cancellable.

Python 3.11's `asyncio.wait_for` swallows a cancellation that arrives as its timeout fires
(CPython gh-86296, fixed in 3.12): a loop of `wait_for(event.wait(), timeout)` then carries on
after `task.cancel()`, and whoever awaits the task to stop it waits for ever (the fault suite's
listener did, one run in twenty). `asyncio.timeout` counts cancellations and re-raises the
caller's, so it is used here, in the one place every wake-up loop sleeps.
"""

from __future__ import annotations

import asyncio


async def wait_event(event: asyncio.Event, timeout: float) -> bool:
    """True if `event` was set within `timeout` seconds, False if the time ran out."""
    try:
        async with asyncio.timeout(max(timeout, 0)):
            await event.wait()
        return True
    except TimeoutError:
        return False
