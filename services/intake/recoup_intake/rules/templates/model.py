"""A client's import template (R-3): configuration, not code — which column header feeds which
case field (fields.py), plus how the cells of a field are read (FieldConversion, cells.py).
Validated as a whole: a template that could silently misplace personal data is refused."""

from __future__ import annotations

import codecs
import dataclasses
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from ..model import FLAGS
from .cells import normalise_header
from .fields import FIELD_PATH_HELP, MULTI_COLUMN_FIELDS, REQUIRED_FIELDS, FieldSpec, parse_field_path


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
    type: Literal["text", "amount", "date"] | None = Field(
        None, description="client fields (extra.<name>) only: how the cells are read — text (default), "
                          "amount (a decimal, thousands separators and currency signs removed) or date "
                          "(date_formats, Excel dates); a cell that is not one is kept as text, with a warning")

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


class TemplateDefinition(BaseModel):
    """What a data specialist writes (R-3): column header → field path, value conversions, and how
    the file is laid out. Published as the schema of `definition` in the OpenAPI document; the
    mapping as a whole (required fields, columns feeding one field) is judged by ImportTemplate."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    columns: dict[str, str] = Field(
        description="column header → field path: " + FIELD_PATH_HELP,
        examples=[{"客户姓名": "debtor.name", "身份证号": "debtor.id_number", "合同编号": "account_ref",
                   "联系人1手机号码": "contacts[1].phones[mobile]", "申请号": "extra.申请号"}])
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

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                codecs.lookup(v)
            except LookupError:
                raise ValueError(f"unknown encoding {v!r}") from None
        return v

    @field_validator("sheet")
    @classmethod
    def _sheet(cls, v: str | int | None) -> str | int | None:
        if isinstance(v, int) and not 0 <= v < 1000:
            raise ValueError("sheet index must be 0..999")
        if isinstance(v, str) and not 0 < len(v) <= 100:
            raise ValueError("sheet name must be 1..100 characters")
        return v


class ImportTemplate(TemplateDefinition):
    """A client's import template (R-3): its definition, validated as a whole."""

    client_id: str = Field(min_length=1, max_length=64)
    name: str = Field(min_length=1, max_length=100)
    version: int = Field(1, ge=1, le=2**31 - 1)

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
        specs, headers, by_path, problems = _map_columns(self.columns)
        if specs or not problems:
            problems += [f"the template must map {' or '.join(need)}" for need in REQUIRED_FIELDS
                         if not set(by_path).intersection(need)]
        problems += _check_conversions(self.conversions, by_path)
        if self.default_conversion.values:
            problems.append("default_conversion cannot hold a value map (maps are per field)")
        if problems:
            raise ValueError("; ".join(problems) + (
                f" — {FIELD_PATH_HELP}" if any("unknown" in p for p in problems) else ""))
        for norm, spec in specs.items():  # a client field is read as its conversion's type
            if spec.target == "extra":
                typ = self.conversion_for(spec.path).type or "text"
                specs[norm] = dataclasses.replace(spec, kind="text" if typ == "text" else f"extra_{typ}")
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


def _map_columns(columns: dict[str, str]) -> tuple[dict[str, FieldSpec], dict[str, str], dict[str, list[str]], list[str]]:
    """(normalised header → spec, normalised → header as configured, field path → headers,
    problems) of a template's `columns`."""
    problems: list[str] = []
    specs: dict[str, FieldSpec] = {}
    headers: dict[str, str] = {}
    if not columns:
        problems.append("columns must map at least one header")
    by_path: dict[str, list[str]] = {}
    for header, path in columns.items():
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
        if len(hs) > 1 and parse_field_path(path).target in ("scalar", "contact", "contact_address", "address",
                                                             "flag", "extra") \
                and path not in MULTI_COLUMN_FIELDS:
            problems.append(f"field {path!r} is fed by several columns ({', '.join(map(repr, hs))})")
    return specs, headers, by_path, problems


def _check_conversions(conversions: dict[str, FieldConversion], by_path: dict[str, list[str]]) -> list[str]:
    problems: list[str] = []
    for path, conv in conversions.items():
        try:
            spec = parse_field_path(path)
        except ValueError as e:
            problems.append(f"conversions: {e}")
            continue
        if spec.path not in by_path:
            problems.append(f"conversions: field {path!r} is not mapped by any column")
        if conv.type is not None and spec.target != "extra":
            problems.append(f"conversions[{path!r}]: `type` is for client fields (extra.<name>) only")
        if conv.values:
            problems.extend(_check_values(spec, conv.values))
    return problems


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
