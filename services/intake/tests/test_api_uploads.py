"""Import templates and CSV/XLSX uploads (R-3): the same path as JSON after reading the file."""

from __future__ import annotations

import io
from datetime import date, timedelta
import uuid
from typing import Any

import pytest
import pytest_asyncio

TEMPLATE_COLUMNS = {
    "姓名": "debtor.name",
    "身份证号": "debtor.id_number",
    "卡号": "account_ref",
    "委案金额": "placed_amount",
    "本金": "principal",
    "利息": "interest",
    "费用": "fees",
    "逾期天数": "dpd",
    "手机号码": "phones[mobile]",
    "单位电话": "phones[work]",
    "联系人1姓名": "contacts[1].name",
    "联系人1关系": "contacts[1].relationship",
    "联系人1电话": "contacts[1].phone",
    "户籍地址": "addresses[household_registration].line",
    "户籍省份": "addresses[household_registration].province",
    "备注": "remarks",
}
HEADERS = list(TEMPLATE_COLUMNS)


def _rows(body: dict[str, Any]) -> list[list[Any]]:
    rows = []
    for c in body["cases"]:
        contact = next((p for p in c["phones"] if p["owner"] == "contact"), None)
        work = next((p for p in c["phones"] if p["kind"] == "work"), None)
        hr = c["addresses"][0]
        rows.append([c["debtor"]["name"], c["debtor"]["id_number"], c["account_ref"], c["placed_amount"],
                     c["principal"], c["interest"], c["fees"], str(c.get("dpd", 100)),
                     c["phones"][0]["number"], work["number"] if work else "",
                     contact["name"] if contact else "", contact["relationship"] if contact else "",
                     contact["number"] if contact else "", hr["line"], hr["province"], c.get("remarks", "")])
    return rows


def _csv(rows: list[list[Any]], encoding: str = "gb18030") -> bytes:
    import csv
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(HEADERS)
    w.writerows(rows)
    return buf.getvalue().encode(encoding)


def _xlsx(rows: list[list[Any]]) -> bytes:
    import openpyxl
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
async def template(intake, auth, client_id) -> str:
    name = f"cards-{uuid.uuid4().hex[:6]}"
    r = await intake.client.post(f"/v1/import-templates/{client_id}", headers=auth("data_specialist"),
                                 json={"name": name, "description": "信用卡委案",
                                       "definition": {"columns": TEMPLATE_COLUMNS}})
    assert r.status_code == 201, r.text
    return name


def _form(ref: str, template: str, **extra: str) -> dict[str, str]:
    return {"placement_ref": ref, "product": "credit_card", "placed_on": date.today().isoformat(), "template": template, **extra}


# --- templates ----------------------------------------------------------------------------------

async def test_template_versions_are_immutable_and_staff_written(intake, auth, client_id, as_client):
    ds = auth("data_specialist", sub="ds-wang")
    body = {"name": "loans", "definition": {"columns": TEMPLATE_COLUMNS}}
    v1 = await intake.client.post(f"/v1/import-templates/{client_id}", json=body, headers=ds)
    v2 = await intake.client.post(f"/v1/import-templates/{client_id}", json=body, headers=auth("admin"))
    assert (v1.json()["version"], v2.json()["version"]) == (1, 2)
    assert v1.json()["created_by"] == "ds-wang"
    for who in (auth("collector"), auth("supervisor"), as_client):
        r = await intake.client.post(f"/v1/import-templates/{client_id}", json=body, headers=who)
        assert r.status_code == 403
    listed = (await intake.client.get(f"/v1/import-templates/{client_id}", headers=as_client)).json()["items"]
    assert [(t["name"], t["version"]) for t in listed] == [("loans", 1), ("loans", 2)]
    latest = (await intake.client.get(f"/v1/import-templates/{client_id}/loans", headers=as_client)).json()
    assert latest["version"] == 2 and latest["definition"]["columns"] == TEMPLATE_COLUMNS
    assert (await intake.client.get(f"/v1/import-templates/{client_id}/loans/1", headers=auth("collector"))).status_code == 200
    assert (await intake.client.get(f"/v1/import-templates/{client_id}/loans/9", headers=ds)).status_code == 404
    other = auth("client", "bank-z-" + uuid.uuid4().hex[:5])
    assert (await intake.client.get(f"/v1/import-templates/{client_id}", headers=other)).status_code == 403
    # immutable in the database too
    async with intake.pool.acquire() as conn:
        with pytest.raises(Exception, match="append-only"):
            await conn.execute("UPDATE import_templates SET definition = '{}' WHERE client_id = $1", client_id)


