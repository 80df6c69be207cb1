"""Client import templates and CSV/XLSX parsing (R-3). Pure: bytes in, plain data out.

A template is configuration (a new client needs a new mapping, not new code): which column header
feeds which case field, plus value conversions. `parse_upload` turns a file into `raw_cases` of
exactly the JSON shape of contracts.md §1, so uploads and JSON pushes go through the same
`validate_cases`. What a file format can break is handled here, with the *file row number* and the
*column header* in every error:

- CSV in UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text"), GBK/GB18030, or whatever
  charset-normalizer recognises; comma, tab, semicolon or pipe delimiters; quoted fields with
  newlines.
- XLSX/XLS/ODS through python-calamine (openpyxl only as a fallback for XLSX calamine refuses).
- Excel damage is reported, never "repaired" into a wrong value (cells.py): ID and card numbers
  stored as numbers (digits lost) or shown in scientific notation (`4.10105E+17`); landlines stored
  as numbers (leading 0 lost); float noise in amounts (`13830.499999999998` → `13830.50` only when
  within 1e-6 of a two-decimal value).
- Full-width digits and punctuation (NFKC), thousands separators (`13,830.50`, `１３，８３０．５０`),
  currency signs, non-breaking and ideographic spaces, Excel's leading apostrophe (cells.py); blank
  and trailing rows, blank or merged header cells, header cells wrapped on several lines, CSV rows
  shifted by an unquoted delimiter, a few undecodable bytes (that row rejected, not the file).
- A file that cannot be read (corrupt, password-protected, HTML disguised as .xls, missing required
  columns) gives `fatal=True` and one clear file-level error; no library exception escapes.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .cells import CELL_WHITESPACE, CellConverter, clean_text, normalise_header
from recoup_shared.identifiers import looks_like_mobile
from .validation import (
    ADDRESS_KINDS,
    DEFAULT_LIMITS,
    FLAGS,
    PHONE_KINDS,
    RowError,
    ValidationLimits,
    ValidationResult,
    validate_cases,
)

# --- field paths -------------------------------------------------------------------------------
# Scalar field path -> (keys into the raw case, conversion kind)
SCALAR_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "account_ref": (("account_ref",), "account"),
    "product": (("product",), "text"),
    "debtor.name": (("debtor", "name"), "text"),
    "debtor.id_number": (("debtor", "id_number"), "id_number"),
    "debtor.gender": (("debtor", "gender"), "gender"),
    "debtor.birth_date": (("debtor", "birth_date"), "date"),
    "currency": (("currency",), "currency"),
    "principal": (("principal",), "amount"),
    "interest": (("interest",), "amount"),
    "fees": (("fees",), "amount"),
    "placed_amount": (("placed_amount",), "amount"),
    "credit_limit": (("credit_limit",), "amount"),
    "dpd": (("dpd",), "int"),
    "overdue_since": (("overdue_since",), "date"),
    "last_payment.on": (("last_payment", "on"), "date"),
    "last_payment.amount": (("last_payment", "amount"), "amount"),
    "employer": (("employer",), "text"),
    "remarks": (("remarks",), "text"),
    "flags": (("flags",), "flags"),
}
# Scalars that several columns may feed (joined with "; ").
MULTI_COLUMN_FIELDS = frozenset({"remarks"})
CONTACT_SUBFIELDS = {"name": "text", "relationship": "text", "phone": "phones", "knows_debt": "yes_no"}
ADDRESS_SUBFIELDS = ("line", "province", "city", "district", "employer")
MAX_CONTACTS = 20

_PHONES_PATH_RE = re.compile(r"phones\[(\w+)\]")
_CONTACT_PATH_RE = re.compile(r"contacts\[(\d+)\]\.(\w+)")
_ADDRESS_PATH_RE = re.compile(r"addresses\[(\w+)\]\.(\w+)")
_FLAG_PATH_RE = re.compile(r"flags\[(\w+)\]")

FIELD_PATH_HELP = (
    "known field paths: " + ", ".join(SCALAR_FIELDS)
    + ", phones[mobile|home|work|other], contacts[N].name|relationship|phone|knows_debt (N = 1.."
    + f"{MAX_CONTACTS}), addresses[household_registration|home|work|other]."
    + "line|province|city|district|employer, flags[" + "|".join(FLAGS) + "]"
)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A parsed field path."""

    path: str
    target: Literal["scalar", "phones", "contact", "address", "flag"]
    kind: str                         # conversion kind: text, account, id_number, amount, ...
    keys: tuple[str, ...] = ()        # scalar: keys into the raw case
    arg: str | int | None = None      # phone kind, contact number, address kind, flag name
    sub: str | None = None            # contact / address sub-field


