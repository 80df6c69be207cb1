"""Advisory locks by name: one key style for every service.

`await xact_lock(conn, "billing-statement", client_id, month)` serialises writers of one thing
until the caller's transaction ends; `try_xact_lock` answers at once (jobs that several replicas
run: one does the work, the others skip). The key is a 64-bit hash of the parts computed here, so
every service and every replica derives the same key for the same name.
"""

from __future__ import annotations

import hashlib
from typing import Any

import asyncpg


def lock_key(*parts: Any) -> int:
    """A signed 64-bit key (PostgreSQL's bigint) from the name parts; stable across processes."""
    text = "\x1f".join(str(p) for p in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big", signed=True)


async def xact_lock(conn: asyncpg.Connection, *parts: Any) -> None:
    """Wait for the lock; held until the transaction commits or rolls back."""
    await conn.execute("SELECT pg_advisory_xact_lock($1)", lock_key(*parts))


async def try_xact_lock(conn: asyncpg.Connection, *parts: Any) -> bool:
    """Take the lock if free (held until the transaction ends); False when someone holds it."""
    return bool(await conn.fetchval("SELECT pg_try_advisory_xact_lock($1)", lock_key(*parts)))
