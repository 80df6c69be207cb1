"""Template field paths (R-3): what a column of a client's file may feed — a scalar field of the
case (`debtor.id_number`), a phone of a kind (`phones[mobile]`), contact person N's name,
relationship, employer, knowledge of the debt, phones (`contacts[1].phone`, kind guessed, or
`contacts[1].phones[home]`) and address parts (`contacts[1].addresses[home].line`), a part of an
address of a kind (`addresses[home].line`), a yes/no flag column (`flags[dispute]`), or a named
client field (`extra.申请号`, typed text, amount or date by the template's conversions) kept on
the case and shown to collectors — bank exports carry columns with no place in the model."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..model import ADDRESS_KINDS, FLAGS, PHONE_KINDS

# Scalar field path -> (keys into the raw case, conversion kind)
SCALAR_FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "account_ref": (("account_ref",), "account"),
    "product": (("product",), "text"),
    "debtor.name": (("debtor", "name"), "text"),
    "debtor.id_number": (("debtor", "id_number"), "id_number"),
    "debtor.gender": (("debtor", "gender"), "gender"),
    "debtor.birth_date": (("debtor", "birth_date"), "date"),
    "currency": (("currency",), "currency"),
    "principal": (("principal",), "amount"),
    "interest": (("interest",), "amount"),
    "fees": (("fees",), "amount"),
    "placed_amount": (("placed_amount",), "amount"),
    "credit_limit": (("credit_limit",), "amount"),
    "dpd": (("dpd",), "int"),
    "overdue_since": (("overdue_since",), "date"),
    "last_payment.on": (("last_payment", "on"), "date"),
    "last_payment.amount": (("last_payment", "amount"), "amount"),
    "employer": (("employer",), "text"),
    "remarks": (("remarks",), "text"),
    "flags": (("flags",), "flags"),
}
# Scalars that several columns may feed (joined with "; ").
MULTI_COLUMN_FIELDS = frozenset({"remarks"})
CONTACT_SUBFIELDS = {"name": "text", "relationship": "text", "phone": "phones", "knows_debt": "yes_no",
                     "employer": "text"}
ADDRESS_SUBFIELDS = ("line", "province", "city", "district", "employer")
CONTACT_ADDRESS_SUBFIELDS = ("line", "province", "city", "district")
MAX_CONTACTS = 20
# what a client field (extra.<name>) may hold; the type is the template's conversion `type`.
EXTRA_TYPES = ("text", "amount", "date")
# What every template must map (and every file must hold): one field of each group.
REQUIRED_FIELDS: tuple[tuple[str, ...], ...] = (
    ("account_ref",), ("debtor.name",), ("debtor.id_number",), ("placed_amount", "principal"),
    ("dpd", "overdue_since"))

_PHONES_PATH_RE = re.compile(r"phones\[(\w+)\]")
_CONTACT_PATH_RE = re.compile(r"contacts\[(\d+)\]\.(\w+)")
_CONTACT_PHONES_RE = re.compile(r"contacts\[(\d+)\]\.phones\[(\w+)\]")
_CONTACT_ADDRESS_RE = re.compile(r"contacts\[(\d+)\]\.addresses\[(\w+)\]\.(\w+)")
_ADDRESS_PATH_RE = re.compile(r"addresses\[(\w+)\]\.(\w+)")
_FLAG_PATH_RE = re.compile(r"flags\[(\w+)\]")
_EXTRA_PATH_RE = re.compile(r"extra\.([\w\-.()（）]{1,64})")

FIELD_PATH_HELP = (
    "known field paths: " + ", ".join(SCALAR_FIELDS)
    + ", phones[mobile|home|work|other], contacts[N].name|relationship|phone|knows_debt|employer, "
    + "contacts[N].phones[mobile|home|work|other], contacts[N].addresses[home|work|...].line|province|city|"
    + f"district (N = 1..{MAX_CONTACTS}), addresses[household_registration|home|work|other]."
    + "line|province|city|district|employer, flags[" + "|".join(FLAGS) + "], extra.<name> (a client "
    + "field: letters, digits, _ - . ( ); typed by conversions[path].type: " + ", ".join(EXTRA_TYPES) + ")"
)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A parsed field path."""

    path: str
    target: Literal["scalar", "phones", "contact", "contact_phones", "contact_address", "address", "flag",
                    "extra"]
    kind: str                         # conversion kind: text, account, id_number, amount, ...
    keys: tuple[str, ...] = ()        # scalar: keys into the raw case
    arg: str | int | None = None      # phone kind, contact number, address kind, flag name, extra name
    sub: str | None = None            # contact / address sub-field; a contact's phone or address kind
    part: str | None = None           # a contact's address part (line, province, ...)


