"""Reading an upload in a bounded worker process (issue 14 item 1): whatever a file does to the
reader — a grid of billions of cells, a zip bomb, a pathological XML or CSV — costs at most that
upload, answered 422, never the service.

Each upload is read by a fresh process from the forkserver (never a fork of the running service)
with an address-space limit (`resource.setrlimit(RLIMIT_AS)`) set before it reads a byte, and a
time limit kept by the service, which kills the process when it is over. A process that dies —
killed, out of memory (a Rust reader aborts on a failed allocation), over time — is a FileError
naming the limit for that upload. It dies with the service too (adapters/workers.py's guard).
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
from dataclasses import dataclass, field
from typing import Any

from ..rules.templates import FileError, ImportTemplate, ParsedUpload
from .spreadsheets import parse_upload
from .workers import _die_with_service
from .xlsx_scan import XlsxLimits


@dataclass(frozen=True)
class UploadLimits:
    memory_bytes: int = 3 << 30        # the worker's address space (RLIMIT_AS)
    seconds: float = 300.0             # reading a file longer than this is refused
    xlsx: XlsxLimits = field(default_factory=XlsxLimits)


def _child(conn: Any, content: bytes, filename: str, template: ImportTemplate, max_rows: int | None,
           limits: UploadLimits, service_pid: int) -> None:
    """In the worker process: limits first, then the file."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _die_with_service(service_pid)
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    try:
        parsed = parse_upload(content, filename, template, max_rows=max_rows, xlsx_limits=limits.xlsx)
        del content
        conn.send(parsed)
    except MemoryError:
        os._exit(3)  # reported by the service as over the memory limit
    finally:
        conn.close()


def _refused(reason: str) -> ParsedUpload:
    from ..rules.model import RowError

    return ParsedUpload(format="unknown", fatal=True, errors=[RowError(0, "file", reason)])


def parse_bounded(content: bytes, filename: str, template: ImportTemplate, *, max_rows: int | None,
                  limits: UploadLimits) -> ParsedUpload:
    """parse_upload in a worker process within `limits`; a file that breaks them gives a fatal
    ParsedUpload naming the limit. Blocking: run it in a thread."""
    ctx = multiprocessing.get_context("forkserver")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, name="intake-upload-reader", daemon=True,
                       args=(sender, content, filename, template, max_rows, limits, os.getpid()))
    proc.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            proc.kill()
            return _refused(f"reading the file took longer than {limits.seconds:g} s (the limit)")
        try:
            return receiver.recv()
        except (EOFError, OSError):
            proc.join(5)
            if proc.exitcode in (3, -signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
                return _refused("reading the file needed more than the memory limit of "
                                f"{limits.memory_bytes // (1 << 20):,} MiB (the limit); send a smaller file or CSV")
            return _refused(f"the file could not be read (the reader stopped, exit {proc.exitcode})")
    finally:
        receiver.close()
        if proc.is_alive():
            proc.join(5)
            if proc.is_alive():
                proc.kill()
        proc.join()


__all__ = ["FileError", "UploadLimits", "parse_bounded"]
