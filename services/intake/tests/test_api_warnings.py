"""R-4 (amended), end to end on the real stack: a malformed phone or address never loses the
account. The row is accepted with a warning (row, field, reason), the value kept on the case marked
invalid; an invalid number never reaches a dial list — not the `case.received` payload's valid
phones, not intake's phone lookup (R-25) — and a debtor left without a valid phone is marked for
skip tracing. The same on JSON, CSV (GB18030) and XLSX placements and on updates."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from typing import Any

import openpyxl
import pytest

from recoup_shared.bus.events import CaseReceived

MOBILE, LANDLINE_7, BAD_CONTACT_MOBILE = "13800138000", "6543210", "1390013900"

COLUMNS = {"卡号": "account_ref", "姓名": "debtor.name", "身份证号": "debtor.id_number", "本金": "principal",
           "利息": "interest", "费用": "fees", "委案金额": "placed_amount", "逾期天数": "dpd", "手机号码": "phones[mobile]", "家庭电话": "phones[home]",
           "联系人1姓名": "contacts[1].name", "联系人1关系": "contacts[1].relationship",
           "联系人1电话": "contacts[1].phone"}


def _json_case(account: str) -> dict[str, Any]:
    return {"account_ref": account, "debtor": {"name": "张伟", "id_number": "410105198703150030"},
            "principal": "12000.00", "interest": "1530.50", "fees": "300.00", "placed_amount": "13830.50",
            "dpd": 95,
            "phones": [{"number": MOBILE, "kind": "mobile"},
                       {"number": LANDLINE_7, "kind": "home"},
                       {"number": BAD_CONTACT_MOBILE, "kind": "mobile", "owner": "contact", "name": "李娜",
                        "relationship": "配偶"}]}


def _rows(account: str, landline: Any = LANDLINE_7) -> list[list[Any]]:
    return [list(COLUMNS), [account, "张伟", "410105198703150030", "12000.00", "1530.50", "300.00", "13830.50",
                            "95", MOBILE, landline,
                            "李娜", "配偶", BAD_CONTACT_MOBILE]]


def _csv(rows: list[list[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("gb18030")


def _xlsx(rows: list[list[Any]]) -> bytes:
    wb = openpyxl.Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def _template(intake, auth, client_id: str) -> str:
    name = f"warn-{uuid.uuid4().hex[:6]}"
    r = await intake.client.post(f"/v1/import-templates/{client_id}", headers=auth("data_specialist"),
                                 json={"name": name, "definition": {"columns": COLUMNS}})
    assert r.status_code == 201, r.text
    return name


async def _push(kind: str, intake, auth, client_id: str, headers: dict[str, str], account: str):
    ref = f"W-{kind}-{uuid.uuid4().hex[:8]}"
    if kind == "json":
        return ref, await intake.client.post("/v1/placements", headers=headers, json={
            "placement_ref": ref, "product": "credit_card", "placed_on": date.today().isoformat(),
            "cases": [_json_case(account)]})
    template = await _template(intake, auth, client_id)
    # XLSX: the landline as Excel stores a number typed in a cell (a number, not text)
    content, name = (_csv(_rows(account)), "委案.csv") if kind == "csv" else (_xlsx(_rows(account, 6543210)), "委案.xlsx")
    form = {"placement_ref": ref, "product": "credit_card", "placed_on": date.today().isoformat(),
            "template": template}
    return ref, await intake.client.post("/v1/placements/upload", headers=headers, data=form,
                                         files={"file": (name, content, "application/octet-stream")})


@pytest.mark.parametrize("kind", ["json", "csv", "xlsx"])
async def test_a_7_digit_landline_and_a_bad_contact_mobile_are_two_warnings_never_dialled(
        kind, intake, auth, client_id, as_client, helpers):
    account = f"6222{uuid.uuid4().int % 10**15:015d}"
    ref, r = await _push(kind, intake, auth, client_id, as_client, account)
    assert r.status_code == 202, r.text
    a = r.json()
    assert (a["accepted"], a["rejected"], a["warned"], a["errors"]) == (1, 0, 1, [])
    row = 0 if kind == "json" else 2
    fields = {"json": ["cases[0].phones[1].number", "cases[0].phones[2].number"],
              "csv": ["家庭电话", "联系人1电话"], "xlsx": ["家庭电话", "联系人1电话"]}[kind]
    assert [(w["row"], w["field"]) for w in a["warnings"]] == [(row, f) for f in fields]
    assert "landline without area code" in a["warnings"][0]["reason"]
    assert "kept, marked invalid" in a["warnings"][1]["reason"]
    # the reconciliation route shows them per row
    status = await helpers.wait_published(intake, ref, as_client)
    assert status["warnings"]["items"] == a["warnings"] and status["counts"]["warned"] == 1

    (case_id,) = [c["case_id"] for c in (await intake.client.get(f"/v1/placements/{ref}/cases",
                                                                 headers=as_client)).json()["items"]]
    (event,) = await helpers.outbox_events(intake, case_ids=[case_id], topic="case.received")
    p = CaseReceived.model_validate(event["payload"])
    assert [(ph.number, ph.owner, ph.valid) for ph in p.phones] == [
        (MOBILE, "debtor", True), (LANDLINE_7, "debtor", False), (BAD_CONTACT_MOBILE, "contact", False)]
    assert all(ph.invalid_reason for ph in p.phones if not ph.valid)
    assert [ph.number for ph in p.phones if ph.valid] == [MOBILE]   # what a dialler may use
    assert p.skip_trace is False
    async with intake.pool.acquire() as conn:
        looked_up = await conn.fetch("SELECT number_hash FROM phone_lookup WHERE case_id = $1", uuid.UUID(case_id))
    protector = intake.app.state.ctx.protector
    assert [r["number_hash"] for r in looked_up] == [protector.phone_hash(MOBILE)]
    for number in (LANDLINE_7, BAD_CONTACT_MOBILE):   # an invalid number finds nothing
        found = await intake.client.post("/v1/cases/search", json={"phone": number}, headers=auth("collector"))
        assert found.json()["items"] == []
    detail = (await intake.client.get(f"/v1/cases/{case_id}", headers=auth("supervisor"))).json()
    assert [ph["valid"] for ph in detail["phones"]] == [True, False, False]
    assert set(detail["warnings"]) == {"invalid_phone"} and detail["skip_trace"] is False


async def test_a_debtor_without_a_valid_phone_is_accepted_and_marked_for_skip_tracing(
        intake, as_client, auth, helpers, placement):
    body = placement(2)
    body["cases"][0]["phones"] = [{"number": LANDLINE_7, "kind": "home"}]
    body["cases"][0]["addresses"] = [{"kind": "home", "province": "河南省"}]          # no line: kept invalid
    r = await intake.client.post("/v1/placements", json=body, headers=as_client)
    a = r.json()
    assert (a["accepted"], a["rejected"]) == (2, 0)
    assert [w["field"] for w in a["warnings"]] == ["cases[0].phones[0].number", "cases[0].addresses[0].line",
                                                   "cases[0].phones"]
    assert "skip tracing" in a["warnings"][-1]["reason"]
    cases = (await intake.client.get(f"/v1/placements/{body['placement_ref']}/cases", headers=as_client)).json()
    case_id = cases["items"][0]["case_id"]
    (event,) = await helpers.outbox_events(intake, case_ids=[case_id], topic="case.received")
    p = CaseReceived.model_validate(event["payload"])
    assert p.skip_trace is True and [a.valid for a in p.addresses] == [False]
    detail = (await intake.client.get(f"/v1/cases/{case_id}", headers=auth("supervisor"))).json()
    assert detail["skip_trace"] is True and detail["addresses"][0]["valid"] is False

    # a valid phone of the debtor pushed later ends the skip tracing (case.updated says so)
    account = body["cases"][0]["account_ref"]
    r = await intake.client.post("/v1/cases/updates", headers=as_client, json={"updates": [
        {"account_ref": account, "phones": [{"number": "13700137000", "kind": "mobile"}]}]})
    assert r.json()["applied"] == 1 and r.json()["warnings"] == []
    events = await helpers.outbox_events(intake, case_ids=[case_id], topic="case.updated")
    assert events[-1]["payload"]["change"] == "contacts" and events[-1]["payload"]["skip_trace"] is False
    detail = (await intake.client.get(f"/v1/cases/{case_id}", headers=auth("supervisor"))).json()
    assert detail["skip_trace"] is False and "skip_trace" not in detail["warnings"]
