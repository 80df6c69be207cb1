"""POST /v1/placements and the placement reads, against the real stack (R-1, R-4, R-6, R-7)."""

from __future__ import annotations

import asyncio
import json
import uuid

import orjson
import pytest
import pytest_asyncio

from recoup_local.inprocess import running_service
from recoup_shared.bus.events import CaseReceived
from recoup_shared.crypto import mask_card_number


async def _count_cases(intake, placement_ref: str, client_id: str) -> int:
    async with intake.pool.acquire() as conn:
        return await conn.fetchval(
            """SELECT count(*) FROM cases c JOIN placements p ON p.id = c.placement_id
               WHERE p.client_id = $1 AND p.placement_ref = $2""", client_id, placement_ref)


# --- the happy path and row errors ------------------------------------------------------------

async def test_good_rows_accepted_bad_rows_rejected_with_row_field_reason(intake, as_client, placement, helpers):
    body = placement(12)
    body["cases"][3]["debtor"]["id_number"] = "410105198703150031"        # checksum
    body["cases"][7]["currency"] = "人民币"                                 # not an ISO code
    body["cases"][7]["interest"] = "10.005"                               # three decimals
    body["cases"][5]["phones"].append({"number": "12345", "kind": "home"})  # a warning only
    body["cases"][9] = "not an object"
    r = await intake.client.post("/v1/placements", json=body, headers=as_client)
    assert r.status_code == 202, r.text
    a = r.json()
    assert a["placement_ref"] == body["placement_ref"]
    assert (a["received"], a["accepted"], a["rejected"]) == (12, 9, 3)
    assert r.headers["idempotent-replayed"] == "false"
    assert r.headers["location"] == f"/v1/placements/{body['placement_ref']}"
    by_row: dict[int, list] = {}
    for e in a["errors"]:
        by_row.setdefault(e["row"], []).append(e)
    assert sorted(by_row) == [3, 7, 9]
    assert by_row[3] == [{"row": 3, "field": "cases[3].debtor.id_number",
                          "reason": "ID number checksum is wrong (GB 11643)"}]
    fields7 = {e["field"] for e in by_row[7]}
    assert {"cases[7].currency", "cases[7].interest"} <= fields7
    bad_phone = len(body["cases"][5]["phones"]) - 1
    assert [(w["row"], w["field"]) for w in a["warnings"]] == [(5, f"cases[5].phones[{bad_phone}].number")]
    assert "kept, marked invalid" in a["warnings"][0]["reason"] and a["warned"] == 1
    assert by_row[9][0]["field"] == "cases[9]"
    # no personal data in reasons
    assert "410105198703150031" not in r.text

    status = await helpers.wait_published(intake, body["placement_ref"], as_client)
    assert status["counts"] == {"received": 12, "accepted": 9, "rejected": 3, "warned": 1,
                                "cases": {"open": 9, "recalled": 0, "closed": 0}}
    assert [e["row"] for e in status["rejected_rows"]["items"]] == [e["row"] for e in a["errors"]]
    assert status["warnings"]["items"] == a["warnings"]  # reconciliation shows them per row
    t = status["timings"]
    assert t["seconds_to_import"] >= 0 and t["seconds_to_publish"] >= t["seconds_to_import"]
    assert t["sla"]["import_within_target"] is True and t["sla"]["import_target_seconds"] == 3600
    assert t["sla"]["import_max_seconds"] == 3 * 3600

    r = await intake.client.get(f"/v1/placements/{body['placement_ref']}/cases", headers=as_client)
    items = r.json()["items"]
    assert [i["row"] for i in items] == [0, 1, 2, 4, 5, 6, 8, 10, 11]
    for item in items:
        account = body["cases"][item["row"]]["account_ref"]
        assert item["account_masked"] == mask_card_number(account)
        assert item["status"] == "open"
        uuid.UUID(item["case_id"])