def parse_field_path(path: str) -> FieldSpec:
    """Parse a template field path; raise ValueError with the reason."""
    p = path.strip()
    if p in SCALAR_FIELDS:
        keys, kind = SCALAR_FIELDS[p]
        return FieldSpec(p, "scalar", kind, keys)
    if m := _PHONES_PATH_RE.fullmatch(p):
        if m.group(1) not in PHONE_KINDS:
            raise ValueError(f"unknown phone kind {m.group(1)!r} in {p!r} (mobile, home, work, other)")
        return FieldSpec(p, "phones", "phones", arg=m.group(1))
    if m := _CONTACT_PATH_RE.fullmatch(p):
        n, sub = int(m.group(1)), m.group(2)
        if not 1 <= n <= MAX_CONTACTS:
            raise ValueError(f"contact number in {p!r} must be 1..{MAX_CONTACTS}")
        if sub not in CONTACT_SUBFIELDS:
            raise ValueError(f"unknown contact field {sub!r} in {p!r} (name, relationship, phone, knows_debt)")
        return FieldSpec(p, "contact", CONTACT_SUBFIELDS[sub], arg=n, sub=sub)
    if m := _ADDRESS_PATH_RE.fullmatch(p):
        kind, sub = m.group(1), m.group(2)
        if kind not in ADDRESS_KINDS:
            raise ValueError(f"unknown address kind {kind!r} in {p!r} "
                             "(household_registration, home, work, other)")
        if sub not in ADDRESS_SUBFIELDS:
            raise ValueError(f"unknown address field {sub!r} in {p!r} ({', '.join(ADDRESS_SUBFIELDS)})")
        return FieldSpec(p, "address", "text", arg=kind, sub=sub)
    if m := _FLAG_PATH_RE.fullmatch(p):
        if m.group(1) not in FLAGS:
            raise ValueError(f"unknown flag {m.group(1)!r} in {p!r} ({', '.join(FLAGS)})")
        return FieldSpec(p, "flag", "yes_no", arg=m.group(1))
    raise ValueError(f"unknown field path {p!r}")


