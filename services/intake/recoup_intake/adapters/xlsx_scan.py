"""An XLSX judged by its real content before it is read (issue 14 item 1).

A spreadsheet reader allocates the sheet as a dense grid from its first to its last cell: a
1.8 KB file with a header row and one value at XFD1048576 asked python-calamine for 16,384 ×
1,048,576 cells and aborted the process; one value at ZZ100000 took 14 s and 2.8 GB. So before the
workbook is opened:

- the zip itself: how many parts, and how many bytes they really unpack to — streamed and counted,
  never trusting the sizes the archive declares — in total and per part (a zip bomb, e.g. a shared
  strings table of repeated text, has an absurd ratio of unpacked to packed bytes);
- the sheet that will be read (as the reader picks it: the template's sheet, else the first
  visible worksheet): its XML streamed, every cell that holds a value placed (its `r` reference,
  or its position in the row), so the grid the reader will build is known — columns, rows, and
  their product — and bounded. A declared `<dimension>` and empty styled cells are not content
  (the reader skips them too).

Anything beyond a limit is a FileError naming the limit (the upload's 422). Pure Python, streaming:
the sheet is never held whole in memory here. This runs in the bounded upload worker process
(upload_worker.py), whose memory and time limits catch whatever a crafted file still manages.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

from ..rules.templates import FileError

_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CHUNK = 1 << 20
_TOKEN = re.compile(rb"<(/?)(?:[\w.-]+:)?(row|c)\b([^>]*?)(/?)>")
# The common layout (Excel, WPS, openpyxl, most bank exports): `r` first, no namespace prefix — a
# cell holding a value is found by one C-level scan; anything else takes the tokenizer below.
_VALUE_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*>\s*<(?:v|is|f)\b')
_PREFIXED = re.compile(rb"<[\w.-]+:sheetData\b")
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d{1,7})"')
_ROW_R = re.compile(rb'\br="(\d{1,7})"')


@dataclass(frozen=True)
class XlsxLimits:
    max_cells: int = 10_000_000              # the grid a reader allocates: rows × columns
    max_columns: int = 1024
    max_unzipped_bytes: int = 1 << 30        # all parts together, really unpacked
    max_part_ratio: int = 200                # unpacked : packed bytes of one part over 1 MiB
    max_parts: int = 10_000


@dataclass(frozen=True)
class SheetExtent:
    name: str
    rows: int               # the last row holding a value (1-based), 0 for an empty sheet
    columns: int            # the last column holding a value (1-based)
    cells: int              # cells holding a value


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _column_name(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _read_part(z: zipfile.ZipFile, info: zipfile.ZipInfo, limits: XlsxLimits, budget: list[int]):
    """The part's bytes in chunks, counted against the part's ratio and the whole budget."""
    seen = 0
    try:
        with z.open(info) as f:
            while chunk := f.read(_CHUNK):
                seen += len(chunk)
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise FileError(f"the XLSX file unpacks to more than {limits.max_unzipped_bytes:,} bytes "
                                    "(the limit); send a smaller file or CSV")
                if seen > (1 << 20) and seen > limits.max_part_ratio * max(info.compress_size, 1):
                    raise FileError(f"the XLSX part {info.filename} unpacks to more than {limits.max_part_ratio} "
                                    "times its packed size (the limit; a zip bomb?)")
                yield chunk
    except FileError:
        raise
    except Exception as e:  # noqa: BLE001 - BadZipFile (bad CRC), zlib.error, EOFError: a corrupt part
        raise FileError(f"the XLSX file is corrupt ({type(e).__name__} in {info.filename})") from None


def _reader(z: zipfile.ZipFile, info: zipfile.ZipInfo, limits: XlsxLimits, budget: list[int]):
    """read() -> the part's chunks; the first reading is counted in the budget, a second (the
    tokenizer after the fast scan gave up) is not: the same bytes."""
    calls = [0]

    def read():
        calls[0] += 1
        return _read_part(z, info, limits, budget if calls[0] == 1 else [limits.max_unzipped_bytes])
    return read


def _small_xml(z: zipfile.ZipFile, name: str, limits: XlsxLimits, budget: list[int]) -> ElementTree.Element | None:
    """A small part (workbook, relationships) parsed; None when absent or not XML. Expat refuses
    entity expansion bombs; no external entity is ever fetched."""
    try:
        info = z.getinfo(name)
    except KeyError:
        return None
    if info.file_size > (16 << 20):
        raise FileError(f"the XLSX part {name} is larger than 16 MiB (the limit)")
    data = b"".join(_read_part(z, info, limits, budget))
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheets(z: zipfile.ZipFile, limits: XlsxLimits, budget: list[int]) -> list[tuple[str, str, bool]]:
    """(name, part path, is a visible worksheet) of every sheet, in workbook order."""
    workbook = _small_xml(z, "xl/workbook.xml", limits, budget)
    rels = _small_xml(z, "xl/_rels/workbook.xml.rels", limits, budget)
    if workbook is None or rels is None:
        return []
    targets = {}
    for rel in rels:
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = (re.sub(r"[^/]+/\.\./", "", path), (rel.get("Type") or "").endswith("/worksheet"))
    out = []
    for el in workbook.iter():
        if _local(el.tag) == "sheet":
            path, is_sheet = targets.get(el.get(f"{{{_NS_REL}}}id"), ("", False))
            out.append((el.get("name") or "", path, is_sheet and el.get("state", "visible") == "visible"))
    return out


def _pick(sheets: list[tuple[str, str, bool]], wanted: str | int | None) -> tuple[str, str] | None:
    """The sheet the reader will read (adapters/spreadsheets.py picks it the same way)."""
    if wanted is None:
        chosen = next((s for s in sheets if s[2]), sheets[0] if sheets else None)
    elif isinstance(wanted, int):
        chosen = sheets[wanted] if 0 <= wanted < len(sheets) else None
    else:
        chosen = next((s for s in sheets if s[0] == wanted), None)
    return (chosen[0], chosen[1]) if chosen else None


def scan_sheet(read, name: str, limits: XlsxLimits) -> SheetExtent:
    """The real extent of a sheet's XML (`read()`: its chunks, streamed; called again if the
    fast scan cannot be used): the last row and column holding a value, bounded."""
    extent = _fast_scan(read(), name, limits)
    if extent is None:
        extent = _token_scan(read(), name, limits)
    _check(extent, limits)
    return extent


def _fast_scan(chunks, name: str, limits: XlsxLimits) -> SheetExtent | None:
    """None when a cell of the sheet is not in the common layout."""
    tail = b""
    columns: set[bytes] = set()
    max_row = cells = max_col = 0
    first = True
    for chunk in chunks:
        data = tail + chunk
        if first and _PREFIXED.search(data[:1 << 16]):
            return None
        first = False
        cut = len(data)                           # what is cut at the chunk's end: next round, whole
        lt = data.rfind(b"<")
        if lt > data.rfind(b">"):
            cut = lt                              # a tag
        c = data.rfind(b"<c", 0, cut)
        if c >= 0 and data.find(b"</c>", c) < 0 and data.find(b"/>", c) < 0:
            cut = c                               # a cell
        part, tail = data[:cut], data[cut:]
        if part.count(b"<c ") + part.count(b"<c>") != part.count(b'<c r="'):
            return None
        found = _VALUE_CELL.findall(part)
        if found:
            cells += len(found)
            new = {c for c, _ in found} - columns
            if new:
                columns |= new
                max_col = max(max_col, *map(_column_number, new))
            max_row = max(max_row, max(int(r) for _, r in found))
            if max_col > limits.max_columns or max_row * max_col > limits.max_cells:
                break                             # refused by the caller: no need to read further
    if tail.count(b"<c ") + tail.count(b"<c>") != tail.count(b'<c r="'):
        return None
    for c, r in _VALUE_CELL.findall(tail):
        cells += 1
        max_row, max_col = max(max_row, int(r)), max(max_col, _column_number(c))
    return SheetExtent(name, max_row, max_col, cells)


def _token_scan(chunks, name: str, limits: XlsxLimits) -> SheetExtent:
    """Every `<row>` and `<c>` tag, in order: cells without `r`, prefixed names, any layout."""
    tail = b""
    offset = 0                   # stream position of tail[0]
    row = col = max_row = max_col = cells = 0
    open_end = -1                # stream position right after the last `<c ...>` (not self-closing)
    open_ref: tuple[int, int] | None = None
    for chunk in chunks:
        data = tail + chunk
        last = 0
        for m in _TOKEN.finditer(data):
            closing, tag, attrs, selfclosing = m.group(1), m.group(2), m.group(3), m.group(4)
            last = m.end()
            if tag == b"row":
                if not closing:
                    r = _ROW_R.search(attrs)
                    row = int(r.group(1)) if r else row + 1
                    col = 0
                continue
            if closing:                           # </c>: a value unless it closes at once
                if open_ref is not None and offset + m.start() != open_end:
                    cells += 1
                    max_row, max_col = max(max_row, open_ref[0]), max(max_col, open_ref[1])
                    if max_col > limits.max_columns or max_row * max_col > limits.max_cells:
                        break
                open_ref = None
                continue
            ref = _REF.search(attrs)
            if ref:
                col, row = _column_number(ref.group(1)), int(ref.group(2))
            else:
                col += 1
            if not selfclosing:
                open_ref, open_end = (row, col), offset + m.end()
        if max_col > limits.max_columns or max_row * max_col > limits.max_cells:
            break                                 # refused below: no need to read further
        keep = max(last, len(data) - 4096)        # an unfinished tag stays for the next chunk
        offset += keep
        tail = data[keep:]
    return SheetExtent(name, max_row, max_col, cells)


def _check(extent: SheetExtent, limits: XlsxLimits) -> None:
    where = f"values up to {_column_name(extent.columns)}{extent.rows}"
    if extent.columns > limits.max_columns:
        raise FileError(f"sheet {extent.name!r} has values up to column {_column_name(extent.columns)} "
                        f"({extent.columns:,} columns); at most {limits.max_columns:,} columns are read (the limit)")
    grid = extent.rows * extent.columns
    if grid > limits.max_cells:
        raise FileError(f"sheet {extent.name!r} spans {extent.rows:,} rows × {extent.columns:,} columns "
                        f"({where}) = {grid:,} cells; at most {limits.max_cells:,} cells are read (the limit)")


def inspect_xlsx(content: bytes, sheet: str | int | None, limits: XlsxLimits) -> SheetExtent | None:
    """Raise FileError when the workbook is beyond a limit; the extent of the sheet to be read
    (None when the workbook's structure is not the usual one: every worksheet is then scanned)."""
    try:
        z = zipfile.ZipFile(io.BytesIO(content))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise FileError("the XLSX file is corrupt or not a spreadsheet (not a readable zip archive)") from None
    if len(infos) > limits.max_parts:
        raise FileError(f"the XLSX file has more than {limits.max_parts:,} parts (the limit)")
    budget = [limits.max_unzipped_bytes]
    chosen = _pick(_sheets(z, limits, budget), sheet)
    extent = None
    for info in infos:
        path = info.filename
        if chosen is not None and path == chosen[1]:
            extent = scan_sheet(_reader(z, info, limits, budget), chosen[0], limits)
        elif chosen is None and path.startswith("xl/worksheets/") and path.endswith(".xml"):
            scan_sheet(_reader(z, info, limits, budget), path, limits)
        else:
            for _ in _read_part(z, info, limits, budget):  # counted: every part the reader may unpack
                pass
    return extent
