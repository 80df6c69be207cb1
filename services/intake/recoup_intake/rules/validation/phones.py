"""Phones of a case or an update (R-4, R-18, R-25): each number parsed to the national dialling
form (recoup_shared.identifiers, so every service hashes it alike); a contact person's phone
needs the contact's name and relationship; a number given twice is kept once (flagged)."""

from __future__ import annotations

from typing import Any

from recoup_shared.identifiers import Phone, PhoneError, parse_phone

from ..model import PHONE_FIELDS, PHONE_KINDS, PHONE_OWNERS, W_DUPLICATE_PHONE, ValidationLimits, ValidPhone
from .common import Errs, InvalidValue, text_or_reason
from .identity import parse_name


def _person(ph: dict, owner: Any, j: int, limits: ValidationLimits, errs: Errs) -> tuple[str | None, str | None]:
    """(name, relationship): required for a contact's phone (R-18: a contact must be named and
    placed), optional text otherwise."""
    name = relationship = None
    v = ph.get("name")
    if owner == "contact":
        try:
            name = parse_name(v, limits.name_max)
        except InvalidValue as e:
            reason = e.args[0]
            errs.append((f".phones[{j}].name", "required for a contact's phone" if reason == "required" else reason))
        relationship, reason = text_or_reason(ph.get("relationship"), limits.text_max)
        if relationship is None:
            errs.append((f".phones[{j}].relationship", reason or "required for a contact's phone"))
        return name, relationship
    if v is not None:
        name, reason = text_or_reason(v, limits.name_max)
        if reason:
            errs.append((f".phones[{j}].name", reason))
    v = ph.get("relationship")
    if v is not None:
        relationship, reason = text_or_reason(v, limits.text_max)
        if reason:
            errs.append((f".phones[{j}].relationship", reason))
    return name, relationship


def _phone(ph: dict, j: int, limits: ValidationLimits, errs: Errs) -> ValidPhone | None:
    """Phone j; None when it has an error (listed in errs). Field paths are built only on errors:
    this runs for every phone of a 100,000-case placement."""
    n_before = len(errs)
    if not PHONE_FIELDS.issuperset(ph):
        for k in ph:
            if k not in PHONE_FIELDS:
                errs.append((f".phones[{j}].{k}", "unknown field"))
    raw = ph.get("number")
    parsed: Phone | None = None
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
    if owner == "contact" or ph.get("name") is not None or ph.get("relationship") is not None:
        name, relationship = _person(ph, owner, j, limits, errs)
    knows = ph.get("knows_debt")
    if knows is not None and type(knows) is not bool:
        errs.append((f".phones[{j}].knows_debt", "must be true or false"))
    if parsed is None or len(errs) != n_before:
        return None
    return ValidPhone(parsed.number, raw, parsed.extension, kind, owner, name, relationship, knows,  # type: ignore[arg-type]
                      parsed.is_mobile)


def validate_phones(value: Any, errs: Errs, limits: ValidationLimits, warnings: list[str]) -> list[ValidPhone]:
    """The `phones` list; a number (with its extension) given twice is kept once, flagged."""
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
        phone = _phone(ph, j, limits, errs)
        if phone is None:
            continue
        key = (phone.number, phone.extension)
        if key in seen:
            if W_DUPLICATE_PHONE not in warnings:
                warnings.append(W_DUPLICATE_PHONE)
            continue
        seen.add(key)
        out.append(phone)
    return out
