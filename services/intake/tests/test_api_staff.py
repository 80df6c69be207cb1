"""Staff routes: search by identifiers (R-25), masked reads and audited reveals (R-46), joint debt
across clients (R-7), the audit log — and no personal data in the service's log lines."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest

from recoup_shared.identifiers import make_id15, make_id_number, parse_id_number
from recoup_shared.crypto import mask_card_number, mask_id_number


async def _push(intake, headers, body):
    r = await intake.client.post("/v1/placements", json=body, headers=headers)
    assert r.status_code == 202 and r.json()["rejected"] == 0, r.text
    items = (await intake.client.get(f"/v1/placements/{body['placement_ref']}/cases", headers=headers)).json()["items"]
    return {i["row"]: i["case_id"] for i in items}


async def test_search_by_id_card_and_phone_is_exact_masked_and_audited(intake, auth, as_client, client_id, placement):
    body = placement(4)
    cases = await _push(intake, as_client, body)
    src = body["cases"][2]
    collector = auth("collector", sub="col-li")
    for params in ({"id_number": src["debtor"]["id_number"]},
                   {"card_number": src["account_ref"][:4] + " " + src["account_ref"][4:]},
                   {"phone": "+86 " + src["phones"][0]["number"]}):
        r = await intake.client.post("/v1/cases/search", json=params, headers=collector)
        assert r.status_code == 200, r.text
        items = r.json()["items"]
        assert [i["case_id"] for i in items] == [cases[2]], params
        assert items[0]["account_masked"] == mask_card_number(src["account_ref"])
        # masked from the 18-character form (an old 15-digit number is converted, R-7)
        assert items[0]["id_number_masked"] == mask_id_number(parse_id_number(src["debtor"]["id_number"]).id18)
        assert src["debtor"]["id_number"] not in r.text and src["account_ref"] not in r.text
    # issue 14: identifiers never in a URL — a query parameter is refused, not ignored... nor used
    r = await intake.client.get("/v1/cases", params={"id_number": src["debtor"]["id_number"]}, headers=collector)
    assert r.status_code == 422 and "POST /v1/cases/search" in r.text
    assert src["debtor"]["id_number"] not in r.text
    r = await intake.client.post("/v1/cases/search", json={"id_number": src["debtor"]["id_number"]}, headers=collector)
    assert [i["case_id"] for i in r.json()["items"]] == [cases[2]]
    # filters and keyset paging
    page1 = (await intake.client.get("/v1/cases", params={"client_id": client_id, "limit": 3}, headers=collector)).json()
    page2 = (await intake.client.get("/v1/cases", params={"client_id": client_id, "limit": 3,
                                                          "cursor": page1["next_cursor"]}, headers=collector)).json()
    assert len(page1["items"]) == 3 and len(page2["items"]) == 1 and page2["next_cursor"] is None
    assert {i["row"] for i in page1["items"] + page2["items"]} == {0, 1, 2, 3}
    assert (await intake.client.post("/v1/cases/search", json={"id_number": "123"}, headers=collector)).status_code == 422
    # lookups are audited without the searched value
    audit = (await intake.client.get("/v1/audit-log", params={"actor": "col-li", "action": "search"},
                                     headers=auth("auditor"))).json()["items"]
    assert [a["fields"] for a in audit] == [["id_number"], ["card_number"], ["phone"], ["id_number"]]
    assert src["debtor"]["id_number"] not in str(audit)


async def test_old_15_digit_id_numbers_match_their_18_digit_form(intake, auth, as_client, placement):
    body = placement(1)
    id15 = make_id15("410105", date(1975, 3, 15), 123)
    body["cases"][0]["debtor"] = {"name": "赵敏", "id_number": id15}
    cases = await _push(intake, as_client, body)
    from recoup_shared.identifiers import id15_to_id18
    r = await intake.client.post("/v1/cases/search", json={"id_number": id15_to_id18(id15)}, headers=auth("supervisor"))
    assert [i["case_id"] for i in r.json()["items"]] == [cases[0]]


async def test_case_reads_are_masked_and_reveal_is_role_limited_and_audited(intake, auth, as_client, placement):
    body = placement(1)
    case_id = (await _push(intake, as_client, body))[0]
    src = body["cases"][0]
    masked = await intake.client.get(f"/v1/cases/{case_id}", headers=auth("collector"))
    assert masked.status_code == 200
    m = masked.json()
    assert m["revealed"] is False and "id_number" not in m and "account_ref" not in m and "birth_date" not in m
    text = masked.text
    assert src["debtor"]["id_number"] not in text and src["account_ref"] not in text
    for ph in src["phones"]:
        assert re.sub(r"\D", "", ph["number"]) not in text
    for a in src["addresses"]:
        assert a["line"] not in text
    assert all("number" not in p for p in m["phones"]) and all("line" not in a for a in m["addresses"])

    for role in ("collector", "team_lead", "field_agent", "letters_clerk", "auditor", "finance"):
        r = await intake.client.get(f"/v1/cases/{case_id}?reveal=true", headers=auth(role))
        assert r.status_code == 403, role
    r = await intake.client.get(f"/v1/cases/{case_id}", params={"reveal": "true", "reason": "客户来电核实身份"},
                                headers=auth("supervisor", sub="sup-zhou"))
    assert r.status_code == 200
    full = r.json()
    assert full["revealed"] is True
    assert full["id_number"] == src["debtor"]["id_number"] and full["account_ref"] == src["account_ref"]
    assert [p["number"] for p in full["phones"]][0] == src["phones"][0]["number"]
    assert [a["line"] for a in full["addresses"]] == [a["line"] for a in src["addresses"]]
    audit = (await intake.client.get("/v1/audit-log", params={"case_id": case_id}, headers=auth("admin"))).json()["items"]
    assert len(audit) == 1
    entry = audit[0]
    assert (entry["actor"], entry["action"], entry["reason"], entry["id"]) == ("sup-zhou", "reveal", "客户来电核实身份", full["audit_id"])
    assert set(entry["fields"]) >= {"id_number", "account_ref", "phones", "addresses"}
    assert (await intake.client.get("/v1/audit-log", headers=auth("collector"))).status_code == 403
    async with intake.pool.acquire() as conn:
        with pytest.raises(Exception, match="append-only"):
            await conn.execute("DELETE FROM audit_log WHERE id = $1", entry["id"])


async def test_unknown_cases_are_404(intake, auth):
    for path in (f"/v1/cases/{uuid.uuid4()}", "/v1/cases/not-a-uuid", f"/v1/cases/{uuid.uuid4()}/joint"):
        r = await intake.client.get(path, headers=auth("supervisor"))
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")


async def test_joint_debt_links_across_clients(intake, auth, placement, helpers):
    """R-7: the same debtor (same ID number) at two banks; the second placement links to the first."""
    debtor_id = make_id_number("330106", date(1984, 6, 1), uuid.uuid4().int % 1000)
    bank_a, bank_b = f"bank-a-{uuid.uuid4().hex[:6]}", f"bank-b-{uuid.uuid4().hex[:6]}"
    body_a, body_b = placement(2), placement(3)
    body_a["cases"][1]["debtor"] = {"name": "钱进", "id_number": debtor_id}
    body_b["cases"][0]["debtor"] = {"name": "钱进", "id_number": debtor_id}
    body_b["cases"][2]["debtor"] = {"name": "钱进", "id_number": debtor_id}     # two cards at bank B
    cases_a = await _push(intake, auth("client", bank_a), body_a)
    cases_b = await _push(intake, auth("client", bank_b), body_b)
    a1, b0, b2 = cases_a[1], cases_b[0], cases_b[2]

    staff = auth("collector")
    joint_b0 = (await intake.client.get(f"/v1/cases/{b0}/joint", headers=staff)).json()["links"]
    assert {(j["case_id"], j["client_id"]) for j in joint_b0} == {(a1, bank_a), (b2, bank_b)}
    joint_a1 = (await intake.client.get(f"/v1/cases/{a1}/joint", headers=staff)).json()["links"]
    assert {j["case_id"] for j in joint_a1} == {b0, b2}
    assert (await intake.client.get(f"/v1/cases/{cases_a[0]}/joint", headers=staff)).json()["links"] == []
    events = await helpers.outbox_events(intake, case_ids=[b0, b2], topic="case.received")
    assert {e["case_id"]: set(e["payload"]["joint_case_ids"]) for e in events} == {b0: {a1, b2}, b2: {a1, b0}}
    # a closed/recalled case is not linked to new ones
    await intake.client.post("/v1/recalls", json={"account_refs": [body_a["cases"][1]["account_ref"]]},
                             headers=auth("client", bank_a))
    body_c = placement(1)
    body_c["cases"][0]["debtor"] = {"name": "钱进", "id_number": debtor_id}
    c0 = (await _push(intake, auth("client", f"bank-c-{uuid.uuid4().hex[:6]}"), body_c))[0]
    joint_c0 = (await intake.client.get(f"/v1/cases/{c0}/joint", headers=staff)).json()["links"]
    assert {j["case_id"] for j in joint_c0} == {b0, b2}


async def test_no_full_id_card_or_mobile_in_the_service_log(intake, auth, as_client, placement, intake_log_file):
    """R-46: run the personal-data paths, then grep what the service logged."""
    body = placement(20, bad_rows=4)
    cases = await _push_any(intake, as_client, body)
    src = body["cases"]
    await intake.client.post("/v1/cases/search", json={"id_number": src[0]["debtor"]["id_number"]}, headers=auth("collector"))
    await intake.client.post("/v1/cases/search", json={"card_number": src[1]["account_ref"],
                                                        "phone": src[1]["phones"][0]["number"]},
                             headers=auth("collector"))
    await intake.client.get(f"/v1/cases/{cases[0]}?reveal=true", headers=auth("admin"))
    await intake.client.post("/v1/repayments", headers=as_client, json={"repayments": [
        {"account_ref": src[0]["account_ref"], "amount": "1.00", "paid_at": "2020-01-01", "txn_ref": "L1"}]})
    await intake.client.post("/v1/placements", json=body | {"placement_ref": body["placement_ref"]},
                             headers=as_client)  # replay
    log = intake_log_file.read_text(encoding="utf-8")
    assert "placement imported" in log
    secrets = set()
    for c in src:
        secrets.add(c["account_ref"])
        if isinstance(c["debtor"].get("id_number"), str):
            secrets.add(c["debtor"]["id_number"])
        for p in c["phones"]:
            digits = re.sub(r"\D", "", p["number"])
            if len(digits) == 11 and digits.startswith("1"):
                secrets.add(digits)
    leaked = [s for s in secrets if s in log]
    assert leaked == [], f"{len(leaked)} personal identifiers in the service log"


async def _push_any(intake, headers, body):
    r = await intake.client.post("/v1/placements", json=body, headers=headers)
    assert r.status_code == 202
    items = (await intake.client.get(f"/v1/placements/{body['placement_ref']}/cases", headers=headers)).json()["items"]
    return [i["case_id"] for i in items]
