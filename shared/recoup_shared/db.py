"""asyncpg pool and forward-only SQL migrations (the request dependencies are in api.py)."""

from __future__ import annotations

import errno
import hashlib
import json
from collections.abc import Iterable
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import asyncpg
from .logging import get_logger

log = get_logger(__name__)

_MIGRATION_LOCK = 0x5245434F  # "RECO": one advisory lock id for every service's migrations


async def _init_connection(conn: asyncpg.Connection) -> None:
    # jsonb in and out as Python objects; numeric stays Decimal (asyncpg default).
    await conn.set_type_codec("jsonb", encoder=_json_dumps, decoder=json.loads, schema="pg_catalog")
    await conn.set_type_codec("json", encoder=_json_dumps, decoder=json.loads, schema="pg_catalog")


def _json_default(o: Any) -> Any:
    if isinstance(o, Decimal):
        return str(o)
    if hasattr(o, "isoformat"):
        return o.isoformat()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def _json_dumps(value: Any) -> str:
    return json.dumps(value, default=_json_default, ensure_ascii=False, separators=(",", ":"))


# The database (or the way to it) was unavailable — not the work wrong. A consumer retries such
# an event without counting it towards dead-lettering; a request is answered 503 (retry), not 500.
_TRANSIENT_PG = (
    asyncpg.PostgresConnectionError,                 # 08xxx: the connection failed or was cut
    asyncpg.exceptions.AdminShutdownError,           # 57P01: restart or failover terminated it
    asyncpg.exceptions.CrashShutdownError,           # 57P02
    asyncpg.exceptions.CannotConnectNowError,        # 57P03: starting up / shutting down
    asyncpg.exceptions.InsufficientResourcesError,   # 53xxx: too many connections, disk full
    asyncpg.exceptions.TransactionRollbackError,     # 40xxx: serialization failure, deadlock
)
_NETWORK_ERRNOS = frozenset({errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE,
                             errno.ETIMEDOUT, errno.EHOSTUNREACH, errno.ENETUNREACH})
_CLOSED = ("connection is closed", "connection was closed", "pool is closing", "pool is closed",
           "released back to the pool")


def is_transient(exc: BaseException | None) -> bool:
    """Whether `exc` (or what caused it) says the database was out of reach for a while."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, _TRANSIENT_PG + (ConnectionError, TimeoutError)):
            return True
        if isinstance(exc, OSError) and (exc.errno in _NETWORK_ERRNOS or "Connect call failed" in str(exc)):
            return True
        if isinstance(exc, asyncpg.InterfaceError) and any(m in str(exc) for m in _CLOSED):
            return True
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return False


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Released connections skip asyncpg's default reset (pg_advisory_unlock_all; CLOSE ALL;
    UNLISTEN *; RESET ALL): one round trip on every request of every service, for session state
    our code never leaves behind — locks are transaction-scoped (locks.py), settings SET LOCAL,
    cursors live in transactions, and the one LISTEN (notify.py) is removed before its connection
    goes back. The pool still rolls back a transaction left open and drops listener callbacks."""


async def create_pool(dsn: str, *, min_size: int = 2, max_size: int = 10) -> asyncpg.Pool:
    return await asyncpg.create_pool(
        dsn, min_size=min_size, max_size=max_size, init=_init_connection, reset=_keep_session, command_timeout=600,
    )


def shared_migrations() -> list[tuple[str, str]]:
    """The bus tables (outbox, processed_events) every service carries."""
    files = resources.files("recoup_shared") / "migrations"
    return sorted(
        (f"shared/{f.name}", f.read_text(encoding="utf-8"))
        for f in files.iterdir() if f.name.endswith(".sql")
    )


def service_migrations(package: str) -> list[tuple[str, str]]:
    files = resources.files(package) / "migrations"
    return sorted(
        (f.name, f.read_text(encoding="utf-8")) for f in files.iterdir() if f.name.endswith(".sql")
    )


async def migrate(conn: asyncpg.Connection, migrations: Iterable[tuple[str, str]]) -> list[str]:
    """Apply pending migrations in order, each in its own transaction, under an advisory lock so
    several replicas starting at once apply each file exactly once. Forward-only: an applied
    file whose text changed is refused rather than silently skipped."""
    applied_now: list[str] = []
    await conn.execute("SELECT pg_advisory_lock($1)", _MIGRATION_LOCK)
    try:
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   name text PRIMARY KEY, checksum text NOT NULL,
                   applied_at timestamptz NOT NULL DEFAULT now())"""
        )
        done = {r["name"]: r["checksum"] for r in await conn.fetch("SELECT name, checksum FROM schema_migrations")}
        for name, sql in migrations:
            checksum = hashlib.sha256(sql.encode()).hexdigest()
            if name in done:
                if done[name] != checksum:
                    raise RuntimeError(f"migration {name} changed after it was applied; add a new one")
                continue
            async with conn.transaction():
                await conn.execute(sql)
                await conn.execute(
                    "INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)", name, checksum
                )
            applied_now.append(name)
            log.info("migration applied", migration=name)
    finally:
        await conn.execute("SELECT pg_advisory_unlock($1)", _MIGRATION_LOCK)
    return applied_now


async def migrate_service(dsn: str, package: str) -> list[str]:
    conn = await asyncpg.connect(dsn)
    try:
        return await migrate(conn, [*shared_migrations(), *service_migrations(package)])
    finally:
        await conn.close()


async def ensure_database(admin_dsn: str, name: str) -> None:
    """Create a database if missing (local stack and tests; production databases are provisioned)."""
    conn = await asyncpg.connect(admin_dsn)
    try:
        if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


def migrations_dir(package: str) -> Path:
    return Path(str(resources.files(package) / "migrations"))
