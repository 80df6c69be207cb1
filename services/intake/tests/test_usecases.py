"""The use cases as the routes call them — (conn, ctx, principal, command) — on the real
database: they work in the caller's transaction and never commit it (a rolled-back request leaves
nothing), while a placement opens and commits its own connection; the business clock (ctx.clock)
dates what they do. And the CPU steps of a placement's import: the `case.received` events."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import asyncpg
import orjson
import pytest_asyncio
from hypothesis import given
from hypothesis import strategies as st

from recoup_intake.context import Ctx, build
from recoup_intake.rules.model import RecallRequest
from recoup_intake.rules.repayments import parse_repayments_body
from recoup_intake.rules.updates import parse_updates_body
from recoup_intake.settings import IntakeSettings
from recoup_intake.usecases.placements.json_body import submit_json
from recoup_intake.usecases.placements.prepare import prepare_chunk
from recoup_intake.usecases.recalls import post_recall
from recoup_intake.usecases.repayments import Repayments, post_repayments
from recoup_intake.usecases.updates import Updates, post_updates
from recoup_local.demo import make_placement
from recoup_shared.auth import Principal
from recoup_shared.bus.envelope import new_envelope, parse
from recoup_shared.bus.events import CaseReceived
from recoup_shared.context import base_context
from recoup_shared.crypto import Protector
from recoup_shared.db import create_pool

from .placed import prepared


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def pool(intake_dsn) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(intake_dsn, min_size=1, max_size=4)
    yield pool
    await pool.close()


async def _ctx(pool: asyncpg.Pool, **settings) -> Ctx:
    s = IntakeSettings(**{"profile": "test", "placement_workers": 0, **settings})
    return await build(base_context("intake", s, pool=pool))


def _client() -> Principal:
    client_id = f"bank-uc-{uuid.uuid4().hex[:8]}"
    return Principal(sub=f"{client_id}-system", roles=frozenset({"client"}), client_id=client_id)


async def _placed(ctx: Ctx, who: Principal, n: int = 2) -> tuple[dict, dict[int, str]]:
    body = make_placement(n, seed=uuid.uuid4().int % 10**9)
    answer = await submit_json(ctx, who, orjson.dumps(body), ctx.clock.now())
    assert answer.body["accepted"] == n and not answer.replayed
    async with ctx.pool.acquire() as conn:  # type: ignore[union-attr]
        rows = await conn.fetch("SELECT row_index, id::text AS id FROM cases WHERE placement_id = $1::uuid",
                                answer.body["placement_id"])
    return body, {r["row_index"]: r["id"] for r in rows}


async def test_a_placement_commits_on_its_own_connection(pool):
    ctx, who = await _ctx(pool), _client()
    body, cases = await _placed(ctx, who, n=3)
    async with pool.acquire() as conn:   # another connection sees it: committed
        status = await conn.fetchval(
            "SELECT array_agg(status) FROM cases WHERE id = ANY($1::uuid[])", list(cases.values()))
    assert status == ["open"] * 3
    again = await submit_json(ctx, who, json.dumps(body, indent=1).encode(), ctx.clock.now())
    assert again.replayed and again.body["placement_id"] and again.body["accepted"] == 3


async def test_client_data_use_cases_work_in_the_callers_transaction_and_never_commit(pool):
    ctx, who = await _ctx(pool), _client()
    body, cases = await _placed(ctx, who)
    acc0, acc1 = body["cases"][0]["account_ref"], body["cases"][1]["account_ref"]
    rows, errors = parse_repayments_body(
        {"repayments": [{"account_ref": acc0, "amount": "10.00", "paid_at": "2026-11-01", "txn_ref": "UC-1"}]},
        limit=10, tz=ctx.clock.zone, now=ctx.clock.now(), future_tolerance=timedelta(days=1))
    updates, _ = parse_updates_body({"updates": [{"account_ref": acc1, "flags": ["dispute"]}]}, limit=10)
    async with pool.acquire() as conn:
        tx = conn.transaction()
        await tx.start()
        paid = await post_repayments(conn, ctx, who, Repayments(rows, errors, 1))
        changed = await post_updates(conn, ctx, who, Updates(updates, [], 1))
        recalled = await post_recall(conn, ctx, who, RecallRequest([acc0], None, "test", None), correlation_id=None)
        assert (paid["recorded"], changed["applied"], recalled["recalled"]) == (1, 1, 1)
        assert await conn.fetchval("SELECT status FROM cases WHERE id = $1::uuid", cases[0]) == "recalled"
        assert await conn.fetchval(  # payment.posted, case.updated (flags), case.updated (recall)
            "SELECT count(*) FROM outbox WHERE key = ANY($1::text[]) AND topic <> 'case.received'",
            list(cases.values())) == 3
        await tx.rollback()   # the request failed after the use cases: nothing of theirs remains
    async with pool.acquire() as conn:
        state = await conn.fetch("SELECT row_index, status, repaid_total, flags FROM cases WHERE id = ANY($1::uuid[])",
                                 list(cases.values()))
        assert {(r["status"], r["repaid_total"], tuple(r["flags"])) for r in state} == {
            ("open", Decimal("0.00"), tuple(body["cases"][r["row_index"]].get("flags", []))) for r in state}
        assert await conn.fetchval("SELECT count(*) FROM repayments WHERE client_id = $1", who.client_id) == 0


async def test_the_business_clock_dates_the_import_and_judges_the_rows(pool):
    """RECOUP_CLOCK (test profile): `today` of the row checks and the import's timings come from
    ctx.clock, not from the machine's clock."""
    ctx, who = await _ctx(pool, clock="fixed:2026-11-20T10:00:00+08:00"), _client()
    body = make_placement(2, seed=7, placed_on=date(2026, 11, 20))
    body["cases"][1]["last_payment"] = {"on": "2026-11-21", "amount": "1.00"}   # tomorrow, by the clock
    answer = await submit_json(ctx, who, orjson.dumps(body), ctx.clock.now())
    assert (answer.body["accepted"], answer.body["rejected"]) == (1, 1)
    assert answer.body["errors"] == [{"row": 1, "field": "cases[1].last_payment.on", "reason": "in the future"}]
    async with pool.acquire() as conn:
        p = await conn.fetchrow("SELECT received_at, imported_at FROM placements WHERE id = $1::uuid",
                                answer.body["placement_id"])
    moment = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
    assert p["received_at"] == p["imported_at"] == moment