class FieldConversion(BaseModel):
    """How the cells of one field are read. Every attribute is optional: unset ones fall back to
    the template's `default_conversion`, then to the built-in defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    date_formats: list[str] | None = Field(
        None, description="strptime formats tried in order (default: YYYY-MM-DD, YYYY/MM/DD, YYYYMMDD, …)")
    thousands_separator: str | None = Field(None, max_length=1, description='default ","')
    decimal_separator: str | None = Field(None, min_length=1, max_length=1, description='default "."')
    values: dict[str, Any] | None = Field(
        None, description='value map applied to the cell text: yes/no {"是": true}, gender {"男": "M"}, '
                          'flags {"投诉": "complaint_history"}, or any text replacement; merged over '
                          "the built-in maps")
    split: str | None = Field(
        None, description="characters separating several values in one cell (phones, flags); "
                          "default , ; / 、 | and newlines")

    @field_validator("date_formats")
    @classmethod
    def _formats(cls, v: list[str] | None) -> list[str] | None:
        if v is not None:
            if not v:
                raise ValueError("date_formats must not be empty")
            for f in v:
                if "%" not in f:
                    raise ValueError(f"date format {f!r} has no % directive")
                try:
                    date(2026, 1, 2).strftime(f)
                except ValueError as e:
                    raise ValueError(f"bad date format {f!r}: {e}") from None
        return v


class ImportTemplate(BaseModel):
    """A client's import template (R-3): column header → field path, plus value conversions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    client_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=100)
    version: int = Field(1, ge=1)
    columns: dict[str, str] = Field(description="column header → field path")
    conversions: dict[str, FieldConversion] = Field(
        default_factory=dict, description="field path → conversion overrides")
    default_conversion: FieldConversion = Field(default_factory=FieldConversion)
    header_row: int = Field(1, ge=1, le=1000, description="1-based row holding the headers")
    sheet: str | int | None = Field(None, description="XLSX sheet name or 0-based index; default the first")
    skip_blank_rows: bool = True
    encoding: str | None = Field(None, description="CSV encoding; default detected")
    delimiter: str | None = Field(None, min_length=1, max_length=1, description="CSV delimiter; default sniffed")
    require_all_columns: bool = Field(
        False, description="every mapped column must be in the file (else only the required fields')")

    _specs: dict[str, FieldSpec] = PrivateAttr(default_factory=dict)       # normalised header → spec
    _headers: dict[str, str] = PrivateAttr(default_factory=dict)           # normalised → as configured

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                codecs.lookup(v)
            except LookupError:
                raise ValueError(f"unknown encoding {v!r}") from None
        return v

    @model_validator(mode="after")
    def _check(self) -> ImportTemplate:
        problems: list[str] = []
        specs: dict[str, FieldSpec] = {}
        headers: dict[str, str] = {}
        if not self.columns:
            problems.append("columns must map at least one header")
        by_path: dict[str, list[str]] = {}
        for header, path in self.columns.items():
            norm = normalise_header(header)
            if not norm:
                problems.append(f"blank column header {header!r}")
                continue
            if norm in headers:
                problems.append(f"column headers {headers[norm]!r} and {header!r} are the same after "
                                "normalisation (spaces, full-width characters)")
                continue
            try:
                spec = parse_field_path(path)
            except ValueError as e:
                problems.append(f"column {header!r}: {e}")
                continue
            specs[norm] = spec
            headers[norm] = header
            by_path.setdefault(spec.path, []).append(header)
        for path, hs in by_path.items():
            if len(hs) > 1 and parse_field_path(path).target in ("scalar", "contact", "address", "flag") \
                    and path not in MULTI_COLUMN_FIELDS:
                problems.append(f"field {path!r} is fed by several columns ({', '.join(map(repr, hs))})")
        if specs or not problems:
            mapped = set(by_path)
            for need in (("account_ref",), ("debtor.name",), ("debtor.id_number",),
                         ("placed_amount", "principal"), ("dpd", "overdue_since")):
                if not mapped.intersection(need):
                    problems.append("the template must map " + " or ".join(need))
        for path, conv in self.conversions.items():
            try:
                spec = parse_field_path(path)
            except ValueError as e:
                problems.append(f"conversions: {e}")
                continue
            if spec.path not in by_path:
                problems.append(f"conversions: field {path!r} is not mapped by any column")
            if conv.values:
                problems.extend(_check_values(spec, conv.values))
        if self.default_conversion.values:
            problems.append("default_conversion cannot hold a value map (maps are per field)")
        if problems:
            raise ValueError("; ".join(problems) + (
                f" — {FIELD_PATH_HELP}" if any("unknown" in p for p in problems) else ""))
        self._specs = specs
        self._headers = headers
        return self

    def spec_for(self, header: str) -> FieldSpec | None:
        return self._specs.get(normalise_header(header))

    def conversion_for(self, path: str) -> FieldConversion:
        return self.conversions.get(path) or FieldConversion()


