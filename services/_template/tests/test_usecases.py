import asyncpg
import pytest

from recoup_local.factories import as_envelopes, received
from recoup_shared.auth import Principal
from recoup_shared.context import base_context
from recoup_skeleton.context import build
from recoup_skeleton.handlers import on_case_received
from recoup_skeleton.rules.errors import CaseNotFound
from recoup_skeleton.settings import SkeletonSettings
from recoup_skeleton.usecases.cases import get_case

WHO = Principal(sub="lead-1", roles=frozenset({"team_lead"}))


async def test_get_case_and_unknown_case(db_dsn):
    ctx = await build(base_context("skeleton", SkeletonSettings(profile="test")))
    conn = await asyncpg.connect(db_dsn)
    try:
        async with conn.transaction():
            await on_case_received(conn, ctx, as_envelopes([received("u-1", amount="42.00")]))
            assert (await get_case(conn, ctx, WHO, "u-1"))["placed_amount"] == 42
            with pytest.raises(CaseNotFound):
                await get_case(conn, ctx, WHO, "u-404")
    finally:
        await conn.close()