async def test_rejected_rows_and_cases_are_paged(intake, as_client, placement):
    body = placement(30, bad_rows=5)
    r = await intake.client.post("/v1/placements", json=body, headers=as_client)
    errors = r.json()["errors"]
    assert r.json()["rejected"] == 5
    ref = body["placement_ref"]
    page1 = (await intake.client.get(f"/v1/placements/{ref}?errors_limit=2", headers=as_client)).json()
    assert page1["rejected_rows"]["items"] == errors[:2]
    after = page1["rejected_rows"]["next_cursor"]
    page2 = (await intake.client.get(f"/v1/placements/{ref}", params={"errors_limit": 100, "errors_cursor": after},
                                     headers=as_client)).json()
    assert page2["rejected_rows"]["items"] == errors[2:]
    assert page2["rejected_rows"]["next_cursor"] is None
    rows, cursor = [], None
    while True:
        params = {"limit": 7} | ({"cursor": cursor} if cursor else {})
        page = (await intake.client.get(f"/v1/placements/{ref}/cases", params=params, headers=as_client)).json()
        rows += [i["row"] for i in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert len(rows) == 25 and rows == sorted(rows)
    # a cursor this service did not issue is a 422 on its parameter, never a 500
    for params in ({"cursor": "garbage!"}, {"cursor": "WyJ4Il0"}, {"errors_cursor": "eyJhIjoxfQ"}):
        path = f"/v1/placements/{ref}" + ("" if "errors_cursor" in params else "/cases")
        r = await intake.client.get(path, params=params, headers=as_client)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == next(iter(params)), r.text


async def test_case_received_events_in_the_outbox(intake, as_client, client_id, placement, helpers):
    body = placement(5)
    body.pop("recall_on")
    r = await intake.client.post("/v1/placements", json=body, headers=as_client)
    a = r.json()
    cases = (await intake.client.get(f"/v1/placements/{body['placement_ref']}/cases",
                                     headers=as_client)).json()["items"]
    events = await helpers.outbox_events(intake, case_ids=[c["case_id"] for c in cases])
    assert len(events) == 5 and {e["event_type"] for e in events} == {"case.received"}
    raw = json.dumps(events, ensure_ascii=False)
    row_of = {c["case_id"]: c["row"] for c in cases}
    for e in events:
        src = body["cases"][row_of[e["case_id"]]]
        assert e["client_id"] == client_id and e["producer"] == "intake"
        assert e["correlation_id"] == a["placement_id"]
        p = CaseReceived.model_validate(e["payload"])
        assert p.placement_ref == body["placement_ref"] and p.status == "open"
        assert str(p.recall_on) > str(p.placed_on)  # default: placed_on + 3 months
        assert p.debtor.id_number_masked.startswith(src["debtor"]["id_number"][:6])
        assert len(p.account_hash) == 64 and len(p.debtor.id_hash) == 64
        # full ID and card numbers never leave intake; phones and addresses travel in full
        assert src["debtor"]["id_number"] not in raw and src["account_ref"] not in raw
        numbers = {ph.number for ph in p.phones}
        assert src["phones"][0]["number"] in numbers
        assert [a_.line for a_ in p.addresses] == [a_["line"] for a_ in src["addresses"]]
        assert str(p.placed_amount) == src["placed_amount"]


# --- idempotency (R-1) ---------------------------------------------------------------------------

async def test_same_body_again_gets_the_same_answer_and_nothing_duplicated(intake, as_client, client_id, placement):
    body = placement(8, bad_rows=2)
    first = await intake.client.post("/v1/placements", json=body, headers=as_client)
    assert first.status_code == 202
    # same content, other key order and spacing: the same request (canonical SHA-256)
    reordered = json.dumps({k: body[k] for k in reversed(list(body))}, indent=2, ensure_ascii=False)
    again = await intake.client.post("/v1/placements", content=reordered.encode(),
                                     headers={**as_client, "content-type": "application/json"})
    assert again.status_code == 202
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    assert await _count_cases(intake, body["placement_ref"], client_id) == 6


async def test_changed_body_under_the_same_ref_is_409(intake, as_client, client_id, placement):
    body = placement(4)
    assert (await intake.client.post("/v1/placements", json=body, headers=as_client)).status_code == 202
    body["cases"][0]["principal"] = "1.00"
    r = await intake.client.post("/v1/placements", json=body, headers=as_client)
    assert r.status_code == 409
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["type"].endswith("/conflict") and problem["placement_ref"] == body["placement_ref"]
    assert await _count_cases(intake, body["placement_ref"], client_id) == 4


async def test_two_identical_requests_at_once_insert_once(intake, as_client, client_id, placement, helpers):
    body = placement(300)
    raw = orjson.dumps(body)
    headers = {**as_client, "content-type": "application/json"}
    r1, r2, r3 = await asyncio.gather(*(intake.client.post("/v1/placements", content=raw, headers=headers)
                                        for _ in range(3)))
    assert {r1.status_code, r2.status_code, r3.status_code} == {202}
    assert r1.json()["placement_id"] == r2.json()["placement_id"] == r3.json()["placement_id"]
    assert sorted(r.headers["idempotent-replayed"] for r in (r1, r2, r3)) == ["false", "true", "true"]
    assert await _count_cases(intake, body["placement_ref"], client_id) == 300
    async with intake.pool.acquire() as conn:
        case_ids = [r["id"] for r in await conn.fetch(
            """SELECT c.id::text AS id FROM cases c JOIN placements p ON p.id = c.placement_id
               WHERE p.placement_ref = $1 AND p.client_id = $2""", body["placement_ref"], client_id)]
    events = await helpers.outbox_events(intake, case_ids=case_ids, topic="case.received")
    assert sorted(e["case_id"] for e in events) == sorted(case_ids)  # one event per case, once


async def test_same_ref_for_two_clients_is_two_placements(intake, auth, placement):
    body = placement(2)
    a = await intake.client.post("/v1/placements", json=body, headers=auth("client", "bank-x-" + uuid.uuid4().hex[:6]))
    b = await intake.client.post("/v1/placements", json=body, headers=auth("client", "bank-y-" + uuid.uuid4().hex[:6]))
    assert a.status_code == b.status_code == 202
    assert a.json()["placement_id"] != b.json()["placement_id"]


# --- re-placement and duplicates (R-1) -----------------------------------------------------------

async def test_open_account_placed_again_is_a_row_error_until_recalled(intake, as_client, placement):
    first = placement(3)
    await intake.client.post("/v1/placements", json=first, headers=as_client)
    second = placement(2)
    second["cases"][1] = dict(first["cases"][2])
    second["cases"][1]["account_ref"] = " " + first["cases"][2]["account_ref"][:4] + "-" + first["cases"][2]["account_ref"][4:]
    r = await intake.client.post("/v1/placements", json=second, headers=as_client)
    assert r.json()["accepted"] == 1
    assert r.json()["errors"] == [{"row": 1, "field": "cases[1].account_ref",
                                   "reason": f"account already placed in placement {first['placement_ref']} and still open"}]
    rec = await intake.client.post("/v1/recalls", json={"account_refs": [first["cases"][2]["account_ref"]],
                                                        "reason": "client asked"}, headers=as_client)
    assert rec.json()["recalled"] == 1
    third = placement(1)
    third["cases"][0] = first["cases"][2]
    r = await intake.client.post("/v1/placements", json=third, headers=as_client)
    assert (r.json()["accepted"], r.json()["rejected"]) == (1, 0)


async def test_duplicate_account_in_one_batch(intake, as_client, placement):
    body = placement(3)
    body["cases"][2]["account_ref"] = body["cases"][0]["account_ref"]
    r = await intake.client.post("/v1/placements", json=body, headers=as_client)
    assert r.json()["accepted"] == 2
    assert r.json()["errors"][0]["row"] == 2 and "duplicate account_ref" in r.json()["errors"][0]["reason"]


async def test_letter_case_duplicates_are_one_account(intake, as_client, placement):
    body = placement(2)
    body["cases"][0]["account_ref"] = "LN2026ab0001"
    body["cases"][1]["account_ref"] = "LN2026AB0001"
    r = await intake.client.post("/v1/placements", json=body, headers=as_client)
    assert r.status_code == 202
    assert (r.json()["accepted"], r.json()["rejected"]) == (1, 1)
    assert r.json()["errors"][0]["field"] == "cases[1].account_ref"


# --- bad requests: always 4xx problem+json ------------------------------------------------------

@pytest.mark.parametrize("content, status, slug", [
    (b'{"placement_ref": "X", "cases": [', 400, "malformed-json"),
    (b"", 400, "malformed-json"),
    (b"\xff\xfe{}", 400, "malformed-json"),
    (b'{"placement_ref":"A","product":"cc","placed_on":"2026-11-20","cases":[{"principal": NaN}]}', 400, "malformed-json"),
    (b"[1, 2, 3]", 422, "validation-error"),
    (b'"just a string"', 422, "validation-error"),
    (b'{"placement_ref": 5, "product": "cc", "placed_on": "2026-11-20", "cases": [{}]}', 422, "validation-error"),
    (b'{"placement_ref": "A", "product": "cc", "placed_on": "2026-13-45", "cases": [{}]}', 422, "validation-error"),
    (b'{"placement_ref": "A", "product": "cc", "placed_on": "2026-11-20", "cases": []}', 422, "validation-error"),
    (b'{"placement_ref": "A", "product": "cc", "placed_on": "2026-11-20", "cases": {"a": 1}}', 422, "validation-error"),
    (b'{"placement_ref": "A", "product": "cc", "placed_on": "2026-11-20", "recall_on": "2026-11-01", "cases": [{}]}', 422, "validation-error"),
    (b'{"placement_ref": "A B", "product": "cc", "placed_on": "2026-11-20", "cases": [{}]}', 422, "validation-error"),
    (b'{"placement_ref": "A", "product": "cc", "placed_on": "2026-11-20", "cases": [{}], "extra": 1}', 422, "validation-error"),
])
async def test_malformed_requests_are_4xx_problems(intake, as_client, content, status, slug):
    r = await intake.client.post("/v1/placements", content=content,
                                 headers={**as_client, "content-type": "application/json"})
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"].endswith(slug) and r.json()["status"] == status


async def test_top_level_problems_are_listed_per_field(intake, as_client):
    r = await intake.client.post("/v1/placements", json={"cases": "x", "placed_on": "soon"}, headers=as_client)
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"placement_ref", "product", "placed_on", "cases"} <= fields


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded",
                                          "application/json; charset=latin-1", None])
