"""Worker processes for the CPU-bound part of a big placement (issue 2 §3: 100,000 cases).

Decoding, validating, hashing, encrypting and serialising a case is pure Python: one process does
~25 k cases per second however many threads it has. A big placement is cut into parts that the
worker processes handle in two rounds, each part staying in the worker that checked it:

1. `check_part`: a piece of the JSON body's `cases` text (inputs.split_placement_body; the
   service never decodes it) or decoded rows (uploads: marshal, or pickle for other types) are
   decoded and judged row by row (rules.validation.check_rows), and the valid rows identified
   (time-ordered ids counted by part and position, account / ID-number blind-index hashes). The
   worker keeps the cases and answers with what the rules across rows and the database checks
   need — each row's account key, its errors, the valid rows' ids and hashes — and, for a JSON
   piece, its canonical JSON for the request hash (R-1).
2. `prepare_part`, once the service has applied the rules across rows (duplicates), the
   re-placement check and the joint-debt lookup: the worker encrypts, builds the COPY rows and
   the `case.received` events of the part minus the rejected rows — while the service COPYs the
   parts before (usecases/placements.py, _Import.in_workers).

Each worker is a ProcessPoolExecutor of one process, so a part's second round finds the cases
its first round kept. Processes start from a forkserver (never a fork of the running service),
ignore SIGINT/SIGTERM (the service stops them in on_shutdown, after uvicorn has finished the
requests in flight) and hold no database or broker connection. A worker that dies fails the
request in flight and is replaced for the next one. A worker never outlives the service (issue 14:
a killed intake left its ~180 MB workers behind): see `_die_with_service`.
"""

from __future__ import annotations

import asyncio
import gc
import marshal
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable

from .inputs import canonical_rows, decode_segment
from recoup_shared.crypto import Protector
from .records import Identified, PlacementContext, new_uuids, prepare_chunk
from .rules.validation import DEFAULT_LIMITS, ValidationLimits, check_rows

# --- in the worker process ----------------------------------------------------------------------

_PROTECTOR: Protector | None = None
_PARTS: dict[tuple[str, int], list[Identified]] = {}


_PR_SET_PDEATHSIG = 1
WATCHDOG_SECONDS = 1.0


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
    # Bulk work that makes no reference cycles: the collector would only rescan big heaps.
    gc.disable()


def _ping() -> int:
    return os.getpid()


class SegmentError(ValueError):
    """A piece of a split JSON body is not a run of whole JSON values (the service then decodes
    the body whole)."""


@dataclass(slots=True)
class CheckedPart:
    keys: list[str | None]                             # per row: account key (duplicate rule)
    errors: dict[int, list[tuple[str, str]] | None]    # rejected rows (index in the part): errors
    valid: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    # ^ (index in the part, case_id, event_id, account_hash, id_hash) of the rows valid on their own
    canonical: bytes | None = None                     # JSON pieces: their canonical JSON (R-1 hash)
    cpu: float = 0.0                                   # seconds of the worker's CPU


@dataclass(slots=True)
class PreparedPart:
    cases: bytes                 # COPY text data (records.prepare_chunk)
    phones: bytes                # COPY text data
    outbox: list[tuple]          # outbox records
    cpu: float = 0.0


def pack_rows(rows: list[Any]) -> tuple[bytes, str]:
    """Raw JSON rows for a worker: marshal (fast) unless they hold other types (Decimals)."""
    try:
        return marshal.dumps(rows), "marshal"
    except ValueError:
        return pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL), "pickle"


MAX_PARTS = 1 << 9          # ids count (part, row in part) in 9 + 20 of the 30 counter bits
MAX_PART_ROWS = 1 << 20


def check_part(job: str, part: int, payload: bytes, codec: str, placed_on: date, today: date, ms: int,
               limits: ValidationLimits = DEFAULT_LIMITS) -> CheckedPart:
    """Rows of part `part`: "json" (a piece of the body's `cases` text), "marshal" or "pickle"
    (decoded rows, pack_rows). Indexes in the answer are positions in the part: where the part
    starts in the placement is known in the service only once the parts before are decoded."""
    assert _PROTECTOR is not None
    cpu = time.process_time()
    canonical = None
    if codec == "json":
        try:
            rows = decode_segment(payload)
        except (ValueError, RecursionError) as exc:
            raise SegmentError(str(exc)[:200]) from None
        canonical = canonical_rows(rows)
    else:
        rows = marshal.loads(payload) if codec == "marshal" else pickle.loads(payload)
    del payload
    if part >= MAX_PARTS or len(rows) >= MAX_PART_ROWS:
        raise SegmentError("too many parts or rows in a part")
    checks = check_rows(rows, placed_on=placed_on, today=today, limits=limits)
    del rows
    ids = new_uuids(2 * len(checks), start=2 * part * MAX_PART_ROWS, ms=ms)
    card_hash, id_hash = _PROTECTOR.card_hash, _PROTECTOR.id_hash
    out = CheckedPart([], {}, canonical=canonical)
    kept: list[Identified] = []
    for j, (vc, errs, key) in enumerate(checks):
        out.keys.append(key)
        if vc is None:
            out.errors[j] = errs
            continue
        it = Identified(vc, ids[2 * j], ids[2 * j + 1], card_hash(vc.account_ref), id_hash(vc.id_number_18), j, j)
        kept.append(it)
        out.valid.append((j, it.case_id, it.event_id, it.account_hash, it.id_hash))
    _PARTS[(job, part)] = kept
    out.cpu = time.process_time() - cpu
    return out


def prepare_part(job: str, part: int, start: int, labels: Sequence[int] | None, rejected: frozenset[int],
                 joint: dict[str, list[str]], ctx: PlacementContext, occurred_at: datetime) -> PreparedPart:
    """The part's cases minus `rejected` (positions in the part): COPY data for cases and
    phone_lookup, and the outbox records of their case.received events. The part's first row is
    row `start` of the placement; `labels`: the rows' labels (file row numbers), else the index."""
    assert _PROTECTOR is not None
    cpu = time.process_time()
    items = [it for it in _PARTS.pop((job, part)) if it.index not in rejected]
    for it in items:
        it.case.row = it.row = labels[it.index] if labels is not None else start + it.index  # type: ignore[union-attr]
    prepared = prepare_chunk(items, joint, ctx, _PROTECTOR, occurred_at)
    del items
    return PreparedPart(prepared.cases, prepared.phones, prepared.outbox, time.process_time() - cpu)


def release(job: str) -> None:
    for key in [k for k in _PARTS if k[0] == job]:
        del _PARTS[key]
    gc.collect()


# --- in the service -----------------------------------------------------------------------------

class PlacementWorkers:
    """`size` single-process executors (worker w handles parts w, w + size, ...)."""

    def __init__(self, size: int, protector: Protector) -> None:
        if size < 1:
            raise ValueError("at least one worker")
        self._protector = protector
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        self._context = context
        self._executors = [self._new() for _ in range(size)]

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=1, mp_context=self._context, initializer=_init,
                                   initargs=(self._protector, os.getpid()))

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
        """Drop whatever the workers still keep of a placement (after it, or when it failed)."""
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