async def test_invalid_template_definitions_are_422(intake, auth, client_id):
    ds = auth("data_specialist")
    bad = [
        {"columns": {"姓名": "debtor.nickname"}},
        {"columns": {"姓名": "debtor.name"}},                                   # required fields unmapped
        {"columns": TEMPLATE_COLUMNS, "client_id": "someone-else"},
        {"columns": TEMPLATE_COLUMNS, "bogus": True},
    ]
    for definition in bad:
        r = await intake.client.post(f"/v1/import-templates/{client_id}", headers=ds,
                                     json={"name": "t", "definition": definition})
        assert r.status_code == 422, (definition, r.text)
        assert r.json()["errors"]


# --- uploads ------------------------------------------------------------------------------------

async def test_csv_in_gb18030_with_excel_quirks(intake, as_client, placement, template):
    body = placement(6)
    rows = _rows(body)
    rows[1][1] = "410105198703150031"                                          # bad checksum, file row 3
    rows[2][3] = f"{float(rows[2][3]):,.2f}"                                   # 13,830.50
    rows[3][8] = rows[3][8].translate(str.maketrans("0123456789", "０１２３４５６７８９"))  # full-width
    rows[4][3] = "abc"                                                         # conversion error, row 6
    ref = f"UP-{uuid.uuid4().hex[:8]}"
    r = await intake.client.post("/v1/placements/upload", headers=as_client, data=_form(ref, template),
                                 files={"file": ("委案.csv", _csv(rows), "text/csv")})
    assert r.status_code == 202, r.text
    a = r.json()
    assert (a["received"], a["accepted"], a["rejected"]) == (6, 4, 2)
    assert [(e["row"], e["field"]) for e in a["errors"]] == [(3, "身份证号"), (6, "委案金额")]
    cases = (await intake.client.get(f"/v1/placements/{ref}/cases", headers=as_client)).json()["items"]
    assert [c["row"] for c in cases] == [2, 4, 5, 7]
    status = (await intake.client.get(f"/v1/placements/{ref}", headers=as_client)).json()
    assert status["source"] == "csv" and status["template"] == {"name": template, "version": 1}
    # replay: same file, same fields
    again = await intake.client.post("/v1/placements/upload", headers=as_client, data=_form(ref, template),
                                     files={"file": ("委案.csv", _csv(rows), "text/csv")})
    assert again.status_code == 202 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == a
    # another file under the same ref: 409
    other = await intake.client.post("/v1/placements/upload", headers=as_client, data=_form(ref, template),
                                     files={"file": ("委案.csv", _csv(rows[:3]), "text/csv")})
    assert other.status_code == 409


