"""Child-process plumbing shared by the PostgreSQL, broker and service launchers.

Every child is started in its own session (so a terminal Ctrl-C reaches only the launcher, which
then stops the children in order) and with a parent-death signal (so a launcher killed with
SIGKILL does not leave orphans holding ports and data directories).
"""

from __future__ import annotations

import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

import psutil

_PR_SET_PDEATHSIG = 1
# Looked up once in the parent: the child between fork and exec only calls it.
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None


def _parent_death_signal(sig: int) -> Callable[[], None] | None:
    """preexec_fn asking the kernel to send `sig` to the child when the launcher dies (Linux)."""
    if _prctl is None:
        return None

    def preexec() -> None:
        _prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0)

    return preexec


def spawn(argv: Sequence[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
          stdout: int | IO[bytes] | None = None, stderr: int | IO[bytes] | None = None,
          user: str | None = None, death_signal: int = signal.SIGTERM) -> subprocess.Popen[bytes]:
    kwargs: dict = {}
    if user is not None:
        import pwd

        entry = pwd.getpwnam(user)
        kwargs.update(user=entry.pw_uid, group=entry.pw_gid, extra_groups=[])
    return subprocess.Popen(
        list(argv), env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
        start_new_session=True, preexec_fn=_parent_death_signal(death_signal), **kwargs,
    )


def stop_process(proc: subprocess.Popen | psutil.Process, sig: int = signal.SIGTERM, *,
                 timeout: float = 30.0, then: Sequence[int] = (signal.SIGKILL,)) -> int | None:
    """Send `sig`, wait up to `timeout`, escalate through `then` (each with a short wait)."""
    for i, s in enumerate((sig, *then)):
        try:
            proc.send_signal(s)
        except (ProcessLookupError, psutil.NoSuchProcess):
            break
        wait = timeout if i == 0 else 10.0
        try:
            return proc.wait(wait)
        except (subprocess.TimeoutExpired, psutil.TimeoutExpired):
            continue
        except psutil.NoSuchProcess:
            return None
    try:
        return proc.wait(5)
    except Exception:  # noqa: BLE001 - best effort; the caller reports what is left
        return None


# The fixed ports of `recoup up` (PostgreSQL, broker, every service of services.yaml): a
# throw-away stack never takes them, so `make up` can start while tests run.
def reserved_ports() -> frozenset[int]:
    from .services import SERVICES

    return frozenset({55432, 9092, *SERVICES.values()})


def free_port(host: str = "127.0.0.1") -> int:
    reserved = reserved_ports()
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((host, 0))
            port = s.getsockname()[1]
        if port not in reserved:
            return port


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return True
            raise
    return False


def port_holder(port: int) -> psutil.Process | None:
    """The process listening on a TCP port, if it can be seen (root, or our own user)."""
    try:
        conns = psutil.net_connections(kind="tcp")
    except (psutil.AccessDenied, PermissionError):
        return None
    for c in conns:
        if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port and c.pid:
            try:
                return psutil.Process(c.pid)
            except psutil.NoSuchProcess:
                return None
    return None


def describe(proc: psutil.Process | None) -> str:
    if proc is None:
        return "an unknown process"
    try:
        return f"pid {proc.pid} ({' '.join(proc.cmdline())[:160]})"
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return f"pid {proc.pid}"


def wait_port_free(port: int, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while port_in_use(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:])


# --- readable log lines on the console (issue 15): the services write JSON (their files keep it) ----

_LEVEL_COLOURS = {"debug": "\x1b[34m", "info": "\x1b[32m", "warning": "\x1b[33m", "error": "\x1b[1;31m",
                  "critical": "\x1b[1;31m", "exception": "\x1b[1;31m"}
_DIM, _CYAN, _RESET = "\x1b[2m", "\x1b[36m", "\x1b[0m"
_NOT_FIELDS = frozenset({"timestamp", "level", "event", "service", "logger", "exception", "exc_info"})
_MAX_VALUE = 160


def _value(v: object) -> str:
    if isinstance(v, str):
        text = v
    else:
        import json
        text = json.dumps(v, ensure_ascii=False, separators=(",", ":"), default=str)
    if len(text) > _MAX_VALUE:
        text = text[:_MAX_VALUE - 1] + "…"
    return f'"{text}"' if isinstance(v, str) and (" " in text or not text) else text


def readable(line: str, *, colour: bool = False) -> str:
    """A service's JSON log line as a person reads it: time, level, message, key fields (and a
    traceback below it); anything that is not such a line comes back as it is."""
    if not line.startswith("{"):
        return line
    import json
    from datetime import datetime

    try:
        record = json.loads(line)
    except ValueError:
        return line
    if not isinstance(record, dict) or "event" not in record:
        return line
    try:
        at = datetime.fromisoformat(str(record.get("timestamp", "")).replace("Z", "+00:00")).astimezone()
        when = at.strftime("%H:%M:%S.") + f"{at.microsecond // 1000:03d}"
    except ValueError:
        when = "--:--:--.---"
    level = str(record.get("level", "info")).lower()
    fields = []
    for key, v in record.items():
        if key in _NOT_FIELDS or v is None:
            continue
        if key == "correlation_id" and isinstance(v, str) and len(v) > 12:
            v = v[:8]  # enough to follow one request through the lines
        fields.append(f"{_CYAN}{key}{_RESET}={_value(v)}" if colour else f"{key}={_value(v)}")
    head = f"{when} {level.upper():<7} {record['event']}"
    if colour:
        head = f"{_DIM}{when}{_RESET} {_LEVEL_COLOURS.get(level, '')}{level.upper():<7}{_RESET} {record['event']}"
    out = head + ("  " + " ".join(fields) if fields else "")
    trace = record.get("exception")
    if isinstance(trace, str) and trace:
        out += "".join("\n        " + t for t in trace.rstrip().splitlines())
    return out


class LinePump(threading.Thread):
    """Copies a child's output line by line to `sink`, each line prefixed (e.g. 'intake   | ').
    On a console (stdout, a terminal) JSON log lines are rendered readable — coloured on a
    terminal; a file sink gets them as they are (the services' own log files are JSON too)."""

    _lock = threading.Lock()

    def __init__(self, stream: IO[bytes], prefix: str, sink: IO[str] | None = None) -> None:
        super().__init__(daemon=True, name=f"pump-{prefix.strip()}")
        self.stream, self.prefix, self.sink = stream, prefix, sink

    def run(self) -> None:
        sink = self.sink or sys.stdout
        console = sink is sys.stdout or sink is sys.stderr or _isatty(sink)
        colour = console and _isatty(sink) and not os.environ.get("NO_COLOR")
        prefix = f"{_DIM}{self.prefix}{_RESET}" if colour else self.prefix
        for raw in iter(self.stream.readline, b""):
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            if console:
                line = readable(line, colour=colour)
            sink = self.sink or sys.stdout
            with self._lock:
                try:
                    sink.write("".join(f"{prefix}{part}\n" for part in line.split("\n")))
                    sink.flush()
                except (ValueError, OSError):  # sink closed at interpreter exit
                    return
        self.stream.close()


def _isatty(sink: IO[str]) -> bool:
    try:
        return sink.isatty()
    except (AttributeError, ValueError):
        return False


def ensure_dir(path: Path, owner: str | None = None, mode: int = 0o700) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    if owner is not None:
        import pwd

        entry = pwd.getpwnam(owner)
        os.chown(path, entry.pw_uid, entry.pw_gid)
    path.chmod(mode)
    return path


def say(message: str, sink: IO[str] | None = None) -> None:
    """One launcher line on the console, never interleaved with the services' lines."""
    with LinePump._lock:
        out = sink or sys.stdout
        out.write(f"{'recoup':<10} | {message}\n")
        out.flush()
