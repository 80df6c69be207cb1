"""The shared pieces every service is built from: locks, paging, envelope templates, jobs."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timezone

import asyncpg
import pytest
from hypothesis import given, settings, strategies as st

from recoup_shared.bus.envelope import EnvelopeTemplate, dumps, event_record, new_envelope, parse
from recoup_shared.bus.events import CaseAllocated
from recoup_shared.bus.outbox import write_outbox_select
from recoup_shared.context import base_context
from recoup_shared.errors import UnprocessableInput
from recoup_shared.jobs import Job, JobRunner
from recoup_shared.locks import lock_key, try_xact_lock, xact_lock
from recoup_shared.paging import decode_cursor, encode_cursor, page
from recoup_shared.settings import ServiceSettings


def test_lock_keys_are_stable_signed_64_bit():
    assert lock_key("billing-statement", "c1", "2026-11") == lock_key("billing-statement", "c1", "2026-11")
    assert lock_key("a", "bc") != lock_key("ab", "c")
    assert -2**63 <= lock_key("x") < 2**63


def test_cursor_round_trip_and_garbage_is_a_422():
    key = ["2026-12-05", "b1d0f0b2-0000-4000-8000-000000000001", 12]
    assert decode_cursor(encode_cursor(key)) == key
    assert decode_cursor(None) is None and encode_cursor(None) is None
    for bad in ("not-a-cursor!", "aGVsbG8", "%%%"):
        with pytest.raises(UnprocessableInput) as err:
            decode_cursor(bad)
        assert err.value.errors[0]["field"] == "cursor"
    rows = [{"id": i} for i in range(6)]
    first = page(rows, 5, key=lambda r: r["id"])
    assert [r["id"] for r in first["items"]] == [0, 1, 2, 3, 4] and decode_cursor(first["next_cursor"]) == 4
    assert page(rows[:3], 5, key=lambda r: r["id"])["next_cursor"] is None


_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=12)


@settings(max_examples=150)
@given(rows=st.lists(st.tuples(_text, _text, _text, st.one_of(st.none(), _text)), min_size=1, max_size=8))
def test_envelope_template_gives_the_bytes_of_an_ordinary_envelope(rows):
    at = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)
    template = EnvelopeTemplate("case.allocated", producer="allocation", slots=("collector_id", "team_id"),
                                optional=("team_id",), correlation_id="plan-1", occurred_at=at,
                                fixed={"strategy": "by_amount", "allocated_at": at.isoformat()})
    ids = [uuid.uuid4() for _ in rows]
    for (eid, topic, key, value), row, own in zip(template.records(rows, ids), rows, ids):
        assert (eid, topic, key) == (own, "case.allocated", row[1])
        assert value == dumps(template.envelope(own, row))
        env = parse(value)
        assert env.payload.get("team_id") == row[3] and env.payload["collector_id"] == row[2]


async def test_events_written_by_one_statement_are_the_bytes_of_ordinary_envelopes(stack):
    """write_outbox_select + EnvelopeTemplate.sql_format: PostgreSQL's format() fills the template
    (a fixed text with a percent sign and Chinese kept as is), a fresh event id per row."""
    at = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)
    template = EnvelopeTemplate("case.updated", producer="intake", slots=("status",), correlation_id="pl-1",
                                occurred_at=at, fixed={"change": "recall_extended", "recall_on": "2027-01-31",
                                                       "reason": '延期 50% "半年"'})
    rows = [("bank", str(uuid.uuid4()), status) for status in ("open", "recalled", "open")]
    conn = await asyncpg.connect(stack.dsn("intake"))
    try:
        async with conn.transaction():
            n = await write_outbox_select(
                conn, "case.updated", template.sql_format(),
                "SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS u(client_id, case_id, status)",
                *[list(c) for c in zip(*rows)])
            written = await conn.fetch("SELECT event_id, topic, key, value FROM outbox WHERE key = ANY($1::text[])",
                                       [r[1] for r in rows])
            raise _Rollback
    except _Rollback:
        pass
    finally:
        await conn.close()
    assert n == 3 and len({w["event_id"] for w in written}) == 3
    by_case = {r[1]: r for r in rows}
    for w in written:
        assert w["topic"] == "case.updated"
        assert bytes(w["value"]) == dumps(template.envelope(w["event_id"], by_case[w["key"]]))


class _Rollback(Exception):
    pass


def test_typed_builder_takes_the_topic_from_the_payload():
    at = datetime(2026, 12, 5, 8, 0, tzinfo=timezone.utc)
    payload = CaseAllocated(collector_id="c-1", strategy="manual", allocated_at=at,
                            first_contact_due=at.date())
    eid, topic, key, value = event_record(payload, client_id="bank", case_id="case-1", producer="allocation",
                                          occurred_at=at)
    assert topic == "case.allocated" and key == "case-1"
    assert value == dumps(new_envelope(event_type="case.allocated", producer="allocation", client_id="bank",
                                       case_id="case-1", payload=payload, occurred_at=at, event_id=eid))


async def test_jobs_run_periodically_wake_on_notify_and_survive_failures(stack):
    pool = await asyncpg.create_pool(stack.dsn("intake"), min_size=1, max_size=4)
    ctx = base_context("test", ServiceSettings(profile="test"), pool=pool)
    calls = {"tick": 0, "woken": 0, "flaky": 0}

    async def tick(_ctx):
        calls["tick"] += 1

    async def woken(_ctx):
        calls["woken"] += 1
        async with _ctx.pool.acquire() as conn, conn.transaction():
            assert await try_xact_lock(conn, "job", "woken")

    async def flaky(_ctx):
        calls["flaky"] += 1
        if calls["flaky"] < 3:
            raise RuntimeError("transient")
        return 3600.0

    runner = JobRunner(ctx, [Job("tick", tick, every=0.05), Job("woken", woken, every=3600, wake_on="test_wake"),
                             Job("flaky", flaky, every=0.01, max_backoff=0.05),
                             Job("off", tick, every=1, enabled=lambda s: False)], service="test")
    assert runner.names == ["tick", "woken", "flaky"]
    await runner.start()
    try:
        await asyncio.sleep(0.3)
        assert calls["woken"] == 1  # runs once at start (whatever was signalled while down)
        async with pool.acquire() as conn:
            await conn.execute("NOTIFY test_wake")
        for _ in range(50):
            if calls["woken"] == 2 and calls["flaky"] >= 3:
                break
            await asyncio.sleep(0.1)
        assert calls["woken"] == 2 and calls["tick"] >= 3
        assert calls["flaky"] == 3  # two failures retried with back-off, then it asked for 1 h
    finally:
        await runner.stop()
        await pool.close()


async def test_job_times_may_come_from_the_settings():
    """`every` / `debounce` / `initial_delay` as functions of the settings: a job's pace is
    configuration (RECOUP_*), read when the runner starts."""
    ctx = base_context("test", ServiceSettings(profile="test", relay_poll_seconds=0.05))
    calls = {"fast": 0, "slow": 0}

    async def fast(_ctx):
        calls["fast"] += 1

    async def slow(_ctx):
        calls["slow"] += 1

    runner = JobRunner(ctx, [Job("fast", fast, every=lambda s: s.relay_poll_seconds),
                             Job("slow", slow, every=lambda s: s.relay_poll_seconds * 10_000,
                                 initial_delay=lambda s: s.relay_poll_seconds)], service="test")
    await runner.start()
    try:
        await asyncio.sleep(0.4)
    finally:
        await runner.stop()
    assert calls["fast"] >= 4 and calls["slow"] == 1


async def test_xact_lock_serialises_and_try_lock_skips(stack):
    a = await asyncpg.connect(stack.dsn("intake"))
    b = await asyncpg.connect(stack.dsn("intake"))
    try:
        async with a.transaction():
            await xact_lock(a, "demo", 1)
            async with b.transaction():
                assert not await try_xact_lock(b, "demo", 1)
                assert await try_xact_lock(b, "demo", 2)
        async with b.transaction():
            assert await try_xact_lock(b, "demo", 1)  # released with a's transaction
    finally:
        await a.close()
        await b.close()


def test_typed_cursor_keys_refuse_what_the_route_did_not_issue():
    from datetime import date as _date

    from recoup_shared.paging import cursor_key, key_date, key_int, key_text, key_uuid

    good = encode_cursor(["2026-12-05", 7])
    assert cursor_key(good, key_date, key_int(32)) == (_date(2026, 12, 5), 7)
    assert cursor_key(encode_cursor("c-1"), key_text) == "c-1" and cursor_key(None, key_text) is None
    for bad, parts in ((encode_cursor(["2026-12-05", 2**40]), (key_date, key_int(32))),
                       (encode_cursor(["x\x00", 1]), (key_text, key_int())),
                       (encode_cursor("2026-13-01"), (key_date,)), (encode_cursor([1]), (key_uuid,)),
                       (encode_cursor(["a"]), (key_text, key_text)), (encode_cursor(True), (key_int(),))):
        with pytest.raises(UnprocessableInput):
            cursor_key(bad, *parts)
