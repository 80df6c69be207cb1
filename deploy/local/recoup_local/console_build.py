"""The staff console in the local stack: build it when its sources changed, run the gateway
(console.py) as a child process of the stack, regenerate the API types.

    recoup console build        npm ci (lockfile changed) + npm run build (sources newer than dist)
    recoup console api-types    console/src/api/schema/<service>.ts from the services' OpenAPI

Stamps, kept simple:
- node_modules/.recoup-lock.sha256 holds the hash of package-lock.json from the last `npm ci`;
  another hash (or none) → `npm ci`.
- dist/.recoup-build-stamp has the mtime of the moment the last successful build *started*; a
  source file or directory (a deletion changes its directory) newer than that → `npm run build`.
A file lock keeps a `make up` and a `make test` from building at the same time.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from . import procs, services

LOCAL_CONSOLE_PORT = 8000
MIN_NODE = (20, 19)
# What a build reads: a change to any of these (or a file added to or removed from src/ or
# public/) makes dist stale.
SOURCE_DIRS = ("src", "public")
SOURCE_FILES = ("index.html", "vite.config.ts", "tsconfig.json", "tsconfig.app.json", "tsconfig.vitest.json",
                "tsconfig.node.json", "package.json", "package-lock.json")
# Written by the build itself (unplugin's type declarations): never a reason to build again.
GENERATED = frozenset({"src/auto-imports.d.ts", "src/components.d.ts"})
NEXT_DIST = ".dist-next"


class ConsoleBuildError(RuntimeError):
    pass


def console_dir() -> Path:
    from .stack import repo_root

    return repo_root() / "console"


def _run(argv: list[str], cwd: Path, what: str, say: Callable[[str], None],
         env: dict[str, str] | None = None) -> None:
    t0 = time.monotonic()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise ConsoleBuildError(f"{what} failed (exit {proc.returncode}):\n{proc.stdout[-4000:]}")
    say(f"console: {what} done in {time.monotonic() - t0:.1f}s")
    for line in proc.stdout.splitlines():
        if line.startswith("first load"):  # scripts/size.mjs
            say(f"console: {line}")


def check_node() -> str:
    npm = shutil.which("npm")
    node = shutil.which("node")
    if not npm or not node:
        raise ConsoleBuildError("Node.js and npm are needed to build the console (Node 20.19 or newer)")
    out = subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip()
    m = re.match(r"v(\d+)\.(\d+)", out)
    if not m or (int(m.group(1)), int(m.group(2))) < MIN_NODE:
        raise ConsoleBuildError(f"the console needs Node.js {MIN_NODE[0]}.{MIN_NODE[1]} or newer, found {out!r}")
    return npm


@contextlib.contextmanager
def _build_lock(cdir: Path) -> Iterator[None]:
    with open(cdir / ".build.lock", "w") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def lock_hash(cdir: Path) -> str:
    return hashlib.sha256((cdir / "package-lock.json").read_bytes()).hexdigest()


def deps_stale(cdir: Path) -> bool:
    stamp = cdir / "node_modules" / ".recoup-lock.sha256"
    return not stamp.is_file() or stamp.read_text().strip() != lock_hash(cdir)


def newest_source_mtime(cdir: Path) -> float:
    newest = 0.0
    for name in SOURCE_FILES:
        p = cdir / name
        if p.exists():
            newest = max(newest, p.stat().st_mtime)
    for d in SOURCE_DIRS:
        for root, dirs, files in os.walk(cdir / d):
            newest = max(newest, os.stat(root).st_mtime)
            for f in files:
                path = os.path.join(root, f)
                if os.path.relpath(path, cdir) not in GENERATED:
                    newest = max(newest, os.stat(path).st_mtime)
    return newest


def build_stale(cdir: Path) -> bool:
    stamp = cdir / "dist" / ".recoup-build-stamp"
    return not stamp.is_file() or newest_source_mtime(cdir) > stamp.stat().st_mtime


def _swap_in(new: Path, dist: Path) -> None:
    old = dist.with_name(".dist-old")
    shutil.rmtree(old, ignore_errors=True)
    if dist.exists():
        dist.rename(old)
    new.rename(dist)
    shutil.rmtree(old, ignore_errors=True)


def ensure_deps(cdir: Path | None = None, *, say: Callable[[str], None] = procs.say) -> None:
    cdir = cdir or console_dir()
    npm = check_node()
    with _build_lock(cdir):
        if deps_stale(cdir):
            digest = lock_hash(cdir)
            say("console: package-lock.json changed (or first run): npm ci")
            _run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cdir, "npm ci", say)
            (cdir / "node_modules" / ".recoup-lock.sha256").write_text(digest + "\n")


def ensure_built(cdir: Path | None = None, *, say: Callable[[str], None] = procs.say) -> Path:
    """console/dist, built if its sources changed since the last build; returns its path."""
    cdir = cdir or console_dir()
    if not (cdir / "package.json").is_file():
        raise ConsoleBuildError(f"no console in {cdir}")
    ensure_deps(cdir, say=say)
    npm = check_node()
    with _build_lock(cdir):
        if build_stale(cdir):
            started = time.time()
            say("console: sources changed since the last build: npm run build")
            # built beside dist, then swapped in: a running gateway never serves half a build
            shutil.rmtree(cdir / NEXT_DIST, ignore_errors=True)
            _run([npm, "run", "build"], cdir, "npm run build", say, env={"RECOUP_CONSOLE_OUT_DIR": NEXT_DIST})
            stamp = cdir / NEXT_DIST / ".recoup-build-stamp"
            stamp.write_text("the console's sources as they were when this build started\n")
            os.utime(stamp, (started, started))
            _swap_in(cdir / NEXT_DIST, cdir / "dist")
        else:
            say("console: dist is up to date")
    return cdir / "dist"


# --- the gateway as a child process of the stack ------------------------------------------------

class ConsoleProcess(services.ServiceProcess):
    """`python -m uvicorn recoup_local.console:create_app --factory` (no access log: ours omits
    query strings, uvicorn's would print them)."""

    def start(self) -> None:
        if procs.port_in_use(self.port):
            raise services.ServiceError(f"console: port {self.port} is already in use by "
                                        f"{procs.describe(procs.port_holder(self.port))}")
        argv = [sys.executable, "-m", "uvicorn", "recoup_local.console:create_app", "--factory",
                "--host", "127.0.0.1", "--port", str(self.port), "--no-access-log",
                "--timeout-graceful-shutdown", str(services.GRACEFUL_SECONDS)]
        self.proc = procs.spawn(argv, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, death_signal=signal.SIGTERM)
        assert self.proc.stdout is not None
        self._pump = procs.LinePump(self.proc.stdout, self.prefix, self.console)
        self._pump.start()


async def start_console(stack, *, port: int | None = None, build: bool = True,
                        clients: list[dict[str, str]] | None = None) -> str:
    """Build the console if needed and start the gateway in front of the stack's running
    services; returns its URL. It joins stack.services, so stack.stop() stops it too."""
    dist = await asyncio.to_thread(ensure_built) if build else console_dir() / "dist"
    upstreams = {n: s.url for n, s in stack.services.items() if n in services.SERVICES}
    port = port or (procs.free_port() if stack.ephemeral else LOCAL_CONSOLE_PORT)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "RECOUP_PROFILE": stack.profile,
           "RECOUP_SERVICE_NAME": "console", "RECOUP_LOG_FILE": str(stack.log_dir / "console.log"),
           "RECOUP_CONSOLE_DIST": str(dist), "RECOUP_CONSOLE_UPSTREAMS": json.dumps(upstreams)}
    if clients is not None:
        env["RECOUP_CONSOLE_CLIENTS"] = json.dumps(clients)
    console = stack.console
    if console is None and stack.ephemeral:
        console = open(stack.log_dir / "console.console.log", "a", encoding="utf-8")
        stack._files.append(console)
    proc = ConsoleProcess("console", port=port, env=env, log_file=stack.log_dir / "console.log",
                          console=console)
    stack.services["console"] = proc
    proc.start()
    stack._record()
    await proc.wait_healthy()
    return proc.url