async def test_wrong_content_type_is_415(intake, as_client, content_type, placement):
    headers = dict(as_client)
    if content_type:
        headers["content-type"] = content_type
    r = await intake.client.post("/v1/placements", content=orjson.dumps(placement(1)), headers=headers)
    assert r.status_code == 415
    assert r.json()["type"].endswith("unsupported-media-type")


async def test_problem_json_ld_content_type_variants_accepted(intake, as_client, placement):
    r = await intake.client.post("/v1/placements", content=orjson.dumps(placement(1)),
                                 headers={**as_client, "content-type": "application/json; charset=UTF-8"})
    assert r.status_code == 202


# --- size limits ------------------------------------------------------------------------------

@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def small_intake(stack, intake_dsn, intake_log_file):
    async with running_service(stack, "intake", database_url=intake_dsn, log_file=str(intake_log_file), max_cases_per_placement=5,
                               max_repayments_per_request=3, max_request_bytes=200_000) as svc:
        yield svc


async def test_batch_over_the_limit_is_413(small_intake, as_client, placement):
    r = await small_intake.client.post("/v1/placements", json=placement(6), headers=as_client)
    assert r.status_code == 413
    assert r.json()["type"].endswith("payload-too-large") and r.json()["limit"] == 5
    assert (await small_intake.client.post("/v1/placements", json=placement(5), headers=as_client)).status_code == 202


