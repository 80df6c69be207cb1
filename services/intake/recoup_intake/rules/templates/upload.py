"""An upload read through a template (R-3, R-4): the rows in the JSON shape of contracts.md §1,
with where each value came from, so validation errors name the file's row and column header."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..model import DEFAULT_LIMITS, RowError, ValidationLimits, ValidationResult
from ..validation import validate_cases


class FileError(Exception):
    """The file as a whole cannot be used; args[0] is the reason for the client, `row` the file
    row where the problem is (0: the file as a whole)."""

    def __init__(self, reason: str, *, row: int = 0) -> None:
        super().__init__(reason)
        self.row = row


# Suffix of ParsedUpload.encoding when a few bytes could not be decoded (they become U+FFFD and
# the rows holding them are rejected, not the file).
LOSSY = " (some bytes undecodable)"


@dataclass(frozen=True, slots=True)
class PhoneSource:
    """Which column(s) a raw case's phone came from (to name them in errors)."""

    number: str
    name: str | None = None
    relationship: str | None = None
    knows_debt: str | None = None
    employer: str | None = None


@dataclass(slots=True)
class ParsedUpload:
    """What `adapters.spreadsheets.parse_upload` read. `raw_cases` have the JSON shape of contracts.md; `row_numbers[i]`
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
    _sources: list[tuple[tuple[PhoneSource, ...], tuple[tuple[str, dict[str, str]], ...]]] = \
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
        if rest.startswith("extra"):
            return self._scalar_headers.get(rest) or self._scalar_headers.get("extra")
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
    return ValidationResult(result.valid, errors, [parsed.locate(w) for w in result.warnings])


