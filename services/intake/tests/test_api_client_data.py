"""Repayments, balance/contact updates and recalls (R-5), with their events."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from recoup_shared.bus.events import CaseUpdated, PaymentPosted

D1 = (date.today() - timedelta(days=4)).isoformat()   # repayment dates in the recent past
D2 = (date.today() - timedelta(days=3)).isoformat()


async def _placed(intake, as_client, placement, n=3, *, no_flags=False, **kw):
    body = placement(n, **kw)
    if no_flags:   # the generator flags 1 case in 25: a test that changes flags starts from none
        for case in body["cases"]:
            case.pop("flags", None)
    r = await intake.client.post("/v1/placements", json=body, headers=as_client)
    assert r.status_code == 202 and r.json()["accepted"] == n, r.text
    cases = (await intake.client.get(f"/v1/placements/{body['placement_ref']}/cases",
                                     headers=as_client)).json()["items"]
    return body, {c["row"]: c["case_id"] for c in cases}


async def _case(intake, case_id, auth):
    r = await intake.client.get(f"/v1/cases/{case_id}", headers=auth("supervisor"))
    assert r.status_code == 200
    return r.json()


# --- repayments ---------------------------------------------------------------------------------

async def test_repayments_are_idempotent_on_txn_ref_and_close_fully_repaid_cases(
        intake, as_client, placement, auth, helpers):
    body, case_of = await _placed(intake, as_client, placement)
    acc0, acc1 = body["cases"][0]["account_ref"], body["cases"][1]["account_ref"]
    owed0 = Decimal(body["cases"][0]["placed_amount"])
    part = (owed0 / 3).quantize(Decimal("0.01"))
    rows = [
        {"account_ref": acc0, "amount": str(part), "paid_at": f"{D1}T10:00:00+08:00", "txn_ref": "T1", "channel": "bank_transfer"},
        {"account_ref": acc0, "amount": str(owed0 - part), "paid_at": f"{D2} 09:30:00", "txn_ref": "T2"},
        {"account_ref": acc1, "amount": 100, "paid_at": D2, "txn_ref": "T3"},
        {"account_ref": acc1, "amount": 100, "paid_at": D2, "txn_ref": "T3"},          # same again
        {"account_ref": acc1, "amount": "101.00", "paid_at": D2, "txn_ref": "T3"},     # reused
        {"account_ref": "6222000000000000000", "amount": "5.00", "paid_at": D2, "txn_ref": "T4"},
        {"account_ref": acc1, "amount": "0.00", "paid_at": D2, "txn_ref": "T5"},
        {"account_ref": acc1, "amount": "1.005", "paid_at": "2099-01-01", "txn_ref": "T6"},
    ]
    r = await intake.client.post("/v1/repayments", json={"repayments": rows}, headers=as_client)
    assert r.status_code == 200, r.text
    a = r.json()
    assert (a["received"], a["recorded"], a["duplicates"], a["closed_cases"]) == (8, 3, 1, 1)
    errors = {(e["row"], e["field"]): e["reason"] for e in a["errors"]}
    assert errors[(4, "repayments[4].txn_ref")].startswith("txn_ref reused with different data")
    assert errors[(5, "repayments[5].account_ref")].startswith("unknown account")
    assert errors[(6, "repayments[6].amount")] == "must be > 0"
    assert (7, "repayments[7].amount") in errors and (7, "repayments[7].paid_at") in errors
    assert a["rejected"] == 4

    # the same batch again: all duplicates or the same row errors, nothing recorded twice
    again = (await intake.client.post("/v1/repayments", json={"repayments": rows[:4]}, headers=as_client)).json()
    assert (again["recorded"], again["duplicates"]) == (0, 4)
    changed = [{**rows[0], "amount": "1.00"}]
    r2 = (await intake.client.post("/v1/repayments", json={"repayments": changed}, headers=as_client)).json()
    assert r2["recorded"] == 0 and r2["errors"][0]["reason"].startswith("txn_ref reused with different data")

    c0 = await _case(intake, case_of[0], auth)
    assert c0["status"] == "closed" and Decimal(c0["repaid_total"]) == owed0 and Decimal(c0["outstanding"]) == 0
    assert [r_["txn_ref"] for r_ in c0["repayments"]] == ["T1", "T2"]
    # naive paid_at is Asia/Shanghai time
    assert datetime.fromisoformat(c0["repayments"][1]["paid_at"]).utcoffset().total_seconds() == 0
    assert c0["repayments"][1]["paid_at"].startswith(f"{D2}T01:30:00")
    c1 = await _case(intake, case_of[1], auth)
    assert c1["status"] == "open" and Decimal(c1["repaid_total"]) == 100

    events = await helpers.outbox_events(intake, case_ids=[case_of[0]])
    posted = [PaymentPosted.model_validate(e["payload"]) for e in events if e["event_type"] == "payment.posted"]
    assert [(p.txn_ref, p.closes_case) for p in posted] == [("T1", False), ("T2", True)]
    assert posted[0].outstanding == owed0 - part and posted[1].outstanding == 0
    assert posted[1].repaid_total == owed0 and posted[0].channel == "bank_transfer"
    assert posted[0].account_masked == c0["account_masked"]
    closed = [CaseUpdated.model_validate(e["payload"]) for e in events if e["event_type"] == "case.updated"]
    assert [(u.change, u.status) for u in closed] == [("closed", "closed")]


async def test_repayment_for_a_recalled_case_is_recorded_and_flagged(intake, as_client, placement, auth):
    body, case_of = await _placed(intake, as_client, placement, n=1)
    acc = body["cases"][0]["account_ref"]
    await intake.client.post("/v1/recalls", json={"account_refs": [acc]}, headers=as_client)
    r = await intake.client.post("/v1/repayments", headers=as_client, json={"repayments": [
        {"account_ref": acc, "amount": body["cases"][0]["placed_amount"], "paid_at": f"{D1}T12:00:00Z",
         "txn_ref": "R-1"}]})
    a = r.json()
    assert a["recorded"] == 1 and a["closed_cases"] == 0
    assert a["flagged"] == [{"row": 0, "txn_ref": "R-1", "flag": "case_recalled"}]
    c = await _case(intake, case_of[0], auth)
    assert c["status"] == "recalled" and c["repayments"][0]["flag"] == "case_recalled"


async def test_repayments_body_problems(intake, as_client):
    for body, status in (({"repayments": []}, 422), ({"rows": []}, 422), ([], 422)):
        r = await intake.client.post("/v1/repayments", json=body, headers=as_client)
        assert r.status_code == status
    r = await intake.client.post("/v1/repayments", json={"repayments": ["x", {"amount": "1"}]}, headers=as_client)
    assert r.status_code == 200 and r.json()["rejected"] == 2


async def test_a_big_repayment_batch_is_set_based(intake, as_client, placement):
    body, _ = await _placed(intake, as_client, placement, n=200)
    rows = [{"account_ref": c["account_ref"], "amount": "1.00", "paid_at": f"{D2}T08:00:00+08:00",
             "txn_ref": f"B-{i}-{k}"} for i, c in enumerate(body["cases"]) for k in range(10)]
    r = await intake.client.post("/v1/repayments", json={"repayments": rows}, headers=as_client)
    assert r.json()["recorded"] == 2000
    async with intake.pool.acquire() as conn:
        totals = await conn.fetch(
            "SELECT repaid_total FROM cases c JOIN placements p ON p.id = c.placement_id WHERE p.placement_ref = $1",
            body["placement_ref"])
    assert {t["repaid_total"] for t in totals} == {Decimal("10.00")}


# --- updates ------------------------------------------------------------------------------------

async def test_balance_contact_and_flag_updates(intake, as_client, placement, auth, helpers):
    body, case_of = await _placed(intake, as_client, placement, n=2, no_flags=True)
    acc0, acc1 = body["cases"][0]["account_ref"], body["cases"][1]["account_ref"]
    existing_mobile = body["cases"][0]["phones"][0]["number"]
    updates = [
        {"account_ref": acc0, "interest": "99.90", "fees": "0.00", "effective_on": "2026-11-30"},
        {"account_ref": acc0, "phones": [{"number": "13912345678", "kind": "mobile", "owner": "contact",
                                          "name": "王芳", "relationship": "sibling", "knows_debt": False},
                                         {"number": existing_mobile, "kind": "mobile"}],
         "addresses": [{"kind": "home", "province": "河南省", "city": "郑州市", "line": "紫荆山路 1 号"}]},
        {"account_ref": acc1, "placed_amount": "10.00", "flags": ["dispute"]},
        {"account_ref": "unknown-acc", "fees": "1.00"},
        {"account_ref": acc1},
        {"account_ref": acc1, "phones": [{"number": "99", "kind": "mobile"}]},
    ]
    r = await intake.client.post("/v1/cases/updates", json={"updates": updates}, headers=as_client)
    assert r.status_code == 200, r.text
    a = r.json()
    assert (a["received"], a["applied"], a["rejected"]) == (6, 4, 2)
    assert [e["row"] for e in a["errors"]] == [3, 4]
    assert a["errors"][1]["reason"].startswith("nothing to update")
    # a malformed number is applied as a warning: kept on the case, marked invalid
    assert [(w["row"], w["field"]) for w in a["warnings"]] == [(5, "updates[5].phones[0].number")]

    c0 = await _case(intake, case_of[0], auth)
    src = body["cases"][0]
    assert Decimal(c0["interest"]) == Decimal("99.90") and Decimal(c0["fees"]) == 0
    assert Decimal(c0["placed_amount"]) == Decimal(src["principal"]) + Decimal("99.90")
    assert len(c0["phones"]) == len(src["phones"]) + 1         # the known mobile was not added twice
    assert c0["phones"][-1]["source"] == "update" and c0["phones"][-1]["number_masked"] == "139****5678"
    assert c0["addresses"][-1]["line_masked"] == "紫荆山路 * 号"
    # the added phone is found by the inbound-call lookup; the contacts placed earlier are kept
    found = await intake.client.post("/v1/cases/search", json={"phone": "139 1234 5678"}, headers=auth("collector"))
    assert [i["case_id"] for i in found.json()["items"]] == [case_of[0]]
    full = (await intake.client.get(f"/v1/cases/{case_of[0]}", params={"reveal": "true"},
                                    headers=auth("supervisor"))).json()
    assert [p["number"] for p in full["phones"]][-1] == "13912345678"
    assert full["phones"][-1]["name"] == "王芳" and full["phones"][0]["source"] == "placement"
    assert [a["line"] for a in full["addresses"]] == [a["line"] for a in src["addresses"]] + ["紫荆山路 1 号"]
    assert full["account_ref"] == acc0
    c1 = await _case(intake, case_of[1], auth)
    assert c1["flags"] == ["dispute"] and "total_mismatch" in c1["warnings"]

    events = await helpers.outbox_events(intake, case_ids=[case_of[0], case_of[1]], topic="case.updated")
    changes = [(e["case_id"], CaseUpdated.model_validate(e["payload"]).change) for e in events]
    assert changes == [(case_of[0], "balance"), (case_of[0], "contacts"), (case_of[1], "balance"),
                       (case_of[1], "flags"), (case_of[1], "contacts")]
    invalid = CaseUpdated.model_validate(events[-1]["payload"]).phones_added
    assert [(p.number, p.valid) for p in invalid] == [("99", False)] and invalid[0].invalid_reason
    assert (await intake.client.post("/v1/cases/search", json={"phone": "99"},
                                     headers=auth("collector"))).json()["items"] == []
    contacts = CaseUpdated.model_validate(events[1]["payload"])
    assert [p.number for p in contacts.phones_added] == ["13912345678"]
    assert contacts.phones_added[0].knows_debt is False and contacts.addresses_added[0].line == "紫荆山路 1 号"
    balance = CaseUpdated.model_validate(events[0]["payload"])
    assert str(balance.effective_on) == "2026-11-30" and balance.outstanding == balance.placed_amount


async def test_a_balance_lowered_to_what_was_repaid_closes_the_case(intake, as_client, placement, auth, helpers):
    body, case_of = await _placed(intake, as_client, placement, n=1)
    acc = body["cases"][0]["account_ref"]
    await intake.client.post("/v1/repayments", headers=as_client, json={"repayments": [
        {"account_ref": acc, "amount": "500.00", "paid_at": D1, "txn_ref": "P1"}]})
    r = await intake.client.post("/v1/cases/updates", headers=as_client, json={"updates": [
        {"account_ref": acc, "placed_amount": "500.00"}]})
    assert r.json()["closed_cases"] == 1
    assert (await _case(intake, case_of[0], auth))["status"] == "closed"
    r = await intake.client.post("/v1/cases/updates", headers=as_client, json={"updates": [
        {"account_ref": acc, "fees": "1.00"}]})
    assert r.json()["errors"][0]["reason"].startswith("the case is closed")


# --- recalls ------------------------------------------------------------------------------------

async def test_recall_single_accounts(intake, as_client, placement, auth, helpers):
    body, case_of = await _placed(intake, as_client, placement, n=3)
    accs = [c["account_ref"] for c in body["cases"]]
    r = await intake.client.post("/v1/recalls", headers=as_client, json={
        "account_refs": [accs[0], accs[1], "nope", 12], "reason": "客户要求退案", "effective_on": "2026-12-01"})
    a = r.json()
    assert (a["recalled"], a["rejected"]) == (2, 2)
    assert [e["field"] for e in a["errors"]] == ["account_refs[2]", "account_refs[3]"]
    again = (await intake.client.post("/v1/recalls", headers=as_client, json={"account_refs": [accs[0]]})).json()
    assert again["recalled"] == 0 and again["not_open"] == {"recalled": 1, "closed": 0}
    c = await _case(intake, case_of[0], auth)
    assert c["status"] == "recalled" and c["status_reason"] == "客户要求退案" and c["recalled_at"]
    events = await helpers.outbox_events(intake, case_ids=[case_of[0]], topic="case.updated")
    u = CaseUpdated.model_validate(events[0]["payload"])
    assert (u.change, u.status, u.reason, str(u.effective_on)) == ("recall", "recalled", "客户要求退案", "2026-12-01")
    assert (await _case(intake, case_of[2], auth))["status"] == "open"


async def test_recall_a_whole_placement(intake, as_client, placement, helpers):
    body, case_of = await _placed(intake, as_client, placement, n=5)
    await intake.client.post("/v1/recalls", headers=as_client, json={"account_refs": [body["cases"][0]["account_ref"]]})
    r = await intake.client.post("/v1/recalls", headers=as_client,
                                 json={"placement_ref": body["placement_ref"], "reason": "委案到期"})
    assert r.json() == {"placement_ref": body["placement_ref"], "recalled": 4,
                        "not_open": {"recalled": 1, "closed": 0}, "errors": []}
    status = (await intake.client.get(f"/v1/placements/{body['placement_ref']}", headers=as_client)).json()
    assert status["counts"]["cases"] == {"open": 0, "recalled": 5, "closed": 0}
    events = await helpers.outbox_events(intake, case_ids=list(case_of.values()), topic="case.updated")
    assert len(events) == 5 and {e["payload"]["change"] for e in events} == {"recall"}


@pytest.mark.parametrize("body", [{}, {"account_refs": ["1"], "placement_ref": "X"}, {"account_refs": []},
                                  {"placement_ref": ""}, {"account_refs": "x"}, {"placement_ref": "X", "why": 1}])
async def test_bad_recall_bodies_are_422(intake, as_client, body):
    r = await intake.client.post("/v1/recalls", json=body, headers=as_client)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")


async def test_client_routes_need_a_client_token(intake, auth):
    for path, body in (("/v1/repayments", {"repayments": []}), ("/v1/cases/updates", {"updates": []}),
                       ("/v1/recalls", {"placement_ref": "X"})):
        assert (await intake.client.post(path, json=body)).status_code == 401
        assert (await intake.client.post(path, json=body, headers=auth("admin"))).status_code == 403