async def test_body_over_the_byte_limit_is_413(small_intake, as_client, placement):
    big = orjson.dumps(placement(4) | {"padding": "x" * 300_000})
    r = await small_intake.client.post("/v1/placements", content=big,
                                       headers={**as_client, "content-type": "application/json"})
    assert r.status_code == 413


async def test_repayments_over_the_limit_is_413(small_intake, as_client):
    rows = [{"account_ref": "1", "amount": "1.00", "paid_at": "2026-11-20", "txn_ref": str(i)} for i in range(4)]
    r = await small_intake.client.post("/v1/repayments", json={"repayments": rows}, headers=as_client)
    assert r.status_code == 413


# --- auth and isolation ---------------------------------------------------------------------------

async def test_auth_is_required(intake, placement):
    r = await intake.client.post("/v1/placements", json=placement(1))
    assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
    r = await intake.client.post("/v1/placements", json=placement(1), headers={"authorization": "Bearer nonsense"})
    assert r.status_code == 401
    assert (await intake.client.get("/v1/placements/X")).status_code == 401


async def test_staff_cannot_push_and_clients_cannot_use_staff_routes(intake, auth, as_client, placement):
    r = await intake.client.post("/v1/placements", json=placement(1), headers=auth("admin"))
    assert r.status_code == 403
    assert (await intake.client.get("/v1/cases", headers=as_client)).status_code == 403
    assert (await intake.client.get(f"/v1/cases/{uuid.uuid4()}", headers=as_client)).status_code == 403
    assert (await intake.client.get("/v1/audit-log", headers=as_client)).status_code == 403


