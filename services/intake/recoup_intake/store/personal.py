"""The layout of a case's encrypted personal data (R-46): everything identifying — account (card)
number, ID number, phones (with their contact persons) and addresses — is ONE AES-GCM blob per
case (`cases.personal_enc`, sealed by recoup_shared.crypto.Protector with the case id as
associated data, so a ciphertext cannot be moved to another row): one cipher call and one row per
case instead of one per identifier.

Phones and addresses are positional lists (trailing nulls left out): the blob is hex-encoded in
the COPY stream and parsed by the server, so its size is time."""

from __future__ import annotations

from typing import Any

from ..rules.model import ValidAddress, ValidCase, ValidPhone

PHONE_KEPT = ("number", "kind", "owner", "extension", "name", "relationship", "knows_debt", "source",
              "added_at", "invalid", "employer")
ADDRESS_KEPT = ("kind", "line", "province", "city", "district", "employer", "source", "added_at", "invalid",
                "owner", "name", "relationship")


def _trimmed(values: list) -> list:
    while values and values[-1] is None:
        values.pop()
    return values


def phone_kept(p: ValidPhone, source: str | None = None, added_at: str | None = None) -> list:
    """A phone as the blob keeps it (placement phones carry no source/added_at: the case's)."""
    if source is None and p.name is None and p.relationship is None and p.knows_debt is None and not p.extension \
            and p.invalid is None and p.employer is None:
        return [p.number, p.kind, p.owner]
    return _trimmed([p.number, p.kind, p.owner, p.extension or None, p.name, p.relationship, p.knows_debt,
                     source, added_at, p.invalid, p.employer])


def address_kept(a: ValidAddress, source: str | None = None, added_at: str | None = None) -> list:
    """An address as the blob keeps it (`owner` only when not the debtor's: most are)."""
    return _trimmed([a.kind, a.line, a.province, a.city, a.district, a.employer, source, added_at, a.invalid,
                     None if a.owner == "debtor" else a.owner, a.name, a.relationship])


def unpack_phone(kept: list) -> dict[str, Any]:
    return dict(zip(PHONE_KEPT, kept))


def unpack_address(kept: list) -> dict[str, Any]:
    out = dict(zip(ADDRESS_KEPT, kept))
    out["owner"] = out.get("owner") or "debtor"
    return out


def phone_of(kept: list) -> ValidPhone:
    """A kept phone back as the rules' ValidPhone (an update judges the case's phones again)."""
    p = unpack_phone(kept)
    return ValidPhone(p["number"], p["number"], p.get("extension"), p["kind"], p["owner"], p.get("name"),
                      p.get("relationship"), p.get("knows_debt"), False, p.get("invalid"), p.get("employer"))


def placed_personal_data(vc: ValidCase) -> dict[str, Any]:
    """What a newly placed case's blob holds (the ID number as given: 15 or 18 characters)."""
    return {"account_ref": vc.account_ref, "id_number": vc.id_number,
            "phones": [phone_kept(p) for p in vc.phones],
            "addresses": [address_kept(a) for a in vc.addresses]}
