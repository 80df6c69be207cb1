"""Per-row validation of a placement's cases (R-2, R-4). Pure: no I/O, no framework.

`validate_cases` takes the `cases` array exactly as the client sent it (decoded JSON, or the output
of `templates.parse_upload`) and splits it into accepted `ValidCase`s and `RowError`s. A row with
any error is rejected whole, with every error listed (row, field path, reason); the other rows are
still accepted (R-4). Nothing is altered silently: normalisations that change a value's spelling but
not its meaning (spaces in numbers, full-width digits, the 15-digit ID number's 18-character form)
keep the value as given next to the normalised one, and business corrections (the client's stated
total winning over principal+interest+fees, a duplicate phone dropped) leave a warning on the case.

Speed matters (100,000-case placements): plain functions and dataclasses, regexes compiled once,
no pydantic per row, no exceptions on the happy path.

Reasons never contain the personal data being validated: they end up in logs and API answers.
"""

from __future__ import annotations

import gc
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from recoup_shared.vocabulary import CLIENT_FLAGS, dpd_bucket

from recoup_shared.identifiers import (IdNumberError, PhoneError, normalise_account_ref,  # noqa: F401
                                      parse_id_number, parse_phone)

# --- vocabularies (contracts.md §1) ------------------------------------------------------------
FLAGS: tuple[str, ...] = CLIENT_FLAGS
PHONE_KINDS = frozenset({"mobile", "home", "work", "other"})
PHONE_OWNERS = frozenset({"debtor", "contact"})
ADDRESS_KINDS = frozenset({"household_registration", "home", "work", "other"})

CASE_FIELDS = frozenset({
    "account_ref", "product", "debtor", "currency", "principal", "interest", "fees",
    "placed_amount", "dpd", "overdue_since", "last_payment", "credit_limit", "phones",
    "addresses", "employer", "flags", "remarks",
})
DEBTOR_FIELDS = frozenset({"name", "id_number", "gender", "birth_date"})
PHONE_FIELDS = frozenset({"number", "kind", "owner", "name", "relationship", "knows_debt"})
ADDRESS_FIELDS = frozenset({"kind", "province", "city", "district", "line", "employer"})
LAST_PAYMENT_FIELDS = frozenset({"on", "amount"})

# Warning codes carried by accepted cases.
W_TOTAL_MISMATCH = "total_mismatch"                   # the client's stated total wins
W_BREAKDOWN_MISSING = "amount_breakdown_missing"      # only placed_amount given
W_DUPLICATE_PHONE = "duplicate_phone"                 # a repeated number was dropped


@dataclass(frozen=True, slots=True)
class ValidationLimits:
    """Configurable bounds (defaults fit contracts.md and numeric(18,2) columns)."""

    name_max: int = 64
    remarks_max: int = 2000
    text_max: int = 200                 # address line, product, relationship...
    region_max: int = 32                # province / city / district
    employer_max: int = 128
    account_ref_max: int = 64
    max_amount: Decimal = Decimal("9999999999999999.99")
    max_dpd: int = 36500
    max_phones: int = 50
    max_addresses: int = 20


DEFAULT_LIMITS = ValidationLimits()


# --- results -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class RowError:
    """One problem with one row: `row` is the 0-based index into `cases` (or the file row number
    for uploads), `field` the path (`cases[3].debtor.id_number`) or the file's column header."""

    row: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass(slots=True)
class ValidPhone:
    number: str                  # canonical national dialling form: 13800138000, 037165432100
    number_given: str            # as the client sent it
    extension: str | None
    kind: str                    # mobile | home | work | other
    owner: str                   # debtor | contact
    name: str | None
    relationship: str | None
    knows_debt: bool | None
    is_mobile: bool              # the number is a mobile (whatever `kind` says)


@dataclass(slots=True)
class ValidAddress:
    kind: str                    # household_registration | home | work | other
    province: str | None
    city: str | None
    district: str | None
    line: str
    employer: str | None


