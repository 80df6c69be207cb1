"""The store on the real database: the letters rules as constraints (concurrent planners never make
two letters in flight for one recipient, or two of a type in a cycle), set-based writes, check codes
unique without a lookup."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, datetime, timezone

import asyncpg

from recoup_letters.handlers import HANDLERS
from recoup_letters.rules import checkcode
from recoup_letters.rules.model import LetterType
from recoup_letters.store import letters as letter_store
from recoup_local.letters_samples import approve_templates_directly, received_envelope
from recoup_letters.usecases.planning import plan_cases
from recoup_local.factories import as_envelopes
from recoup_shared.auth import Principal

CLERK = Principal(sub="clerk-1", roles=frozenset({"letters_clerk"}))
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 25)


async def test_twenty_concurrent_planners_make_one_letter(db_dsn, conn, ctx, client_id):
    async with conn.transaction():
        await approve_templates_directly(conn, ctx, CLERK, client_id, [LetterType.NOTICE])
        c = str(uuid.uuid4())
        await HANDLERS["case.received"](conn, ctx, as_envelopes([received_envelope(c, client_id, placed_on=TODAY,
                                                                                   occurred_at=NOW)]))
    start = asyncio.Event()

    async def planner() -> int:
        other = await asyncpg.connect(db_dsn)
        try:
            await start.wait()
            async with other.transaction():
                return (await plan_cases(other, ctx, [c], TODAY)).planned
        finally:
            await other.close()

    tasks = [asyncio.create_task(planner()) for _ in range(20)]
    await asyncio.sleep(0.2)
    start.set()
    assert sum(await asyncio.gather(*tasks)) == 1
    assert await conn.fetchval("SELECT count(*) FROM letters WHERE case_id = $1", c) == 1


async def test_once_per_cycle_holds_even_after_dispatch(conn, ctx, client_id):
    async with conn.transaction():
        await approve_templates_directly(conn, ctx, CLERK, client_id, [LetterType.NOTICE])
        c = str(uuid.uuid4())
        await HANDLERS["case.received"](conn, ctx, as_envelopes([received_envelope(c, client_id, placed_on=TODAY,
                                                                                   occurred_at=NOW)]))
        await plan_cases(conn, ctx, [c], TODAY)
    row = dict(await conn.fetchrow("SELECT * FROM letters WHERE case_id = $1", c))
    await conn.execute("UPDATE letters SET status = 'dispatched', dispatched_at = $2 WHERE letter_id = $1",
                       row["letter_id"], NOW)
    again = {**row, "letter_id": "lt-again", "at": NOW, "origin": "planned"}
    assert await letter_store.insert(conn, [again]) == []                  # the same notice again: skipped
    resend = {**again, "letter_id": "lt-resend", "origin": "resend", "resend_of": row["letter_id"]}
    assert await letter_store.insert(conn, [resend]) == ["lt-resend"]      # a re-send is the same letter


async def test_check_codes_from_the_sequence_are_unique_and_valid(conn):
    serials = [r["s"] for r in await conn.fetch("SELECT nextval('letter_serial') AS s FROM generate_series(1, 2000)")]
    codes = [checkcode.code_for_serial(s) for s in serials]
    assert len(set(codes)) == 2000 and all(checkcode.is_valid(c) for c in codes)
