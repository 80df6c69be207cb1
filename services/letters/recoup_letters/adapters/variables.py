"""The fixed set of variables a letter template may use (R-27), and the one builder that fills them.

Card and ID numbers exist here only masked (R-30): the builder masks whatever it is given, so a
template has no way to print a full number — none is ever handed to it. The call-back notice gets
only the variables without debt details (R-30): no amounts, no client, no card or ID number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from ..rules.masking import letter_mask_card, letter_mask_id, scrub_numbers
from ..rules.model import (
    DEBT_FREE_TYPES,
    LETTER_TYPE_ZH,
    Address,
    InstalmentPlan,
    LetterType,
    Party,
    PartyRole,
)


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"
    DATE = "date"
    INT = "int"
    BOOL = "bool"
    LINES = "lines"                 # several lines of text (an address block)
    INSTALMENTS = "instalments"     # a list of instalment records
    INSTALMENT = "instalment"
    LOOP = "loop"


@dataclass(frozen=True, slots=True)
class VarSpec:
    kind: Kind
    zh: str
    debt_detail: bool = True        # False: allowed in the call-back notice too


VARIABLES: dict[str, VarSpec] = {
    # --- no debt details (every letter type, including the call-back notice) ---
    "recipient_name": VarSpec(Kind.TEXT, "收件人姓名", False),
    "salutation": VarSpec(Kind.TEXT, "称呼 (先生/女士)", False),
    "address_block": VarSpec(Kind.LINES, "收件地址", False),
    "postcode": VarSpec(Kind.TEXT, "邮政编码", False),
    "letter_date": VarSpec(Kind.DATE, "发函日期", False),
    "reply_by": VarSpec(Kind.DATE, "回复期限", False),
    "reference": VarSpec(Kind.TEXT, "函件编号", False),
    "check_code": VarSpec(Kind.TEXT, "核对码", False),
    "agency_name": VarSpec(Kind.TEXT, "催收机构名称", False),
    "agency_phone": VarSpec(Kind.TEXT, "联系电话", False),
    "agency_address": VarSpec(Kind.TEXT, "机构地址", False),
    "agency_hours": VarSpec(Kind.TEXT, "服务时间", False),
    "agency_contact": VarSpec(Kind.TEXT, "联系人", False),
    # --- debt details ---
    "letter_title": VarSpec(Kind.TEXT, "函件名称"),
    "debtor_name": VarSpec(Kind.TEXT, "欠款人姓名"),
    "recipient_role": VarSpec(Kind.TEXT, "收件人身份 (欠款人/连带责任担保人)"),
    "id_number_masked": VarSpec(Kind.TEXT, "身份证号 (已隐去)"),
    "card_number_masked": VarSpec(Kind.TEXT, "卡号/账号 (已隐去)"),
    "client_name": VarSpec(Kind.TEXT, "委托方"),
    "product": VarSpec(Kind.TEXT, "产品"),
    "currency": VarSpec(Kind.TEXT, "币种"),
    "placed_amount": VarSpec(Kind.MONEY, "委案金额"),
    "outstanding": VarSpec(Kind.MONEY, "欠款余额"),
    "principal": VarSpec(Kind.MONEY, "本金"),
    "interest": VarSpec(Kind.MONEY, "利息"),
    "fees": VarSpec(Kind.MONEY, "费用"),
    "overdue_since": VarSpec(Kind.DATE, "逾期起始日"),
    "dpd": VarSpec(Kind.INT, "逾期天数"),
    "placed_on": VarSpec(Kind.DATE, "委案日期"),
    "instalments": VarSpec(Kind.INSTALMENTS, "分期计划"),
    "instalment_total": VarSpec(Kind.MONEY, "分期合计"),
    "instalment_count": VarSpec(Kind.INT, "期数"),
    "plan_agreed_on": VarSpec(Kind.DATE, "协议日期"),
}

# Fields of the records a template can loop over.
RECORD_FIELDS: dict[Kind, dict[str, Kind]] = {
    Kind.INSTALMENT: {"no": Kind.INT, "due_on": Kind.DATE, "amount": Kind.MONEY},
    Kind.LOOP: {"index": Kind.INT, "index0": Kind.INT, "revindex": Kind.INT, "first": Kind.BOOL,
                "last": Kind.BOOL, "length": Kind.INT},
}
LIST_ELEMENT: dict[Kind, Kind] = {Kind.INSTALMENTS: Kind.INSTALMENT}


def allowed_variables(letter_type: LetterType) -> frozenset[str]:
    if letter_type in DEBT_FREE_TYPES:
        return frozenset(n for n, s in VARIABLES.items() if not s.debt_detail)
    return frozenset(VARIABLES)


@dataclass(frozen=True, slots=True)
class Agency:
    name: str
    phone: str
    address: str = ""
    hours: str = ""
    contact: str = ""
    postcode: str = ""


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """The case's data as the letters service holds it (masked numbers from case.received)."""
    debtor_name: str
    id_number: str | None
    card_number: str | None
    client_name: str
    outstanding: Decimal
    placed_amount: Decimal
    principal: Decimal | None = None
    interest: Decimal | None = None
    fees: Decimal | None = None
    product: str = ""
    currency: str = "CNY"
    overdue_since: date | None = None
    dpd: int | None = None
    placed_on: date | None = None


_ROLE_ZH = {PartyRole.DEBTOR: "欠款人", PartyRole.GUARANTOR: "连带责任担保人"}
_SALUTATION = {"M": "先生", "F": "女士"}


def _clean(value: Any) -> Any:
    return scrub_numbers(value) if isinstance(value, str) else value


def letter_variables(*, letter_type: LetterType, recipient: Party, address: Address, facts: CaseFacts,
                     agency: Agency, letter_date: date, check_code: str, reference: str,
                     reply_by: date | None = None, plan: InstalmentPlan | None = None) -> dict[str, Any]:
    """Everything a template may print for one letter, masked (R-30) and limited to what the letter
    type may show (R-30: the call-back notice has no debt details)."""
    values: dict[str, Any] = {
        "recipient_name": recipient.name,
        "salutation": _SALUTATION.get((recipient.gender or "").upper(), ""),
        "address_block": "\n".join(address.lines()),
        "postcode": address.postcode or "",
        "letter_date": letter_date,
        "reply_by": reply_by,
        "reference": reference,
        "check_code": check_code,
        "agency_name": agency.name,
        "agency_phone": agency.phone,
        "agency_address": agency.address,
        "agency_hours": agency.hours,
        "agency_contact": agency.contact,
        "letter_title": LETTER_TYPE_ZH[letter_type],
        "debtor_name": facts.debtor_name,
        "recipient_role": _ROLE_ZH.get(recipient.role, ""),
        "id_number_masked": letter_mask_id(facts.id_number),
        "card_number_masked": letter_mask_card(facts.card_number),
        "client_name": facts.client_name,
        "product": facts.product,
        "currency": facts.currency,
        "placed_amount": facts.placed_amount,
        "outstanding": facts.outstanding,
        "principal": facts.principal,
        "interest": facts.interest,
        "fees": facts.fees,
        "overdue_since": facts.overdue_since,
        "dpd": facts.dpd,
        "placed_on": facts.placed_on,
        "instalments": tuple({"no": i.no, "due_on": i.due_on, "amount": i.amount}
                             for i in (plan.instalments if plan else ())),
        "instalment_total": plan.total if plan else None,
        "instalment_count": len(plan.instalments) if plan else None,
        "plan_agreed_on": plan.agreed_on if plan else None,
    }
    allowed = allowed_variables(letter_type)
    return {k: _clean(v) for k, v in values.items() if k in allowed}
