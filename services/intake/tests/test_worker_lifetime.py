"""Issue 14 item 11: intake's placement worker processes die with the service, however it ends."""

from __future__ import annotations

import os
import signal
import time

import psutil
import pytest

from recoup_intake.adapters.workers import _alive


def _descendants(pid: int) -> list[psutil.Process]:
    return psutil.Process(pid).children(recursive=True)


def _running(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            continue
    return out


async def test_workers_are_gone_within_seconds_of_a_kill_9_of_the_service(stack):
    await stack.start_service("intake")
    service = stack.services["intake"].proc
    assert service is not None
    try:
        deadline = time.monotonic() + 30
        while True:   # the workers start in the lifespan (PlacementWorkers.start)
            # workers are forked by the forkserver (same command line), the service's child
            workers = [w for p in psutil.Process(service.pid).children()
                       if "forkserver" in " ".join(p.cmdline()) for w in p.children()]
            if len(workers) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, [p.cmdline() for p in _descendants(service.pid)]
        everything = _descendants(service.pid)     # workers, forkserver, resource tracker

        os.kill(service.pid, signal.SIGKILL)
        deadline = time.monotonic() + 5
        while _running(everything) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = _running(everything)
        assert not left, f"left behind: {[(p.pid, p.cmdline()) for p in left]}"
    finally:
        await stack.stop_service("intake")


def test_a_zombie_counts_as_dead():
    assert _alive(os.getpid())
    child = psutil.Popen(["true"])
    deadline = time.monotonic() + 5
    while _alive(child.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(child.pid)        # exited, not reaped yet: a zombie
    child.wait()
    assert not _alive(child.pid)


async def test_a_worker_dying_under_a_request_is_a_503_and_the_next_gets_a_new_one():
    """A worker killed while it holds part of a placement (the OOM killer, kill -9): that request
    is answered 503 (nothing stored, retry) — never a 500 — and the next one gets a new process."""
    from recoup_intake.adapters.workers import PlacementWorkers, WorkerLost, _ping
    from recoup_shared.crypto import Protector
    from recoup_shared.settings import ServiceSettings

    workers = PlacementWorkers(1, Protector.from_settings(ServiceSettings()))
    try:
        first = await workers.submit(0, _ping)
        with pytest.raises(WorkerLost) as lost:
            await workers.submit(0, os._exit, 9)        # the process dies holding the work
        assert lost.value.status == 503 and lost.value.body()["type"].endswith("/worker-lost")
        assert await workers.submit(0, _ping) != first  # a new process
    finally:
        workers.shutdown()


async def test_workers_yield_the_cpu_to_the_service():
    """The worker processes run at a lower priority (WORKER_NICENESS) than the service whose
    event loop and relay they must not starve; a replaced worker too."""
    from recoup_intake.adapters.workers import WORKER_NICENESS, PlacementWorkers
    from recoup_shared.crypto import Protector
    from recoup_shared.settings import ServiceSettings

    service = os.getpriority(os.PRIO_PROCESS, 0)
    workers = PlacementWorkers(1, Protector.from_settings(ServiceSettings()))
    try:
        assert await workers.submit(0, os.getpriority, os.PRIO_PROCESS, 0) == min(19, service + WORKER_NICENESS)
        with pytest.raises(Exception):
            await workers.submit(0, os._exit, 9)
        assert await workers.submit(0, os.getpriority, os.PRIO_PROCESS, 0) == min(19, service + WORKER_NICENESS)
    finally:
        workers.shutdown()
    assert os.getpriority(os.PRIO_PROCESS, 0) == service   # the service itself unchanged
