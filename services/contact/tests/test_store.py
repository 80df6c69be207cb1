"""Store: phones encrypted at rest with their blind index; records append-only; recordings kept."""

import uuid

import asyncpg
import pytest

from recoup_contact.store import points as point_store


async def test_phones_are_encrypted_at_rest_and_found_by_their_blind_index(ctx, h):
    case_id = await h.new_case(ctx, i=4242)
    number = h.cf.mobile(4242)
    async with ctx.pool.acquire() as conn:
        rows = await conn.fetch("SELECT point_id, number_enc, number_hash, number_masked, state, region "
                                "FROM contact_points WHERE case_id = $1 AND kind = 'mobile' AND party = 'debtor'",
                                case_id)
        assert len(rows) == 1
        row = rows[0]
        assert number.encode() not in bytes(row["number_enc"])            # ciphertext at rest
        assert ctx.protector.decrypt(str(row["point_id"]), row["number_enc"]) == number
        assert row["number_masked"] == number[:3] + "****" + number[-4:]
        assert row["number_hash"] == ctx.protector.lookup_phone_hash(number)   # intake's hash, same key
        assert row["region"]                                                   # 号码归属地
        assert await point_store.by_number_hash(conn, row["number_hash"], 10) == [case_id]
        # the ciphertext is bound to its row: moved to another point it does not decrypt
        with pytest.raises(Exception):
            ctx.protector.decrypt(str(uuid.uuid4()), row["number_enc"])


async def test_contact_records_are_append_only(ctx, h):
    case_id = await h.new_case(ctx)
    async with ctx.pool.acquire() as conn:
        await conn.execute(
            """INSERT INTO contact_records (record_id, case_id, client_id, collector_id, channel, party, result,
                   effective, occurred_at, occurred_on, recorded_at)
               VALUES ($1, $2, 'zhbank', 'col-1', 'outbound_call', 'debtor', 'no_answer', false, now(),
                       current_date, now())""", uuid.uuid4(), case_id)
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await conn.execute("UPDATE contact_records SET notes = 'x' WHERE case_id = $1", case_id)
        with pytest.raises(asyncpg.RaiseError, match="append-only"):
            await conn.execute("DELETE FROM contact_records WHERE case_id = $1", case_id)


async def test_a_recording_reference_cannot_be_deleted_before_two_years(ctx, h):
    case_id = await h.new_case(ctx)
    call_id = uuid.uuid4()
    async with ctx.pool.acquire() as conn:
        await conn.execute(
            """INSERT INTO calls (call_id, case_id, collector_id, requested_at, state, retain_until)
               VALUES ($1, $2, 'col-1', now(), 'ended', current_date + 730)""", call_id, case_id)
        with pytest.raises(asyncpg.RaiseError, match="R-19"):
            await conn.execute("DELETE FROM calls WHERE call_id = $1", call_id)


async def test_every_active_case_has_a_follow_up_the_database_says_so(ctx, h):
    case_id = await h.new_case(ctx)
    async with ctx.pool.acquire() as conn:
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute("UPDATE cases SET next_follow_up = NULL WHERE case_id = $1", case_id)
        await conn.execute("UPDATE cases SET next_follow_up = NULL, contact_status = 'DISPUTE' WHERE case_id = $1",
                           case_id)   # DISPUTE alone has none
