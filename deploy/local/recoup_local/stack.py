"""The local stack: one PostgreSQL (a database per service), one Tansu broker, the services.

Two flavours share this code:
- `Stack.local()`: what `recoup up` runs — fixed ports, data kept under `.local/`;
- `Stack.throwaway()`: what tests and benchmarks use — a temporary directory, free ports, no
  fsync, everything removed afterwards. It runs beside a `recoup up` without touching it.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import os
import shutil
import signal
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

import psutil

from . import procs, services
from .procs import say
from .broker import TansuBroker
from .postgres import EmbeddedPostgres

LOCAL_PG_PORT = 55432  # not 5432: a system PostgreSQL may already hold it
LOCAL_KAFKA_PORT = 9092
DEFAULT_PARTITIONS = 12
# Consumer group timers on Tansu, which holds a JoinGroup for half the session timeout (5 s with
# Kafka's default 10 s, on every service start and every restart in the fault tests): 3 s / 0.75 s.
# The services read them from RECOUP_CONSUMER_*; a test's own consumer takes them as keywords.
CONSUMER_TIMERS = {"session_timeout_ms": 3000, "heartbeat_interval_ms": 750}


class StackError(RuntimeError):
    pass


repo_root = services.repo_root  # the checkout we run from


def default_local_dir() -> Path:
    return Path(os.environ.get("RECOUP_LOCAL_DIR") or repo_root() / ".local")


async def _ensure_topics(bootstrap: str, partitions: int) -> None:
    try:
        from recoup_shared.bus.topics import ensure_topics
    except ImportError as exc:
        raise StackError(
            "cannot create the topics: recoup_shared.bus.topics.ensure_topics is missing "
            f"({exc}). It belongs to the shared package (shared/recoup_shared/bus/topics.py)."
        ) from exc
    if inspect.iscoroutinefunction(ensure_topics):
        await ensure_topics(bootstrap, partitions=partitions, replication=1)
    else:  # a synchronous helper may run its own event loop: keep it off ours
        await asyncio.to_thread(ensure_topics, bootstrap, partitions=partitions, replication=1)


class Stack:
    """PostgreSQL + Tansu (+ services on demand). The object the `stack` fixture yields.

    Attributes for tests: `admin_dsn`, `dsn(service)`, `bootstrap`, `pg_port`, `kafka_port`,
    `env(service)`, `log_dir`; helpers `new_database()`, `new_topic()`, `start_service()`.
    """

    def __init__(self, *, root: Path, pg_port: int, kafka_port: int, profile: str,
                 durable: bool, partitions: int = DEFAULT_PARTITIONS, ephemeral: bool = False,
                 console: IO[str] | None = None, state_file: Path | None = None) -> None:
        self.root = Path(root).resolve()
        self.profile = profile
        self.partitions = partitions
        self.ephemeral = ephemeral
        self.console = console
        self.state_file = state_file
        self.log_dir = self.root / "logs"
        self.before_remove: list = []  # callables(log_dir) run by stop() before a throw-away root goes
        self.run_dir = self.root / "run"
        self.pg = EmbeddedPostgres(self.root / "pgdata", port=pg_port, socket_dir=self.run_dir / "pg",
                                   log_file=self.log_dir / "postgres.log", durable=durable)
        self.broker = TansuBroker(port=kafka_port, log_file=self.log_dir / "tansu.log")
        self.services: dict[str, services.ServiceProcess] = {}
        self.service_status: dict[str, dict] = {}  # restarts and crash loops (supervise.py)
        self.migrated: list[str] = []
        self.started_in: float | None = None
        self._running = False
        self._files: list[IO[str]] = []

    # --- constructors ------------------------------------------------------------------------

    @classmethod
    def local(cls, *, root: Path | None = None, pg_port: int = LOCAL_PG_PORT,
              kafka_port: int = LOCAL_KAFKA_PORT, partitions: int = DEFAULT_PARTITIONS) -> "Stack":
        root = Path(root or default_local_dir())
        return cls(root=root, pg_port=pg_port, kafka_port=kafka_port, profile="local", durable=True,
                   partitions=partitions, state_file=root / "run" / "recoup-up.json")

    @classmethod
    def throwaway(cls, *, partitions: int = DEFAULT_PARTITIONS,
                  console: IO[str] | None = None) -> "Stack":
        root = Path(tempfile.mkdtemp(prefix="recoup-stack-"))
        return cls(root=root, pg_port=procs.free_port(), kafka_port=procs.free_port(),
                   profile="test", durable=False, partitions=partitions, ephemeral=True,
                   console=console)

    # --- addresses ---------------------------------------------------------------------------

    @property
    def admin_dsn(self) -> str:
        return self.pg.admin_dsn

    def dsn(self, service: str) -> str:
        """DSN of a service's database (`intake` → recoup_intake); any other name is taken as is."""
        return self.pg.dsn(services.database(service) if service in services.SERVICES else service)

    @property
    def bootstrap(self) -> str:
        return self.broker.bootstrap

    @property
    def pg_port(self) -> int:
        return self.pg.port

    @property
    def kafka_port(self) -> int:
        return self.broker.port

    def env(self, service: str) -> dict[str, str]:
        """The RECOUP_* environment a service process of this stack runs with."""
        return {
            "RECOUP_PROFILE": self.profile,
            "RECOUP_SERVICE_NAME": service,
            "RECOUP_DATABASE_URL": self.dsn(service),
            "RECOUP_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap,
            "RECOUP_TOPIC_PARTITIONS": str(self.partitions),
            "RECOUP_LOG_FILE": str(self.log_dir / f"{service}.log"),
            "RECOUP_CLOCK_FILE": str(self.clock_file),
            "RECOUP_CONSUMER_SESSION_TIMEOUT_MS": str(CONSUMER_TIMERS["session_timeout_ms"]),
            "RECOUP_CONSUMER_HEARTBEAT_MS": str(CONSUMER_TIMERS["heartbeat_interval_ms"]),
            # a service's local files (fieldops: visit evidence in the local stack), inside the stack
            "RECOUP_DATA_DIR": str(self.root / "data" / service),
        }

    @property
    def clock_file(self) -> Path:
        """The business clock every service of this stack reads (recoup_shared.clock): absent =
        real time; `set_clock("fixed:2026-12-05T21:05:00+08:00")` moves them all at once."""
        return self.run_dir / "clock"

    def set_clock(self, spec: str | None) -> None:
        from recoup_shared.clock import write_clock_file

        if spec is None:
            self.clock_file.unlink(missing_ok=True)
            return
        self.clock_file.parent.mkdir(parents=True, exist_ok=True)
        write_clock_file(str(self.clock_file), spec)

    @contextlib.contextmanager
    def environ(self) -> Iterator[None]:
        """Point settings read in this process at the stack (profile `test` for a throw-away)."""
        values = {"RECOUP_PROFILE": self.profile, "RECOUP_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap}
        saved = {k: os.environ.get(k) for k in values}
        os.environ.update(values)
        try:
            yield
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v

    # --- lifecycle ---------------------------------------------------------------------------

    async def __aenter__(self) -> "Stack":
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def start(self, *, with_services: bool | Iterable[str] = False) -> None:
        """PostgreSQL → six databases → migrations → broker → topics (→ services)."""
        t0 = time.monotonic()
        self._claim()
        self._running = True
        self.log_dir.mkdir(parents=True, exist_ok=True)
        await self.pg.start()
        self._record()
        await self.create_databases()
        await self.migrate()
        await self.broker.start()
        self._record()
        await _ensure_topics(self.bootstrap, self.partitions)
        if with_services:
            names = services.runnable() if with_services is True else list(with_services)
            await self.start_services(names)
        self.started_in = time.monotonic() - t0

    async def create_databases(self) -> None:
        from recoup_shared.db import ensure_database

        for name in services.SERVICES:  # every listed service, even one not written yet
            await ensure_database(self.admin_dsn, services.database(name))

    async def migrate(self) -> None:
        from recoup_shared.db import migrate, migrate_service, shared_migrations

        self.migrated = []
        for name in services.existing():
            if services.has_migrations(name):
                try:
                    await migrate_service(self.dsn(name), services.package(name))
                except RuntimeError as exc:  # e.g. an applied migration edited since
                    hint = ("" if self.ephemeral else
                            f"; the data in {self.root} was migrated by an older version: "
                            "`make clean` resets it")
                    raise StackError(f"migrating {name}: {exc}{hint}") from exc
            else:  # a service still being written: at least the bus tables
                import asyncpg

                conn = await asyncpg.connect(self.dsn(name))
                try:
                    await migrate(conn, shared_migrations())
                finally:
                    await conn.close()
            self.migrated.append(name)

    async def start_services(self, names: Iterable[str], *, ports: dict[str, int] | None = None,
                             env: dict[str, dict[str, str]] | None = None) -> dict[str, str]:
        """`env`: extra environment per service (settings, e.g. RECOUP_RELAY_POLL_SECONDS), kept
        when the service is restarted."""
        started = []
        for name in names:
            port = (ports or {}).get(name) or (procs.free_port() if self.ephemeral
                                               else services.SERVICES[name])
            started.append(self._spawn_service(name, port, (env or {}).get(name)))
        self._record()
        results = await asyncio.gather(*(s.wait_healthy() for s in started), return_exceptions=True)
        errors = [r for r in results if isinstance(r, BaseException)]
        if errors:
            raise StackError("; ".join(str(e) for e in errors)) from errors[0]
        return {s.name: s.url for s in started}

    async def start_service(self, name: str, port: int | None = None,
                            env: dict[str, str] | None = None) -> str:
        """Run one service as its own uvicorn process against this stack; returns its URL."""
        urls = await self.start_services([name], ports={name: port} if port else None,
                                         env={name: env} if env else None)
        return urls[name]

    async def restart_service(self, name: str) -> str:
        """Start a service that has died again, on the same port with the same environment;
        returns its URL once /healthz answers (raises if it dies or stays unhealthy)."""
        old = self.services.pop(name)
        await old.stop()  # reaps it and drains its output
        proc = services.ServiceProcess(name, port=old.port, env=old.env, log_file=old.log_file,
                                       console=old.console)
        self.services[name] = proc
        proc.start()
        self._record()
        await proc.wait_healthy()
        return proc.url

    async def stop_service(self, name: str) -> int | None:
        """Stop one service started by start_service (SIGTERM, graceful); its exit code."""
        proc = self.services.pop(name, None)
        return None if proc is None else await proc.stop()

    def _spawn_service(self, name: str, port: int,
                       extra_env: dict[str, str] | None = None) -> services.ServiceProcess:
        if name in self.services:
            raise StackError(f"{name} is already running on {self.services[name].url}")
        if not services.exists(name):
            raise StackError(f"service {name} is not installed (package {services.package(name)})")
        env = {**os.environ, **self.env(name), **(extra_env or {}), "PYTHONUNBUFFERED": "1"}
        console = self.console
        if console is None and self.ephemeral:
            console = open(self.log_dir / f"{name}.console.log", "a", encoding="utf-8")
            self._files.append(console)
        proc = services.ServiceProcess(name, port=port, env=env,
                                       log_file=self.log_dir / f"{name}.log", console=console)
        self.services[name] = proc
        proc.start()
        return proc

    async def stop(self) -> None:
        """Services (SIGTERM, graceful), then the broker, then PostgreSQL (fast shutdown)."""
        if not self._running and not self.ephemeral:
            return
        self._running = False
        try:
            await asyncio.gather(*(s.stop() for s in self.services.values()))
            self.services.clear()
            await self.broker.stop()
            await self.pg.stop()
        finally:
            for f in self._files:
                f.close()
            self._files.clear()
            state = _read_state(self.state_file) if self.state_file is not None else None
            if state and (state.get("launcher") or {}).get("pid") == os.getpid():
                self.state_file.unlink(missing_ok=True)
            for callback in self.before_remove:
                callback(self.log_dir)  # every process has stopped: the logs are complete
            if self.ephemeral and not os.environ.get("RECOUP_KEEP_STACK"):
                shutil.rmtree(self.root, ignore_errors=True)

    def kill(self) -> None:
        """Second Ctrl-C: no more waiting."""
        for s in self.services.values():
            s.kill()
        for proc in (self.broker.proc, self.pg.proc):
            if proc is not None and proc.poll() is None:
                proc.send_signal(signal.SIGQUIT if proc is self.pg.proc else signal.SIGKILL)

    def dead(self) -> list[tuple[str, int]]:
        """Children that have exited: (name, exit code)."""
        out = [(n, c) for n, c in (("postgres", self.pg.poll()), ("broker", self.broker.poll()))
               if c is not None]
        out += [(n, c) for n, s in self.services.items() if (c := s.poll()) is not None]
        return out

    # --- helpers for tests and benchmarks --------------------------------------------------

    async def new_database(self, name: str | None = None, *, package: str | None = None) -> str:
        """A fresh database with the bus tables (and `package`'s migrations); returns its DSN."""
        import asyncpg
        from recoup_shared.db import ensure_database, migrate, migrate_service, shared_migrations

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        await ensure_database(self.admin_dsn, name)
        dsn = self.pg.dsn(name)
        if package:
            await migrate_service(dsn, package)
        else:
            conn = await asyncpg.connect(dsn)
            try:
                await migrate(conn, shared_migrations())
            finally:
                await conn.close()
        return dsn

    async def new_topic(self, prefix: str = "test", partitions: int = 3,
                        with_dlq: bool = True) -> str:
        """A fresh topic (and its `.dlq`) so a test does not see another test's events."""
        from aiokafka.admin import AIOKafkaAdminClient, NewTopic

        name = f"{prefix}.{uuid.uuid4().hex[:10]}"
        admin = AIOKafkaAdminClient(bootstrap_servers=self.bootstrap)
        await admin.start()
        try:
            topics = [NewTopic(name, partitions, 1)]
            if with_dlq:
                topics.append(NewTopic(f"{name}.dlq", partitions, 1))
            await admin.create_topics(topics)
        finally:
            await admin.close()
        return name

    # --- one `recoup up` at a time, and what a crashed one left behind ------------------------

    def _claim(self) -> None:
        if self.state_file is None:
            return
        state = _read_state(self.state_file)
        if state:
            launcher = _alive(state.get("launcher"))
            if launcher is not None and launcher.pid != os.getpid():
                raise StackError(f"another `recoup up` is already running (pid {launcher.pid}); "
                                 "stop it first (Ctrl-C in its terminal)")
            for child in state.get("children", []):
                proc = _alive(child)
                if proc is not None:
                    say(f"stopping {child.get('name')} left over from an earlier run (pid {proc.pid})")
                    sig = signal.SIGINT if child.get("name") == "postgres" else signal.SIGTERM
                    procs.stop_process(proc, sig, timeout=30)
        self._record()

    def _record(self) -> None:
        if self.state_file is None:
            return
        children = [("postgres", self.pg.proc), ("broker", self.broker.proc),
                    *((n, s.proc) for n, s in self.services.items())]
        state = {"launcher": _ident(os.getpid()),
                 "children": [dict(_ident(p.pid), name=n) for n, p in children if p is not None],
                 "services": self.service_status}
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state))
        tmp.replace(self.state_file)


