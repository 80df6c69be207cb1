"""Phones of a case or an update (R-4, R-18, R-25): each number parsed to the national dialling
form (recoup_shared.identifiers, so every service hashes it alike); a number given twice is kept
once (flagged).

R-4 (amended): the *structure* of a phone entry is checked strictly — a JSON object, known fields,
`kind` and `owner` from their vocabularies, strings and booleans where they belong — and a
problem there is a row error (a client system's bug). The *content* — a number that is not a
valid Chinese phone number, a contact person without a usable name or relationship (R-18) — is a
warning on an accepted row: the phone is kept as given, marked invalid (`ValidPhone.invalid`),
and never dialled; a debtor left without a valid phone is marked for skip tracing (case.py)."""

from __future__ import annotations

from typing import Any

from recoup_shared.identifiers import Phone, PhoneError, parse_phone

from ..model import (PHONE_FIELDS, PHONE_KINDS, PHONE_OWNERS, W_DUPLICATE_PHONE, W_INVALID_PHONE,
                     ValidationLimits, ValidPhone)
from .common import WS, Errs, InvalidValue, kept_text
from .identity import parse_name

KEPT_INVALID = "kept, marked invalid (never dialled)"


def _person(ph: dict, owner: Any, j: int, limits: ValidationLimits, errs: Errs,
            problems: list[tuple[str, str]], notes: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """(name, relationship). A contact's phone needs both (R-18: a contact must be named and
    placed): missing or unusable ones are `problems` (the phone is kept invalid); on a debtor's
    phone they are only noted. A value of the wrong JSON type is a row error."""
    name = relationship = None
    target = problems if owner == "contact" else notes
    v = ph.get("name")
    if v is not None and type(v) is not str:
        errs.append((f".phones[{j}].name", "must be a string"))
    elif owner == "contact":
        try:
            name = parse_name(v, limits.name_max)
        except InvalidValue as e:
            reason = e.args[0]
            problems.append((f".phones[{j}].name", "required for a contact's phone (R-18)" if reason == "required"
                             else reason))
            name = (v.strip(WS) or None) if type(v) is str else None
    elif v is not None:
        name, reason = kept_text(v, limits.name_max)
        if reason:
            notes.append((f".phones[{j}].name", reason))
    v = ph.get("relationship")
    if v is not None and type(v) is not str:
        errs.append((f".phones[{j}].relationship", "must be a string"))
    else:
        relationship, reason = kept_text(v, limits.text_max)
        if reason:
            target.append((f".phones[{j}].relationship", reason))
        elif relationship is None and owner == "contact":
            problems.append((f".phones[{j}].relationship", "required for a contact's phone (R-18)"))
    return name, relationship


def _structure(ph: dict, j: int, errs: Errs) -> tuple[Any, Any, Any]:
    """(kind, owner, knows_debt) — row errors for unknown fields and wrong types/vocabularies.
    Membership is tested only on strings: `{}` or `[]` in a field is a row error, never a
    TypeError (issue 14)."""
    if not PHONE_FIELDS.issuperset(ph):
        for k in ph:
            if k not in PHONE_FIELDS:
                errs.append((f".phones[{j}].{k}", "unknown field"))
    kind = ph.get("kind")
    if type(kind) is not str or kind not in PHONE_KINDS:
        errs.append((f".phones[{j}].kind", "required (mobile, home, work or other)" if kind is None
                     else "must be one of mobile, home, work, other"))
    owner = ph.get("owner")
    if owner is None:
        owner = "debtor"
    elif type(owner) is not str or owner not in PHONE_OWNERS:
        errs.append((f".phones[{j}].owner", "must be debtor or contact"))
    knows = ph.get("knows_debt")
    if knows is not None and type(knows) is not bool:
        errs.append((f".phones[{j}].knows_debt", "must be true or false"))
    return kind, owner, knows


_PLAIN_DEBTOR_PHONE = frozenset({"number", "kind", "owner"})


def _plain(ph: dict) -> ValidPhone | None:
    """The common case without a call per field: a debtor's phone, number and kind only, valid.
    None: judge it the long way (this runs for every phone of a 100,000-case placement)."""
    if not _PLAIN_DEBTOR_PHONE.issuperset(ph):
        return None
    kind, owner, raw = ph.get("kind"), ph.get("owner"), ph.get("number")
    if type(kind) is not str or kind not in PHONE_KINDS or (owner is not None and owner != "debtor") \
            or type(raw) is not str:
        return None
    try:
        parsed = parse_phone(raw)
    except PhoneError:
        return None
    return ValidPhone(parsed.number, raw, parsed.extension, kind, "debtor", None, None, None, parsed.is_mobile)


def _phone(ph: dict, j: int, limits: ValidationLimits, errs: Errs,
           notes: list[tuple[str, str]]) -> ValidPhone | None:
    """Phone j; None when it has a row error (listed in errs) or no number at all (a note).
    Field paths are built only on problems."""
    plain = _plain(ph)
    if plain is not None:
        return plain
    n_before = len(errs)
    kind, owner, knows = _structure(ph, j, errs)
    raw = ph.get("number")
    parsed: Phone | None = None
    problems: list[tuple[str, str]] = []
    if type(raw) is str:
        try:
            parsed = parse_phone(raw)
        except PhoneError as e:
            problems.append((f".phones[{j}].number", str(e)))
    else:
        errs.append((f".phones[{j}].number", "required" if raw is None else "must be a string"))
    name = relationship = employer = None
    if owner == "contact" or ph.get("name") is not None or ph.get("relationship") is not None:
        name, relationship = _person(ph, owner, j, limits, errs, problems, notes)
    v = ph.get("employer")
    if v is not None:
        if type(v) is not str:
            errs.append((f".phones[{j}].employer", "must be a string"))
        else:
            employer, reason = kept_text(v, limits.employer_max)
            if reason:
                notes.append((f".phones[{j}].employer", reason))
    if len(errs) != n_before:
        return None
    if parsed is not None and not problems:
        return ValidPhone(parsed.number, raw, parsed.extension, kind, owner, name, relationship, knows,  # type: ignore[arg-type]
                          parsed.is_mobile, None, employer)
    given = raw.strip(WS)  # type: ignore[union-attr]
    if not given:
        notes.append((f".phones[{j}].number", "empty; nothing kept"))
        return None
    notes.extend((f, f"{reason}; {KEPT_INVALID}") for f, reason in problems)
    return ValidPhone(given, raw, None, kind, owner, name, relationship, knows, False,  # type: ignore[arg-type]
                      "; ".join(reason for _, reason in problems), employer)


def validate_phones(value: Any, errs: Errs, limits: ValidationLimits, warnings: list[str],
                    notes: list[tuple[str, str]] | None = None) -> list[ValidPhone]:
    """The `phones` list; a number (with its extension) given twice is kept once, flagged. A
    malformed number is kept invalid (R-4), with a note (field suffix, reason) in `notes`."""
    if value is None:
        return []
    if type(value) is not list:
        errs.append((".phones", "must be a list"))
        return []
    if len(value) > limits.max_phones:
        errs.append((".phones", f"more than {limits.max_phones} phones"))
        return []
    notes = [] if notes is None else notes
    out: list[ValidPhone] = []
    seen: set[tuple[str, str | None]] = set()
    for j, ph in enumerate(value):
        if type(ph) is not dict:
            errs.append((f".phones[{j}]", "must be an object"))
            continue
        phone = _phone(ph, j, limits, errs, notes)
        if phone is None:
            continue
        if phone.invalid is not None and W_INVALID_PHONE not in warnings:
            warnings.append(W_INVALID_PHONE)
        key = (phone.number, phone.extension)
        if key in seen:
            if W_DUPLICATE_PHONE not in warnings:
                warnings.append(W_DUPLICATE_PHONE)
            notes.append((f".phones[{j}].number", "the same number is listed before; kept once"))
            continue
        seen.add(key)
        out.append(phone)
    return out
