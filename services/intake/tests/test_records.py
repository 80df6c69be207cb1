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
from recoup_intake.records import (CASE_COLUMNS, Identified, PlacementContext, Protector, identify,
                                   joint_case_ids, joint_link_records, mask_address_line, new_uuids,
                                   prepare_chunk)
from recoup_intake.rules import validate_cases
from recoup_local.demo import make_placement
from recoup_shared.bus.envelope import parse
from recoup_shared.bus.events import CaseReceived
from recoup_shared.crypto import blind_index_from_settings, cipher_from_settings, mask_phone


@pytest.fixture(scope="module")
def protector() -> Protector:
    s = IntakeSettings()
    return Protector(cipher_from_settings(s), blind_index_from_settings(s))


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
    assert len(chunk.cases) == len(chunk.outbox) == 20
    for it, record in zip(items, chunk.cases):
        src = body["cases"][it.row]
        rec = dict(zip(CASE_COLUMNS, record))
        assert rec["id"] == it.case_id and rec["received_event_id"] == it.event_id
        assert protector.decrypt(it.case_id, rec["account_ref_enc"]) == src["account_ref"]
        assert protector.decrypt(it.case_id, rec["id_number_enc"]) == src["debtor"]["id_number"]
        # the ciphertext is bound to its case: moved to another row it does not decrypt
        with pytest.raises(Exception):
            protector.decrypt(str(uuid.uuid4()), rec["account_ref_enc"])
        assert rec["account_hash"] == it.account_hash == protector.card_hash(src["account_ref"])
        assert protector.lookup_id_hash(src["debtor"]["id_number"]) == rec["id_hash"] == it.id_hash
        assert src["account_ref"] not in repr(record) and src["debtor"]["id_number"] not in repr(record)
    for phone in chunk.phones:
        number = protector.decrypt(phone[0], phone[2])
        assert phone[4] == mask_phone(number) and phone[3] == protector.phone_hash(number)
        assert protector.lookup_phone_hash(number[:3] + "-" + number[3:]) == phone[3]
    assert len(chunk.phones) == sum(len(c["phones"]) for c in body["cases"])
    assert len(chunk.addresses) == sum(len(c["addresses"]) for c in body["cases"])


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
    return Identified(None, case_id, "e-" + case_id, "a-" + case_id, id_hash)  # type: ignore[arg-type]


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
    p = Protector(cipher_from_settings(s), blind_index_from_settings(s))
    spaced = f"{number[:3]} {number[3:7]} {number[7:]}"
    assert p.lookup_phone_hash(spaced) in (p.phone_hash(number), p.lookup_phone_hash(number))


@given(st.one_of(st.from_regex(r"1[3-9]\d{9}", fullmatch=True), st.from_regex(r"0\d{9,11}", fullmatch=True),
                 st.from_regex(r"\d{0,7}", fullmatch=True)))
def test_fast_phone_mask_equals_the_shared_one(number):
    from recoup_intake.records import mask_canonical_phone
    assert mask_canonical_phone(number) == (mask_phone(number) if number else "")