def _ident(pid: int) -> dict:
    try:
        return {"pid": pid, "created": psutil.Process(pid).create_time()}
    except psutil.NoSuchProcess:
        return {"pid": pid, "created": None}


def _alive(ident: dict | None) -> psutil.Process | None:
    """The process named by a recorded (pid, create time), if it is still that process."""
    if not ident or not ident.get("pid"):
        return None
    try:
        proc = psutil.Process(ident["pid"])
        if ident.get("created") is not None and abs(proc.create_time() - ident["created"]) > 0.01:
            return None  # the pid was reused
        return proc if proc.status() != psutil.STATUS_ZOMBIE else None
    except psutil.NoSuchProcess:
        return None


def _read_state(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return None


@contextlib.asynccontextmanager
async def throwaway_stack(*, partitions: int = DEFAULT_PARTITIONS):
    """`async with throwaway_stack() as stack:` — what the pytest plugin and `make bench` use."""
    async with Stack.throwaway(partitions=partitions) as stack:
        yield stack


# --- `recoup up` ----------------------------------------------------------------------------

async def run_up(*, with_services: bool | Iterable[str] = True, root: Path | None = None,
                 pg_port: int = LOCAL_PG_PORT, kafka_port: int = LOCAL_KAFKA_PORT) -> int:
    """Start the local stack in the foreground; Ctrl-C or SIGTERM stops all of it, in order."""
    stack = Stack.local(root=root, pg_port=pg_port, kafka_port=kafka_port)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = 0

    def on_signal(signame: str) -> None:
        nonlocal signals
        signals += 1
        if signals == 1:
            say(f"{signame}: stopping (services, then broker, then PostgreSQL); "
                "press Ctrl-C again to kill at once")
            stop.set()
            if not starting.done():
                starting.cancel()
        else:
            say(f"{signame} again: killing everything")
            stack.kill()

    code = 0
    starting = asyncio.ensure_future(_start_and_announce(stack, with_services))
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal, sig.name)
    try:
        await starting
        code = await _supervise(stack, stop)
    except asyncio.CancelledError:
        if not stop.is_set():
            raise
    except Exception as exc:  # noqa: BLE001 - report, stop what started, exit non-zero
        say(f"FAILED: {exc}")
        code = 1
    finally:
        t0 = time.monotonic()
        await stack.stop()
        say(f"stopped in {time.monotonic() - t0:.1f}s")
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
    return code


