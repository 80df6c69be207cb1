"""Unit tests of what is stored and published for a case (pure, no stack)."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timezone

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoup_intake.app import IntakeSettings
from recoup_intake.records import (CASE_COLUMNS, PHONE_LOOKUP_COLUMNS, Identified, PlacementContext,
                                   identify, joint_case_ids, joint_link_records, new_uuids,
                                   parse_copy_rows, prepare_chunk, unpack_address, unpack_phone)
from recoup_intake.rules import parse_phone, validate_cases
from recoup_local.demo import make_placement
from recoup_shared.bus.envelope import new_envelope, parse
from recoup_shared.bus.events import CaseReceived
from recoup_shared.crypto import (Protector, cipher_from_settings, mask_address_line, mask_card_number,
                                  mask_id_number)


@pytest.fixture(scope="module")
def protector() -> Protector:
    s = IntakeSettings()
    return Protector.from_settings(s)


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


def _prepared(protector, n=20, **kw):
    body = make_placement(n, seed=5, **kw)
    placed_on = date.fromisoformat(body["placed_on"])
    result = validate_cases(body["cases"], placed_on=placed_on, today=placed_on)
    ctx = PlacementContext("bank-1", str(uuid.uuid4()), body["placement_ref"], body["product"], placed_on,
                           date.fromisoformat(body["recall_on"]))
    items = identify(result.valid, protector)
    return body, ctx, items


def test_prepared_rows_are_encrypted_hashed_masked(protector):
    body, ctx, items = _prepared(protector)
    chunk = prepare_chunk(items, {}, ctx, protector, datetime.now(timezone.utc))
    records = parse_copy_rows(chunk.cases, CASE_COLUMNS)
    phone_rows = parse_copy_rows(chunk.phones, PHONE_LOOKUP_COLUMNS)
    assert len(records) == len(chunk.outbox) == 20
    for it, rec in zip(items, records):
        src = body["cases"][it.row]
        assert rec["id"] == it.case_id and rec["received_event_id"] == it.event_id
        assert rec["row_index"] == str(it.row) and rec["placement_id"] == ctx.placement_id
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


def test_envelopes_are_the_shared_envelope(protector):
    body, ctx, items = _prepared(protector, n=3)
    at = datetime.now(timezone.utc)
    chunk = prepare_chunk(items, {}, ctx, protector, at)
    for (event_id, topic, key, value), it in zip(chunk.outbox, items):
        env = orjson.loads(value)
        expected = new_envelope(event_type="case.received", producer="intake", client_id=ctx.client_id,
                                case_id=it.case_id, payload=env["payload"], correlation_id=ctx.placement_id,
                                occurred_at=at, event_id=it.event_id)  # type: ignore[arg-type]
        assert env == orjson.loads(orjson.dumps(expected))
        assert list(env) == list(expected)


def test_copy_text_rows_escape_free_text(protector):
    body, ctx, items = _prepared(protector, n=2)
    items[0].case.remarks = "a\tb\nc\\d"
    items[0].case.credit_limit = None
    chunk = prepare_chunk(items, {}, ctx, protector, datetime.now(timezone.utc))
    lines = chunk.cases.decode().split("\n")
    assert len(lines) == 3 and lines[2] == ""
    fields = lines[0].split("\t")
    assert len(fields) == len(CASE_COLUMNS)
    row = dict(zip(CASE_COLUMNS, fields))
    assert row["remarks"] == "a\\tb\\nc\\\\d" and row["credit_limit"] == "\\N"
    assert row["personal_enc"].startswith("\\\\x")
    assert row["principal"] == str(items[0].case.principal)
    assert parse_copy_rows(chunk.cases, CASE_COLUMNS)[0]["remarks"] == "a\tb\nc\\d"


def test_case_received_events_validate_and_carry_no_full_identifiers(protector):
    body, ctx, items = _prepared(protector)
    joint = {items[0].case_id: [items[1].case_id]}
    chunk = prepare_chunk(items, joint, ctx, protector, datetime.now(timezone.utc))
    for (event_id, topic, key, value), it in zip(chunk.outbox, items):
        env = parse(value)
        assert (str(env.event_id), topic, key, env.case_id) == (it.event_id, "case.received", it.case_id, it.case_id)
        assert env.correlation_id == ctx.placement_id and env.client_id == "bank-1"
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


def _it(case_id: str, id_hash: str) -> Identified:
    return Identified(None, case_id, "e-" + case_id, "a-" + case_id, id_hash, 0)


def test_joint_debt_links_within_the_batch_and_to_stored_cases():
    items = [_it("n1", "h1"), _it("n2", "h2"), _it("n3", "h1")]
    joint = joint_case_ids(items, {"h1": ["old1"], "h9": ["old9"]})
    assert joint == {"n1": ["old1", "n3"], "n3": ["old1", "n1"]}
    rows = joint_link_records(joint, {"n1", "n2", "n3"}, {"n1": "h1", "n2": "h2", "n3": "h1"})
    assert sorted(rows) == sorted([("n1", "old1", "h1"), ("old1", "n1", "h1"), ("n1", "n3", "h1"),
                                   ("n3", "old1", "h1"), ("old1", "n3", "h1"), ("n3", "n1", "h1")])


def test_one_id_number_on_every_row_stays_bounded():
    items = [_it(f"n{i}", "same") for i in range(5000)]
    joint = joint_case_ids(items, {"same": [f"old{i}" for i in range(100)]}, max_links=50)
    assert {len(v) for v in joint.values()} == {50}


@given(st.from_regex(r"1[3-9]\d{9}", fullmatch=True))
def test_phone_lookup_normalises_like_import(number):
    s = IntakeSettings()
    p = Protector.from_settings(s)
    spaced = f"{number[:3]} {number[3:7]} {number[7:]}"
    assert p.lookup_phone_hash(spaced) in (p.phone_hash(number), p.lookup_phone_hash(number))
