import asyncpg

from recoup_local.factories import as_envelopes, received
from recoup_shared.context import base_context
from recoup_skeleton.context import build
from recoup_skeleton.handlers import HANDLERS, on_case_received
from recoup_skeleton.settings import SkeletonSettings


async def test_case_received_is_kept_and_the_last_event_of_a_case_wins(db_dsn):
    ctx = await build(base_context("skeleton", SkeletonSettings(profile="test")))
    conn = await asyncpg.connect(db_dsn)
    try:
        async with conn.transaction():
            await on_case_received(conn, ctx, as_envelopes([
                received("h-1", amount="100.00"), received("h-2"), received("h-1", amount="250.00")]))
        row = await conn.fetchrow("SELECT * FROM cases WHERE case_id = 'h-1'")
        assert row["placed_amount"] == 250 and row["client_id"] == "zhbank"
    finally:
        await conn.close()
    assert set(HANDLERS) == {"case.received"}