async def _start_and_announce(stack: Stack, with_services: bool | Iterable[str]) -> None:
    t0 = time.monotonic()
    say(f"starting PostgreSQL on 127.0.0.1:{stack.pg_port} (data kept in {stack.pg.data_dir})")
    await stack.start()
    say(f"databases ready: {', '.join(services.database(n) for n in services.SERVICES)}"
        + (f"; migrated: {', '.join(stack.migrated)}" if stack.migrated else ""))
    say(f"Tansu broker on {stack.bootstrap}, topics created. NOTE: the broker is memory-only — "
        "events on it do not survive a restart; topics are re-created at every start")
    if with_services is True:
        present = services.runnable()
    elif with_services:
        present = list(with_services)
        unknown = [n for n in present if n not in services.runnable()]
        if unknown:
            raise StackError(f"cannot start {', '.join(unknown)}: not installed or no app module "
                             f"(runnable: {', '.join(services.runnable()) or 'none'})")
    else:
        present = []
    if present:
        say(f"starting services: {', '.join(present)}")
        await stack.start_services(present)
    say("")
    say(f"PostgreSQL   {stack.admin_dsn}   (log {stack.pg.log_file})")
    say(f"Kafka        {stack.bootstrap}   (Tansu, memory-only; log {stack.broker.log_file})")
    for name, svc in stack.services.items():
        say(f"{name:<12} {svc.url}   docs {svc.url}/docs   (JSON log {stack.log_dir / (name + '.log')})")
    if with_services and stack.services:
        from .console_build import announce_console  # the staff console and the APIs at one origin

        await announce_console(stack)
    missing = [n for n in services.SERVICES if n not in services.runnable()]
    if not with_services:
        say("services not started (--no-services)")
    elif missing:
        say(f"not written yet: {', '.join(missing)}")
    skipped = [n for n in services.runnable() if n not in stack.services]
    if with_services and skipped:
        say(f"not started (--services): {', '.join(skipped)}")
    say("a token:     .venv/bin/recoup token --role admin")
    say(f"ready in {time.monotonic() - t0:.1f}s — Ctrl-C stops everything")


async def _supervise(stack: Stack, stop: asyncio.Event) -> int:
    """Wait for a stop signal; restart a dead service with back-off and report a crash loop;
    losing PostgreSQL or the broker ends the stack (supervise.py)."""
    from .supervise import Supervisor

    return await Supervisor(stack).run(stop)
