"""The services' pool (db.create_pool) skips asyncpg's reset query on release: what a request can
leave on its connection must still be gone for the next one."""

from __future__ import annotations

import pytest

from recoup_shared.db import create_pool
from recoup_shared.locks import xact_lock
from recoup_shared.notify import Listener

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_a_released_connection_carries_nothing_to_the_next_request(stack):
    pool = await create_pool(stack.admin_dsn, min_size=1, max_size=1)   # one connection: always the same
    try:
        async with pool.acquire() as conn:
            pid = conn.get_server_pid()
            tx = conn.transaction()
            await tx.start()
            await xact_lock(conn, "test-pool", "k")
            await conn.execute("CREATE TEMP TABLE left_behind (x int) ON COMMIT DROP")
            # released with the transaction open (a request cut short): the pool rolls it back
        async with pool.acquire() as conn:
            assert conn.get_server_pid() == pid
            assert not conn.is_in_transaction()
            assert await conn.fetchval("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = $1",
                                       pid) == 0
            assert await conn.fetchval("SELECT to_regclass('pg_temp.left_behind')") is None
        listener = Listener(pool, {"recoup_test_pool": lambda: None}, name="test", check_seconds=0.1)
        await listener.start()
        await listener.stop()                      # the LISTEN is removed before the connection goes back
        async with pool.acquire() as conn:
            assert conn.get_server_pid() == pid
            assert await conn.fetch("SELECT pg_listening_channels()") == []
    finally:
        await pool.close()