def _check_values(spec: FieldSpec, values: dict[str, Any]) -> list[str]:
    out = []
    for k, v in values.items():
        if spec.kind == "yes_no" and type(v) is not bool:
            out.append(f"conversions[{spec.path!r}]: value for {k!r} must be true or false")
        elif spec.kind == "gender" and v not in ("M", "F"):
            out.append(f"conversions[{spec.path!r}]: value for {k!r} must be M or F")
        elif spec.kind == "flags" and v is not None and v not in FLAGS:
            out.append(f"conversions[{spec.path!r}]: value for {k!r} must be one of {', '.join(FLAGS)} or null")
        elif spec.kind not in ("yes_no", "gender", "flags") and not isinstance(v, str):
            out.append(f"conversions[{spec.path!r}]: value for {k!r} must be a string")
    return out


# --- the parsed file ---------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _PhoneSource:
    """Which column(s) a raw case's phone came from (to name them in errors)."""

    number: str
    name: str | None = None
    relationship: str | None = None
    knows_debt: str | None = None


@dataclass(slots=True)
class ParsedUpload:
    """What `parse_upload` read. `raw_cases` have the JSON shape of contracts.md; `row_numbers[i]`
    is the 1-based file row of `raw_cases[i]` (spreadsheet row; CSV record number). `errors` are
    file-level (row 0, field "file", or the header row for missing columns) and conversion errors
    (file row, column header); a row with a conversion error is not in `raw_cases`. `fatal` means
    the file could not be used at all (answer 422)."""

    format: str                                   # csv | xlsx | xls | ods | unknown
    raw_cases: list[dict[str, Any]] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    fatal: bool = False
    warnings: list[RowError] = field(default_factory=list)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int = 1
    columns: dict[str, str] = field(default_factory=dict)      # header found → field path
    ignored_columns: list[str] = field(default_factory=list)   # headers not in the template
    rows_read: int = 0                                         # non-blank data rows
    rejected_rows: list[int] = field(default_factory=list)     # file rows with conversion errors
    _scalar_headers: dict[str, str] = field(default_factory=dict)
    _sources: list[tuple[tuple[_PhoneSource, ...], tuple[tuple[str, dict[str, str]], ...]]] = \
        field(default_factory=list)

    def locate(self, error: RowError) -> RowError:
        """Turn an error of `validate_cases(self.raw_cases, row_numbers=self.row_numbers)` into
        file terms: the field path becomes the column header it came from."""
        m = _CASE_PATH_RE.match(error.field)
        if m is None:
            return error
        i, rest = int(m.group(1)), m.group(2).lstrip(".")
        header = self._header_for(i, rest) if i < len(self._sources) else None
        return RowError(error.row, header or rest or "row", error.reason)

    def _header_for(self, i: int, rest: str) -> str | None:
        if not rest:
            return None
        phones, addresses = self._sources[i]
        if m := _PHONE_ERR_RE.match(rest):
            j, sub = int(m.group(1)), m.group(2) or "number"
            if j < len(phones):
                src = phones[j]
                return getattr(src, sub, None) or src.number
            return None
        if m := _ADDRESS_ERR_RE.match(rest):
            j, sub = int(m.group(1)), m.group(2)
            if j < len(addresses):
                subs = addresses[j][1]
                return subs.get(sub or "line") or subs.get("line") or next(iter(subs.values()), None)
            return None
        if rest.startswith("flags"):
            return self._scalar_headers.get("flags") or self._scalar_headers.get("flags[]")
        h = self._scalar_headers.get(rest)
        if h is None:
            if rest == "placed_amount":
                h = self._scalar_headers.get("principal")
            elif rest == "dpd":
                h = self._scalar_headers.get("overdue_since")
            elif rest.startswith("last_payment"):
                h = self._scalar_headers.get("last_payment.on") or self._scalar_headers.get("last_payment.amount")
            elif rest == "debtor":
                h = self._scalar_headers.get("debtor.name")
        return h


