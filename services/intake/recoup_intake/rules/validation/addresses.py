"""Addresses of a case or an update (R-4, R-29): a kind and a line; province, city and district
are free text of bounded length. The region of a case comes from its household-registration
address.

R-4 (amended): the structure (a JSON object, known fields, `kind` and `owner` from their
vocabularies, strings where strings belong) is a row error when wrong; the content — no line, a
part longer than its bound — is a warning: the address is kept as given, marked invalid
(`ValidAddress.invalid`), and no letter or visit goes to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import ADDRESS_FIELDS, ADDRESS_KINDS, PHONE_OWNERS, W_INVALID_ADDRESS, ValidAddress, ValidationLimits
from .common import WS, Errs, kept_text

KEPT_INVALID = "kept, marked invalid (no letter or visit goes to it)"
_TEXT_PARTS = ("province", "city", "district", "line", "employer", "name", "relationship")


def _structure(ad: dict, j: int, errs: Errs) -> tuple[Any, Any]:
    """(kind, owner); row errors for unknown fields, wrong types and vocabularies (membership
    tested on strings only: `{}` or `[]` is a row error, never a TypeError — issue 14)."""
    if not ADDRESS_FIELDS.issuperset(ad):
        for k in ad:
            if k not in ADDRESS_FIELDS:
                errs.append((f".addresses[{j}].{k}", "unknown field"))
    kind = ad.get("kind")
    if type(kind) is not str or kind not in ADDRESS_KINDS:
        errs.append((f".addresses[{j}].kind", "required (household_registration, home, work or other)"
                     if kind is None else "must be one of household_registration, home, work, other"))
    owner = ad.get("owner")
    if owner is None:
        owner = "debtor"
    elif type(owner) is not str or owner not in PHONE_OWNERS:
        errs.append((f".addresses[{j}].owner", "must be debtor or contact"))
    for key in _TEXT_PARTS:
        v = ad.get(key)
        if v is not None and type(v) is not str:
            errs.append((f".addresses[{j}].{key}", "must be a string"))
    return kind, owner


def _plain(ad: dict, limits: ValidationLimits) -> ValidAddress | None:
    """The common case without a call per part: a debtor's address, strings of plausible length.
    None: judge it the long way (~3 addresses per case of a 100,000-case placement)."""
    if not _PLAIN_ADDRESS.issuperset(ad):
        return None
    kind, line = ad.get("kind"), ad.get("line")
    province, city, district, employer = ad.get("province"), ad.get("city"), ad.get("district"), ad.get("employer")
    region_max = limits.region_max
    if type(kind) is str and kind in ADDRESS_KINDS \
            and type(line) is str and 0 < len(line := line.strip(WS)) <= limits.text_max \
            and (province is None or (type(province) is str and len(province := province.strip(WS)) <= region_max)) \
            and (city is None or (type(city) is str and len(city := city.strip(WS)) <= region_max)) \
            and (district is None or (type(district) is str and len(district := district.strip(WS)) <= region_max)) \
            and (employer is None or (type(employer) is str
                                      and len(employer := employer.strip(WS)) <= limits.employer_max)):
        return ValidAddress(kind, province or None, city or None, district or None, line, employer or None)
    return None


_PLAIN_ADDRESS = frozenset({"kind", "province", "city", "district", "line", "employer"})


def _address(ad: dict, j: int, limits: ValidationLimits, errs: Errs,
             notes: list[tuple[str, str]]) -> ValidAddress | None:
    """Address j; None when it has a row error (listed in errs; paths built only then)."""
    plain = _plain(ad, limits)
    if plain is not None:
        return plain
    n_before = len(errs)
    kind, owner = _structure(ad, j, errs)
    if len(errs) != n_before:
        return None
    region_max, text_max = limits.region_max, limits.text_max
    problems: list[tuple[str, str]] = []
    parts: dict[str, str | None] = {}
    for key, bound in (("province", region_max), ("city", region_max), ("district", region_max),
                       ("line", text_max), ("employer", limits.employer_max), ("name", limits.name_max),
                       ("relationship", text_max)):
        parts[key], reason = kept_text(ad.get(key), bound)
        if reason:
            problems.append((f".addresses[{j}].{key}", reason))
    if parts["line"] is None:
        problems.append((f".addresses[{j}].line", "required"))
    invalid = None
    if problems:
        notes.extend((f, f"{reason}; {KEPT_INVALID}") for f, reason in problems)
        invalid = "; ".join(f"{f.rsplit('.', 1)[-1]}: {reason}" for f, reason in problems)
    return ValidAddress(kind, parts["province"], parts["city"], parts["district"], parts["line"] or "",
                        parts["employer"], invalid, owner, parts["name"], parts["relationship"])


def validate_addresses(value: Any, errs: Errs, limits: ValidationLimits, warnings: list[str] | None = None,
                       notes: list[tuple[str, str]] | None = None) -> list[ValidAddress]:
    """The `addresses` list; a malformed address is kept invalid, noted in `notes` (R-4)."""
    if value is None:
        return []
    if type(value) is not list:
        errs.append((".addresses", "must be a list"))
        return []
    if len(value) > limits.max_addresses:
        errs.append((".addresses", f"more than {limits.max_addresses} addresses"))
        return []
    notes = [] if notes is None else notes
    out: list[ValidAddress] = []
    for j, ad in enumerate(value):
        if type(ad) is not dict:
            errs.append((f".addresses[{j}]", "must be an object"))
            continue
        address = _address(ad, j, limits, errs, notes)
        if address is not None:
            if address.invalid is not None and warnings is not None and W_INVALID_ADDRESS not in warnings:
                warnings.append(W_INVALID_ADDRESS)
            out.append(address)
    return out


def region_of(addresses: Sequence[ValidAddress]) -> str | None:
    """Province/city of the household-registration address (else the first with a province)."""
    chosen = None
    for a in addresses:  # the debtor's: a contact's address says nothing of where the debtor is
        if a.province and a.owner == "debtor":
            if a.kind == "household_registration":
                chosen = a
                break
            chosen = chosen or a
    if chosen is None:
        return None
    if chosen.city and chosen.city != chosen.province:
        return f"{chosen.province}/{chosen.city}"
    return chosen.province
