"""Templates for the files banks really export (R-2, R-3, issue 15), on the real stack: the column
layout of an open-source Chinese collection system's case import — contact persons with several
phones (mobile and home; the first also an employer, a work phone and an address), and columns with
no place in the model (申请号, 批次, 逾期金额) mapped to typed client fields (`extra.<name>`) kept on
the case and carried in case.received — as CSV (GB18030) and as XLSX. The template's `definition`
is published with its real schema in the OpenAPI document."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from recoup_shared.bus.events import CaseReceived
from recoup_shared.identifiers import make_id_number

N_CONTACTS = 15


def layout() -> dict[str, str]:
    """客户姓名, 身份证号, 手机号码, 合同金额(元), 逾期天数, 家庭固话, 工作单位电话, 联系人1姓名, 联系人1与客户关系,
    联系人1手机号码, 联系人1住宅电话, … 联系人15…, 申请号, 合同编号, 批次, 逾期金额(元) — and what banks add for a
    contact person: 联系人1工作单位, 联系人1单位电话, 联系人1住址."""
    columns = {"客户姓名": "debtor.name", "身份证号": "debtor.id_number", "手机号码": "phones[mobile]",
               "合同金额(元)": "placed_amount", "逾期天数": "dpd", "家庭固话": "phones[home]",
               "工作单位电话": "phones[work]"}
    for n in range(1, N_CONTACTS + 1):
        columns |= {f"联系人{n}姓名": f"contacts[{n}].name", f"联系人{n}与客户关系": f"contacts[{n}].relationship",
                    f"联系人{n}手机号码": f"contacts[{n}].phones[mobile]",
                    f"联系人{n}住宅电话": f"contacts[{n}].phones[home]"}
    columns |= {"联系人1工作单位": "contacts[1].employer", "联系人1单位电话": "contacts[1].phones[work]",
                "联系人1住址": "contacts[1].addresses[home].line",
                "申请号": "extra.申请号", "合同编号": "account_ref", "批次": "extra.批次", "逾期金额(元)": "extra.逾期金额"}
    return columns


DEFINITION = {"columns": layout(), "conversions": {"extra.逾期金额": {"type": "amount"}}}
ID_A = make_id_number("410105", date(1987, 3, 15), 3, "M")
ID_B = make_id_number("440305", date(1990, 6, 1), 22, "F")


def _row(contract: str, name: str, id_number: str, **cells: Any) -> dict[str, Any]:
    row = {h: "" for h in layout()}
    row.update({"客户姓名": name, "身份证号": id_number, "手机号码": "13800138000", "合同金额(元)": "13,830.50",
                "逾期天数": "95", "家庭固话": "0371-65432100", "工作单位电话": "0371-65432101",
                "联系人1姓名": "李娜", "联系人1与客户关系": "配偶", "联系人1手机号码": "13900139000",
                "联系人1住宅电话": "0371-66668888", "联系人1工作单位": "郑州某某机械有限公司",
                "联系人1单位电话": "0371-67778888", "联系人1住址": "河南省郑州市金水区花园路88号",
                "联系人2姓名": "张强", "联系人2与客户关系": "父亲", "联系人2手机号码": "13700137000",
                "联系人15姓名": "王五", "联系人15与客户关系": "同事", "联系人15住宅电话": "010-88889999",
                "申请号": "AP-20261120-0001", "合同编号": contract, "批次": "2026-11-A", "逾期金额(元)": "¥1,234.50"})
    row.update(cells)
    return row


def _rows() -> list[dict[str, Any]]:
    return [_row("HT-1001", "张伟", ID_A),
            # a stale 7-digit landline: a warning, not a lost account
            _row("HT-1002", "王芳", ID_B, 家庭固话="6543210", 逾期金额="", **{"逾期金额(元)": "不详"})]


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(list(layout()))
    for r in rows:
        w.writerow([r[h] for h in layout()])
    return buf.getvalue().encode("gb18030")


def _xlsx(rows: list[dict[str, Any]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(list(layout()))
    for r in rows:
        ws.append([r[h] for h in layout()])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
async def test_the_chinese_collection_system_layout_imports_whole(kind, intake, auth, client_id, as_client, helpers):
    name = f"cs-{uuid.uuid4().hex[:6]}"
    r = await intake.client.post(f"/v1/import-templates/{client_id}", headers=auth("data_specialist"),
                                 json={"name": name, "definition": DEFINITION})
    assert r.status_code == 201, r.text
    content = _csv(_rows()) if kind == "csv" else _xlsx(_rows())
    ref = f"CS-{kind}-{uuid.uuid4().hex[:8]}"
    r = await intake.client.post("/v1/placements/upload", headers=as_client, files={
        "file": (f"案件导入.{kind}", content, "application/octet-stream")}, data={
        "placement_ref": ref, "product": "personal_loan", "placed_on": date.today().isoformat(), "template": name})
    assert r.status_code == 202, r.text
    a = r.json()
    assert (a["received"], a["accepted"], a["rejected"], a["errors"]) == (2, 2, 0, [])
    # nothing dropped silently: no "columns not in the template were ignored"
    assert not [w for w in a["warnings"] if w["field"] == "columns"]
    assert [(w["row"], w["field"]) for w in a["warnings"]] == [(3, "逾期金额(元)"), (3, "家庭固话")]
    assert "kept as text" in a["warnings"][0]["reason"]

    await helpers.wait_published(intake, ref, as_client)
    items = (await intake.client.get(f"/v1/placements/{ref}/cases", headers=as_client)).json()["items"]
    events = await helpers.outbox_events(intake, case_ids=[i["case_id"] for i in items], topic="case.received")
    first, second = (CaseReceived.model_validate(e["payload"]) for e in events)
    assert first.extra == {"申请号": "AP-20261120-0001", "批次": "2026-11-A", "逾期金额": "1234.50"}
    assert second.extra == {"申请号": "AP-20261120-0001", "批次": "2026-11-A", "逾期金额": "不详"}
    assert first.placed_amount == Decimal("13830.50")
    debtor = [(p.kind, p.number) for p in first.phones if p.owner == "debtor"]
    assert debtor == [("mobile", "13800138000"), ("home", "037165432100"), ("work", "037165432101")]
    contact1 = [(p.kind, p.number, p.name, p.relationship, p.employer) for p in first.phones
                if p.owner == "contact" and p.name == "李娜"]
    assert contact1 == [("mobile", "13900139000", "李娜", "配偶", "郑州某某机械有限公司"),
                        ("home", "037166668888", "李娜", "配偶", "郑州某某机械有限公司"),
                        ("work", "037167778888", "李娜", "配偶", "郑州某某机械有限公司")]
    assert [(p.name, p.kind) for p in first.phones if p.owner == "contact" and p.name != "李娜"] == [
        ("张强", "mobile"), ("王五", "home")]
    (home,) = [ad for ad in first.addresses if ad.owner == "contact"]
    assert (home.kind, home.line, home.name, home.relationship) == ("home", "河南省郑州市金水区花园路88号", "李娜", "配偶")
    assert all(p.valid for p in first.phones)
    assert [p.valid for p in second.phones if p.kind == "home" and p.owner == "debtor"] == [False]
    detail = (await intake.client.get(f"/v1/cases/{items[0]['case_id']}", headers=auth("collector"))).json()
    assert detail["extra"] == first.extra


async def test_template_definition_is_published_with_its_schema(intake):
    spec = (await intake.client.get("/openapi.json")).json()
    schemas = spec["components"]["schemas"]
    body = schemas["TemplateIn"]["properties"]["definition"]
    ref = body.get("$ref") or body["allOf"][0]["$ref"]
    definition = schemas[ref.rsplit("/", 1)[-1]]
    assert {"columns", "conversions", "default_conversion", "header_row", "sheet", "encoding", "delimiter",
            "require_all_columns"} <= set(definition["properties"])
    assert definition["additionalProperties"] is False
    assert "extra.<name>" in definition["properties"]["columns"]["description"]
    conversion = schemas["FieldConversion"]["properties"]
    assert set(conversion["type"]["anyOf"][0]["enum"]) == {"text", "amount", "date"}


@pytest.mark.parametrize("definition, message", [
    ({"columns": layout(), "conversions": {"extra.逾期金额": {"type": "money"}}}, "type"),
    ({"columns": layout(), "conversions": {"dpd": {"type": "amount"}}}, "client fields"),
    ({"columns": {**layout(), "借据号": "extra.申请号"}}, "several columns"),
    ({"columns": {**layout(), "x": "extra."}}, "client field name"),
    ({"columns": {**layout(), "x": "contacts[1].phones[fax]"}}, "unknown phone kind"),
    ({"columns": {**layout(), "x": "contacts[1].addresses[home].employer"}}, "unknown address field"),
    ({"columns": layout(), "sheet": 10**6}, "sheet index"),
])
async def test_bad_definitions_are_422_naming_the_problem(intake, auth, client_id, definition, message):
    r = await intake.client.post(f"/v1/import-templates/{client_id}", headers=auth("data_specialist"),
                                 json={"name": "t", "definition": definition})
    assert r.status_code == 422, r.text
    assert message in r.text