@dataclass(slots=True)
class ValidCase:
    row: int                     # index into `cases` (file row number for uploads)
    account_ref: str             # spaces/dashes removed, full-width folded
    product: str | None          # per-case override of the placement's product
    debtor_name: str
    id_number: str               # as given (trimmed, NFKC, upper-case X): 18 or 15 characters
    id_number_18: str            # 18-character form, for matching
    gender: str                  # M | F (from the ID number; a given value must agree)
    birth_date: date             # from the ID number
    currency: str
    principal: Decimal
    interest: Decimal
    fees: Decimal
    placed_amount: Decimal       # the client's stated total when given
    dpd: int
    overdue_since: date
    dpd_bucket: str
    last_payment_on: date | None
    last_payment_amount: Decimal | None
    credit_limit: Decimal | None
    phones: list[ValidPhone]
    addresses: list[ValidAddress]
    employer: str | None
    flags: list[str]
    remarks: str | None
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ValidationResult:
    valid: list[ValidCase]
    errors: list[RowError]

    @property
    def accepted(self) -> int:
        return len(self.valid)

    @property
    def rejected_rows(self) -> list[int]:
        """Rejected row labels, ascending, each once."""
        return sorted({e.row for e in self.errors})

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})


# --- scalar parsers ----------------------------------------------------------------------------
class _Bad(Exception):
    """A field's value is invalid; args[0] is the reason. Raised only on the error path."""


