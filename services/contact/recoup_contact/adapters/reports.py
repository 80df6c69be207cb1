"""Report files: CSV (UTF-8 with a BOM, so Excel opens Chinese headers right) and XLSX (openpyxl in
write-only mode: rows stream into the workbook without holding cell objects)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _safe(value: Any) -> Any:
    """Cells that a spreadsheet would run as a formula are quoted (CSV/XLSX injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([_safe(v) for v in row])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str = "催记报告") -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=title[:31] or "report")
    ws.append(list(headers))
    for row in rows:
        ws.append([_safe(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write(fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, title: str) -> bytes:
    return write_xlsx(headers, rows, title=title) if fmt == "xlsx" else write_csv(headers, rows)