_CASE_PATH_RE = re.compile(r"cases\[(\d+)\](.*)")
_PHONE_ERR_RE = re.compile(r"phones\[(\d+)\](?:\.(\w+))?")
_ADDRESS_ERR_RE = re.compile(r"addresses\[(\d+)\](?:\.(\w+))?")


def validate_upload(parsed: ParsedUpload, *, placed_on: date, today: date,
                    max_errors_per_row: int = 20,
                    limits: ValidationLimits = DEFAULT_LIMITS) -> ValidationResult:
    """Validate a parsed upload: `ValidCase.row` and every `RowError.row` are file row numbers,
    every error's field is the column header; conversion errors and validation errors together,
    ordered by row. A fatal parse gives no valid case and the file-level errors."""
    if parsed.fatal:
        return ValidationResult([], list(parsed.errors))
    result = validate_cases(parsed.raw_cases, placed_on=placed_on, today=today,
                            max_errors_per_row=max_errors_per_row, row_numbers=parsed.row_numbers,
                            limits=limits)
    errors = list(parsed.errors) + [parsed.locate(e) for e in result.errors]
    errors.sort(key=lambda e: e.row)     # stable: within a row, conversion errors first
    return ValidationResult(result.valid, errors)


# --- reading files -----------------------------------------------------------------------------
class _FileError(Exception):
    """The file as a whole cannot be used; args[0] is the reason for the client."""


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
        raise _FileError("the file is an HTML/XML page (often saved with an .xls name), not a "
                         "spreadsheet; export it as XLSX or CSV")
    return "csv"


_LOSSY = " (some bytes undecodable)"


def _decode(content: bytes, encoding: str | None) -> tuple[str, str]:
    """Bytes → text. Returns (text, encoding); the encoding ends in `_LOSSY` when a few bytes could
    not be decoded (they become U+FFFD and the rows holding them are rejected, not the file)."""
    if encoding:
        try:
            return content.decode(encoding), encoding
        except UnicodeDecodeError as e:
            raise _FileError(f"the file is not valid {encoding} text ({e.reason} at byte {e.start})") from None
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):   # Excel "Unicode text"
        text = content.decode("utf-16", errors="replace")
        bad = text.count("\ufffd")
        if bad == 0:
            return text, "utf-16"
        if bad * 1000 <= len(text):
            return text, "utf-16" + _LOSSY
        raise _FileError("the file starts like UTF-16 text but is not valid UTF-16")
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
        return text, "utf-8" + _LOSSY
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
        return text, "gb18030" + _LOSSY
    raise _FileError("cannot read the file: not a spreadsheet and not text in a known encoding")


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
    except _FileError:
        out.format = "unknown"
        raise
    if out.encoding.endswith(_LOSSY):
        out.warnings.append(RowError(0, "file", f"the file is {out.encoding.removesuffix(_LOSSY)} text with a few "
                                                "undecodable bytes; rows holding them are rejected"))
    if text.startswith("\ufeff"):
        text = text[1:]
    delim = template.delimiter or _sniff_delimiter(text, template.header_row)
    out.delimiter = delim
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as e:
        raise _FileError(f"the CSV file is malformed: {e}") from None


def _read_workbook(content: bytes, template: ImportTemplate, out: ParsedUpload) -> list[list[Any]]:
    try:
        import python_calamine as pc
        wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(content))
        metas = wb.sheets_metadata
        names = [m.name for m in metas]
        if not names:
            raise _FileError("the workbook has no sheet")
        sheet = template.sheet
        if sheet is None:      # the first visible worksheet (not a chart sheet, not hidden)
            idx = next((k for k, m in enumerate(metas)
                        if str(m.typ).endswith("WorkSheet") and str(m.visible).endswith("Visible")), 0)
            ws = wb.get_sheet_by_index(idx)
        elif isinstance(sheet, int):
            if not 0 <= sheet < len(names):
                raise _FileError(f"the workbook has no sheet number {sheet} (it has {len(names)})")
            ws = wb.get_sheet_by_index(sheet)
        else:
            if sheet not in names:
                raise _FileError(f"the workbook has no sheet named {sheet!r} (sheets: {', '.join(names)})")
            ws = wb.get_sheet_by_name(sheet)
        out.sheet = ws.name
        return ws.to_python(skip_empty_area=False)
    except _FileError:
        raise
    except Exception as e:  # noqa: BLE001 - calamine raises several types; all mean "unreadable"
        reason = _calamine_reason(e)
        if out.format == "xlsx" and reason is None:
            return _read_openpyxl(content, template, out, e)
        raise _FileError(reason or f"cannot read the spreadsheet ({type(e).__name__}: {e})") from None


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
        raise _FileError(f"the XLSX file is corrupt or not a spreadsheet ({first})") from None