Q2 = Decimal("0.01")
_DAYS = tuple(timedelta(days=n) for n in range(2000))
_PLAIN_AMOUNT_RE = re.compile(r"\d{1,17}(?:\.\d{1,2})?")
_AMOUNT_RE = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)")
_SCI_RE = re.compile(r"[+-]?\d+(?:\.\d*)?[eE][+-]?\d+")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ACCOUNT_RE = re.compile(r"[0-9A-Za-z_./]+")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")
# Chinese (incl. extension blocks and compatibility ideographs) and Latin letters; names of
# ethnic minorities use a middle dot (阿卜杜拉·艾买提), Latin names spaces, dots, hyphens, apostrophes.
_LETTER = "A-Za-z\u00c0-\u024f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NAME_RE = re.compile(f"[{_LETTER}][{_LETTER}\u00b7.'\\- ]*")
_MIDDLE_DOTS = str.maketrans({c: "\u00b7" for c in "\u2022\u30fb\u2027\u2219\u22c5\uff65\u16eb"})
_WS = " \t\r\n\u00a0\u3000\ufeff"


def _nfkc(s: str) -> str:
    return s if s.isascii() else unicodedata.normalize("NFKC", s)


def parse_amount(value: Any, max_amount: Decimal = DEFAULT_LIMITS.max_amount) -> Decimal:
    """A money amount from JSON: a decimal string or a number, ≥ 0, at most two decimals (zeros
    beyond the second are harmless). A float goes through its shortest repr, so 13830.5 is fine
    and 0.1+0.2 (0.30000000000000004) is refused, never rounded. Returns the amount quantised to
    0.01. Raises _Bad."""
    t = type(value)
    if t is str:
        if _PLAIN_AMOUNT_RE.fullmatch(value) is not None:   # "13830.50": the common case, fast
            d = Decimal(value)
            if d > max_amount:
                raise _Bad(f"amount too large (at most {max_amount})")
            return d if value[-3:-2] == "." else d.quantize(Q2)
        s = _nfkc(value).strip(_WS)
        if _AMOUNT_RE.fullmatch(s) is None:
            if "," in s:
                raise _Bad("thousands separators are not accepted; send a plain decimal like 13830.50")
            if _SCI_RE.fullmatch(s):
                raise _Bad("amount in scientific notation is not accepted")
            raise _Bad("must be a decimal amount like 13830.50")
    elif t is int:
        s = str(value)
    elif t is float:
        if not math.isfinite(value):
            raise _Bad("must be a finite amount")
        s = repr(value)
        if "e" in s:
            s = format(Decimal(s), "f")
    elif t is Decimal:
        if not value.is_finite():
            raise _Bad("must be a finite amount")
        s = format(value, "f")
    else:
        raise _Bad("must be a decimal string or a number")
    frac = s.partition(".")[2]
    if len(frac) > 2 and frac[2:].strip("0"):
        raise _Bad("amount has more than two decimals")
    if s[0] == "-":
        if s.strip("-0."):
            raise _Bad("must be ≥ 0")
        return Decimal("0.00")
    d = Decimal(s)
    if d > max_amount:
        raise _Bad(f"amount too large (at most {max_amount})")
    return d.quantize(Q2)


def parse_iso_date(value: Any) -> date:
    """A date from JSON: `YYYY-MM-DD` only. Raises _Bad."""
    if type(value) is not str:
        raise _Bad("must be a date string YYYY-MM-DD")
    s = value.strip(_WS)
    if len(s) != 10 or _DATE_RE.fullmatch(s) is None:
        raise _Bad("must be a date YYYY-MM-DD")
    try:
        d = date.fromisoformat(s)
    except ValueError:
        raise _Bad("not a real calendar date") from None
    if d.year < 1900:
        raise _Bad("date before 1900")
    return d


def _opt_text(value: Any, max_len: int) -> str | None:
    if value is None:
        return None
    if type(value) is not str:
        raise _Bad("must be a string")
    s = value.strip(_WS)
    if not s:
        return None
    if len(s) > max_len:
        raise _Bad(f"longer than {max_len} characters")
    return s


def parse_name(value: Any, max_len: int = DEFAULT_LIMITS.name_max) -> str:
    """A person's name: 1..max_len Chinese or Latin letters (middle dot, space, . ' - inside)."""
    if type(value) is not str:
        raise _Bad("required" if value is None else "must be a string")
    s = _nfkc(value).strip(_WS)
    if not s:
        raise _Bad("required")
    if len(s) > max_len:
        raise _Bad(f"longer than {max_len} characters")
    if not s.isascii():
        s = s.translate(_MIDDLE_DOTS)
    if _NAME_RE.fullmatch(s) is None:
        raise _Bad("name may only hold Chinese or Latin letters (and · . ' - or spaces inside)")
    return s


def parse_account_ref(value: Any, max_len: int = DEFAULT_LIMITS.account_ref_max) -> str:
    if type(value) is not str:
        if value is None:
            raise _Bad("required")
        raise _Bad("must be a string (card and account numbers lose digits as JSON numbers)")
    s = normalise_account_ref(value)
    if not s:
        raise _Bad("required")
    if ("E" in s or "e" in s) and _SCI_RE.fullmatch(s):
        raise _Bad("account number mangled by Excel (scientific notation)")
    if len(s) > max_len:
        raise _Bad(f"longer than {max_len} characters")
    if _ACCOUNT_RE.fullmatch(s) is None:
        raise _Bad("may only hold letters, digits and _ . /")
    return s


def _dpd(value: Any, max_dpd: int) -> int:
    t = type(value)
    if t is int:
        n = value
    elif t is float and value.is_integer():
        n = int(value)
    elif t is str and (v := _nfkc(value).strip(_WS)).isdigit() and v.isascii():
        n = int(v)
    else:
        raise _Bad("must be a whole number of days")
    if n < 0:
        raise _Bad("must be ≥ 0")
    if n > max_dpd:
        raise _Bad(f"implausible (more than {max_dpd} days)")
    return n


# --- the row validator -------------------------------------------------------------------------
def _text(v: Any, max_len: int) -> tuple[str | None, str | None]:
    """(trimmed text or None when blank, None) or (None, reason)."""
    if v is None:
        return None, None
    if type(v) is not str:
        return None, "must be a string"
    v = v.strip(_WS)
    if len(v) > max_len:
        return None, f"longer than {max_len} characters"
    return v or None, None


def _validate_phones(value: Any, errs: list, limits: ValidationLimits,
                     warnings: list[str]) -> list[ValidPhone]:
    if value is None:
        return []
    if type(value) is not list:
        errs.append((".phones", "must be a list"))
        return []
    if len(value) > limits.max_phones:
        errs.append((".phones", f"more than {limits.max_phones} phones"))
        return []
    out: list[ValidPhone] = []
    seen: set[tuple[str, str | None]] = set()
    for j, ph in enumerate(value):
        if type(ph) is not dict:
            errs.append((f".phones[{j}]", "must be an object"))
            continue
        n_before = len(errs)
        if not PHONE_FIELDS.issuperset(ph):
            for k in ph:
                if k not in PHONE_FIELDS:
                    errs.append((f".phones[{j}].{k}", "unknown field"))
        raw = ph.get("number")
        parsed = None
        if type(raw) is str:
            try:
                parsed = parse_phone(raw)
            except PhoneError as e:
                errs.append((f".phones[{j}].number", str(e)))
        else:
            errs.append((f".phones[{j}].number", "required" if raw is None else "must be a string"))
        kind = ph.get("kind")
        if kind not in PHONE_KINDS:
            errs.append((f".phones[{j}].kind", "required (mobile, home, work or other)" if kind is None
                         else "must be one of mobile, home, work, other"))
        owner = ph.get("owner")
        if owner is None:
            owner = "debtor"
        elif owner not in PHONE_OWNERS:
            errs.append((f".phones[{j}].owner", "must be debtor or contact"))
        name = relationship = None
        v = ph.get("name")
        if owner == "contact":   # a contact must be named and placed
            try:
                name = parse_name(v, limits.name_max)
            except _Bad as e:
                reason = e.args[0]
                errs.append((f".phones[{j}].name",
                             "required for a contact's phone" if reason == "required" else reason))
            relationship, reason = _text(ph.get("relationship"), limits.text_max)
            if relationship is None:
                errs.append((f".phones[{j}].relationship", reason or "required for a contact's phone"))
        else:
            if v is not None:
                name, reason = _text(v, limits.name_max)
                if reason:
                    errs.append((f".phones[{j}].name", reason))
            v = ph.get("relationship")
            if v is not None:
                relationship, reason = _text(v, limits.text_max)
                if reason:
                    errs.append((f".phones[{j}].relationship", reason))
        knows = ph.get("knows_debt")
        if knows is not None and type(knows) is not bool:
            errs.append((f".phones[{j}].knows_debt", "must be true or false"))
        if parsed is None or len(errs) != n_before:
            continue
        key = (parsed.number, parsed.extension)
        if key in seen:
            if W_DUPLICATE_PHONE not in warnings:
                warnings.append(W_DUPLICATE_PHONE)
            continue
        seen.add(key)
        out.append(ValidPhone(parsed.number, raw, parsed.extension, kind, owner, name,
                              relationship, knows, parsed.is_mobile))
    return out


def _validate_addresses(value: Any, errs: list, limits: ValidationLimits) -> list[ValidAddress]:
    if value is None:
        return []
    if type(value) is not list:
        errs.append((".addresses", "must be a list"))
        return []
    if len(value) > limits.max_addresses:
        errs.append((".addresses", f"more than {limits.max_addresses} addresses"))
        return []
    out: list[ValidAddress] = []
    region_max, text_max = limits.region_max, limits.text_max
    for j, ad in enumerate(value):
        if type(ad) is not dict:
            errs.append((f".addresses[{j}]", "must be an object"))
            continue
        n_before = len(errs)
        if not ADDRESS_FIELDS.issuperset(ad):
            for k in ad:
                if k not in ADDRESS_FIELDS:
                    errs.append((f".addresses[{j}].{k}", "unknown field"))
        kind = ad.get("kind")
        if kind not in ADDRESS_KINDS:
            errs.append((f".addresses[{j}].kind",
                         "required (household_registration, home, work or other)" if kind is None
                         else "must be one of household_registration, home, work, other"))
        province, city, district, line = ad.get("province"), ad.get("city"), ad.get("district"), ad.get("line")
        employer = ad.get("employer")
        r1 = r2 = r3 = r4 = r5 = None
        # _text inlined for the common case (strings of plausible length): ~12 calls per case
        if type(province) is str and len(province := province.strip(_WS)) <= region_max:
            province = province or None
        else:
            province, r1 = _text(province, region_max)
        if type(city) is str and len(city := city.strip(_WS)) <= region_max:
            city = city or None
        else:
            city, r2 = _text(city, region_max)
        if type(district) is str and len(district := district.strip(_WS)) <= region_max:
            district = district or None
        else:
            district, r3 = _text(district, region_max)
        if type(line) is str and len(line := line.strip(_WS)) <= text_max:
            line = line or None
        else:
            line, r4 = _text(line, text_max)
        if employer is not None:
            employer, r5 = _text(employer, limits.employer_max)
        if r1 or r2 or r3 or r4 or r5 or line is None:
            for key, reason in (("province", r1), ("city", r2), ("district", r3), ("line", r4),
                                ("employer", r5)):
                if reason:
                    errs.append((f".addresses[{j}].{key}", reason))
            if line is None and not r4:
                errs.append((f".addresses[{j}].line", "required"))
        if len(errs) == n_before:
            out.append(ValidAddress(kind, province, city, district, line, employer))
    return out


def _validate_case(c: dict, placed_on: date, today: date, limits: ValidationLimits,
                   errs: list) -> ValidCase | None:
    """Validate one case object. Appends (field suffix, reason) to errs; returns the case only
    when errs stayed empty."""
    if not CASE_FIELDS.issuperset(c):
        for k in c:
            if k not in CASE_FIELDS:
                errs.append((f".{k}", "unknown field"))
    warnings: list[str] = []
    # account
    account_ref = None
    try:
        account_ref = parse_account_ref(c.get("account_ref"), limits.account_ref_max)
    except _Bad as e:
        errs.append((".account_ref", e.args[0]))
    product = None
    try:
        product = _opt_text(c.get("product"), limits.text_max)
    except _Bad as e:
        errs.append((".product", e.args[0]))

    # debtor
    debtor = c.get("debtor")
    name = idn = None
    has_debtor = type(debtor) is dict
    if not has_debtor:
        errs.append((".debtor", "required" if debtor is None else "must be an object"))
        debtor = {}
    elif not DEBTOR_FIELDS.issuperset(debtor):
        for k in debtor:
            if k not in DEBTOR_FIELDS:
                errs.append((f".debtor.{k}", "unknown field"))
    try:
        name = parse_name(debtor.get("name"), limits.name_max)
    except _Bad as e:
        if has_debtor:
            errs.append((".debtor.name", e.args[0]))
    raw_id = debtor.get("id_number")
    if raw_id is None:
        if has_debtor:
            errs.append((".debtor.id_number", "required"))
    elif type(raw_id) is not str:
        errs.append((".debtor.id_number", "must be a string (ID numbers lose digits as JSON numbers)"))
    elif ("e" in raw_id or "E" in raw_id) and _SCI_RE.fullmatch(raw_id.strip(_WS)):
        errs.append((".debtor.id_number", "ID number mangled by Excel (scientific notation)"))
    else:
        try:
            idn = parse_id_number(raw_id, today=today)
        except IdNumberError as e:
            errs.append((".debtor.id_number", str(e)))
    gender = debtor.get("gender")
    if gender is not None:
        g = gender.strip(_WS).upper() if type(gender) is str else None
        if g not in ("M", "F"):
            errs.append((".debtor.gender", "must be M or F"))
        elif idn is not None and g != idn.gender:
            errs.append((".debtor.gender", f"gender {g} does not match the ID number ({idn.gender})"))
    bd = debtor.get("birth_date")
    if bd is not None:
        try:
            given_bd = parse_iso_date(bd)
            if idn is not None and given_bd != idn.birth_date:
                errs.append((".debtor.birth_date", "birth_date differs from the birth date in the ID number"))
        except _Bad as e:
            errs.append((".debtor.birth_date", e.args[0]))

    # money
    currency = c.get("currency")
    if currency is None:
        currency = "CNY"
    elif type(currency) is str and len(currency) == 3 and currency.isascii() and currency.isupper() and currency.isalpha():
        pass  # already an ISO 4217 code (the common case, fast)
    elif type(currency) is not str or _CURRENCY_RE.fullmatch(cur := currency.strip(_WS).upper()) is None:
        errs.append((".currency", "must be a 3-letter ISO 4217 code like CNY"))
    else:
        currency = cur
    max_amount = limits.max_amount
    parts: list[Decimal | None] = []
    for key in ("principal", "interest", "fees"):
        v = c.get(key)
        if v is None:
            parts.append(None)
            continue
        try:
            parts.append(parse_amount(v, max_amount))
        except _Bad as e:
            errs.append(("." + key, e.args[0]))
            parts.append(Decimal(0))
    placed = None
    v = c.get("placed_amount")
    if v is not None:
        try:
            placed = parse_amount(v, max_amount)
        except _Bad as e:
            errs.append((".placed_amount", e.args[0]))
            placed = Decimal(0)
    principal, interest, fees = parts
    if placed is None and principal is None and interest is None and fees is None:
        errs.append((".placed_amount", "placed_amount or principal/interest/fees required"))
    elif principal is None and interest is None and fees is None:
        principal, interest, fees = placed, Decimal("0.00"), Decimal("0.00")
        warnings.append(W_BREAKDOWN_MISSING)
    else:
        zero = Decimal("0.00")
        principal = principal if principal is not None else zero
        interest = interest if interest is not None else zero
        fees = fees if fees is not None else zero
        total = principal + interest + fees
        if placed is None:
            placed = total
            if placed > max_amount:
                errs.append((".placed_amount", f"amount too large (at most {max_amount})"))
        elif total != placed:
            warnings.append(W_TOTAL_MISMATCH)   # the client's stated total wins, flagged
    credit_limit = None
    v = c.get("credit_limit")
    if v is not None:
        try:
            credit_limit = parse_amount(v, max_amount)
        except _Bad as e:
            errs.append((".credit_limit", e.args[0]))

    # overdue: dpd or overdue_since, the other derived
    dpd = overdue_since = None
    v = c.get("dpd")
    if v is not None:
        try:
            dpd = _dpd(v, limits.max_dpd)
        except _Bad as e:
            errs.append((".dpd", e.args[0]))
    v = c.get("overdue_since")
    bad_overdue = False
    if v is not None:
        try:
            overdue_since = parse_iso_date(v)
            if overdue_since > placed_on:
                errs.append((".overdue_since", "after the placement date"))
                bad_overdue = True
        except _Bad as e:
            errs.append((".overdue_since", e.args[0]))
            bad_overdue = True
    if dpd is None and overdue_since is None:
        if c.get("dpd") is None and c.get("overdue_since") is None:
            errs.append((".dpd", "dpd or overdue_since required"))
    elif dpd is None:
        dpd = (placed_on - overdue_since).days
        if dpd > limits.max_dpd:
            errs.append((".overdue_since", f"implausible (more than {limits.max_dpd} days before placement)"))
    elif overdue_since is None:
        overdue_since = placed_on - _DAYS[dpd] if dpd < len(_DAYS) else placed_on - timedelta(days=dpd)
    elif not bad_overdue and (placed_on - overdue_since).days != dpd:
        errs.append((".dpd", "dpd disagrees with overdue_since (give one of them)"))

    # last payment
    lp_on = lp_amount = None
    lp = c.get("last_payment")
    if lp is not None:
        if type(lp) is not dict:
            errs.append((".last_payment", "must be an object {on, amount}"))
        else:
            for k in lp:
                if k not in LAST_PAYMENT_FIELDS:
                    errs.append((f".last_payment.{k}", "unknown field"))
            try:
                lp_on = parse_iso_date(lp.get("on"))
                if lp_on > today:
                    errs.append((".last_payment.on", "in the future"))
            except _Bad as e:
                errs.append((".last_payment.on", "required" if lp.get("on") is None else e.args[0]))
            if lp.get("amount") is None:
                errs.append((".last_payment.amount", "required"))
            else:
                try:
                    lp_amount = parse_amount(lp.get("amount"), max_amount)
                except _Bad as e:
                    errs.append((".last_payment.amount", e.args[0]))

    phones = _validate_phones(c.get("phones"), errs, limits, warnings)
    addresses = _validate_addresses(c.get("addresses"), errs, limits)

    employer = remarks = None
    try:
        employer = _opt_text(c.get("employer"), limits.employer_max)
    except _Bad as e:
        errs.append((".employer", e.args[0]))
    try:
        remarks = _opt_text(c.get("remarks"), limits.remarks_max)
    except _Bad as e:
        errs.append((".remarks", e.args[0]))

    flags: list[str] = []
    fv = c.get("flags")
    if fv is not None:
        if type(fv) is not list:
            errs.append((".flags", "must be a list"))
        else:
            for j, f in enumerate(fv):
                if f not in FLAGS:  # also refuses non-strings
                    errs.append((f".flags[{j}]", "unknown flag (allowed: " + ", ".join(FLAGS) + ")"))
                elif f not in flags:
                    flags.append(f)

    if errs:
        return None
    return ValidCase(
        0, account_ref, product, name, idn.given, idn.id18, idn.gender, idn.birth_date, currency,
        principal, interest, fees, placed, dpd, overdue_since, dpd_bucket(dpd), lp_on, lp_amount,
        credit_limit, phones, addresses, employer, flags, remarks, warnings,
    )


def validate_cases(
    raw_cases: list[Any],
    *,
    placed_on: date,
    today: date,
    max_errors_per_row: int = 20,
    row_numbers: Sequence[int] | None = None,
    limits: ValidationLimits = DEFAULT_LIMITS,
) -> ValidationResult:
    """Validate every case of a placement (R-4).

    Field paths use the 0-based index into `raw_cases` (`cases[3].debtor.id_number`). `row`
    (RowError.row, ValidCase.row and the "first at row N" of duplicates) is that index too, or
    `row_numbers[i]` when given (file row numbers of an upload). At most `max_errors_per_row`
    errors are listed per row, plus one line saying how many more there were.
    A repeated account_ref (after normalisation) rejects the second and later rows.

    = `check_rows` (each row alone; parts of a placement may be checked in parallel) followed by
    `RowCollector` (the rules across rows, in row order)."""
    collector = RowCollector(row_numbers=row_numbers, max_errors_per_row=max_errors_per_row)
    valid: list[ValidCase] = []
    for i, (vc, errs, key) in enumerate(check_rows(raw_cases, placed_on=placed_on, today=today, limits=limits)):
        if collector.add(i, errs, key):
            vc.row = collector.label(i)  # type: ignore[union-attr]
            valid.append(vc)  # type: ignore[arg-type]
    return ValidationResult(valid, collector.errors)


RowCheck = tuple["ValidCase | None", "list[tuple[str, str]] | None", "str | None"]


def check_rows(raw_cases: Sequence[Any], *, placed_on: date, today: date,
               limits: ValidationLimits = DEFAULT_LIMITS) -> list[RowCheck]:
    """Each row judged on its own: (the valid case or None, its errors as (field suffix, reason)
    — empty when valid, None when the row is not a JSON object —, its account key for the
    duplicate rule: the normalised account_ref, or None)."""
    # Validation allocates a few objects per row and no reference cycles; the cyclic GC would
    # rescan the (large) input again and again for nothing — about 40 % of the time on 100k rows.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        out: list[RowCheck] = []
        append = out.append
        for c in raw_cases:
            if type(c) is not dict:
                append((None, None, None))
                continue
            errs: list[tuple[str, str]] = []
            vc = _validate_case(c, placed_on, today, limits, errs)
            acc = c.get("account_ref")
            key = None
            if type(acc) is str:
                key = (vc.account_ref if vc is not None else normalise_account_ref(acc)) or None
            append((vc, errs, key))
        return out
    finally:
        if gc_was_enabled:
            gc.enable()


class RowCollector:
    """The rules across rows, fed in row order: a repeated account key rejects the second and later
    rows ("first at row N"), and each rejected row's errors are listed (row label, field path
    `cases[i]...`, at most `max_errors_per_row` plus a line saying how many more)."""

    def __init__(self, *, row_numbers: Sequence[int] | None = None, max_errors_per_row: int = 20) -> None:
        self.row_numbers = row_numbers
        self.max_errors_per_row = max_errors_per_row
        self.first_seen: dict[str, int] = {}
        self.errors: list[RowError] = []

    def label(self, i: int) -> int:
        return self.row_numbers[i] if self.row_numbers is not None else i

    def add(self, i: int, errs: list[tuple[str, str]] | None, key: str | None) -> bool:
        """Row i (its check_rows result); True when it is accepted."""
        label = self.label(i)
        if errs is None:
            self.errors.append(RowError(label, f"cases[{i}]", "must be a JSON object"))
            return False
        # Duplicates are judged on the normalised account_ref, even when the row has other errors.
        if key:
            first = self.first_seen.get(key)
            if first is None:
                self.first_seen[key] = label
            else:
                errs = [*errs, (".account_ref", f"duplicate account_ref in this placement (first at row {first})")]
        if not errs:
            return True
        if len(errs) > self.max_errors_per_row:
            more = len(errs) - self.max_errors_per_row
            errs = errs[:self.max_errors_per_row]
            errs.append(("", f"{more} more error(s) in this row not listed"))
        prefix = f"cases[{i}]"
        self.errors.extend(RowError(label, prefix + suffix, reason) for suffix, reason in errs)
        return False


# Public names for the pieces the service reuses outside placements (balance/contact updates):
# the same rules, the same reasons.
InvalidValue = _Bad
validate_phone_list = _validate_phones
validate_address_list = _validate_addresses
