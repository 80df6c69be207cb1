"""notify.Listener: the LISTEN of the outbox relay and the job runner survives its connection
being cut (a database restart, a failover, an idle-connection reaper) and stop() never fails."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from recoup_shared.db import create_pool
from recoup_shared.notify import Listener

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_cut_connection_is_replaced_and_wakes_everyone(stack):
    pool = await create_pool(stack.admin_dsn, min_size=1, max_size=3)
    woken: list[str] = []
    listener = Listener(pool, {"recoup_test_a": lambda: woken.append("a"),
                               "recoup_test_b": lambda: woken.append("b")},
                        name="test", check_seconds=0.1)
    await listener.start()
    try:
        await pool.execute("NOTIFY recoup_test_a")
        await _until(lambda: woken == ["a"])
        pid = listener._conn.get_server_pid()
        await pool.execute("SELECT pg_terminate_backend($1)", pid)   # what a restart does to it
        await _until(lambda: listener.reconnects == 1 and listener.listening)
        assert sorted(woken[1:]) == ["a", "b"]    # everyone woken: a notification may have been missed
        assert listener._conn.get_server_pid() != pid
        woken.clear()
        await pool.execute("NOTIFY recoup_test_b")
        await _until(lambda: woken == ["b"])
        await pool.execute("SELECT pg_terminate_backend($1)", listener._conn.get_server_pid())
        await asyncio.sleep(0)
    finally:
        await listener.stop()       # even on a connection the server just cut
        await listener.stop()       # and twice
        await pool.close()


async def _until(check, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        assert asyncio.get_running_loop().time() < deadline, "not in time"
        await asyncio.sleep(0.05)


async def test_a_wake_up_loop_always_stops_when_cancelled():
    """Python 3.11's wait_for swallowed a cancellation arriving as its timeout fired, and the
    listener's stop() waited for ever (one run in twenty): wait_event never does."""
    from recoup_shared.waiting import wait_event

    never = asyncio.Event()

    async def loop(delay: float) -> None:
        # the cancellation is timed to land as the wait's own timeout fires
        asyncio.get_running_loop().call_later(delay, asyncio.current_task().cancel)
        while True:
            await wait_event(never, delay)

    for i in range(200):
        task = asyncio.create_task(loop(0.002 + 0.0005 * (i % 4)))
        done, _ = await asyncio.wait({task}, timeout=2)
        assert task in done and task.cancelled(), f"trial {i}: the loop ignored its cancellation"
    assert await wait_event(never, 0.01) is False
    never.set()
    assert await wait_event(never, 10) is True
