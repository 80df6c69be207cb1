"""Exports of the worked scenario: the CSV parses, the XLSX opens with openpyxl and holds the
numbers, the PDF is a PDF with the Chinese title in reportlab's built-in CID font."""

from __future__ import annotations

import base64
import csv
import io
import re
import shutil
import subprocess
import zlib
from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from recoup_billing.adapters import exports
from recoup_billing.schemas import StatementOut
from recoup_billing.usecases import statements

AUG = date(2026, 8, 1)


@pytest.fixture
async def doc(scenario, billing_pool, ctx, client_id):
    """The draft as the export routes hand it over: the API document in its response model."""
    await scenario()
    async with billing_pool.acquire() as conn, conn.transaction():
        return StatementOut.model_validate((await statements.compute_draft(conn, ctx, client_id, AUG)).doc)


async def test_csv_parses_and_carries_the_figures(doc, check_aug):
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(doc))))
    assert [r["bucket"] for r in rows] == ["<=90", "91-180", "181-360", ">=361", "TOTAL"]
    lines = [{**r, "cases": int(r["cases"]), "months_below_minimum": int(r["months_below_minimum"])}
             for r in rows[:4]]
    check_aug(lines)
    total = rows[4]
    assert (total["placed"], total["recovered_in_cycle"], total["recovered"], total["fee"]) == (
        "155000.00", "25200.00", "14600.00", "1494.40")
    assert {r["client_id"] for r in rows} == {doc.client_id} and {r["month"] for r in rows} == {"2026-08"}
    assert {r["status"] for r in rows} == {"draft"}
    assert sum(Decimal(r["fee"]) for r in rows[:4]) == Decimal(total["fee"])


async def test_xlsx_opens_and_holds_the_numbers(doc):
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(doc)))
    ws = wb["结算单"]
    assert ws["A1"].value == "服务费结算单"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "逾期阶段 Bucket")
    table = values[header + 1: header + 6]
    assert [r[0] for r in table] == ["<=90", "91-180", "181-360", ">=361", "合计 Total"]
    by = {r[0]: r for r in table}

    def num(v: object) -> Decimal:
        return Decimal(str(v))

    # placed, excluded, placed net, repaid in cycle, rate, ..., fee rate, recovered, fee
    assert [num(by["91-180"][i]) for i in (3, 4, 5, 6, 7, 11, 12, 13)] == [
        Decimal("56000"), Decimal("20000"), Decimal("36000"), Decimal("12600"), Decimal("0.35"),
        Decimal("0.144"), Decimal("7600"), Decimal("1094.4")]
    assert num(by["合计 Total"][13]) == Decimal("1494.4")
    assert ws.cell(row=header + 2, column=4).number_format == "#,##0.00"
    assert "no_fee" in by["181-360"][10]
    assert any("R-40" in (r[1] or "") for r in ([c.value for c in row] for row in wb["说明 Explanation"].iter_rows()))


def _pdf_text(data: bytes) -> str:
    """Text shown by the PDF's content streams (ASCII85 + Flate, as reportlab writes them), CID
    strings decoded as UCS-2 (the UniGB-UCS2-H encoding of STSong-Light)."""
    out = []
    for m in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.S):
        raw = m.group(1).strip()
        for decode in (lambda b: zlib.decompress(base64.a85decode(b, adobe=True)),
                       lambda b: zlib.decompress(b), lambda b: b):
            try:
                content = decode(raw)
                break
            except Exception:  # noqa: BLE001 - try the next filter combination
                continue
        for font, text in re.findall(rb"/(F\d+) [\d.]+ Tf.*?\(((?:\\.|[^\\)])*)\) Tj", content, re.S):
            unescaped = re.sub(rb"\\([0-7]{1,3}|.)", lambda e: (
                bytes([int(e.group(1), 8)]) if e.group(1)[:1].isdigit()
                else {b"n": b"\n", b"r": b"\r", b"t": b"\t"}.get(e.group(1), e.group(1))), text)
            try:
                out.append(unescaped.decode("utf-16-be"))
            except UnicodeDecodeError:
                out.append(unescaped.decode("latin-1"))
    return "\n".join(out)


async def test_pdf_has_the_chinese_title(doc):
    data = exports.to_pdf(doc)
    assert data.startswith(b"%PDF")
    assert b"/BaseFont /STSong-Light" in data and b"/UniGB-UCS2-H" in data  # built-in CID font
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    else:
        text = _pdf_text(data)
    assert "服务费结算单" in text
    assert "合计" in text


async def test_issued_exports_say_revision(scenario, billing_pool, ctx, finance, client_id):
    await scenario()
    async with billing_pool.acquire() as conn, conn.transaction():
        issued = StatementOut.model_validate(
            await statements.issue(conn, ctx, finance, statements.Issue(client_id, AUG)))
    rows = list(csv.DictReader(io.StringIO(exports.to_csv(issued))))
    assert {(r["status"], r["revision"]) for r in rows} == {("issued", "1")}
    wb = openpyxl.load_workbook(io.BytesIO(exports.to_xlsx(issued)))
    assert any("revision 1" in str(c.value) for row in wb["结算单"].iter_rows() for c in row)
    assert exports.to_pdf(issued).startswith(b"%PDF")