async def announce_console(stack) -> None:
    """`recoup up`: start the console and print its URL; a console that cannot be built is
    reported and the rest of the stack keeps running."""
    try:
        url = await start_console(stack)
    except (ConsoleBuildError, services.ServiceError) as exc:
        procs.say(f"console not started: {exc}")
        return
    procs.say(f"{'console':<12} {url}   (staff console; APIs at {url}/api/<service>/…, "
              f"development sign-in; log {stack.log_dir / 'console.log'})")


# --- API types ----------------------------------------------------------------------------------

def write_openapi(out_dir: Path) -> list[str]:
    """The OpenAPI document of every installed service, read from its app object."""
    import importlib

    os.environ.setdefault("RECOUP_PROFILE", "test")
    names = []
    for name in services.runnable():
        app = importlib.import_module(f"{services.package(name)}.app").create_app()
        (out_dir / f"{name}.json").write_text(json.dumps(app.openapi(), ensure_ascii=False, indent=1))
        names.append(name)
    return names


def api_types(out: Path | None = None, *, say: Callable[[str], None] = print) -> Path:
    """console/src/api/schema/<service>.ts (or `out`), generated by openapi-typescript."""
    cdir = console_dir()
    ensure_deps(cdir, say=say)
    out = out or cdir / "src" / "api" / "schema"
    with tempfile.TemporaryDirectory(prefix="recoup-openapi-") as tmp:
        names = write_openapi(Path(tmp))
        _run(["node", "scripts/api-types.mjs", tmp, str(out)], cdir, "api types", say)
    say(f"API types of {', '.join(names)} written to {out}")
    return out


def main(argv: list[str]) -> int:
    """`recoup console build|api-types`"""
    if not argv or argv[0] not in ("build", "api-types"):
        print("usage: recoup console build|api-types", file=sys.stderr)
        return 2
    try:
        if argv[0] == "build":
            print(ensure_built(say=print))
        else:
            api_types()
    except ConsoleBuildError as exc:
        print(f"recoup console: {exc}", file=sys.stderr)
        return 1
    return 0