async def test_xlsx_upload_with_numbers_damaged_by_excel(intake, as_client, placement, template, helpers):
    body = placement(4)
    rows = _rows(body)
    rows[2][1] = int(rows[2][1][:15]) * 1000  # an ID number typed as a number: digits lost
    ref = f"UPX-{uuid.uuid4().hex[:8]}"
    r = await intake.client.post("/v1/placements/upload", headers=as_client,
                                 data=_form(ref, template, recall_on=(date.today() + timedelta(days=70)).isoformat()),
                                 files={"file": ("cases.xlsx", _xlsx(rows),
                                                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
    assert r.status_code == 202, r.text
    a = r.json()
    assert (a["accepted"], a["rejected"]) == (3, 1)
    assert a["errors"][0]["row"] == 4 and a["errors"][0]["field"] == "身份证号"
    status = await helpers.wait_published(intake, ref, as_client)
    assert status["source"] == "xlsx" and status["recall_on"] == (date.today() + timedelta(days=70)).isoformat()


async def test_upload_and_json_under_one_ref_conflict(intake, as_client, placement, template):
    body = placement(2)
    await intake.client.post("/v1/placements", json=body, headers=as_client)
    r = await intake.client.post("/v1/placements/upload", headers=as_client,
                                 data=_form(body["placement_ref"], template),
                                 files={"file": ("a.csv", _csv(_rows(body)), "text/csv")})
    assert r.status_code == 409


async def test_bad_uploads_are_4xx(intake, as_client, placement, template):
    ref = f"UPB-{uuid.uuid4().hex[:8]}"
    csv_bytes = _csv(_rows(placement(1)))
    # not multipart
    r = await intake.client.post("/v1/placements/upload", headers=as_client, json={"a": 1})
    assert r.status_code == 415
    # missing fields and file
    r = await intake.client.post("/v1/placements/upload", headers=as_client, data={"placement_ref": ref},
                                 files={"other": ("x.txt", b"x", "text/plain")})
    assert r.status_code == 422
    assert {"file", "template", "product", "placed_on"} <= {e["field"] for e in r.json()["errors"]}
    # unknown template
    r = await intake.client.post("/v1/placements/upload", headers=as_client, data=_form(ref, "nope"),
                                 files={"file": ("a.csv", csv_bytes, "text/csv")})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "template"
    # a file that is no table at all, and one without the required columns
    for content in (b"\x00\x01\x02garbage\xff" * 50, "姓名,电话\n张三,13800138000\n".encode("gb18030")):
        r = await intake.client.post("/v1/placements/upload", headers=as_client, data=_form(ref, template),
                                     files={"file": ("a.xls", content, "application/vnd.ms-excel")})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "file" or r.json()["errors"][0]["row"] is not None
    # nothing was stored under the ref: it can still be used
    r = await intake.client.post("/v1/placements/upload", headers=as_client, data=_form(ref, template),
                                 files={"file": ("a.csv", csv_bytes, "text/csv")})
    assert r.status_code == 202 and r.json()["accepted"] == 1



async def test_staff_cannot_upload_for_a_client(intake, auth, placement, template):
    r = await intake.client.post("/v1/placements/upload", headers=auth("data_specialist"),
                                 data=_form("UPS-1", template),
                                 files={"file": ("a.csv", _csv(_rows(placement(1))), "text/csv")})
    assert r.status_code == 403


async def test_upload_over_the_row_limit_is_413(small_upload_intake, auth, client_id, placement):
    ds = auth("data_specialist")
    await small_upload_intake.client.post(f"/v1/import-templates/{client_id}", headers=ds,
                                          json={"name": "t", "definition": {"columns": TEMPLATE_COLUMNS}})
    r = await small_upload_intake.client.post(
        "/v1/placements/upload", headers=auth("client", client_id), data=_form("BIG-1", "t"),
        files={"file": ("a.csv", _csv(_rows(placement(4))), "text/csv")})
    assert r.status_code == 413


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def small_upload_intake(stack, intake_dsn, intake_log_file):
    from recoup_local.inprocess import running_service
    async with running_service(stack, "intake", database_url=intake_dsn, log_file=str(intake_log_file),
                               max_cases_per_placement=3) as svc:
        yield svc


async def test_hostile_files_are_a_422_for_that_upload_and_the_service_goes_on(intake, as_client, placement, template):
    """Issue 14 items 1 and 6 over HTTP: the 1.8 KB XFD1048576 workbook and the zip-bomb-ish shared
    strings are refused naming the limit (read in the bounded worker); a CSV whose row opens a quote
    that never closes is refused naming the row and line; the next good upload is imported."""
    from .test_adapters_bounded import BOMB, XFD, ZZ

    ref = f"HOSTILE-{uuid.uuid4().hex[:8]}"
    for content, reason in ((XFD, "at most 1,024 columns are read (the limit)"),
                            (ZZ, "at most 10,000,000 cells are read (the limit)"),
                            (BOMB, "times its packed size (the limit")):
        r = await intake.client.post("/v1/placements/upload", headers=as_client, data=_form(ref, template),
                                     files={"file": ("cases.xlsx", content, "application/octet-stream")})
        assert r.status_code == 422, r.text
        assert r.headers["content-type"].startswith("application/problem+json")
        assert reason in r.json()["errors"][0]["reason"]
    rows = _rows(placement(40))
    lines = _csv(rows).decode("gb18030").split("\r\n")
    province = rows[4][14]
    lines[5] = lines[5].replace(f",{province},", f',"{province},', 1)  # file row 6 opens a quote never closed
    text = "\r\n".join(lines)
    r = await intake.client.post("/v1/placements/upload", headers=as_client, data=_form(ref, template),
                                 files={"file": ("a.csv", text.encode("gb18030"), "text/csv")})
    assert r.status_code == 422, r.text
    (e,) = r.json()["errors"]
    assert e["row"] == 6 and "line 6" in e["reason"] and "never closed" in e["reason"]
    r = await intake.client.post("/v1/placements/upload", headers=as_client, data=_form(ref, template),
                                 files={"file": ("a.csv", _csv(_rows(placement(3))), "text/csv")})
    assert r.status_code == 202 and r.json()["accepted"] == 3
