"""Reading the files clients upload (R-3): CSV in whatever encoding a Chinese bank's system
writes, XLSX/XLS/ODS through python-calamine (openpyxl as a fallback for XLSX calamine refuses) —
rows of cells, then the client's template (rules/templates) makes cases of them.

- CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), GBK/GB18030, or whatever
  charset-normalizer recognises; comma, tab, semicolon or pipe delimiters; quoted fields with
  newlines; a few undecodable bytes reject their row, not the file.
- A file that cannot be read (corrupt, password-protected, HTML disguised as .xls, missing required
  columns) gives `fatal=True` and one clear file-level error; no library exception escapes.
"""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

from recoup_shared.gcpause import gc_paused

from ..rules.model import RowError
from ..rules.templates import LOSSY, FileError, ImportTemplate, ParsedUpload, convert_rows
from .xlsx_scan import XlsxLimits, inspect_xlsx

_MAGIC_ZIP = b"PK\x03\x04"
_MAGIC_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sniff_format(content: bytes, filename: str) -> str:
    if content.startswith(_MAGIC_ZIP):
        if b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet" in content[:200]:
            return "ods"
        return "xlsx"
    if content.startswith(_MAGIC_OLE):
        return "xls"
    head = content[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        raise FileError("the file is an HTML/XML page (often saved with an .xls name), not a "
                         "spreadsheet; export it as XLSX or CSV")
    return "csv"


def _decode(content: bytes, encoding: str | None) -> tuple[str, str]:
    """Bytes → text. Returns (text, encoding); the encoding ends in `LOSSY` when a few bytes could
    not be decoded (they become U+FFFD and the rows holding them are rejected, not the file)."""
    if encoding:
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError as e:
            raise FileError(f"the file is not valid {encoding} text ({e.reason} at byte {e.start})") from None
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):   # Excel "Unicode text"
        text = content.decode("utf-16", errors="replace")
        bad = text.count("\ufffd")
        if bad == 0:
            return text, "utf-16"
        if bad * 1000 <= len(text):
            return text, "utf-16" + LOSSY
        raise FileError("the file starts like UTF-16 text but is not valid UTF-16")
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Mostly-valid UTF-8 with a few broken bytes is UTF-8 (GBK text is almost never valid UTF-8;
    # decoding such a file as GB18030 would turn its Chinese into wrong characters silently).
    text = content.decode("utf-8-sig", errors="replace")
    bad = text.count("\ufffd")
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - bad
    if bad * 50 <= multibyte and "\x00" not in text:
        return text, "utf-8" + LOSSY
    try:
        text = content.decode("gb18030")
        if "\x00" not in text:
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes
        best = from_bytes(content).best()
    except Exception:  # noqa: BLE001 - a detector failure is just "unknown encoding"
        best = None
    if best is not None and best.encoding is not None:
        text = str(best)
        if "\x00" not in text:
            return text, best.encoding
    text = content.decode("gb18030", errors="replace")
    bad = text.count("\ufffd")
    if bad * 1000 <= len(text) and "\x00" not in text:
        return text, "gb18030" + LOSSY
    raise FileError("cannot read the file: not a spreadsheet and not text in a known encoding")


def _sniff_delimiter(text: str, header_row: int) -> str:
    lines = text.splitlines()
    sample = lines[header_row - 1: header_row + 4] if len(lines) >= header_row else lines[:5]
    best, best_score = ",", 0
    for d in (",", "\t", ";", "|"):
        counts = [_count_outside_quotes(line, d) for line in sample if line.strip()]
        if not counts or counts[0] == 0:
            continue
        score = counts[0] * 10 + sum(1 for c in counts if c == counts[0])
        if score > best_score:
            best, best_score = d, score
    return best


def _count_outside_quotes(line: str, d: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == d and not quoted:
            n += 1
    return n


def _read_csv(content: bytes, template: ImportTemplate, out: ParsedUpload) -> list[list[Any]]:
    try:
        text, out.encoding = _decode(content, template.encoding)
    except FileError:
        out.format = "unknown"
        raise
    if out.encoding.endswith(LOSSY):
        out.warnings.append(RowError(0, "file", f"the file is {out.encoding.removesuffix(LOSSY)} text with a few "
                                                "undecodable bytes; rows holding them are rejected"))
    if text.startswith("\ufeff"):
        text = text[1:]
    delim = template.delimiter or _sniff_delimiter(text, template.header_row)
    out.delimiter = delim
    try:
        return _csv_records(text, delim)
    except csv.Error as e:
        raise FileError(f"the CSV file is malformed: {e}") from None


class _Lines:
    """The text's physical lines as csv.reader takes them, keeping those of the record being read."""

    def __init__(self, text: str) -> None:
        self._it = iter(io.StringIO(text, newline=""))
        self.current: list[str] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._it)
        self.current.append(line)
        return line


def _csv_records(text: str, delim: str) -> list[list[str]]:
    """The CSV's records; never silently fewer than the file holds (R-4, issue 14). A quote that
    opens a value and never closes would make the rest of the file one value: refused, naming the
    row and line. A quoted value spanning lines that themselves look like rows (a stray quote closed
    by another one further down) likewise."""
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delim)
    records: list[list[str]] = []
    line = 1                                   # the physical line the next record starts on
    width = 0
    for record in reader:
        raw, lines.current = lines.current, []
        if len(raw) > 1:
            _check_multiline(raw, record, len(records) + 1, line, delim, width)
        records.append(record)
        width = width or len(record)
        line += len(raw)
    return records


