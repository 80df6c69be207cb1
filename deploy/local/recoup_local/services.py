"""The services as child processes: which exist, where they listen, how they are run.

The list and the fixed local ports come from deploy/k8s/services.yaml in the checkout we run
from — the one list behind the deployment too — so a new service needs no edit here. A service
listed there but not written yet (`planned`) gets its database and its port reserved; it is
started once its package is installed.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import signal
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import IO

from . import procs

SPEC_PATH = Path("deploy") / "k8s" / "services.yaml"


def repo_root() -> Path:
    """The checkout we run from: the nearest parent of the working directory holding
    deploy/local/pyproject.toml, else the checkout this package was installed from."""
    for d in (Path.cwd(), *Path.cwd().parents):
        if (d / "deploy" / "local" / "pyproject.toml").is_file():
            return d
    here = Path(__file__).resolve().parents[3]
    if (here / "deploy" / "local" / "pyproject.toml").is_file():
        return here
    return Path.cwd()


def load_ports(spec_file: Path | None = None) -> dict[str, int]:
    """name -> fixed local port, in port order, from services.yaml (RECOUP_SERVICES_FILE to use
    another); without a checkout, from the copy packaged in recoup_shared (bus/topology.py)."""
    path = Path(spec_file or os.environ.get("RECOUP_SERVICES_FILE") or repo_root() / SPEC_PATH)
    if path.is_file():
        import yaml

        services = yaml.safe_load(path.read_text(encoding="utf-8"))["services"]
        ports = {name: int(svc["port"]) for name, svc in services.items()}
    else:
        from recoup_shared.bus.topology import SERVICES as packaged

        ports = {name: int(svc["port"]) for name, svc in packaged.items()}
    return dict(sorted(ports.items(), key=lambda item: item[1]))


# Fixed local ports of `recoup up` (deploy/k8s/services.yaml `port`).
SERVICES: dict[str, int] = load_ports()

GRACEFUL_SECONDS = 20  # uvicorn --timeout-graceful-shutdown; the stop waits a little longer


def package(name: str) -> str:
    return f"recoup_{name}"


def database(name: str) -> str:
    return f"recoup_{name}"


def exists(name: str) -> bool:
    """A service exists once its package is installed (services/<name>/ with a pyproject.toml)."""
    try:
        return importlib.util.find_spec(package(name)) is not None
    except (ImportError, ValueError):
        return False


def existing() -> list[str]:
    return [name for name in SERVICES if exists(name)]


def runnable() -> list[str]:
    """Services that can be started: installed and with an `app` module (create_app)."""
    out = []
    for name in existing():
        try:
            if importlib.util.find_spec(f"{package(name)}.app") is not None:
                out.append(name)
        except (ImportError, ValueError):
            continue
    return out


def has_migrations(name: str) -> bool:
    try:
        return (resources.files(package(name)) / "migrations").is_dir()
    except (ModuleNotFoundError, FileNotFoundError):
        return False


class ServiceError(RuntimeError):
    pass


class ServiceProcess:
    """`python -m uvicorn recoup_<name>.app:create_app --factory` on 127.0.0.1:`port`."""

    def __init__(self, name: str, *, port: int, env: dict[str, str], log_file: Path,
                 console: IO[str] | None = None, prefix_width: int = 10) -> None:
        self.name, self.port, self.env = name, port, env
        self.log_file = log_file
        self.console = console
        self.prefix = f"{name:<{prefix_width}} | "
        self.proc: subprocess.Popen[bytes] | None = None
        self._pump: procs.LinePump | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if procs.port_in_use(self.port):
            raise ServiceError(f"{self.name}: port {self.port} is already in use by "
                               f"{procs.describe(procs.port_holder(self.port))}")
        argv = [sys.executable, "-m", "uvicorn", f"{package(self.name)}.app:create_app", "--factory",
                "--host", "127.0.0.1", "--port", str(self.port),
                "--timeout-graceful-shutdown", str(GRACEFUL_SECONDS)]
        self.proc = procs.spawn(argv, env=self.env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, death_signal=signal.SIGTERM)
        assert self.proc.stdout is not None
        self._pump = procs.LinePump(self.proc.stdout, self.prefix, self.console)
        self._pump.start()

    def poll(self) -> int | None:
        return None if self.proc is None else self.proc.poll()

    async def wait_healthy(self, timeout: float = 60.0) -> None:
        import httpx

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        async with httpx.AsyncClient(timeout=2.0) as client:
            while time.monotonic() < deadline:
                code = self.poll()
                if code is not None:
                    raise ServiceError(f"{self.name} exited with code {code} while starting "
                                       f"(its output is above; log {self.log_file})")
                try:
                    r = await client.get(f"{self.url}/healthz")
                    if r.status_code == 200:
                        return
                    last = RuntimeError(f"/healthz answered {r.status_code}")
                except httpx.HTTPError as exc:
                    last = exc
                await asyncio.sleep(0.2)
        raise ServiceError(f"{self.name}: /healthz did not answer 200 within {timeout:.0f}s ({last!r})")

    async def stop(self) -> int | None:
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        if proc.poll() is None:
            await asyncio.to_thread(procs.stop_process, proc, signal.SIGTERM,
                                    timeout=GRACEFUL_SECONDS + 10)
        if self._pump is not None:
            self._pump.join(timeout=2)
        return proc.returncode

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
