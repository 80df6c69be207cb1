from datetime import datetime, timedelta, timezone
from decimal import Decimal

import asyncpg

from recoup_skeleton.store import cases

NOW = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)


async def test_upsert_is_set_based_and_idempotent(db_dsn):
    conn = await asyncpg.connect(db_dsn)
    try:
        rows = [(f"st-{i}", "bank", "pl", Decimal("10.00"), NOW - timedelta(days=i)) for i in range(50)]
        async with conn.transaction():
            await cases.upsert(conn, rows)
            await cases.upsert(conn, rows[:10])
        assert await conn.fetchval("SELECT count(*) FROM cases WHERE case_id LIKE 'st-%'") == 50
        assert await cases.count_received_before(conn, NOW, 40) >= 9
    finally:
        await conn.close()
