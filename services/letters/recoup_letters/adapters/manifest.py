"""The post office's dispatch manifest (交寄清单, R-33): one row per letter, in sequence order.

CSV in UTF-8 with a BOM (Excel opens it with the right characters) or GB18030 (older post-office
systems); XLSX through openpyxl's write-only mode (rows go to disk as they come: memory stays flat).
Cells that a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) are prefixed with an
apostrophe: names and addresses come from clients and must not run as formulas.
"""

from __future__ import annotations

import csv
import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..rules import checkcode
from ..rules.model import MAIL_CLASS_ZH, MailClass

COLUMNS = ("序号", "收件人", "收件地址", "邮政编码", "邮件种类", "挂号/快递单号", "核对码")
ENCODINGS = ("utf-8-sig", "gb18030")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class ManifestRow:
    sequence: int
    recipient: str
    address: str
    postcode: str
    mail_class: MailClass
    tracking_no: str = ""
    check_code: str = ""

    def cells(self) -> list[object]:
        return [self.sequence, _safe(self.recipient), _safe(self.address), self.postcode,
                MAIL_CLASS_ZH[self.mail_class], _safe(self.tracking_no),
                checkcode.display(self.check_code) if self.check_code else ""]


@dataclass(frozen=True, slots=True)
class ManifestOptions:
    formats: tuple[str, ...] = ("csv", "xlsx")
    csv_encoding: str = "utf-8-sig"
    name: str = "manifest"

    def __post_init__(self) -> None:
        if self.csv_encoding not in ENCODINGS:
            raise ValueError(f"csv_encoding must be one of {ENCODINGS}")
        bad = set(self.formats) - {"csv", "xlsx"}
        if bad:
            raise ValueError(f"unknown manifest formats: {sorted(bad)}")


@dataclass(frozen=True, slots=True)
class ManifestFile:
    format: str
    path: str
    rows: int
    size: int
    sha256: str


def _safe(text: str) -> str:
    return "'" + text if text and text.startswith(_FORMULA_START) else text


def manifest_row(letter, tracking_no: str = "") -> ManifestRow:
    """The manifest row of a pdf.PrintLetter."""
    env = letter.envelope
    return ManifestRow(letter.sequence, env.recipient_name, "".join(env.address_lines), env.postcode,
                       env.mail_class, tracking_no, letter.check_code)


class ManifestWriter:
    """Rows in one at a time; the files are complete after close()."""

    def __init__(self, directory: str | Path, opts: ManifestOptions = ManifestOptions()) -> None:
        self.opts = opts
        self.rows = 0
        self._paths: dict[str, str] = {}
        self._csv_file = self._csv = self._wb = self._ws = None
        if "csv" in opts.formats:
            path = self._paths["csv"] = os.path.join(directory, f"{opts.name}.csv")
            self._csv_file = open(path, "w", encoding=opts.csv_encoding, newline="")
            self._csv = csv.writer(self._csv_file)
            self._csv.writerow(COLUMNS)
        if "xlsx" in opts.formats:
            from openpyxl import Workbook

            self._paths["xlsx"] = os.path.join(directory, f"{opts.name}.xlsx")
            self._wb = Workbook(write_only=True)
            self._ws = self._wb.create_sheet("交寄清单")
            for col, width in zip("ABCDEFG", (8, 14, 60, 10, 10, 20, 14)):
                self._ws.column_dimensions[col].width = width
            self._ws.freeze_panes = "A2"
            self._ws.append(list(COLUMNS))

    def add(self, letter) -> None:
        self.add_row(manifest_row(letter))

    def add_row(self, row: ManifestRow) -> None:
        cells = row.cells()
        if self._csv is not None:
            self._csv.writerow(cells)
        if self._ws is not None:
            self._ws.append(cells)
        self.rows += 1

    def close(self) -> list[ManifestFile]:
        if self._csv_file is not None:
            self._csv_file.close()
        if self._wb is not None:
            self._wb.save(self._paths["xlsx"])
        out = []
        for fmt, path in self._paths.items():
            with open(path, "rb") as f:
                data = f.read()
            out.append(ManifestFile(fmt, path, self.rows, len(data), hashlib.sha256(data).hexdigest()))
        return out


    def abort(self) -> None:
        """Close without a result (the batch failed): no open file, no openpyxl temp file left."""
        if self._csv_file is not None:
            self._csv_file.close()
        if self._ws is not None:
            try:
                self._ws.close()
                writer = getattr(self._ws, "_writer", None)   # openpyxl keeps rows in a temp file
                if writer is not None:
                    writer.cleanup()
            except Exception:  # noqa: BLE001 - best effort on an already failing path
                pass


def write_manifest(rows: Iterable[ManifestRow], directory: str | Path,
                   opts: ManifestOptions = ManifestOptions()) -> list[ManifestFile]:
    """A manifest from rows (e.g. again once the tracking numbers are known)."""
    writer = ManifestWriter(directory, opts)
    try:
        for row in rows:
            writer.add_row(row)
    finally:
        files = writer.close()
    return files