def parse_field_path(path: str) -> FieldSpec:
    """Parse a template field path; raise ValueError with the reason."""
    p = path.strip()
    if p in SCALAR_FIELDS:
        keys, kind = SCALAR_FIELDS[p]
        return FieldSpec(p, "scalar", kind, keys)
    if m := _PHONES_PATH_RE.fullmatch(p):
        if m.group(1) not in PHONE_KINDS:
            raise ValueError(f"unknown phone kind {m.group(1)!r} in {p!r} (mobile, home, work, other)")
        return FieldSpec(p, "phones", "phones", arg=m.group(1))
    if m := _CONTACT_PATH_RE.fullmatch(p) or _CONTACT_PHONES_RE.fullmatch(p) or _CONTACT_ADDRESS_RE.fullmatch(p):
        return _contact_path(p, m)
    if m := _ADDRESS_PATH_RE.fullmatch(p):
        kind, sub = m.group(1), m.group(2)
        if kind not in ADDRESS_KINDS:
            raise ValueError(f"unknown address kind {kind!r} in {p!r} "
                             "(household_registration, home, work, other)")
        if sub not in ADDRESS_SUBFIELDS:
            raise ValueError(f"unknown address field {sub!r} in {p!r} ({', '.join(ADDRESS_SUBFIELDS)})")
        return FieldSpec(p, "address", "text", arg=kind, sub=sub)
    if m := _FLAG_PATH_RE.fullmatch(p):
        if m.group(1) not in FLAGS:
            raise ValueError(f"unknown flag {m.group(1)!r} in {p!r} ({', '.join(FLAGS)})")
        return FieldSpec(p, "flag", "yes_no", arg=m.group(1))
    if m := _EXTRA_PATH_RE.fullmatch(p):
        return FieldSpec(p, "extra", "text", arg=m.group(1))   # the type: ImportTemplate (conversions)
    if p.startswith("extra."):
        raise ValueError(f"client field name in {p!r} must be 1..64 letters, digits, _ - . ( )")
    raise ValueError(f"unknown field path {p!r}")


def _contact_path(p: str, m: re.Match[str]) -> FieldSpec:
    """contacts[N].<field>, contacts[N].phones[<kind>], contacts[N].addresses[<kind>].<part>."""
    n = int(m.group(1))
    if not 1 <= n <= MAX_CONTACTS:
        raise ValueError(f"contact number in {p!r} must be 1..{MAX_CONTACTS}")
    if m.re is _CONTACT_PHONES_RE:
        if m.group(2) not in PHONE_KINDS:
            raise ValueError(f"unknown phone kind {m.group(2)!r} in {p!r} (mobile, home, work, other)")
        return FieldSpec(p, "contact_phones", "phones", arg=n, sub=m.group(2))
    if m.re is _CONTACT_ADDRESS_RE:
        kind, part = m.group(2), m.group(3)
        if kind not in ADDRESS_KINDS:
            raise ValueError(f"unknown address kind {kind!r} in {p!r} (household_registration, home, work, other)")
        if part not in CONTACT_ADDRESS_SUBFIELDS:
            raise ValueError(f"unknown address field {part!r} in {p!r} ({', '.join(CONTACT_ADDRESS_SUBFIELDS)})")
        return FieldSpec(p, "contact_address", "text", arg=n, sub=kind, part=part)
    sub = m.group(2)
    if sub not in CONTACT_SUBFIELDS:
        raise ValueError(f"unknown contact field {sub!r} in {p!r} ({', '.join(CONTACT_SUBFIELDS)}, "
                         "phones[kind], addresses[kind].part)")
    return FieldSpec(p, "contact", CONTACT_SUBFIELDS[sub], arg=n, sub=sub)


def iter_template_fields() -> Iterable[str]:
    """Every field path form a template may use (for documentation and UIs)."""
    yield from SCALAR_FIELDS
    for k in sorted(PHONE_KINDS):
        yield f"phones[{k}]"
    for sub in CONTACT_SUBFIELDS:
        yield f"contacts[N].{sub}"
    for k in sorted(PHONE_KINDS):
        yield f"contacts[N].phones[{k}]"
    for kind in sorted(ADDRESS_KINDS):
        for sub in CONTACT_ADDRESS_SUBFIELDS:
            yield f"contacts[N].addresses[{kind}].{sub}"
    for kind in sorted(ADDRESS_KINDS):
        for sub in ADDRESS_SUBFIELDS:
            yield f"addresses[{kind}].{sub}"
    for f in FLAGS:
        yield f"flags[{f}]"
    yield "extra.<name>"


