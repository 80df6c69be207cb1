"""The post office's manifest and the import of its tracking numbers (R-33)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from recoup_letters.adapters.manifest import COLUMNS, ManifestOptions, ManifestRow, write_manifest
from recoup_letters.adapters.tracking import ExpectedLetter, import_tracking, s10_check_digit, tracking_problem
from recoup_letters.rules import MailClass, checkcode

CODES = [checkcode.code_for_serial(i) for i in range(1, 6)]
ROWS = [ManifestRow(1, "张伟", "河南省郑州市金水区花园路 88 号", "450000", MailClass.REGISTERED, "", CODES[0]),
        ManifestRow(2, "=HYPERLINK(\"http://x\")", "-1+1", "010050", MailClass.EXPRESS, "", CODES[1]),
        ManifestRow(3, "𠮷野家", "北京市朝阳区", "100020", MailClass.REGISTERED, "XA123456785CN", CODES[2])]
EXPECTED = [ExpectedLetter(i + 1, c) for i, c in enumerate(CODES)]


def test_csv_with_bom_for_excel(tmp_path):
    (f,) = write_manifest(ROWS, tmp_path, ManifestOptions(formats=("csv",)))
    data = open(f.path, "rb").read()
    assert data.startswith(b"\xef\xbb\xbf") and f.rows == 3
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert rows[1] == ["1", "张伟", "河南省郑州市金水区花园路 88 号", "450000", "挂号信", "", checkcode.display(CODES[0])]
    assert rows[2][1].startswith("'=") and rows[2][2] == "'-1+1"       # no formula from client data
    assert rows[2][3] == "010050" and rows[2][4] == "特快专递"              # leading zero kept
    assert rows[3][1] == "𠮷野家" and rows[3][5] == "XA123456785CN"


def test_gb18030_option(tmp_path):
    (f,) = write_manifest(ROWS, tmp_path, ManifestOptions(formats=("csv",), csv_encoding="gb18030"))
    text = open(f.path, "rb").read().decode("gb18030")
    assert "张伟" in text and "𠮷野家" in text and not text.startswith("\ufeff")
    with pytest.raises(ValueError):
        ManifestOptions(csv_encoding="latin-1")


def test_xlsx(tmp_path):
    files = write_manifest(ROWS, tmp_path)
    xlsx = next(f for f in files if f.format == "xlsx")
    ws = load_workbook(xlsx.path, read_only=True).worksheets[0]
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    assert tuple(rows[0]) == COLUMNS and len(rows) == 4
    assert rows[1][:5] == [1, "张伟", "河南省郑州市金水区花园路 88 号", "450000", "挂号信"]
    assert rows[2][1].startswith("'=") and rows[2][3] == "010050"


def _csv(rows: list[list[str]], encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter).writerows(rows)
    return buf.getvalue().encode(encoding)


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_s10_numbers_have_their_check_digit_verified():
    assert s10_check_digit("47312482") == 9                     # the S10 standard's example AA473124829GB
    assert tracking_problem("RR473124829GB") is None
    assert "check digit" in tracking_problem("RR473124828GB")
    assert tracking_problem("SF1234567890") is None              # a courier's own format
    assert tracking_problem("12-34") is not None


def test_import_by_check_code_or_sequence_with_row_errors():
    data = _csv([
        ["序号", "核对码", "挂号/快递单号", "备注"],
        ["1", checkcode.display(CODES[0]), "RR473124829GB", ""],
        ["", CODES[1].lower(), "SF1234567890", ""],                  # by code only, typed lower case
        ["3", "", "1012345678901", ""],                              # by sequence only
        ["4", checkcode.display(CODES[3])[:-1] + "2", "SF2222222222", ""],   # mistyped code
        ["9", "", "SF3333333333", ""],                               # no such letter
        ["5", checkcode.display(CODES[0]), "SF4444444444", ""],      # code and sequence disagree
        ["", CODES[4], "SF1234567890", ""],                          # number already used above
        ["", CODES[4], "RR473124828GB", ""],                         # S10 typo
        ["", CODES[4], "", ""],                                      # missing number
        ["", "", "", ""],                                            # blank row: ignored
    ])
    out = import_tracking(data, EXPECTED)
    assert not out.fatal
    assert [(a.sequence, a.tracking_no) for a in out.assignments] == [
        (1, "RR473124829GB"), (2, "SF1234567890"), (3, "1012345678901")]
    assert [(e.row, e.field) for e in out.errors] == [
        (5, "check_code"), (6, "sequence"), (7, "sequence"), (8, "tracking_no"), (9, "tracking_no"),
        (10, "tracking_no")]
    assert "check character" in out.errors[0].reason and "also given to letter 2" in out.errors[3].reason


def test_reimport_is_idempotent_and_a_different_number_is_refused():
    expected = [ExpectedLetter(1, CODES[0], "RR473124829GB"), ExpectedLetter(2, CODES[1])]
    data = _csv([["核对码", "邮件号"], [CODES[0], "RR473124829GB"], [CODES[1], "SF1234567890"],
                 [CODES[1], "SF1234567890"]])
    out = import_tracking(data, expected)
    assert [a.sequence for a in out.assignments] == [2] and out.unchanged == 2 and out.errors == []
    again = import_tracking(_csv([["核对码", "邮件号"], [CODES[0], "SF9999999999"]]), expected)
    assert "already has tracking number" in again.errors[0].reason


def test_xlsx_gb18030_and_tab_separated_files():
    xlsx = _xlsx([["序号", "运单号"], [1, 1012345678901.0], [2.0, "SF1234567890"]])
    out = import_tracking(xlsx, EXPECTED)
    assert [(a.sequence, a.tracking_no) for a in out.assignments] == [(1, "1012345678901"), (2, "SF1234567890")]
    gb = _csv([["序号", "单号"], ["1", "SF1234567890"]], encoding="gb18030", delimiter="\t")
    assert [a.sequence for a in import_tracking(gb, EXPECTED).assignments] == [1]


@pytest.mark.parametrize("data", [b"\x00\x01garbage\xff\xfe", _csv([["name", "phone"], ["x", "y"]]),
                                  b"PK\x03\x04broken zip", b""])
def test_unreadable_files_are_one_fatal_error(data):
    out = import_tracking(data, EXPECTED)
    assert out.fatal and len(out.errors) == 1 and out.assignments == []
