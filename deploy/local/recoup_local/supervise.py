"""`recoup up` watching its children: a dead service is restarted with back-off, a crash loop is
reported, losing PostgreSQL or the broker ends the stack (nothing works without them).

Back-off per service: the first restart waits `initial` seconds, each next one twice as long, at
most `cap`; once a restarted service has stayed up for `reset_after` seconds its count starts
over. After `crash_loop` restarts that did not stay up, the service is reported as crash-looping
(on the console, with the tail of its log, and in .local/run/recoup-up.json) and retried every
`cap` seconds, so a fix in the code brings it back without restarting the stack.
"""

from __future__ import annotations

import asyncio
import signal
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from recoup_shared.waiting import wait_event

from . import procs
from .procs import say

if TYPE_CHECKING:
    from .stack import Stack


@dataclass(frozen=True)
class RestartPolicy:
    initial: float = 1.0
    factor: float = 2.0
    cap: float = 30.0
    reset_after: float = 60.0
    crash_loop: int = 5
    poll: float = 0.5

    def delay(self, restarts: int) -> float:
        """Wait before restart number `restarts` (1, 2, ...)."""
        return min(self.initial * self.factor ** max(restarts - 1, 0), self.cap)


@dataclass
class _Watch:
    restarts: int = 0                     # since the service last stayed up for reset_after
    total: int = 0                        # restarts since `recoup up` started
    up_since: float | None = None
    next_try: float | None = None
    last_exit: int | None = None
    crash_loop: bool = False
    task: asyncio.Task | None = field(default=None, repr=False)


def describe_exit(code: int | None) -> str:
    if code is None:
        return "exited"
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"


class Supervisor:
    def __init__(self, stack: "Stack", policy: RestartPolicy | None = None) -> None:
        self.stack, self.policy = stack, policy or RestartPolicy()
        now = time.monotonic()
        self.watches = {name: _Watch(up_since=now) for name in stack.services}

    async def run(self, stop: asyncio.Event) -> int:
        """Until `stop` is set; the exit code of `recoup up` (1 if PostgreSQL or the broker died,
        or a service is still down when stopping)."""
        try:
            while not stop.is_set():
                await wait_event(stop, self.policy.poll)
                if self.check() == "fatal":
                    return 1
        finally:
            for w in self.watches.values():
                if w.task is not None and not w.task.done():
                    w.task.cancel()
        return 1 if any(w.next_try is not None for w in self.watches.values()) else 0  # one is down

    def check(self) -> str | None:
        """One look at every child; starts the restarts that are due."""
        stack, now = self.stack, time.monotonic()
        for name, code in (("postgres", stack.pg.poll()), ("broker", stack.broker.poll())):
            if code is not None:
                log = stack.pg.log_file if name == "postgres" else stack.broker.log_file
                say(f"ERROR: {name} {describe_exit(code)}; last lines of {log}:")
                for line in procs.tail(log, 20).splitlines():
                    say(f"    {line}")
                say("stopping the stack")
                return "fatal"
        for name, svc in list(stack.services.items()):
            w = self.watches.setdefault(name, _Watch(up_since=now))
            if w.task is not None and not w.task.done():
                continue                      # a restart is under way
            code = svc.poll()
            if code is None:
                if w.up_since is not None and w.restarts and now - w.up_since >= self.policy.reset_after:
                    w.restarts, w.crash_loop = 0, False   # it stayed up: back-off starts over
                    self._status(name, "running")
                continue
            if w.next_try is None:            # just died
                self._died(name, w, code, now)
            elif now >= w.next_try:
                w.task = asyncio.ensure_future(self._restart(name, w))
        return None

    def _died(self, name: str, w: _Watch, code: int, now: float) -> None:
        stayed = None if w.up_since is None else now - w.up_since
        if stayed is not None and stayed >= self.policy.reset_after:
            w.restarts, w.crash_loop = 0, False
        w.restarts += 1
        w.last_exit, w.up_since = code, None
        delay = self.policy.delay(w.restarts)
        w.next_try = now + delay
        log = self.stack.log_dir / f"{name}.log"
        if w.restarts > self.policy.crash_loop:
            if not w.crash_loop:
                w.crash_loop = True
                say(f"ERROR: {name} is CRASH-LOOPING: it {describe_exit(code)} again, "
                    f"{w.restarts - 1} restarts in a row without staying up "
                    f"{self.policy.reset_after:.0f}s. Its output is above; last lines of {log}:")
                for line in procs.tail(log, 15).splitlines():
                    say(f"    {line}")
            say(f"{name} {describe_exit(code)} (crash loop; restart {w.restarts}) — "
                f"retrying every {delay:.0f}s until it stays up; fix it or Ctrl-C")
            self._status(name, "crash-loop")
        else:
            up = f" after {stayed:.1f}s" if stayed is not None else " while starting"
            say(f"{name} {describe_exit(code)}{up}; restarting in {delay:.1f}s "
                f"(restart {w.restarts}; JSON log {log})")
            self._status(name, "restarting")

    async def _restart(self, name: str, w: _Watch) -> None:
        w.total += 1
        try:
            url = await self.stack.restart_service(name)
        except Exception as exc:  # noqa: BLE001 - it died again while starting: next back-off
            svc = self.stack.services.get(name)
            code = svc.poll() if svc is not None else None
            if code is None and svc is not None:
                svc.kill()                    # up but never healthy: start over cleanly
                code = svc.proc.wait() if svc.proc is not None else None
            say(f"{name}: restart failed ({exc})")
            w.next_try = None
            self._died(name, w, code if code is not None else 1, time.monotonic())
            return
        w.next_try, w.up_since = None, time.monotonic()
        say(f"{name} restarted and healthy at {url} (restart {w.restarts}, pid "
            f"{self.stack.services[name].proc.pid})")
        self._status(name, "running")

    def _status(self, name: str, state: str) -> None:
        w = self.watches[name]
        self.stack.service_status[name] = {
            "state": state, "restarts": w.total, "consecutive_failures": w.restarts,
            "last_exit": w.last_exit, "crash_loop": w.crash_loop,
            "next_restart_in": (round(max(w.next_try - time.monotonic(), 0), 1)
                                if w.next_try is not None else None),
        }
        self.stack._record()