def _col_letter(idx: int) -> str:
    s = ""
    idx += 1
    while idx:
        idx, r = divmod(idx - 1, 26)
        s = chr(65 + r) + s
    return s


def _is_blank(row: list[Any]) -> bool:
    for cell in row:
        if cell is None:
            continue
        if type(cell) is str:
            if cell.strip(CELL_WHITESPACE):
                return False
        else:
            return False
    return True


def parse_upload(content: bytes, filename: str, template: ImportTemplate, *,
                 max_rows: int | None = None) -> ParsedUpload:
    """Read a CSV/XLSX/XLS/ODS upload through a client's template (R-3). Never raises for a bad
    file: problems come back as `errors` (with `fatal=True` when nothing could be read)."""
    out = ParsedUpload(format="unknown", header_row=template.header_row)
    # Parsing allocates millions of small objects and no cycles: the cyclic GC would only rescan
    # them again and again (see validate_cases).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        if not content:
            raise _FileError("the file is empty")
        out.format = _sniff_format(content, filename)
        ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
        if ext in ("csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods") and \
                (ext in ("csv", "txt", "tsv")) != (out.format == "csv"):
            out.warnings.append(RowError(0, "file", f"the file's content is {out.format.upper()} "
                                                    f"although its name ends in .{ext}; read as {out.format.upper()}"))
        rows = (_read_csv if out.format == "csv" else _read_workbook)(content, template, out)
        _convert_rows(rows, template, out, max_rows)
    except _FileError as e:
        out.fatal = True
        out.raw_cases, out.row_numbers, out._sources = [], [], []
        out.errors = [RowError(0, "file", e.args[0])]
    except Exception as e:  # noqa: BLE001 - last resort: a bad file must never become a 500
        out.fatal = True
        out.raw_cases, out.row_numbers, out._sources = [], [], []
        out.errors = [RowError(0, "file", f"cannot read the file ({type(e).__name__})")]
    finally:
        if gc_was_enabled:
            gc.enable()
    return out


@dataclass(slots=True)
class _Column:
    idx: int
    header: str
    spec: FieldSpec
    conv: CellConverter