async def test_the_context_holds_the_worker_processes(pool):
    ctx = await _ctx(pool, placement_workers=1)
    try:
        assert ctx.workers is not None and ctx.workers.size == 1
    finally:
        await ctx.close()
    assert ctx.workers is None
    assert (await _ctx(pool)).workers is None


def test_envelopes_are_the_shared_envelope(protector):
    body, info, items = prepared(protector, n=3)
    at = datetime.now(timezone.utc)
    chunk = prepare_chunk(items, {}, info, protector, at)
    for (event_id, topic, key, value), it in zip(chunk.outbox, items):
        env = orjson.loads(value)
        expected = new_envelope(event_type="case.received", producer="intake", client_id=info.client_id,
                                case_id=it.case_id, payload=env["payload"], correlation_id=info.placement_id,
                                occurred_at=at, event_id=it.event_id)  # type: ignore[arg-type]
        assert env == orjson.loads(orjson.dumps(expected))
        assert list(env) == list(expected)


def test_case_received_events_validate_and_carry_no_full_identifiers(protector):
    body, info, items = prepared(protector)
    joint = {items[0].case_id: [items[1].case_id]}
    chunk = prepare_chunk(items, joint, info, protector, datetime.now(timezone.utc))
    for (event_id, topic, key, value), it in zip(chunk.outbox, items):
        env = parse(value)
        assert (str(env.event_id), topic, key, env.case_id) == (it.event_id, "case.received", it.case_id, it.case_id)
        assert env.correlation_id == info.placement_id and env.client_id == "bank-1"
        payload = CaseReceived.model_validate(env.payload)
        src = body["cases"][it.row]
        assert str(payload.placed_amount) == src["placed_amount"]
        assert payload.region
        text = value.decode()
        assert src["account_ref"] not in text and src["debtor"]["id_number"] not in text
        assert [p.number for p in payload.phones][0] == src["phones"][0]["number"]
    first = CaseReceived.model_validate(orjson.loads(chunk.outbox[0][3])["payload"])
    assert first.joint_case_ids == [items[1].case_id]
    # amounts are exact decimal strings in the JSON
    assert json.loads(chunk.outbox[0][3])["payload"]["principal"] == body["cases"][items[0].row]["principal"]


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_phone_lookup_normalises_like_import(number):
    s = IntakeSettings()
    p = Protector.from_settings(s)
    spaced = f"{number[:3]} {number[3:7]} {number[7:]}"
    assert p.lookup_phone_hash(spaced) in (p.phone_hash(number), p.lookup_phone_hash(number))
