"""From a file's rows (lists of cells, as a CSV or spreadsheet reader gives them) to raw cases of
exactly the JSON shape of contracts.md §1, through a client's template (R-3) — so uploads and JSON
pushes go through the same `validate_cases`. Every conversion error carries the *file row
number* and the *column header*; nothing is dropped silently (R-4)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from recoup_shared.identifiers import looks_like_mobile

from ..model import RowError
from .cells import CELL_WHITESPACE, CellConverter, CellNote, clean_text, normalise_header
from .fields import MULTI_COLUMN_FIELDS, REQUIRED_FIELDS, FieldSpec
from .model import ImportTemplate
from .upload import LOSSY, FileError, ParsedUpload, PhoneSource


@dataclass(slots=True)
class _Column:
    idx: int
    header: str
    spec: FieldSpec
    conv: CellConverter


@dataclass(slots=True)
class _Row:
    """What one data row's cells gave, before contacts and addresses are put together. A
    contact's phones are (kind or None: guessed, number, header)."""
    case: dict[str, Any] = field(default_factory=dict)
    phones: list[dict[str, Any]] = field(default_factory=list)
    phone_src: list[PhoneSource] = field(default_factory=list)
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    contact_phones: dict[int, list[tuple[str | None, str, str]]] = field(default_factory=dict)
    contact_addresses: dict[int, dict[str, dict[str, Any]]] = field(default_factory=dict)
    contact_address_src: dict[int, dict[str, dict[str, str]]] = field(default_factory=dict)
    addresses: dict[str, dict[str, Any]] = field(default_factory=dict)
    address_src: dict[str, dict[str, str]] = field(default_factory=dict)


def col_letter(idx: int) -> str:
    """0 -> A, 27 -> AB (spreadsheet column names, for messages)."""
    s = ""
    idx += 1
    while idx:
        idx, r = divmod(idx - 1, 26)
        s = chr(65 + r) + s
    return s


def is_blank(row: list[Any]) -> bool:
    for cell in row:
        if cell is None:
            continue
        if type(cell) is str:
            if cell.strip(CELL_WHITESPACE):
                return False
        else:
            return False
    return True


def _map_columns(header: list[Any], template: ImportTemplate, out: ParsedUpload) -> tuple[list[_Column], set[str]]:
    """The header row's cells the template maps (and the normalised headers found)."""
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
            raise FileError(f"column {text!r} appears twice (columns {col_letter(seen[norm])} "
                            f"and {col_letter(idx)})")
        seen[norm] = idx
        conv = CellConverter(spec, template.conversion_for(spec.path), template.default_conversion)
        columns.append(_Column(idx, text, spec, conv))
        out.columns[text] = spec.path
    return columns, set(seen)


def _check_columns(columns: list[_Column], seen: set[str], template: ImportTemplate, out: ParsedUpload) -> None:
    """The required columns are there (or every mapped one, if the template says so)."""
    hr = template.header_row
    present = {c.spec.path for c in columns}
    by_path: dict[str, list[str]] = {}
    for norm, spec in template._specs.items():
        by_path.setdefault(spec.path, []).append(template._headers[norm])
    missing = [" or ".join(h for p in need for h in by_path.get(p, [])) for need in REQUIRED_FIELDS
               if not present.intersection(need)]
    absent = [template._headers[n] for n in template._specs if n not in seen]
    if template.require_all_columns:
        missing = absent
    if missing:
        raise FileError(f"missing required column(s) in header row {hr}: " + ", ".join(missing))
    for h in absent:
        out.warnings.append(RowError(hr, h, "column not in the file"))
    for c in columns:
        if c.spec.target == "scalar":
            out._scalar_headers[c.spec.path] = c.header
        elif c.spec.target == "flag":
            out._scalar_headers.setdefault("flags[]", c.header)
        elif c.spec.target == "extra":
            out._scalar_headers[c.spec.path] = c.header
            out._scalar_headers.setdefault("extra", c.header)


def _data_end(data: list[list[Any]], template: ImportTemplate, max_rows: int | None) -> int:
    """Where the data ends: trailing blank rows are never data (Excel exports carry many)."""
    end = len(data)
    while end and is_blank(data[end - 1]):
        end -= 1
    if max_rows is not None:
        n_data = sum(1 for r in data[:end] if not is_blank(r)) if template.skip_blank_rows else end
        if n_data > max_rows:
            raise FileError(f"the file has {n_data} data rows, more than the limit of {max_rows}")
    return end