def _convert_rows(rows: list[list[Any]], template: ImportTemplate, out: ParsedUpload,
                  max_rows: int | None) -> None:
    hr = template.header_row
    if len(rows) < hr:
        raise _FileError(f"the file has no header row {hr} (it has {len(rows)} rows)")
    header = rows[hr - 1]
    columns: list[_Column] = []
    seen: dict[str, int] = {}
    for idx, cell in enumerate(header):
        text = clean_text(cell)
        norm = normalise_header(text)
        if not norm:
            continue               # blank or merged-away header cell
        spec = template._specs.get(norm)
        if spec is None:
            out.ignored_columns.append(text)
            continue
        if norm in seen:
            raise _FileError(f"column {text!r} appears twice (columns {_col_letter(seen[norm])} "
                             f"and {_col_letter(idx)})")
        seen[norm] = idx
        conv = CellConverter(spec, template.conversion_for(spec.path), template.default_conversion)
        columns.append(_Column(idx, text, spec, conv))
        out.columns[text] = spec.path
    present = {c.spec.path for c in columns}
    missing: list[str] = []
    by_path: dict[str, list[str]] = {}
    for norm, spec in template._specs.items():
        by_path.setdefault(spec.path, []).append(template._headers[norm])
    for need in (("account_ref",), ("debtor.name",), ("debtor.id_number",),
                 ("placed_amount", "principal"), ("dpd", "overdue_since")):
        if not present.intersection(need):
            missing.append(" or ".join(h for p in need for h in by_path.get(p, [])))
    absent = [template._headers[n] for n in template._specs if n not in seen]
    if template.require_all_columns:
        missing = absent
    if missing:
        raise _FileError(f"missing required column(s) in header row {hr}: " + ", ".join(missing))
    for h in absent:
        out.warnings.append(RowError(hr, h, "column not in the file"))
    for c in columns:
        if c.spec.target == "scalar":
            out._scalar_headers[c.spec.path] = c.header
        elif c.spec.target == "flag":
            out._scalar_headers.setdefault("flags[]", c.header)

    data = rows[hr:]
    # trailing blank rows are never data (Excel exports carry many)
    end = len(data)
    while end and _is_blank(data[end - 1]):
        end -= 1
    if max_rows is not None:
        n_data = sum(1 for r in data[:end] if not _is_blank(r)) if template.skip_blank_rows else end
        if n_data > max_rows:
            raise _FileError(f"the file has {n_data} data rows, more than the limit of {max_rows}")

    raw_cases, row_numbers, sources, errors = out.raw_cases, out.row_numbers, out._sources, out.errors
    rejected = out.rejected_rows
    rows_read = 0
    lossy = bool(out.encoding and out.encoding.endswith(_LOSSY))
    # In a CSV, a row longer than the header usually means an unquoted delimiter inside a value:
    # every later column is shifted, so the row is refused rather than read wrongly.
    width = len(header) if out.format == "csv" else None
    contact_numbers = sorted({c.spec.arg for c in columns if c.spec.target == "contact"})
    contact_src: dict[int, _PhoneSource] = {}
    for n in contact_numbers:
        hs = {c.spec.sub: c.header for c in columns if c.spec.target == "contact" and c.spec.arg == n}
        contact_src[n] = _PhoneSource(hs.get("phone", ""), hs.get("name"), hs.get("relationship"),
                                      hs.get("knows_debt"))
    for k in range(end):
        row = data[k]
        file_row = hr + k + 1
        if _is_blank(row):
            if not template.skip_blank_rows:
                errors.append(RowError(file_row, "row", "blank row"))
                rejected.append(file_row)
            continue
        rows_read += 1
        if width is not None and len(row) > width and not _is_blank(row[width:]):
            errors.append(RowError(file_row, "row", f"the row has {len(row)} cells but the header has "
                                   f"{width} (a delimiter inside an unquoted value?)"))
            rejected.append(file_row)
            continue
        case: dict[str, Any] = {}
        phones: list[dict[str, Any]] = []
        phone_src: list[_PhoneSource] = []
        contacts: dict[int, dict[str, Any]] = {}
        addresses: dict[str, dict[str, Any]] = {}
        address_src: dict[str, dict[str, str]] = {}
        row_errors = 0
        n_cells = len(row)
        for col in columns:
            cell = row[col.idx] if col.idx < n_cells else None
            if lossy and type(cell) is str and "\ufffd" in cell:
                errors.append(RowError(file_row, col.header, "bytes that are not valid "
                                       f"{out.encoding.removesuffix(_LOSSY)} text (file encoding)"))
                row_errors += 1
                continue
            try:
                value = col.conv.convert(cell)
            except ValueError as e:
                errors.append(RowError(file_row, col.header, str(e)))
                row_errors += 1
                continue
            if value is None:
                continue
            spec = col.spec
            target = spec.target
            if target == "scalar":
                keys = spec.keys
                if len(keys) == 1:
                    key = keys[0]
                    if key in case and spec.path in MULTI_COLUMN_FIELDS:
                        case[key] = f"{case[key]}; {value}"
                    elif key == "flags" and key in case:
                        case[key].extend(f for f in value if f not in case[key])
                    else:
                        case[key] = value
                else:
                    case.setdefault(keys[0], {})[keys[1]] = value
            elif target == "phones":
                src = _PhoneSource(col.header)
                for number in value:
                    phones.append({"number": number, "kind": spec.arg, "owner": "debtor"})
                    phone_src.append(src)
            elif target == "contact":
                contacts.setdefault(spec.arg, {})[spec.sub] = value
            elif target == "address":
                addresses.setdefault(spec.arg, {})[spec.sub] = value
                address_src.setdefault(spec.arg, {})[spec.sub] = col.header
            else:  # flag column: yes/no
                if value:
                    flags = case.setdefault("flags", [])
                    if spec.arg not in flags:
                        flags.append(spec.arg)
        if row_errors:
            rejected.append(file_row)
            continue
        for n in contact_numbers:
            ct = contacts.get(n)
            if not ct:
                continue
            numbers = ct.get("phone")
            if not numbers:
                out.warnings.append(RowError(file_row, contact_src[n].name or contact_src[n].relationship or "",
                                             f"contact {n} has no phone number; not imported"))
                continue
            for number in numbers:
                ph: dict[str, Any] = {"number": number,
                                      "kind": "mobile" if looks_like_mobile(number) else "other",
                                      "owner": "contact"}
                for key in ("name", "relationship", "knows_debt"):
                    if key in ct:
                        ph[key] = ct[key]
                phones.append(ph)
                phone_src.append(contact_src[n])
        if phones:
            case["phones"] = phones
        addr_src_list: list[tuple[str, dict[str, str]]] = []
        if addresses:
            case["addresses"] = [{"kind": kind, **parts} for kind, parts in addresses.items()]
            addr_src_list = [(kind, address_src[kind]) for kind in addresses]
        lp = case.get("last_payment")
        if lp is not None and "on" not in lp and _is_zero_amount(lp.get("amount")):
            del case["last_payment"]        # "0.00" and no date: there was no last payment
        raw_cases.append(case)
        row_numbers.append(file_row)
        sources.append((tuple(phone_src), tuple(addr_src_list)))
    out.rows_read = rows_read