async def test_a_client_sees_only_its_own_placements(intake, auth, as_client, client_id, placement):
    body = placement(2)
    await intake.client.post("/v1/placements", json=body, headers=as_client)
    other = auth("client", "bank-other-" + uuid.uuid4().hex[:6])
    ref = body["placement_ref"]
    assert (await intake.client.get(f"/v1/placements/{ref}", headers=other)).status_code == 404
    assert (await intake.client.get(f"/v1/placements/{ref}/cases", headers=other)).status_code == 404
    r = await intake.client.get(f"/v1/placements/{ref}?client_id={client_id}", headers=other)
    assert r.status_code == 403
    # its own list holds it; the other's list does not
    mine = (await intake.client.get("/v1/placements", headers=as_client)).json()["items"]
    assert [p["placement_ref"] for p in mine] == [ref]
    assert (await intake.client.get("/v1/placements", headers=other)).json()["items"] == []
    # repayments and recalls of another client's accounts: unknown accounts
    account = body["cases"][0]["account_ref"]
    r = await intake.client.post("/v1/repayments", headers=other, json={"repayments": [
        {"account_ref": account, "amount": "10.00", "paid_at": "2020-01-01T10:00:00", "txn_ref": "t1"}]})
    assert r.json()["recorded"] == 0 and r.json()["errors"][0]["reason"].startswith("unknown account")
    r = await intake.client.post("/v1/recalls", headers=other, json={"account_refs": [account]})
    assert r.json()["recalled"] == 0 and r.json()["rejected"] == 1
    r = await intake.client.post("/v1/recalls", headers=other, json={"placement_ref": ref})
    assert r.status_code == 404


