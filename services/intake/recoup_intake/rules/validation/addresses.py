"""Addresses of a case or an update (R-4, R-29): a kind and a line are required; province, city
and district are free text of bounded length. The region of a case comes from its household-
registration address."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import ADDRESS_FIELDS, ADDRESS_KINDS, ValidAddress, ValidationLimits
from .common import WS, Errs, text_or_reason


def _address(ad: dict, j: int, limits: ValidationLimits, errs: Errs) -> ValidAddress | None:
    """Address j; None when it has an error (listed in errs; paths built only then)."""
    n_before = len(errs)
    if not ADDRESS_FIELDS.issuperset(ad):
        for k in ad:
            if k not in ADDRESS_FIELDS:
                errs.append((f".addresses[{j}].{k}", "unknown field"))
    kind = ad.get("kind")
    if kind not in ADDRESS_KINDS:
        errs.append((f".addresses[{j}].kind", "required (household_registration, home, work or other)" if kind is None
                     else "must be one of household_registration, home, work, other"))
    region_max, text_max = limits.region_max, limits.text_max
    province, city, district, line = ad.get("province"), ad.get("city"), ad.get("district"), ad.get("line")
    employer = ad.get("employer")
    r1 = r2 = r3 = r4 = r5 = None
    # text_or_reason inlined for the common case (strings of plausible length): ~12 calls per case
    if type(province) is str and len(province := province.strip(WS)) <= region_max:
        province = province or None
    else:
        province, r1 = text_or_reason(province, region_max)
    if type(city) is str and len(city := city.strip(WS)) <= region_max:
        city = city or None
    else:
        city, r2 = text_or_reason(city, region_max)
    if type(district) is str and len(district := district.strip(WS)) <= region_max:
        district = district or None
    else:
        district, r3 = text_or_reason(district, region_max)
    if type(line) is str and len(line := line.strip(WS)) <= text_max:
        line = line or None
    else:
        line, r4 = text_or_reason(line, text_max)
    if employer is not None:
        employer, r5 = text_or_reason(employer, limits.employer_max)
    if r1 or r2 or r3 or r4 or r5 or line is None:
        for key, reason in (("province", r1), ("city", r2), ("district", r3), ("line", r4), ("employer", r5)):
            if reason:
                errs.append((f".addresses[{j}].{key}", reason))
        if line is None and not r4:
            errs.append((f".addresses[{j}].line", "required"))
    if len(errs) != n_before:
        return None
    return ValidAddress(kind, province, city, district, line, employer)


def validate_addresses(value: Any, errs: Errs, limits: ValidationLimits) -> list[ValidAddress]:
    """The `addresses` list."""
    if value is None:
        return []
    if type(value) is not list:
        errs.append((".addresses", "must be a list"))
        return []
    if len(value) > limits.max_addresses:
        errs.append((".addresses", f"more than {limits.max_addresses} addresses"))
        return []
    out: list[ValidAddress] = []
    for j, ad in enumerate(value):
        if type(ad) is not dict:
            errs.append((f".addresses[{j}]", "must be an object"))
            continue
        address = _address(ad, j, limits, errs)
        if address is not None:
            out.append(address)
    return out


def region_of(addresses: Sequence[ValidAddress]) -> str | None:
    """Province/city of the household-registration address (else the first with a province)."""
    chosen = next((a for a in addresses if a.kind == "household_registration" and a.province), None)
    chosen = chosen or next((a for a in addresses if a.province), None)
    if chosen is None:
        return None
    if chosen.city and chosen.city != chosen.province:
        return f"{chosen.province}/{chosen.city}"
    return chosen.province
