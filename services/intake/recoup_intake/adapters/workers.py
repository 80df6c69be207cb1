"""Worker processes for the CPU-bound part of a big placement (issue 2 §3: 100,000 cases).

Decoding, validating, hashing, encrypting and serialising a case is pure Python: one process does
~25 k cases per second however many threads it has. `PlacementWorkers` is a set of single-process
executors, so work sent twice to worker w (a placement part's check, then its preparation —
usecases/placements/parts.py) finds in that process what the first call kept there (`keep` /
`take`, by job and part).

Processes start from a forkserver (never a fork of the running service, which holds connections
and threads), with the modules they need imported once (`preload`). They ignore SIGINT/SIGTERM
(the service stops them in Ctx.close, after uvicorn has finished the requests in flight) and hold
no database or broker connection. A worker that dies fails the request in flight and is replaced
for the next one. A worker never outlives the service (issue 14: a killed intake left its ~180 MB
workers behind): see `_die_with_service`.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from recoup_shared.crypto import Protector
from recoup_shared.errors import ServiceError

from .._compiled import compiled_in_use

# --- in the worker process ----------------------------------------------------------------------

_PROTECTOR: Protector | None = None
_KEPT: dict[tuple[str, int], Any] = {}


_PR_SET_PDEATHSIG = 1
WATCHDOG_SECONDS = 1.0
WORKER_NICENESS = 5


def _alive(pid: int) -> bool:
    """`pid` runs (a zombie — dead, not yet reaped by its parent — counts as dead)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] not in (b"Z", b"X")
    except FileNotFoundError:
        return False
    except OSError:  # no /proc (not Linux)
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
        return True


def _die_with_service(service_pid: int) -> None:
    """Make this worker exit when the service does, however the service ends (kill -9 too).

    The worker's parent is the forkserver, which exits when the service's end of its pipe
    closes, i.e. when the service dies. Linux: PR_SET_PDEATHSIG has the kernel SIGKILL the worker
    when that parent goes. Everywhere, and for the window before prctl: a watchdog thread checks
    the service's pid and the worker's parent every second."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass  # the watchdog still applies

    def watch() -> None:
        while True:
            if os.getppid() != parent or not _alive(service_pid):
                os._exit(1)
            time.sleep(WATCHDOG_SECONDS)

    if os.getppid() != parent or not _alive(service_pid):  # died before prctl took effect
        os._exit(1)
    threading.Thread(target=watch, name="die-with-service", daemon=True).start()


def _init(protector: Protector, service_pid: int | None = None) -> None:
    global _PROTECTOR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if service_pid is not None:
        _die_with_service(service_pid)
    _PROTECTOR = protector
    # Not a pause (recoup_shared.gcpause is for stages of the service): these processes only ever
    # do bulk work that makes no reference cycles, and keep a part's cases between its two calls —
    # the collector would only rescan them. `release` collects once a placement is done.
    gc.disable()
    # Bulk work yields to the service: its event loop (requests, health checks, the outbox
    # relay) and, on a shared host, the database COPYing the parts before (issue 15: the import's
    # stages overlap better; the placement is no slower). Raising niceness needs no privilege.
    os.nice(WORKER_NICENESS)


def worker_protector() -> Protector:
    """The service's Protector, in a worker process."""
    assert _PROTECTOR is not None, "not in a placement worker process"
    return _PROTECTOR


def keep(job: str, part: int, value: Any) -> None:
    """Keep `value` in this worker process until `take(job, part)` (or `release(job)`)."""
    _KEPT[(job, part)] = value


def take(job: str, part: int) -> Any:
    return _KEPT.pop((job, part))


def release(job: str) -> None:
    for key in [k for k in _KEPT if k[0] == job]:
        del _KEPT[key]
    gc.collect()


def _ping() -> int:
    return os.getpid()



# --- in the service -----------------------------------------------------------------------------

class WorkerLost(ServiceError):
    """A worker process died while it held part of this request (killed, out of memory). Nothing
    of the request was stored (its transaction rolls back) and the next request gets a new worker:
    the client sends it again."""
    status, type, title = 503, "worker-lost", "Temporarily unavailable"


async def _guarded(future: Future) -> Any:
    try:
        return await asyncio.wrap_future(future)
    except BrokenProcessPool as exc:
        raise WorkerLost("A worker stopped while reading this request; nothing was stored. "
                         "Send it again.") from exc


class PlacementWorkers:
    """`size` single-process executors (worker w handles parts w, w + size, ...)."""

    def __init__(self, size: int, protector: Protector, *, preload: Sequence[str] = ()) -> None:
        if size < 1:
            raise ValueError("at least one worker")
        self._protector = protector
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__, *preload])
        self._context = context
        self._executors = [self._new() for _ in range(size)]

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=1, mp_context=self._context, initializer=_init,
                                   initargs=(self._protector, os.getpid()))

    @property
    def size(self) -> int:
        return len(self._executors)

    async def start(self) -> bool:
        """Start the processes now (imports take a second), not on the first placement; whether
        they run the compiled modules (compiled.txt)."""
        return all(await asyncio.gather(*(self.submit(w, compiled_in_use) for w in range(self.size))))

    def submit(self, worker: int, fn: Callable[..., Any], *args: Any) -> asyncio.Future:
        executor = self._executors[worker]
        try:
            future: Future = executor.submit(fn, *args)
        except BrokenProcessPool:  # its process died (killed, out of memory): a new one
            executor.shutdown(wait=False, cancel_futures=True)
            executor = self._executors[worker] = self._new()
            future = executor.submit(fn, *args)
        return asyncio.ensure_future(_guarded(future))

    def release(self, job: str) -> None:
        """Drop whatever the workers still keep of a job (after it, or when it failed)."""
        for w in range(self.size):
            try:
                self.submit(w, release, job).add_done_callback(_ignore_result)
            except Exception:  # noqa: BLE001 - a broken worker keeps nothing
                pass

    def shutdown(self) -> None:
        for executor in self._executors:
            executor.shutdown(wait=True, cancel_futures=True)


def _ignore_result(future: asyncio.Future) -> None:
    if not future.cancelled():
        future.exception()
