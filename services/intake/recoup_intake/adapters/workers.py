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
for the next one.
"""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import signal
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from recoup_shared.crypto import Protector

# --- in the worker process ----------------------------------------------------------------------

_PROTECTOR: Protector | None = None
_KEPT: dict[tuple[str, int], Any] = {}


def _init(protector: Protector) -> None:
    global _PROTECTOR
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _PROTECTOR = protector
    # Not a pause (recoup_shared.gcpause is for stages of the service): these processes only ever
    # do bulk work that makes no reference cycles, and keep a part's cases between its two calls —
    # the collector would only rescan them. `release` collects once a placement is done.
    gc.disable()


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
                                   initargs=(self._protector,))

    @property
    def size(self) -> int:
        return len(self._executors)

    async def start(self) -> None:
        """Start the processes now (imports take a second), not on the first placement."""
        await asyncio.gather(*(self.submit(w, _ping) for w in range(self.size)))

    def submit(self, worker: int, fn: Callable[..., Any], *args: Any) -> asyncio.Future:
        executor = self._executors[worker]
        try:
            future: Future = executor.submit(fn, *args)
        except BrokenProcessPool:  # its process died (killed, out of memory): a new one
            executor.shutdown(wait=False, cancel_futures=True)
            executor = self._executors[worker] = self._new()
            future = executor.submit(fn, *args)
        return asyncio.wrap_future(future)

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
