"""Reading one spreadsheet cell (R-3): what bank exports put in cells, turned into the JSON values
of contracts.md §1 — or a reason why not. Used by `convert.convert_rows`; pure.

Excel damage is reported, never "repaired" into a wrong value: ID and card numbers stored as
numbers (digits lost) or in scientific notation, landlines that lost their leading 0, float noise in
amounts (accepted only within 1e-6 of a two-decimal value). Full-width characters are folded (NFKC),
thousands separators, currency signs, odd spaces and Excel's leading apostrophe removed.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..model import FLAGS

if TYPE_CHECKING:
    from .fields import FieldSpec
    from .model import FieldConversion

# --- conversions -------------------------------------------------------------------------------
DEFAULT_DATE_FORMATS = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日",
    "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M", "%Y-%m-%dT%H:%M:%S",
)
DEFAULT_YES_NO: dict[str, bool] = {
    "是": True, "否": False, "y": True, "n": False, "yes": True, "no": False, "true": True,
    "false": False, "1": True, "0": False, "知情": True, "不知情": False, "有": True, "无": False,
    "√": True, "×": False,
}
DEFAULT_GENDER: dict[str, str] = {
    "男": "M", "女": "F", "男性": "M", "女性": "F", "m": "M", "f": "F", "male": "M", "female": "F",
}
DEFAULT_FLAG_VALUES: dict[str, str | None] = {
    **{f: f for f in FLAGS},
    "投诉": "complaint_history", "有投诉": "complaint_history", "曾投诉": "complaint_history",
    "投诉历史": "complaint_history",
    "争议": "dispute", "异议": "dispute", "纠纷": "dispute",
    "欺诈": "fraud_claim", "伪冒": "fraud_claim", "冒用": "fraud_claim", "声称欺诈": "fraud_claim",
    "盗卡": "stolen_card", "盗刷": "stolen_card", "被盗": "stolen_card",
    "停催": "do_not_contact", "勿催": "do_not_contact", "禁止联系": "do_not_contact",
    "勿扰": "do_not_contact", "禁止催收": "do_not_contact",
    "特殊人群": "special_population", "重病": "special_population", "大病": "special_population",
    "困难": "special_population", "孕妇": "special_population", "孕期": "special_population",
    "无": None, "否": None, "-": None,
}
DEFAULT_CURRENCY: dict[str, str] = {
    "人民币": "CNY", "rmb": "CNY", "元": "CNY", "美元": "USD", "港币": "HKD", "港元": "HKD",
}
_DEFAULT_VALUES: dict[str, dict[str, Any]] = {
    "yes_no": DEFAULT_YES_NO, "gender": DEFAULT_GENDER, "flags": DEFAULT_FLAG_VALUES,
    "currency": DEFAULT_CURRENCY,
}


_DEFAULT_SPLIT = ",;/、|\n"


# --- cell conversion ---------------------------------------------------------------------------
CELL_WHITESPACE = " \t\r\n\u00a0\u3000\ufeff\u200b\u200c\u200d\u2060"
_HEADER_DROP = re.compile(r"[\s\u00a0\u3000\ufeff\u200b\u200c\u200d\u2060*＊]+")
_SCI_RE = re.compile(r"[+-]?\d+(?:\.\d*)?[eE][+-]?\d+")
_CURRENCY_SIGNS = re.compile(r"^(?:¥|￥|RMB|CNY)\s*|\s*元$", re.IGNORECASE)
_INT_RE = re.compile(r"\d+")
_EXTRA_AMOUNT_RE = re.compile(r"-?\d{1,16}(?:\.\d{1,2})?")
_EXCEL_EPOCH = date(1899, 12, 30)   # serial 1 = 1900-01-01 (with Excel's 1900 leap-year bug)


class CellNote(Exception):
    """A cell read with a warning (R-4): `args` = (the value to use, the reason). A phone damaged
    by Excel is kept as its text — the validation marks it invalid — and the reason says why."""


def normalise_header(header: Any) -> str:
    """How headers are compared: NFKC, no whitespace anywhere (wrapped header cells), no `*`
    required-markers."""
    if header is None:
        return ""
    s = header if type(header) is str else str(header)
    return _HEADER_DROP.sub("", unicodedata.normalize("NFKC", s))


def _nfkc(s: str) -> str:
    return s if s.isascii() else unicodedata.normalize("NFKC", s)


def clean_text(cell: Any) -> str:
    """Any cell as trimmed text (dates ISO, integral floats without .0)."""
    t = type(cell)
    if t is str:
        return cell.strip(CELL_WHITESPACE)
    if cell is None:
        return ""
    if t is float:
        return str(int(cell)) if cell.is_integer() else repr(cell)
    if t is datetime:
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(" ")
    if t is date:
        return cell.isoformat()
    return str(cell)


def _clean_number_text(s: str) -> str:
    """Text of a number-like cell: NFKC (full-width digits), no Excel leading apostrophe."""
    if not s.isascii():
        s = unicodedata.normalize("NFKC", s).strip(CELL_WHITESPACE)
    if s[:1] == "'" or s[:1] == "`":
        s = s[1:].strip(CELL_WHITESPACE)
    return s


class CellConverter:
    """A compiled converter for one column: `convert(cell) -> value | None`, raising ValueError."""

    __slots__ = ("kind", "formats", "thousands", "grouped_re", "decimal", "values", "split_re", "label",
                 "convert")

    def __init__(self, spec: FieldSpec, conv: FieldConversion, default: FieldConversion) -> None:
        self.kind = spec.kind
        self.formats = tuple(conv.date_formats or default.date_formats or DEFAULT_DATE_FORMATS)
        th = conv.thousands_separator if conv.thousands_separator is not None else default.thousands_separator
        self.thousands = "," if th is None else th
        self.grouped_re = re.compile(r"\d{1,3}(?:" + re.escape(self.thousands) + r"\d{3})+") \
            if self.thousands else None
        self.decimal = conv.decimal_separator or default.decimal_separator or "."
        base = _DEFAULT_VALUES.get(spec.kind, {})
        given = {(_nfkc(k).strip(CELL_WHITESPACE).lower()): v for k, v in (conv.values or {}).items()}
        self.values = {**base, **given}
        split = conv.split or default.split or _DEFAULT_SPLIT
        self.split_re = re.compile("[" + re.escape(split) + "]+")
        self.label = {"account": "card/account number", "id_number": "ID number"}.get(spec.kind, "")
        # convert(cell) -> JSON value, or None for "no value"; raises ValueError with the reason
        self.convert = getattr(self, "_" + self.kind)

    # -- kinds --
    def _text(self, cell: Any) -> Any:
        s = clean_text(cell)
        if not s:
            return None
        if self.values:
            return self.values.get(s.lower(), s)
        return s

    def _identifier(self, cell: Any) -> str | None:
        t = type(cell)
        if t is float or t is int:
            x = float(cell)
            if not x.is_integer() or abs(x) >= 1e15:
                raise ValueError(f"{self.label} mangled by Excel (stored as a number, digits lost); "
                                 "format the column as text")
            return str(int(x))
        s = _clean_number_text(clean_text(cell))
        if not s:
            return None
        if _SCI_RE.fullmatch(s):
            raise ValueError(f"{self.label} mangled by Excel (scientific notation)")
        return s

    _account = _identifier
    _id_number = _identifier

    def _phones(self, cell: Any) -> list[str] | None:
        """Phone numbers of a cell. R-4: Excel damage is a warning (CellNote), never a rejected
        row nor a "repaired" number: the text is kept and marked invalid by the validation."""
        t = type(cell)
        if t is float or t is int:
            x = float(cell)
            if not x.is_integer():
                raise CellNote([clean_text(cell)], "phone number mangled by Excel (stored as a decimal number)")
            s = str(int(x))
            if s[:1] != "1" and 9 <= len(s) <= 11:
                raise CellNote([s], "phone number stored as a number in Excel lost its leading 0")
            return [s]
        s = _clean_number_text(clean_text(cell))
        if not s:
            return None
        out = []
        damaged = False
        for part in self.split_re.split(s):
            part = part.strip(CELL_WHITESPACE)
            if not part:
                continue
            damaged = damaged or _SCI_RE.fullmatch(part) is not None
            out.append(part)
        if damaged:
            raise CellNote(out, "phone number mangled by Excel (scientific notation)")
        return out or None

    def _amount(self, cell: Any) -> str | None:
        t = type(cell)
        if t is int:
            return str(cell)
        if t is float:
            if not math.isfinite(cell):
                raise ValueError("not a number")
            q = round(cell, 2)
            if abs(cell - q) > 1e-6:
                raise ValueError("amount has more than two decimals")
            return f"{q:.2f}"
        s = _clean_number_text(clean_text(cell))
        if not s:
            return None
        s = _CURRENCY_SIGNS.sub("", s).strip()
        neg = False
        if s[:1] == "(" and s[-1:] == ")":       # accounting negative: (500.00)
            s, neg = s[1:-1].strip(), True
        th, dec = self.thousands, self.decimal
        if th and th in s:
            int_part, sep, frac = s.partition(dec)
            sign = "-" if int_part[:1] == "-" else ""
            if self.grouped_re.fullmatch(int_part.lstrip("-").strip()) is None:
                raise ValueError("malformed thousands separators")
            s = sign + int_part.lstrip("-").strip().replace(th, "") + ("." + frac if sep else "")
        elif dec != ".":
            s = s.replace(dec, ".")
        if _SCI_RE.fullmatch(s):
            raise ValueError("amount in scientific notation")
        return "-" + s if neg else s

    # R-3 client fields (extra.<name>): a cell that is not what the template says is kept as text,
    # with a warning — a client field is shown to collectors, never used by a rule.
    def _extra_amount(self, cell: Any) -> str | None:
        text = clean_text(cell)
        try:
            value = self._amount(cell)
        except ValueError as e:
            raise CellNote(text, f"{e}; kept as text") from None
        if value is not None and _EXTRA_AMOUNT_RE.fullmatch(value) is None:
            raise CellNote(text, "not an amount; kept as text")
        return value

    def _extra_date(self, cell: Any) -> str | None:
        try:
            return self._date(cell)
        except ValueError:
            raise CellNote(clean_text(cell), "not a date; kept as text") from None

    def _int(self, cell: Any) -> Any:
        t = type(cell)
        if t is int:
            return cell
        if t is float:
            if not cell.is_integer():
                raise ValueError("must be a whole number")
            return int(cell)
        s = _clean_number_text(clean_text(cell))
        if not s:
            return None
        s = s.removesuffix("天").removesuffix("days").strip()
        if _INT_RE.fullmatch(s):
            return int(s)
        try:
            x = float(s.replace(",", ""))
        except ValueError:
            raise ValueError("must be a whole number") from None
        if not x.is_integer():
            raise ValueError("must be a whole number")
        return int(x)

    def _date(self, cell: Any) -> str | None:
        t = type(cell)
        if t is date:
            return cell.isoformat()
        if t is datetime:
            return cell.date().isoformat()
        if t is float or t is int:
            x = float(cell)
            if x.is_integer() and 19000101 <= x <= 21001231:     # 20260801 typed as a number
                return self._date(str(int(x)))
            if 1 <= x < 2958466:                                 # an Excel date serial
                return (_EXCEL_EPOCH + timedelta(days=int(x))).isoformat()
            raise ValueError("not a date")
        if t is timedelta or cell.__class__.__name__ == "time":
            raise ValueError("not a date")
        s = _clean_number_text(clean_text(cell))
        if not s:
            return None
        if len(s) == 10 and s[4] == "-" and s[7] == "-":
            try:
                return date.fromisoformat(s).isoformat()
            except ValueError:
                pass
        for fmt in self.formats:
            try:
                return datetime.strptime(s, fmt).date().isoformat()
            except ValueError:
                continue
        raise ValueError("not a date in an accepted format (" + ", ".join(
            f.replace("%Y", "YYYY").replace("%m", "MM").replace("%d", "DD") for f in self.formats[:5]) + ")")

    def _gender(self, cell: Any) -> str | None:
        s = _nfkc(clean_text(cell))
        if not s:
            return None
        return self.values.get(s.lower(), s)

    def _currency(self, cell: Any) -> str | None:
        s = _nfkc(clean_text(cell))
        if not s:
            return None
        return self.values.get(s.lower(), s.upper())

    def _yes_no(self, cell: Any) -> bool | None:
        if type(cell) is bool:
            return cell
        if type(cell) in (int, float) and cell in (0, 1):
            return bool(cell)
        s = _nfkc(clean_text(cell)).lower()
        if not s:
            return None
        v = self.values.get(s)
        if type(v) is not bool:
            raise ValueError("expected yes or no (" + "/".join(
                k for k, b in self.values.items() if type(b) is bool and not k.isascii()) + ")")
        return v

    def _flags(self, cell: Any) -> list[str] | None:
        s = _nfkc(clean_text(cell))
        if not s:
            return None
        out: list[str] = []
        for part in self.split_re.split(s):
            part = part.strip(CELL_WHITESPACE)
            if not part:
                continue
            key = part.lower()
            if key in self.values:
                v = self.values[key]
                if v is not None and v not in out:
                    out.append(v)
            else:
                out.append(part)      # validate_cases reports it as an unknown flag
        return out or None
