"""Unit tests of reading uploads (R-3, R-4): CSV and XLSX files as Chinese bank systems export
them, read (adapters/spreadsheets.py) and converted through a template (rules/templates)."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal as D
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_intake.adapters.spreadsheets import parse_upload
from recoup_intake.rules.model import RowError
from recoup_intake.rules.templates import EXAMPLE_TEMPLATE, EXAMPLE_TEMPLATE_COLUMNS, ImportTemplate, validate_upload
from recoup_intake.rules.validation import validate_cases
from recoup_shared.identifiers import id15_to_id18, make_id_number

PLACED = date(2026, 11, 20)
HEADERS = list(EXAMPLE_TEMPLATE_COLUMNS)
ID1 = "410105198703150030"
ID2 = make_id_number("440305", date(1990, 6, 1), 22, "F")
ID3 = make_id_number("310104", date(1975, 12, 31), 7, "M")


def row(**cells: Any) -> list[Any]:
    """A data row of the example template; keys are the Chinese headers."""
    base = {
        "姓名": "张伟", "身份证号": ID1, "卡号": "6222020200112233446", "委案金额": "13830.50",
        "本金": "12000.00", "利息": "1530.50", "费用": "300.00", "逾期天数": "95",
        "手机号码": "13800138000", "家庭电话": "", "单位电话": "0371-65432100",
        "联系人1姓名": "李娜", "联系人1关系": "配偶", "联系人1电话": "13900139000",
        "户籍地址": "河南省郑州市金水区花园路88号", "单位名称": "郑州某某机械有限公司", "备注": "客户曾于2026-09投诉",
    }
    base.update(cells)
    return [base[h] for h in HEADERS]


ROWS = [
    row(),
    row(姓名="王芳", 身份证号=ID2, 卡号="6222020200112233447", 委案金额="5000", 本金="5000", 利息="0", 费用="0",
        逾期天数="200", 手机号码="13700137000", 单位电话="", 联系人1姓名="", 联系人1关系="", 联系人1电话="",
        户籍地址="广东省深圳市南山区科技园1号", 单位名称="", 备注=""),
]


def csv_bytes(rows: list[list[Any]], *, encoding: str = "utf-8", delimiter: str = ",",
              headers: list[str] | None = None) -> bytes:
    import csv
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    w.writerow(headers or HEADERS)
    for r in rows:
        w.writerow(r)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]], *, headers: list[Any] | None = None, title: str = "委案",
               before: list[list[Any]] = (), extra_sheets: tuple[str, ...] = ()) -> bytes:
    wb = openpyxl.Workbook()
    for name in extra_sheets:
        wb.create_sheet(name, 0)["A1"] = "说明"
    ws = wb[wb.sheetnames[-1]] if extra_sheets else wb.active
    ws.title = title
    for r in before:
        ws.append(r)
    ws.append(headers or HEADERS)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def minimal(**extra: str) -> dict[str, str]:
    return {"卡号": "account_ref", "姓名": "debtor.name", "身份证号": "debtor.id_number", "金额": "placed_amount",
            "天数": "dpd", **extra}



def validate(parsed):
    return validate_upload(parsed, placed_on=PLACED, today=PLACED)


# --- CSV ---------------------------------------------------------------------------------------
def test_gb18030_csv_with_chinese_headers_gives_the_contract_json_shape():
    parsed = parse_upload(csv_bytes(ROWS, encoding="gb18030"), "委案.csv", EXAMPLE_TEMPLATE)
    assert (parsed.format, parsed.encoding, parsed.delimiter, parsed.fatal) == ("csv", "gb18030", ",", False)
    assert parsed.errors == [] and parsed.row_numbers == [2, 3]
    assert parsed.raw_cases[0] == {
        "account_ref": "6222020200112233446",
        "debtor": {"name": "张伟", "id_number": ID1},
        "placed_amount": "13830.50", "principal": "12000.00", "interest": "1530.50", "fees": "300.00",
        "dpd": 95,
        "phones": [
            {"number": "13800138000", "kind": "mobile", "owner": "debtor"},
            {"number": "0371-65432100", "kind": "work", "owner": "debtor"},
            {"number": "13900139000", "kind": "mobile", "owner": "contact", "name": "李娜", "relationship": "配偶"},
        ],
        "addresses": [{"kind": "household_registration", "line": "河南省郑州市金水区花园路88号"}],
        "employer": "郑州某某机械有限公司",
        "remarks": "客户曾于2026-09投诉",
    }
    assert "phones" in parsed.raw_cases[1] and "remarks" not in parsed.raw_cases[1]
    r = validate(parsed)
    assert r.errors == []
    assert [(v.row, v.debtor_name, v.placed_amount, v.dpd_bucket) for v in r.valid] == [
        (2, "张伟", D("13830.50"), "M4"), (3, "王芳", D("5000.00"), "M6+")]
    # the same raw cases go through validate_cases unchanged (the JSON route)
    assert validate_cases(parsed.raw_cases, placed_on=PLACED, today=PLACED).errors == []


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8-sig", "utf-8"), ("utf-8", "utf-8"), ("gbk", "gb18030"), ("utf-16", "utf-16"),
])
def test_encodings_are_detected(encoding, expected):
    parsed = parse_upload(csv_bytes(ROWS, encoding=encoding), "a.csv", EXAMPLE_TEMPLATE)
    assert parsed.encoding == expected and not parsed.fatal
    assert parsed.raw_cases[0]["debtor"]["name"] == "张伟"
    assert "\ufeff" not in "".join(parsed.columns)


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_delimiters_are_sniffed(delimiter):
    parsed = parse_upload(csv_bytes(ROWS, delimiter=delimiter), "a.txt", EXAMPLE_TEMPLATE)
    assert parsed.delimiter == delimiter
    assert len(parsed.raw_cases) == 2 and validate(parsed).errors == []


def test_quoted_fields_with_newlines_and_commas():
    rows = [row(备注="第一行,逗号\n第二行", 户籍地址="河南省\n郑州市")]
    parsed = parse_upload(csv_bytes(rows), "a.csv", EXAMPLE_TEMPLATE)
    assert parsed.raw_cases[0]["remarks"] == "第一行,逗号\n第二行"
    assert validate(parsed).valid[0].addresses[0].line == "河南省\n郑州市"


def test_full_width_thousands_separators_spaces_and_apostrophes():
    rows = [row(身份证号="'" + "".join(chr(ord(c) + 0xFEE0) for c in ID1),
                卡号="\u00a06222 0202 0011 2233 446\u3000",
                委案金额="１３，８３０．５０", 本金="12,000.00", 利息="¥1,530.50", 费用="300元",
                逾期天数="９５", 手机号码="１３８ ００１３ ８０００", 姓名="\u3000张伟\u00a0")]
    parsed = parse_upload(csv_bytes(rows), "a.csv", EXAMPLE_TEMPLATE)
    assert parsed.errors == []
    c = parsed.raw_cases[0]
    assert (c["placed_amount"], c["principal"], c["interest"], c["fees"], c["dpd"]) == (
        "13830.50", "12000.00", "1530.50", "300", 95)
    v = validate(parsed).valid[0]
    assert (v.id_number, v.account_ref, v.debtor_name, v.phones[0].number) == (
        ID1, "6222020200112233446", "张伟", "13800138000")


@pytest.mark.parametrize("cell, reason", [
    ("1,38,30.50", "malformed thousands separators"),
    ("1.3830E+4", "amount in scientific notation"),
])
def test_bad_amount_text_is_a_row_error_with_the_header(cell, reason):
    parsed = parse_upload(csv_bytes([row(委案金额=cell), ROWS[1]]), "a.csv", EXAMPLE_TEMPLATE)
    assert parsed.errors == [RowError(2, "委案金额", reason)]
    assert parsed.rejected_rows == [2] and parsed.row_numbers == [3]


def test_excel_scientific_notation_id_in_csv_is_a_row_error_never_a_wrong_value():
    rows = [row(身份证号="4.10105E+17"), row(卡号="6.22202E+18", 身份证号=ID2), ROWS[1]]
    rows[2] = row(姓名="王芳", 身份证号=ID3, 卡号="6222020200112233999")
    parsed = parse_upload(csv_bytes(rows), "a.csv", EXAMPLE_TEMPLATE)
    assert parsed.errors == [
        RowError(2, "身份证号", "ID number mangled by Excel (scientific notation)"),
        RowError(3, "卡号", "card/account number mangled by Excel (scientific notation)"),
    ]
    r = validate(parsed)
    assert [v.row for v in r.valid] == [4] and r.rejected_rows == [2, 3]


def test_validation_errors_are_reported_with_file_rows_and_headers():
    rows = [
        row(),
        row(卡号="6222020200112233446"),                                  # duplicate of row 2
        row(卡号="A3", 身份证号=ID1[:-1] + "1"),                         # checksum
        row(卡号="A4", 联系人1电话="12345"),                               # contact phone
        row(卡号="A5", 联系人1关系=""),                                    # contact without relationship
        row(卡号="A6", 委案金额="13830.505"),                              # three decimals
        row(卡号="A7", 户籍地址="", 单位电话="021-1234"),                   # bad landline
        row(卡号="A8", 逾期天数="", 委案金额="1", 本金="", 利息="", 费用=""),   # no dpd
    ]
    r = validate(parse_upload(csv_bytes(rows), "a.csv", EXAMPLE_TEMPLATE))
    got = [(e.row, e.field) for e in r.errors]
    assert got == [(3, "卡号"), (4, "身份证号"), (7, "委案金额"), (9, "逾期天数")]
    # R-4 (amended): malformed phones are warnings on accepted rows, named by file row and header
    assert [(w.row, w.field) for w in r.warnings] == [(5, "联系人1电话"), (6, "联系人1关系"), (8, "单位电话")]
    assert "first at row 2" in r.errors[0].reason
    assert [v.row for v in r.valid] == [2, 5, 6, 8]


def test_csv_row_with_an_unquoted_delimiter_is_refused_not_shifted():
    good = csv_bytes(ROWS[:1])
    bad_line = ",".join(row(卡号="A9", 户籍地址="河南省,郑州市")).encode()
    parsed = parse_upload(good + bad_line + b"\r\n", "a.csv", EXAMPLE_TEMPLATE)
    assert parsed.row_numbers == [2]
    assert [(e.row, e.field) for e in parsed.errors] == [(3, "row")]
    assert "18 cells but the header has 17" in parsed.errors[0].reason


def test_blank_and_trailing_rows():
    data = csv_bytes([ROWS[0], [""] * len(HEADERS), ROWS[1]]) + b",,,,\r\n\r\n\r\n"
    parsed = parse_upload(data, "a.csv", EXAMPLE_TEMPLATE)
    assert parsed.row_numbers == [2, 4] and parsed.rows_read == 2 and parsed.errors == []
    strict = EXAMPLE_TEMPLATE.model_copy(update={"skip_blank_rows": False})
    strict = ImportTemplate.model_validate(strict.model_dump())
    parsed = parse_upload(data, "a.csv", strict)
    assert parsed.errors == [RowError(3, "row", "blank row")] and parsed.row_numbers == [2, 4]


def test_missing_required_columns_are_one_fatal_error_listing_them():
    headers = [h for h in HEADERS if h not in ("身份证号", "委案金额", "本金")]
    data = csv_bytes([], headers=headers)
    parsed = parse_upload(data, "a.csv", EXAMPLE_TEMPLATE)
    assert parsed.fatal and len(parsed.errors) == 1
    e = parsed.errors[0]
    assert e.row == 0 and "身份证号" in e.reason and "委案金额 or 本金" in e.reason
    # optional columns missing: a warning, not an error
    headers = [h for h in HEADERS if h not in ("家庭电话", "备注")]
    parsed = parse_upload(csv_bytes([], headers=headers), "a.csv", EXAMPLE_TEMPLATE)
    assert not parsed.fatal and {w.field for w in parsed.warnings} == {"家庭电话", "备注"}


def test_headers_with_spaces_markers_and_unknown_columns():
    headers = [f" *{h}\u00a0" for h in HEADERS] + ["内部编号", ""]
    rows = [r + ["X1", "junk"] for r in ROWS]
    parsed = parse_upload(csv_bytes(rows, headers=headers), "a.csv", EXAMPLE_TEMPLATE)
    assert not parsed.fatal and parsed.ignored_columns == ["内部编号"]
    assert len(parsed.raw_cases) == 2


def test_duplicate_mapped_header_is_fatal():
    parsed = parse_upload(csv_bytes([], headers=HEADERS + ["姓名"]), "a.csv", EXAMPLE_TEMPLATE)
    assert parsed.fatal and "appears twice" in parsed.errors[0].reason


def test_max_rows():
    parsed = parse_upload(csv_bytes(ROWS), "a.csv", EXAMPLE_TEMPLATE, max_rows=1)
    assert parsed.fatal and "more than the limit of 1" in parsed.errors[0].reason


def test_several_phones_in_one_cell_and_contacts_without_phone():
    rows = [row(手机号码="13800138000/13800138001", 联系人1电话="")]
    parsed = parse_upload(csv_bytes(rows), "a.csv", EXAMPLE_TEMPLATE)
    phones = parsed.raw_cases[0]["phones"]
    assert [p["number"] for p in phones] == ["13800138000", "13800138001", "0371-65432100"]
    assert [w.reason for w in parsed.warnings] == ["contact 1 has no phone number or address; not imported"]


# --- conversions -------------------------------------------------------------------------------
def test_conversions_yes_no_gender_flags_dates_and_custom_maps():
    columns = {
        "账号": "account_ref", "客户姓名": "debtor.name", "证件号码": "debtor.id_number", "性别": "debtor.gender",
        "欠款总额": "placed_amount", "逾期日期": "overdue_since", "最后还款日": "last_payment.on",
        "最后还款金额": "last_payment.amount", "特殊标记": "flags", "是否停催": "flags[do_not_contact]",
        "联系人姓名": "contacts[1].name", "关系": "contacts[1].relationship", "联系人手机": "contacts[1].phone",
        "联系人是否知情": "contacts[1].knows_debt", "币种": "currency",
    }
    t = ImportTemplate(client_id="zhbank", name="催收导入", version=3, columns=columns, conversions={
        "overdue_since": {"date_formats": ["%d/%m/%Y"]},
        "flags": {"values": {"VIP投诉": "complaint_history"}},
        "contacts[1].relationship": {"values": {"配偶": "spouse"}},
    })
    headers = list(columns)
    rows = [
        ["A1", "张伟", ID1, "男", "13,830.50", "17/08/2026", "2026/08/01", "500", "投诉、VIP投诉；异议", "是",
         "李娜", "配偶", "13900139000", "否", "人民币"],
        ["A2", "王芳", ID2, "女", "100", "2026-08-17", "", "0.00", "无", "否", "", "", "", "", ""],
        ["A3", "赵六", ID3, "男", "100", "20260817", "", "", "", "", "", "", "", "不清楚", ""],
    ]
    parsed = parse_upload(csv_bytes(rows, headers=headers), "a.csv", t)
    c = parsed.raw_cases[0]
    assert c["debtor"]["gender"] == "M" and c["currency"] == "CNY"
    assert c["overdue_since"] == "2026-08-17" and c["last_payment"] == {"on": "2026-08-01", "amount": "500"}
    assert c["flags"] == ["complaint_history", "dispute", "do_not_contact"]
    assert c["phones"] == [{"number": "13900139000", "kind": "mobile", "owner": "contact", "name": "李娜",
                            "relationship": "spouse", "knows_debt": False}]
    c2 = parsed.raw_cases[1]
    assert "last_payment" not in c2 and "flags" not in c2     # 0.00 with no date = no last payment
    # A3: its overdue date is not in the template's only format; its yes/no is neither
    assert [(e.row, e.field) for e in parsed.errors] == [(4, "逾期日期"), (4, "联系人是否知情")]
    r = validate(parsed)
    assert [v.row for v in r.valid] == [2, 3]
    assert r.valid[0].dpd == 95 and r.valid[0].flags == ["complaint_history", "dispute", "do_not_contact"]


def test_unknown_flag_text_reaches_validation_as_an_unknown_flag():
    t = ImportTemplate(client_id="c", name="n", columns=minimal(标记="flags"))
    data = csv_bytes([["A1", "张伟", ID1, "100", "5", "投诉,VIP"]], headers=list(minimal(标记="flags")))
    r = validate(parse_upload(data, "a.csv", t))
    assert [(e.row, e.field) for e in r.errors] == [(2, "标记")] and "unknown flag" in r.errors[0].reason


def test_decimal_comma_template():
    t = ImportTemplate(client_id="c", name="n", columns=minimal(),
                       conversions={"placed_amount": {"thousands_separator": ".", "decimal_separator": ","}})
    data = csv_bytes([["A1", "张伟", ID1, "13.830,50", "5"]], headers=list(minimal()), delimiter=";")
    assert parse_upload(data, "a.csv", t).raw_cases[0]["placed_amount"] == "13830.50"


# --- XLSX --------------------------------------------------------------------------------------
XL_HEADERS = ["卡号", "姓名", "身份证号", "委案金额", "逾期日期", "手机号码", "单位电话"]
XL_TEMPLATE = ImportTemplate(client_id="c", name="xl", columns={
    "卡号": "account_ref", "姓名": "debtor.name", "身份证号": "debtor.id_number", "委案金额": "placed_amount",
    "逾期日期": "overdue_since", "手机号码": "phones[mobile]", "单位电话": "phones[work]"}, sheet="委案")


def test_xlsx_numbers_dates_and_excel_damage():
    rows = [
        ["A1", "张伟", ID1, 13830.499999999998, date(2026, 8, 17), 13800138000, "0371-65432100"],    # ok
        ["A2", "王芳", ID2, 13830.5, datetime(2026, 8, 17, 0, 0), "13800138001", None],             # ok
        ["A3", "赵六", ID3, 100, 46251, 13800138002, None],                                       # serial
        ["A4", "钱七", float(ID1), 1, "2026-08-17", None, None],                                   # ID as number
        ["A5", "孙八", ID2, 0.125, 20260817, None, None],                                          # 3 decimals
        ["A6", "周九", ID3, 1, "2026/8/17", None, 37165432100],                                    # leading 0 lost
        [6222020200112233446, "吴十", ID1, 1, "2026-08-17", None, None],                           # card as number
        [410105670315003, "郑一", 410105670315003, 1, "2026-08-17", None, None],                   # 15 digits: exact
    ]
    parsed = parse_upload(xlsx_bytes(rows, headers=XL_HEADERS, extra_sheets=("说明",)), "a.xlsx", XL_TEMPLATE)
    assert (parsed.format, parsed.sheet, parsed.fatal) == ("xlsx", "委案", False)
    assert parsed.raw_cases[0]["placed_amount"] == "13830.50"
    assert parsed.raw_cases[0]["overdue_since"] == "2026-08-17"
    assert parsed.raw_cases[0]["phones"][0]["number"] == "13800138000"
    assert parsed.raw_cases[2]["overdue_since"] == "2026-08-17"          # Excel serial 46251
    assert parsed.raw_cases[4]["debtor"]["id_number"] == "410105670315003"
    assert [(e.row, e.field, e.reason) for e in parsed.errors] == [
        (5, "身份证号", "ID number mangled by Excel (stored as a number, digits lost); format the column as text"),
        (6, "委案金额", "amount has more than two decimals"),
        (8, "卡号", "card/account number mangled by Excel (stored as a number, digits lost); format the column as text"),
    ]
    # a phone damaged by Excel is a warning; the row is accepted, the number kept invalid
    assert [(w.row, w.field, w.reason) for w in parsed.warnings] == [
        (7, "单位电话", "phone number stored as a number in Excel lost its leading 0")]
    r = validate(parsed)
    assert [v.row for v in r.valid] == [2, 3, 4, 7, 9]
    assert [(p.number, p.invalid is not None) for p in r.valid[3].phones] == [("37165432100", True)]
    assert r.valid[0].placed_amount == D("13830.50") and r.valid[4].id_number_18 == id15_to_id18("410105670315003")


def test_xlsx_header_row_below_a_title_and_merged_cells():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "委案"
    ws.append(["某某银行信用卡中心 2026年11月委案清单"])
    ws.merge_cells("A1:G1")
    ws.append(XL_HEADERS + [None])
    ws.append(["A1", "张伟", ID1, "13,830.50", "2026-08-17", "13800138000", None])
    ws.append([None] * 7)
    buf = io.BytesIO()
    wb.save(buf)
    t = ImportTemplate.model_validate({**XL_TEMPLATE.model_dump(), "header_row": 2})
    parsed = parse_upload(buf.getvalue(), "a.xlsx", t)
    assert parsed.errors == [] and parsed.row_numbers == [3]
    assert validate(parsed).valid[0].placed_amount == D("13830.50")


def test_xlsx_sheet_selection_errors_are_fatal():
    data = xlsx_bytes([], headers=XL_HEADERS, title="Sheet1")
    parsed = parse_upload(data, "a.xlsx", XL_TEMPLATE)
    assert parsed.fatal and "no sheet named '委案'" in parsed.errors[0].reason
    t = ImportTemplate.model_validate({**XL_TEMPLATE.model_dump(), "sheet": 3})
    assert "no sheet number 3" in parse_upload(data, "a.xlsx", t).errors[0].reason
    t = ImportTemplate.model_validate({**XL_TEMPLATE.model_dump(), "sheet": None})
    assert not parse_upload(data, "a.xlsx", t).fatal


# --- files that cannot be read -----------------------------------------------------------------
def _zip_garbage() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    return buf.getvalue()


@pytest.mark.parametrize("content, filename, reason", [
    (b"", "a.csv", "empty"),
    (b"PK\x03\x04" + b"\x00garbage" * 50, "a.xlsx", "spreadsheet"),
    (_zip_garbage(), "a.xlsx", "spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "a.xls", "spreadsheet"),
    (b"<html><body><table><tr><td>\xe5\xa7\x93\xe5\x90\x8d</td></tr></table></body></html>", "a.xls", "HTML"),
    (bytes(range(256)) * 20, "a.csv", ""),
    ("姓名,卡号\n张伟,1\n".encode("gb18030"), "a.csv", "missing required column"),
])
def test_unreadable_files_are_fatal_with_a_reason_never_an_exception(content, filename, reason):
    parsed = parse_upload(content, filename, EXAMPLE_TEMPLATE)
    assert parsed.fatal and parsed.raw_cases == [] and len(parsed.errors) == 1
    assert reason in parsed.errors[0].reason
    r = validate(parsed)
    assert r.valid == [] and r.errors == parsed.errors


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_few_broken_bytes_reject_their_row_not_the_file(encoding):
    rows = [row(卡号=f"A{i}") for i in range(50)]
    rows[20] = row(卡号="A20", 户籍地址="河南省郑州市金水区XX路88号")
    data = csv_bytes(rows, encoding=encoding)
    k = data.index(b"XX")
    data = data[:k] + b"\xff" + data[k + 2:]          # one byte no encoding accepts there
    parsed = parse_upload(data, "a.csv", EXAMPLE_TEMPLATE)
    assert not parsed.fatal and parsed.encoding == f"{encoding} (some bytes undecodable)"
    assert [(e.row, e.field) for e in parsed.errors] == [(22, "户籍地址")]
    assert len(parsed.raw_cases) == 49 and "undecodable" in parsed.warnings[0].reason


def test_content_wins_over_the_file_name():
    parsed = parse_upload(xlsx_bytes([], headers=XL_HEADERS), "export.csv", XL_TEMPLATE)
    assert parsed.format == "xlsx" and not parsed.fatal
    assert "although its name ends in .csv" in parsed.warnings[0].reason
    parsed = parse_upload(csv_bytes(ROWS, delimiter="\t", encoding="gb18030"), "export.xls", EXAMPLE_TEMPLATE)
    assert parsed.format == "csv" and len(parsed.raw_cases) == 2   # "xls" that is really tab-separated text


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a"]))
def test_parse_upload_never_raises(content, filename):
    parsed = parse_upload(content, filename, EXAMPLE_TEMPLATE)
    assert parsed.fatal or isinstance(parsed.raw_cases, list)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(max_size=12), min_size=len(HEADERS), max_size=len(HEADERS)), max_size=6))
def test_any_text_cells_never_raise_and_every_row_is_accounted_for(rows):
    parsed = parse_upload(csv_bytes(rows), "a.csv", EXAMPLE_TEMPLATE)
    if parsed.fatal:
        return
    r = validate(parsed)
    rows_with_errors = {e.row for e in r.errors}
    assert rows_with_errors.isdisjoint(v.row for v in r.valid)
    assert len(rows_with_errors | {v.row for v in r.valid}) == parsed.rows_read + len(
        [e for e in parsed.errors if e.reason == "blank row"])