_CONTACT_TARGETS = ("contact", "contact_phones", "contact_address")


def _contact_sources(columns: list[_Column]) -> dict[int, PhoneSource]:
    """Contact number -> the columns its name, relationship, knows_debt and employer come from
    (`number`: its `contacts[N].phone` column, if any; a phone names its own column)."""
    out: dict[int, PhoneSource] = {}
    for n in sorted({c.spec.arg for c in columns if c.spec.target in _CONTACT_TARGETS}):  # type: ignore[type-var]
        hs = {c.spec.sub: c.header for c in columns if c.spec.target == "contact" and c.spec.arg == n}
        out[n] = PhoneSource(hs.get("phone", ""), hs.get("name"), hs.get("relationship"), hs.get("knows_debt"),
                             hs.get("employer"))
    return out


def _put(r: _Row, col: _Column, value: Any) -> None:
    """A converted cell into the row's case (or its phones, contacts, addresses)."""
    spec = col.spec
    target = spec.target
    if target == "scalar":
        keys = spec.keys
        if len(keys) == 1:
            key = keys[0]
            case = r.case
            if key in case and spec.path in MULTI_COLUMN_FIELDS:
                case[key] = f"{case[key]}; {value}"
            elif key == "flags" and key in case:
                case[key].extend(f for f in value if f not in case[key])
            else:
                case[key] = value
        else:
            r.case.setdefault(keys[0], {})[keys[1]] = value
    elif target == "phones":
        src = PhoneSource(col.header)
        for number in value:
            r.phones.append({"number": number, "kind": spec.arg, "owner": "debtor"})
            r.phone_src.append(src)
    elif target == "contact":
        if spec.sub == "phone":  # kind guessed from the number
            r.contact_phones.setdefault(spec.arg, []).extend((None, v, col.header) for v in value)  # type: ignore[arg-type]
        else:
            r.contacts.setdefault(spec.arg, {})[spec.sub] = value  # type: ignore[index]
    elif target == "contact_phones":
        r.contact_phones.setdefault(spec.arg, []).extend((spec.sub, v, col.header) for v in value)  # type: ignore[arg-type]
    elif target == "contact_address":
        r.contact_addresses.setdefault(spec.arg, {}).setdefault(spec.sub, {})[spec.part] = value  # type: ignore[arg-type,index]
        r.contact_address_src.setdefault(spec.arg, {}).setdefault(spec.sub, {})[spec.part] = col.header  # type: ignore[arg-type,index]
    elif target == "extra":
        r.case.setdefault("extra", {})[spec.arg] = value
    elif target == "address":
        r.addresses.setdefault(spec.arg, {})[spec.sub] = value  # type: ignore[index,arg-type]
        r.address_src.setdefault(spec.arg, {})[spec.sub] = col.header  # type: ignore[index,arg-type]
    elif value:  # flag column: yes/no
        flags = r.case.setdefault("flags", [])
        if spec.arg not in flags:
            flags.append(spec.arg)


def _cells(row: list[Any], file_row: int, columns: list[_Column], out: ParsedUpload, lossy: bool) -> _Row | None:
    """The row's cells converted; None when a cell has an error (listed, with its header)."""
    r = _Row()
    errors = out.errors
    row_errors = 0
    n_cells = len(row)
    for col in columns:
        cell = row[col.idx] if col.idx < n_cells else None
        if lossy and type(cell) is str and "\ufffd" in cell:
            errors.append(RowError(file_row, col.header, "bytes that are not valid "
                                   f"{out.encoding.removesuffix(LOSSY)} text (file encoding)"))  # type: ignore[union-attr]
            row_errors += 1
            continue
        try:
            value = col.conv.convert(cell)
        except CellNote as note:  # read with a warning (a phone damaged by Excel, kept invalid)
            value, reason = note.args
            out.warnings.append(RowError(file_row, col.header, reason))
        except ValueError as e:
            errors.append(RowError(file_row, col.header, str(e)))
            row_errors += 1
            continue
        if value is not None:
            _put(r, col, value)
    return None if row_errors else r