def _check_multiline(raw: list[str], record: list[str], row: int, line: int, delim: str, width: int) -> None:
    try:
        for _ in csv.reader(raw, delimiter=delim, strict=True):
            pass
    except csv.Error as e:
        if "unexpected end of data" in str(e):
            raise FileError(f"row {row} (line {line}) opens a quoted value (\") that is never closed: the "
                            f"{len(raw) - 1:,} lines after it would be read as one value; close or remove the "
                            "quote", row=row) from None
    looks_like_rows = max(2, width // 2)
    for cell in record:
        if "\n" in cell or "\r" in cell:
            inner = cell.splitlines()[1:]
            if sum(1 for x in inner if x.count(delim) >= looks_like_rows) >= 2:
                raise FileError(f"row {row} (lines {line}–{line + len(raw) - 1}) holds a quoted value spanning "
                                f"{len(raw)} lines that look like rows: a quote opened on line {line} is closed "
                                f"only on line {line + len(raw) - 1}; check the quotes", row=row)


def _read_workbook(content: bytes, template: ImportTemplate, out: ParsedUpload,
                   xlsx_limits: XlsxLimits | None = None) -> list[list[Any]]:
    if out.format == "xlsx":  # judged by its real content before the reader allocates (issue 14)
        inspect_xlsx(content, template.sheet, xlsx_limits or XlsxLimits())
    try:
        import python_calamine as pc
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
        metas = wb.sheets_metadata
        names = [m.name for m in metas]
        if not names:
            raise FileError("the workbook has no sheet")
        sheet = template.sheet
        if sheet is None:      # the first visible worksheet (not a chart sheet, not hidden)
            idx = next((k for k, m in enumerate(metas)
                        if str(m.typ).endswith("WorkSheet") and str(m.visible).endswith("Visible")), 0)
            ws = wb.get_sheet_by_index(idx)
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise FileError(f"the workbook has no sheet number {sheet} (it has {len(names)})")
            ws = wb.get_sheet_by_index(sheet)
        else:
            if sheet not in names:
                raise FileError(f"the workbook has no sheet named {sheet!r} (sheets: {', '.join(names)})")
            ws = wb.get_sheet_by_name(sheet)
        out.sheet = ws.name
        return ws.to_python(skip_empty_area=False)
    except FileError:
        raise
    except Exception as e:  # noqa: BLE001 - calamine raises several types; all mean "unreadable"
        reason = _calamine_reason(e)
        if out.format == "xlsx" and reason is None:
            return _read_openpyxl(content, template, out, e)
        raise FileError(reason or f"cannot read the spreadsheet ({type(e).__name__}: {e})") from None


def _calamine_reason(e: Exception) -> str | None:
    name = type(e).__name__
    if name == "PasswordError" or "password" in str(e).lower() or "encrypt" in str(e).lower():
        return "the workbook is password-protected; send it without a password"
    return None


def _read_openpyxl(content: bytes, template: ImportTemplate, out: ParsedUpload,
                   first: Exception) -> list[list[Any]]:
    """Fallback for XLSX files calamine refuses (rare writer quirks)."""
    try:
        import openpyxl
        wb = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = template.sheet
        if sheet is None:
            ws = wb.worksheets[0]
        elif isinstance(sheet, int):
            ws = wb.worksheets[sheet]
        else:
            ws = wb[sheet]
        out.sheet = ws.title
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    except Exception:  # noqa: BLE001
        raise FileError(f"the XLSX file is corrupt or not a spreadsheet ({first})") from None


def parse_upload(content: bytes, filename: str, template: ImportTemplate, *,
                 max_rows: int | None = None, xlsx_limits: XlsxLimits | None = None) -> ParsedUpload:
    """Read a CSV/XLSX/XLS/ODS upload through a client's template (R-3). Never raises for a bad
    file: problems come back as `errors` (with `fatal=True` when nothing could be read). The
    service runs it in a bounded worker process (upload_worker.parse_bounded)."""
    out = ParsedUpload(format="unknown", header_row=template.header_row)
    # Parsing allocates millions of small objects and no cycles: the collector would only rescan
    # them again and again.
    with gc_paused():
        try:
            if not content:
                raise FileError("the file is empty")
            out.format = _sniff_format(content, filename)
            _warn_misnamed(out, filename)
            if out.format == "csv":
                rows = _read_csv(content, template, out)
            else:
                rows = _read_workbook(content, template, out, xlsx_limits)
            convert_rows(rows, template, out, max_rows)
        except FileError as e:
            _fatal(out, e.args[0], e.row)
        except MemoryError:
            _fatal(out, "reading the file needs more memory than allowed; send a smaller file or CSV")
        except Exception as e:  # noqa: BLE001 - last resort: a bad file must never become a 500
            _fatal(out, f"cannot read the file ({type(e).__name__})")
    return out


def _warn_misnamed(out: ParsedUpload, filename: str) -> None:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext in ("csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods") and \
            (ext in ("csv", "txt", "tsv")) != (out.format == "csv"):
        out.warnings.append(RowError(0, "file", f"the file's content is {out.format.upper()} "
                                                f"although its name ends in .{ext}; read as {out.format.upper()}"))


def _fatal(out: ParsedUpload, reason: str, row: int = 0) -> None:
    out.fatal = True
    out.raw_cases, out.row_numbers, out._sources = [], [], []
    out.errors = [RowError(row, "file", reason)]
