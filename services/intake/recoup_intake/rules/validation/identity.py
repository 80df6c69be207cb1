"""Who and what a case is about (R-2, R-4, R-7): the account (card) number and the debtor — name,
ID number (GB 11643, incl. the old 15-digit form), and gender / birth date, which must agree with
the ID number when given."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from recoup_shared.identifiers import IdNumber, IdNumberError, normalise_account_ref, parse_id_number

from ..model import DEBTOR_FIELDS, DEFAULT_LIMITS, ValidationLimits
from .common import SCI_RE, WS, Errs, InvalidValue, nfkc, opt_text
from .dates import parse_iso_date

_ACCOUNT_RE = re.compile(r"[0-9A-Za-z_./]+")
# Chinese (incl. extension blocks and compatibility ideographs) and Latin letters; names of
# ethnic minorities use a middle dot (阿卜杜拉·艾买提), Latin names spaces, dots, hyphens, apostrophes.
_LETTER = "A-Za-z\u00c0-\u024f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_NAME_RE = re.compile(f"[{_LETTER}][{_LETTER}\u00b7.'\\- ]*")
_MIDDLE_DOTS = str.maketrans({c: "\u00b7" for c in "\u2022\u30fb\u2027\u2219\u22c5\uff65\u16eb"})


def parse_name(value: Any, max_len: int = DEFAULT_LIMITS.name_max) -> str:
    """A person's name: 1..max_len Chinese or Latin letters (middle dot, space, . ' - inside)."""
    if type(value) is not str:
        raise InvalidValue("required" if value is None else "must be a string")
    s = nfkc(value).strip(WS)
    if not s:
        raise InvalidValue("required")
    if len(s) > max_len:
        raise InvalidValue(f"longer than {max_len} characters")
    if not s.isascii():
        s = s.translate(_MIDDLE_DOTS)
    if _NAME_RE.fullmatch(s) is None:
        raise InvalidValue("name may only hold Chinese or Latin letters (and · . ' - or spaces inside)")
    return s


def parse_account_ref(value: Any, max_len: int = DEFAULT_LIMITS.account_ref_max) -> str:
    if type(value) is not str:
        if value is None:
            raise InvalidValue("required")
        raise InvalidValue("must be a string (card and account numbers lose digits as JSON numbers)")
    s = normalise_account_ref(value)
    if not s:
        raise InvalidValue("required")
    if ("E" in s or "e" in s) and SCI_RE.fullmatch(s):
        raise InvalidValue("account number mangled by Excel (scientific notation)")
    if len(s) > max_len:
        raise InvalidValue(f"longer than {max_len} characters")
    if _ACCOUNT_RE.fullmatch(s) is None:
        raise InvalidValue("may only hold letters, digits and _ . /")
    return s


def validate_account(c: dict, limits: ValidationLimits, errs: Errs) -> tuple[str | None, str | None]:
    """(account_ref, product override)."""
    account_ref = product = None
    try:
        account_ref = parse_account_ref(c.get("account_ref"), limits.account_ref_max)
    except InvalidValue as e:
        errs.append((".account_ref", e.args[0]))
    try:
        product = opt_text(c.get("product"), limits.text_max)
    except InvalidValue as e:
        errs.append((".product", e.args[0]))
    return account_ref, product


def _id_number(raw_id: Any, has_debtor: bool, today: date, errs: Errs) -> IdNumber | None:
    if raw_id is None:
        if has_debtor:
            errs.append((".debtor.id_number", "required"))
    elif type(raw_id) is not str:
        errs.append((".debtor.id_number", "must be a string (ID numbers lose digits as JSON numbers)"))
    elif ("e" in raw_id or "E" in raw_id) and SCI_RE.fullmatch(raw_id.strip(WS)):
        errs.append((".debtor.id_number", "ID number mangled by Excel (scientific notation)"))
    else:
        try:
            return parse_id_number(raw_id, today=today)
        except IdNumberError as e:
            errs.append((".debtor.id_number", str(e)))
    return None


def _agrees_with_id(debtor: dict, idn: IdNumber | None, errs: Errs) -> None:
    """A given gender or birth date must be the one the ID number holds."""
    gender = debtor.get("gender")
    if gender is not None:
        g = gender.strip(WS).upper() if type(gender) is str else None
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
        except InvalidValue as e:
            errs.append((".debtor.birth_date", e.args[0]))


def validate_debtor(c: dict, today: date, limits: ValidationLimits,
                    errs: Errs) -> tuple[str | None, IdNumber | None]:
    """(name, parsed ID number) of `debtor {name, id_number, gender?, birth_date?}`."""
    debtor: Any = c.get("debtor")
    name = None
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
    except InvalidValue as e:
        if has_debtor:
            errs.append((".debtor.name", e.args[0]))
    idn = _id_number(debtor.get("id_number"), has_debtor, today, errs)
    _agrees_with_id(debtor, idn, errs)
    return name, idn