def _is_zero_amount(v: Any) -> bool:
    if v is None:
        return True
    try:
        return float(v) == 0.0
    except (TypeError, ValueError):
        return False


def iter_template_fields() -> Iterable[str]:
    """Every field path form a template may use (for documentation and UIs)."""
    yield from SCALAR_FIELDS
    for k in sorted(PHONE_KINDS):
        yield f"phones[{k}]"
    for sub in CONTACT_SUBFIELDS:
        yield f"contacts[N].{sub}"
    for kind in sorted(ADDRESS_KINDS):
        for sub in ADDRESS_SUBFIELDS:
            yield f"addresses[{kind}].{sub}"
    for f in FLAGS:
        yield f"flags[{f}]"


# The example template of R-3, with the headers Chinese banks' exports typically carry.
EXAMPLE_TEMPLATE_COLUMNS: dict[str, str] = {
    "姓名": "debtor.name",
    "身份证号": "debtor.id_number",
    "卡号": "account_ref",
    "委案金额": "placed_amount",
    "本金": "principal",
    "利息": "interest",
    "费用": "fees",
    "逾期天数": "dpd",
    "手机号码": "phones[mobile]",
    "家庭电话": "phones[home]",
    "单位电话": "phones[work]",
    "联系人1姓名": "contacts[1].name",
    "联系人1关系": "contacts[1].relationship",
    "联系人1电话": "contacts[1].phone",
    "户籍地址": "addresses[household_registration].line",
    "单位名称": "employer",
    "备注": "remarks",
}
EXAMPLE_TEMPLATE = ImportTemplate(
    client_id="example", name="银行信用卡委案模板（示例）", version=1, columns=EXAMPLE_TEMPLATE_COLUMNS)
