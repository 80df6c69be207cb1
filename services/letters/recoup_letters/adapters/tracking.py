"""Import of the tracking numbers the post office assigns (R-33): a CSV or XLSX with the letter's
check code or its sequence number, and the registered / express number. Every row is checked and
the bad ones come back as (row, field, reason) — the same shape as the intake API's row errors —
while good rows are applied; a file that cannot be read at all is one fatal error.

UPU S10 numbers (`XA123456785CN`: 2 letters, 8 digits, a check digit, 2 letters) have their check
digit verified, so a mistyped number is refused; couriers' own formats are taken as 8-30 letters
and digits.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..rules import checkcode

SEQUENCE_HEADERS = {"序号", "sequence", "seq", "no", "编号"}
CODE_HEADERS = {"核对码", "checkcode", "check_code", "校验码"}
TRACKING_HEADERS = {"挂号/快递单号", "单号", "邮件号", "邮件号码", "挂号号码", "挂号单号", "运单号", "快递单号",
                    "trackingno", "tracking_no", "tracking", "trackingnumber"}
_S10 = re.compile(r"[A-Z]{2}\d{9}[A-Z]{2}")
_OTHER = re.compile(r"[A-Z0-9]{8,30}")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


@dataclass(frozen=True, slots=True)
class ExpectedLetter:
    sequence: int
    check_code: str
    tracking_no: str | None = None       # already assigned


@dataclass(frozen=True, slots=True)
class RowError:
    row: int                             # 1-based row in the file (the header is row 1)
    field: str
    reason: str


@dataclass(frozen=True, slots=True)
class Assignment:
    row: int
    sequence: int
    check_code: str
    tracking_no: str


@dataclass
class TrackingImport:
    assignments: list[Assignment] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unchanged: int = 0                   # rows repeating a number already assigned (idempotent)
    fatal: bool = False


def s10_check_digit(serial8: str) -> int:
    r = 11 - sum(w * int(d) for w, d in zip(_S10_WEIGHTS, serial8)) % 11
    return {10: 0, 11: 5}.get(r, r)


def tracking_problem(number: str) -> str | None:
    """None if the number is well-formed, else why not."""
    if _S10.fullmatch(number):
        if s10_check_digit(number[2:10]) != int(number[10]):
            return "S10 check digit does not match: the number was mistyped"
        return None
    if not _OTHER.fullmatch(number):
        return "a tracking number has 8-30 letters and digits"
    return None


def _norm_header(value: object) -> str:
    return unicodedata.normalize("NFKC", str(value or "")).strip().lstrip("\ufeff").replace(" ", "").lower()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)                              # caught by the format check
    return unicodedata.normalize("NFKC", str(value)).strip().lstrip("'").replace(" ", "").upper()


def _rows_csv(data: bytes) -> list[list[object]]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError("the file is neither UTF-8 nor GB18030 text")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
    except csv.Error:
        dialect = csv.excel
    return [list(r) for r in csv.reader(io.StringIO(text), dialect)]


def _rows_xlsx(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()


def read_rows(data: bytes) -> list[list[object]]:
    """CSV or XLSX (recognised by content, not by the file name)."""
    if data[:2] == b"PK":
        return _rows_xlsx(data)
    return _rows_csv(data)


def _columns(header: list[object]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        name = _norm_header(h)
        for key, names in (("sequence", SEQUENCE_HEADERS), ("check_code", CODE_HEADERS),
                           ("tracking_no", TRACKING_HEADERS)):
            if name in {n.lower() for n in names} and key not in cols:
                cols[key] = i
    return cols


def import_tracking(data: bytes, expected: Iterable[ExpectedLetter]) -> TrackingImport:
    """Rows of the post office's file -> tracking numbers for the batch's letters, and row errors."""
    out = TrackingImport()
    try:
        rows = read_rows(data)
    except Exception as e:  # noqa: BLE001 - any unreadable file is one clear error, never a 500
        out.fatal = True
        out.errors.append(RowError(0, "file", f"cannot read the file: {e}"))
        return out
    start = next((i for i, r in enumerate(rows) if any(_cell_text(c) for c in r)), None)
    cols = _columns(rows[start]) if start is not None else {}
    if "tracking_no" not in cols or not ({"sequence", "check_code"} & cols.keys()):
        out.fatal = True
        out.errors.append(RowError(0, "header", "need a tracking number column (挂号/快递单号) and a "
                                                "check code (核对码) or sequence (序号) column"))
        return out
    by_seq = {e.sequence: e for e in expected}
    by_code = {e.check_code: e for e in by_seq.values()}
    state = _Seen()
    for i in range(start + 1, len(rows)):
        row = rows[i]
        cells = {k: _cell_text(row[j]) if j < len(row) else "" for k, j in cols.items()}
        if not any(cells.values()):
            continue
        _import_row(i + 1, cells, by_seq, by_code, state, out)
    return out


@dataclass
class _Seen:
    numbers: dict[str, int] = field(default_factory=dict)     # tracking number -> sequence
    letters: dict[int, str] = field(default_factory=dict)     # sequence -> tracking number


def _resolve(row: int, cells: dict[str, str], by_seq: Mapping[int, ExpectedLetter],
             by_code: Mapping[str, ExpectedLetter]) -> ExpectedLetter | RowError:
    letter = None
    if cells.get("check_code"):
        try:
            code = checkcode.parse(cells["check_code"])
        except checkcode.CheckCodeError as e:
            return RowError(row, "check_code", str(e))
        letter = by_code.get(code)
        if letter is None:
            return RowError(row, "check_code", f"no letter with check code {checkcode.display(code)} in this batch")
    if cells.get("sequence"):
        seq_text = cells["sequence"]
        if not seq_text.isdigit():
            return RowError(row, "sequence", f"not a sequence number: {seq_text!r}")
        by_number = by_seq.get(int(seq_text))
        if by_number is None:
            return RowError(row, "sequence", f"no letter with sequence {seq_text} in this batch")
        if letter is not None and letter.sequence != by_number.sequence:
            return RowError(row, "sequence", f"sequence {seq_text} is letter {checkcode.display(by_number.check_code)}, "
                                             f"the row's check code is letter {letter.sequence}")
        letter = by_number
    if letter is None:
        return RowError(row, "check_code", "neither a check code nor a sequence number")
    return letter


def _import_row(row: int, cells: dict[str, str], by_seq: Mapping[int, ExpectedLetter],
                by_code: Mapping[str, ExpectedLetter], seen: _Seen, out: TrackingImport) -> None:
    number = cells.get("tracking_no", "")
    if not number:
        out.errors.append(RowError(row, "tracking_no", "missing tracking number"))
        return
    problem = tracking_problem(number)
    if problem:
        out.errors.append(RowError(row, "tracking_no", problem))
        return
    letter = _resolve(row, cells, by_seq, by_code)
    if isinstance(letter, RowError):
        out.errors.append(letter)
        return
    other = seen.numbers.get(number)
    if other is not None and other != letter.sequence:
        out.errors.append(RowError(row, "tracking_no", f"{number} is also given to letter {other}"))
        return
    if seen.letters.get(letter.sequence, number) != number:
        out.errors.append(RowError(row, "tracking_no", f"letter {letter.sequence} already got "
                                                       f"{seen.letters[letter.sequence]} in this file"))
        return
    if letter.tracking_no and letter.tracking_no != number:
        out.errors.append(RowError(row, "tracking_no", f"letter {letter.sequence} already has "
                                                       f"tracking number {letter.tracking_no}"))
        return
    seen.numbers[number] = letter.sequence
    if letter.sequence in seen.letters or letter.tracking_no == number:
        out.unchanged += 1
        seen.letters[letter.sequence] = number
        return
    seen.letters[letter.sequence] = number
    out.assignments.append(Assignment(row, letter.sequence, letter.check_code, number))