async def test_staff_read_placements_by_naming_the_client(intake, auth, as_client, client_id, placement):
    body = placement(2)
    await intake.client.post("/v1/placements", json=body, headers=as_client)
    ref = body["placement_ref"]
    r = await intake.client.get(f"/v1/placements/{ref}?client_id={client_id}", headers=auth("supervisor"))
    assert r.status_code == 200 and r.json()["client_id"] == client_id
    assert (await intake.client.get(f"/v1/placements/{ref}", headers=auth("supervisor"))).status_code == 422
    assert (await intake.client.get(f"/v1/placements/{ref}?client_id={client_id}",
                                    headers=auth("collector"))).status_code == 403


async def test_openapi_documents_problems_and_the_placement_body(intake):
    spec = (await intake.client.get("/openapi.json")).json()
    post = spec["paths"]["/v1/placements"]["post"]
    assert {"400", "401", "403", "409", "413", "415", "422"} <= set(post["responses"])
    assert "application/problem+json" in post["responses"]["409"]["content"]
    schema = post["requestBody"]["content"]["application/json"]["schema"]
    assert "cases" in schema["properties"] and "$ref" not in json.dumps(schema)


async def test_absurd_values_inside_rows_are_row_errors_never_500(intake, as_client, placement):
    body = placement(3)
    body["cases"][0]["dpd"] = 10 ** 30
    body["cases"][1]["principal"] = {"amount": 1}
    body["cases"][2]["debtor"]["id_number"] = 410105198703150030
    r = await intake.client.post("/v1/placements", content=json.dumps(body).encode(),
                                 headers={**as_client, "content-type": "application/json"})
    assert r.status_code == 202, r.text
    assert r.json()["accepted"] == 0 and r.json()["rejected"] == 3
    fields = {e["field"] for e in r.json()["errors"]}
    assert {"cases[0].dpd", "cases[1].principal", "cases[2].debtor.id_number"} <= fields


async def test_the_placement_list_is_paged_newest_first(intake, as_client, placement):
    refs = []
    for _ in range(3):
        body = placement(1)
        assert (await intake.client.post("/v1/placements", json=body, headers=as_client)).status_code == 202
        refs.append(body["placement_ref"])
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await intake.client.get("/v1/placements", params=params, headers=as_client)).json()
        seen += [p["placement_ref"] for p in page["items"]]
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert seen == refs[::-1]


@pytest.mark.parametrize("where, value", [
    (("addresses", 0, "kind"), {}), (("addresses", 0, "kind"), []), (("phones", 0, "kind"), {}),
    (("phones", 0, "owner"), []), (("phones", 0, "owner"), {}), (("debtor", "gender"), {}),
])
async def test_wrong_json_types_inside_a_case_are_row_errors_the_other_rows_accepted(
        intake, as_client, placement, where, value):
    """Issue 14 item 4: `{}` / `[]` where a vocabulary value belongs was a 500 for the batch."""
    body = placement(3)
    node = body["cases"][1]
    for key in where[:-1]:
        node = node[key]
    node[where[-1]] = value
    r = await intake.client.post("/v1/placements", json=body, headers=as_client)
    assert r.status_code == 202, r.text
    a = r.json()
    assert (a["accepted"], a["rejected"]) == (2, 1)
    assert {e["row"] for e in a["errors"]} == {1}
    path = "cases[1]." + ".".join(f"{k}" if isinstance(k, str) else f"[{k}]" for k in where).replace(".[", "[")
    assert path in {e["field"] for e in a["errors"]}
    account = body["cases"][0]["account_ref"]
    upd = {"account_ref": account, "addresses": [{"kind": value, "line": "x"}],
           "phones": [{"number": "13800138000", "kind": "mobile", "owner": value}]}
    r = await intake.client.post("/v1/cases/updates", json={"updates": [upd, {"account_ref": account,
                                                                               "remarks": "ok"}]}, headers=as_client)
    assert r.status_code == 200, r.text
    assert (r.json()["applied"], r.json()["rejected"]) == (1, 1)
