"""From the events' words to the rules' model (pure): which party an address belongs to, one id per
address however often it arrives, the instalment plan a collector agreed, the product's name."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from .model import Instalment, InstalmentPlan, Party, PartyRole

DEBTOR = "debtor"
CONTACT = "contact"      # any third party's address (R-30: never a recipient)

# what the letters say for the product codes of contracts.md
PRODUCT_ZH = {"credit_card": "信用卡", "personal_loan": "个人贷款", "consumer_loan": "消费贷款"}


def party_of_owner(owner: str | None) -> str:
    """AddressOut.owner -> the party the address belongs to; anything but the debtor is a third
    party here (events carry no guarantors yet: README)."""
    return DEBTOR if (owner or DEBTOR) == DEBTOR else CONTACT


def _norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


def address_id(case_id: str, party_id: str, province: str | None, city: str | None,
               district: str | None, line: str) -> str:
    """One id per (case, party, address): the same address from the client, a collector and a
    visit is one row whose facts (verified, returned) accumulate. Spaces and full-width forms do
    not make a different address."""
    key = "\x1f".join((case_id, party_id, _norm(province), _norm(city), _norm(district), _norm(line)))
    return "ad-" + hashlib.sha256(key.encode()).hexdigest()[:24]


def case_parties(debtor_name: str, gender: str | None, party_ids: Iterable[str]) -> tuple[Party, ...]:
    """The debtor, and a stand-in third party for addresses owned by contacts (so the rules see them
    and never write to them, R-30)."""
    out = [Party(DEBTOR, debtor_name, PartyRole.DEBTOR, gender=gender)]
    if CONTACT in set(party_ids):
        out.append(Party(CONTACT, "", PartyRole.CONTACT))
    return tuple(out)


def instalment_plan(plan: Mapping[str, Any] | None) -> InstalmentPlan | None:
    """The stored plan {plan_id, agreed_on, instalments: [{no, due_on, amount}]}."""
    if not plan:
        return None
    items = tuple(Instalment(int(i["no"]), date.fromisoformat(str(i["due_on"])), Decimal(str(i["amount"])))
                  for i in plan.get("instalments", ()))
    if not items:
        return None
    return InstalmentPlan(str(plan["plan_id"]), date.fromisoformat(str(plan["agreed_on"])), items)


def plan_from_contact(contact_id: str, agreed_on: date, status: str | None,
                      instalments: Sequence[tuple[Decimal, date]]) -> dict[str, Any] | None:
    """A contact record that agreed an instalment plan (R-22 PTP_INSTALMENT, R-23) -> the plan a
    confirmation letter confirms (its id is the record's: one confirmation per plan)."""
    if status != "PTP_INSTALMENT" or len(instalments) < 2:
        return None
    ordered = sorted(instalments, key=lambda i: i[1])
    return {"plan_id": contact_id, "agreed_on": agreed_on.isoformat(),
            "instalments": [{"no": n, "due_on": d.isoformat(), "amount": str(a)}
                            for n, (a, d) in enumerate(ordered, 1)]}


def product_name(product: str | None) -> str:
    return PRODUCT_ZH.get(product or "", product or "")
