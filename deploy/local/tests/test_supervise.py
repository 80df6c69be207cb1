"""`recoup up` restarts a dead service with back-off and reports a crash loop (issue 14 item 11),
tried on real service processes of the throw-away stack."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time

import httpx
import pytest

from recoup_local.stack import Stack
from recoup_local.supervise import RestartPolicy, Supervisor, describe_exit


def test_back_off_doubles_up_to_the_cap():
    p = RestartPolicy(initial=1, factor=2, cap=30)
    assert [p.delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    assert describe_exit(-9) == "was killed by SIGKILL" and describe_exit(3) == "exited with code 3"


async def _until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


async def _healthy(url: str) -> bool:
    try:
        async with httpx.AsyncClient(timeout=2) as c:
            return (await c.get(f"{url}/healthz")).status_code == 200
    except httpx.HTTPError:
        return False


async def test_a_killed_service_comes_back_healthy_and_a_crash_loop_is_reported(stack: Stack, capsys,
                                                                               tmp_path):
    stack.state_file = tmp_path / "recoup-up.json"   # what `recoup up` writes, for this test only
    await stack.start_service("billing")
    policy = RestartPolicy(initial=0.2, cap=1.0, reset_after=3.0, crash_loop=2, poll=0.1)
    supervisor = Supervisor(stack, policy)
    stop = asyncio.Event()
    running = asyncio.ensure_future(supervisor.run(stop))
    status = lambda: stack.service_status.get("billing", {})  # noqa: E731
    try:
        # 1. kill -9: restarted on the same port, healthy, said on the console and in the state
        first = stack.services["billing"].proc.pid
        url = stack.services["billing"].url
        os.kill(first, signal.SIGKILL)
        await _until(lambda: status().get("state") == "running" and status().get("restarts") == 1,
                     60, "billing restarted")
        assert stack.services["billing"].proc.pid != first
        assert stack.services["billing"].url == url and await _healthy(url)
        out = capsys.readouterr().out
        assert "billing was killed by SIGKILL" in out and "restarting in 0.2s" in out
        assert "billing restarted and healthy" in out
        state = json.loads(stack.state_file.read_text())
        assert state["services"]["billing"]["state"] == "running"
        assert state["services"]["billing"]["last_exit"] == -signal.SIGKILL
        assert stack.services["billing"].proc.pid in [c["pid"] for c in state["children"]]

        # 2. it stays up past reset_after: the back-off starts over
        await asyncio.sleep(policy.reset_after + 0.5)
        assert supervisor.watches["billing"].restarts == 0

        # 3. a service that cannot start any more: a crash loop, reported, retried, not hidden
        env = stack.services["billing"].env
        good_db = env["RECOUP_DATABASE_URL"]
        env["RECOUP_DATABASE_URL"] = "postgresql://postgres@127.0.0.1:1/nowhere"
        os.kill(stack.services["billing"].proc.pid, signal.SIGKILL)
        await _until(lambda: status().get("state") == "crash-loop", 90, "crash loop reported")
        out = capsys.readouterr().out
        assert "billing is CRASH-LOOPING" in out and "restart failed" in out
        assert json.loads(stack.state_file.read_text())["services"]["billing"]["crash_loop"] is True

        # 4. fixed: the next retry brings it back without restarting the stack
        env["RECOUP_DATABASE_URL"] = good_db
        await _until(lambda: status().get("state") == "running", 60, "billing back after the fix")
        assert await _healthy(stack.services["billing"].url)
    finally:
        stop.set()
        code = await running
        await stack.stop_service("billing")
        stack.state_file = None
    assert code == 0   # everything up when stopped


async def test_losing_the_broker_or_postgres_ends_the_stack(monkeypatch, stack: Stack, capsys):
    supervisor = Supervisor(stack, RestartPolicy(poll=0.05))
    monkeypatch.setattr(stack.broker, "poll", lambda: -9)
    assert supervisor.check() == "fatal"
    assert "broker was killed by SIGKILL" in capsys.readouterr().out