def _add_contacts(r: _Row, contact_src: dict[int, PhoneSource], file_row: int, out: ParsedUpload,
                  addr_src_list: list[tuple[str, dict[str, str]]]) -> None:
    """Contact persons become phones and addresses of owner "contact", each with the contact's
    name and relationship (R-18); a contact with neither: a warning."""
    for n, src in contact_src.items():
        ct = r.contacts.get(n) or {}
        numbers = r.contact_phones.get(n) or []
        places = r.contact_addresses.get(n) or {}
        if not numbers and not places:
            if ct:
                out.warnings.append(RowError(file_row, src.name or src.relationship or src.employer or "",
                                             f"contact {n} has no phone number or address; not imported"))
            continue
        person = {key: ct[key] for key in ("name", "relationship") if key in ct}
        for kind, number, header in numbers:
            ph: dict[str, Any] = {"number": number, "owner": "contact",
                                  "kind": kind or ("mobile" if looks_like_mobile(number) else "other"), **person}
            if "knows_debt" in ct:
                ph["knows_debt"] = ct["knows_debt"]
            if "employer" in ct:
                ph["employer"] = ct["employer"]
            r.phones.append(ph)
            r.phone_src.append(PhoneSource(header, src.name, src.relationship, src.knows_debt, src.employer))
        for kind, parts in places.items():
            address = {"kind": kind, "owner": "contact", **person, **parts}
            if kind == "work" and "employer" in ct:
                address["employer"] = ct["employer"]
            r.case.setdefault("addresses", []).append(address)
            addr_src_list.append((kind, {**({"name": src.name} if src.name else {}),
                                         **r.contact_address_src[n][kind]}))


def _finish_case(r: _Row, contact_src: dict[int, PhoneSource], file_row: int, out: ParsedUpload) -> None:
    """The row's raw case, with where its phones and addresses came from."""
    case = r.case
    addr_src_list: list[tuple[str, dict[str, str]]] = []
    if r.addresses:
        case["addresses"] = [{"kind": kind, **parts} for kind, parts in r.addresses.items()]
        addr_src_list = [(kind, r.address_src[kind]) for kind in r.addresses]
    _add_contacts(r, contact_src, file_row, out, addr_src_list)
    if r.phones:
        case["phones"] = r.phones
    lp = case.get("last_payment")
    if lp is not None and "on" not in lp and _is_zero_amount(lp.get("amount")):
        del case["last_payment"]        # "0.00" and no date: there was no last payment
    out.raw_cases.append(case)
    out.row_numbers.append(file_row)
    out._sources.append((tuple(r.phone_src), tuple(addr_src_list)))


def convert_rows(rows: list[list[Any]], template: ImportTemplate, out: ParsedUpload,
                 max_rows: int | None) -> None:
    """Fill `out` from the file's rows: raw cases, their file rows, and every problem found.
    Raises FileError when the file as a whole cannot be used."""
    hr = template.header_row
    if len(rows) < hr:
        raise FileError(f"the file has no header row {hr} (it has {len(rows)} rows)")
    header = rows[hr - 1]
    columns, seen = _map_columns(header, template, out)
    _check_columns(columns, seen, template, out)
    data = rows[hr:]
    end = _data_end(data, template, max_rows)
    lossy = bool(out.encoding and out.encoding.endswith(LOSSY))
    # In a CSV, a row longer than the header usually means an unquoted delimiter inside a value:
    # every later column is shifted, so the row is refused rather than read wrongly.
    width = len(header) if out.format == "csv" else None
    contact_src = _contact_sources(columns)
    errors, rejected = out.errors, out.rejected_rows
    rows_read = 0
    for k in range(end):
        row = data[k]
        file_row = hr + k + 1
        if is_blank(row):
            if not template.skip_blank_rows:
                errors.append(RowError(file_row, "row", "blank row"))
                rejected.append(file_row)
            continue
        rows_read += 1
        if width is not None and len(row) > width and not is_blank(row[width:]):
            errors.append(RowError(file_row, "row", f"the row has {len(row)} cells but the header has "
                                   f"{width} (a delimiter inside an unquoted value?)"))
            rejected.append(file_row)
            continue
        r = _cells(row, file_row, columns, out, lossy)
        if r is None:
            rejected.append(file_row)
            continue
        _finish_case(r, contact_src, file_row, out)
    out.rows_read = rows_read


def _is_zero_amount(v: Any) -> bool:
    if v is None:
        return True
    try:
        return float(v) == 0.0
    except (TypeError, ValueError):
        return False
