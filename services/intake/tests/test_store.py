"""Store-level tests: what is written for a new case — COPY text rows, the sealed personal-data
blob, time-ordered ids — and the SQL of the stores against the real database (locks, the
publication time read through the shared outbox functions)."""

from __future__ import annotations

import uuid
from datetime import datetime, timezone

import pytest

from recoup_intake.settings import IntakeSettings
from recoup_intake.store.case_rows import CASE_COLUMNS, PHONE_LOOKUP_COLUMNS, parse_copy_rows
from recoup_intake.store.ids import new_uuids
from recoup_intake.store.personal import unpack_address, unpack_phone
from recoup_intake.usecases.placements.prepare import prepare_chunk
from recoup_shared.crypto import cipher_from_settings, mask_address_line, mask_card_number, mask_id_number
from recoup_shared.identifiers import parse_phone

from .placed import prepared


def test_ids_are_unique_time_ordered_uuid7():
    ids = new_uuids(10_000)
    assert len(set(ids)) == 10_000 and ids == sorted(ids)
    parsed = [uuid.UUID(i) for i in ids]
    assert {u.version for u in parsed} == {7} and {u.variant for u in parsed} == {uuid.RFC_4122}
    ms = int(ids[0].replace("-", "")[:12], 16)
    assert abs(ms / 1000 - datetime.now(timezone.utc).timestamp()) < 60
    assert new_uuids(0) == []


def test_address_lines_keep_the_street_and_hide_numbers():
    assert mask_address_line("花园路 88 号 3 单元 502") == "花园路 ** 号 * 单元 ***"
    assert mask_address_line(None) is None


def test_prepared_rows_are_encrypted_hashed_masked(protector):
    body, info, items = prepared(protector)
    chunk = prepare_chunk(items, {}, info, protector, datetime.now(timezone.utc))
    records = parse_copy_rows(chunk.cases, CASE_COLUMNS)
    phone_rows = parse_copy_rows(chunk.phones, PHONE_LOOKUP_COLUMNS)
    assert len(records) == len(chunk.outbox) == 20
    for it, rec in zip(items, records):
        src = body["cases"][it.row]
        assert rec["id"] == it.case_id and rec["received_event_id"] == it.event_id
        assert rec["row_index"] == str(it.row) and rec["placement_id"] == info.placement_id
        assert rec["principal"] == src["principal"] and rec["placed_amount"] == src["placed_amount"]
        blob = bytes.fromhex(rec["personal_enc"].removeprefix("\\x"))
        personal = protector.open(it.case_id, blob)
        assert personal["account_ref"] == src["account_ref"]
        assert personal["id_number"] == src["debtor"]["id_number"]
        phones = [unpack_phone(p) for p in personal["phones"]]
        addresses = [unpack_address(a) for a in personal["addresses"]]
        assert [p["number"] for p in phones] == [parse_phone(p["number"]).number for p in src["phones"]]
        for kept, sent in zip(phones, src["phones"]):
            assert (kept["kind"], kept["owner"], kept.get("name"), kept.get("knows_debt")) == \
                (sent["kind"], sent.get("owner", "debtor"), sent.get("name"), sent.get("knows_debt"))
        assert [a["line"] for a in addresses] == [a["line"] for a in src["addresses"]]
        assert [(a["kind"], a.get("province"), a.get("city"), a.get("district"), a.get("employer"))
                for a in addresses] == [(a["kind"], a.get("province"), a.get("city"), a.get("district"),
                                         a.get("employer")) for a in src["addresses"]]
        # the ciphertext is bound to its case: moved to another row it does not decrypt
        with pytest.raises(Exception):
            protector.open(str(uuid.uuid4()), blob)
        assert rec["account_hash"] == it.account_hash == protector.card_hash(src["account_ref"])
        assert protector.lookup_id_hash(src["debtor"]["id_number"]) == rec["id_hash"] == it.id_hash
        assert [r["number_hash"] for r in phone_rows if r["case_id"] == it.case_id] == \
            [protector.lookup_phone_hash(p["number"]) for p in src["phones"]]
        assert rec["account_masked"] == mask_card_number(src["account_ref"])
        assert rec["id_masked"] == mask_id_number(it.case.id_number_18)  # the 18-character form
        text = chunk.cases.decode()
        assert src["account_ref"] not in text and src["debtor"]["id_number"] not in text
        assert not any(parse_phone(p["number"]).number in text for p in src["phones"])
        assert not any(a["line"] in text for a in src["addresses"])


def test_the_blob_is_a_field_cipher_ciphertext_bound_to_its_case(protector):
    s = IntakeSettings()
    cipher = cipher_from_settings(s)
    blob = protector.seal_bytes("case-1", "客户 13800138000".encode())
    assert cipher.decrypt(blob, aad=b"case-1") == "客户 13800138000"
    assert cipher.key_id_of(blob) == s.active_data_key_id
    with pytest.raises(Exception):
        cipher.decrypt(blob, aad=b"case-2")
    assert len({protector.seal_bytes("c", b"x") for _ in range(100)}) == 100  # fresh nonces


def test_copy_text_rows_escape_free_text(protector):
    body, info, items = prepared(protector, n=2)
    items[0].case.remarks = "a\tb\nc\\d"
    items[0].case.credit_limit = None
    chunk = prepare_chunk(items, {}, info, protector, datetime.now(timezone.utc))
    lines = chunk.cases.decode().split("\n")
    assert len(lines) == 3 and lines[2] == ""
    fields = lines[0].split("\t")
    assert len(fields) == len(CASE_COLUMNS)
    row = dict(zip(CASE_COLUMNS, fields))
    assert row["remarks"] == "a\\tb\\nc\\\\d" and row["credit_limit"] == "\\N"
    assert row["personal_enc"].startswith("\\\\x")
    assert row["principal"] == str(items[0].case.principal)
    assert parse_copy_rows(chunk.cases, CASE_COLUMNS)[0]["remarks"] == "a\tb\nc\\d"


async def test_case_statistics_are_refreshed_when_a_bulk_load_made_them_stale(intake_dsn, protector):
    """store.refresh_case_statistics (before a big placement's lookups): ANALYZE once the table
    grew past its statistics, not again while they are current."""
    import asyncpg

    from recoup_intake.store.placements import copy_cases, refresh_case_statistics

    body, info, items = prepared(protector, n=400)
    chunk = prepare_chunk(items, {}, info, protector, datetime.now(timezone.utc))
    conn = await asyncpg.connect(intake_dsn)
    try:
        await conn.execute("ANALYZE cases")
        assert not await refresh_case_statistics(conn, growth=0.0, min_pages=0)
        tx = conn.transaction()
        await tx.start()
        try:
            await copy_cases(conn, chunk.cases, chunk.phones)   # the table grows (~1 MB)
            before = await conn.fetchval("SELECT relpages FROM pg_class WHERE relname = 'cases'")
            assert not await refresh_case_statistics(conn, growth=0.0, min_pages=10**9)  # small: left alone
            assert await refresh_case_statistics(conn, growth=0.0, min_pages=0)
            assert await conn.fetchval("SELECT relpages FROM pg_class WHERE relname = 'cases'") > before
            assert not await refresh_case_statistics(conn, growth=0.0, min_pages=0)
        finally:
            await tx.rollback()
    finally:
        await conn.close()
