"""Builders of sample cases and letters, shared by the tests and the benchmark (and handy for the
service's own tests). Numbers in here are sample data, never defaults of the rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from .adapters.pdf import Envelope, PrintLetter
from .adapters.variables import Agency, CaseFacts, letter_variables
from .rules import checkcode
from .rules.model import (
    HOUSEHOLD_REGISTRATION,
    Address,
    AddressSource,
    CaseSnapshot,
    InstalmentPlan,
    LetterType,
    Party,
    PartyRole,
    PlannedLetter,
)

FULL_ID = "410105198703150030"
FULL_CARD = "6222020200112233446"
AGENCY = Agency("郑州某某信用管理有限公司", "400-820-8888", "郑州市金水区经三路 1 号", "每日 9:00-21:00",
                "李经理", "450000")
SENDER_LINES = ("郑州市金水区经三路 1 号", "郑州某某信用管理有限公司")
PROVINCES = (("河南省", "郑州市", "金水区", "450000"), ("广东省", "深圳市", "福田区", "518000"),
             ("北京市", "北京市", "朝阳区", "100020"), ("四川省", "成都市", "武侯区", "610041"),
             ("内蒙古自治区", "呼和浩特市", "新城区", "010050"))
SURNAMES = "张王李赵陈刘杨黄周吴"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军")


def debtor(party_id: str = "d1", name: str = "张伟", gender: str = "M") -> Party:
    return Party(party_id, name, PartyRole.DEBTOR, gender=gender)


def address(address_id: str, party_id: str = "d1", kind: str = HOUSEHOLD_REGISTRATION, *, n: int = 0,
            source: AddressSource = AddressSource.CLIENT, found_on: date | None = None,
            verified_on: date | None = None, invalid_since: date | None = None,
            delivered_on: date | None = None) -> Address:
    province, city, district, postcode = PROVINCES[n % len(PROVINCES)]
    return Address(address_id, party_id, kind, f"花园路 {88 + n} 号 3 单元 502", province, city, district,
                   postcode, source, found_on, verified_on, invalid_since, delivered_on)


def case(case_id: str = "c1", *, placed_on: date = date(2026, 11, 20), dpd: int = 5,
         outstanding: Decimal = Decimal("13830.50"), parties: tuple[Party, ...] | None = None,
         addresses: tuple[Address, ...] | None = None, **kw) -> CaseSnapshot:
    parties = parties if parties is not None else (debtor(),)
    addresses = addresses if addresses is not None else (address("a1"),)
    return CaseSnapshot(case_id, kw.pop("client_id", "zhbank"), kw.pop("placement_id", "PL-1"), placed_on,
                        dpd, outstanding, parties, addresses, **kw)


def facts(name: str = "张伟", outstanding: Decimal = Decimal("13830.50")) -> CaseFacts:
    fees = Decimal("300.00")
    principal = ((outstanding - fees) * Decimal("0.88")).quantize(Decimal("0.01"))
    return CaseFacts(name, FULL_ID, FULL_CARD, "中国某某银行信用卡中心", outstanding, outstanding, principal,
                     outstanding - fees - principal, fees, "信用卡", "CNY", date(2026, 8, 1), 116,
                     date(2026, 11, 20))


def print_letter(planned: PlannedLetter, sequence: int, serial: int, today: date, *,
                 facts_: CaseFacts | None = None, plan: InstalmentPlan | None = None) -> PrintLetter:
    """A planned letter made printable: check code, masked variables, envelope."""
    code = checkcode.code_for_serial(serial)
    values = letter_variables(letter_type=planned.letter_type, recipient=planned.recipient,
                              address=planned.address, facts=facts_ or facts(planned.recipient.name),
                              agency=AGENCY, letter_date=today, check_code=checkcode.display(code),
                              reference=f"L{today:%Y%m}-{serial:07d}", reply_by=today + timedelta(days=15),
                              plan=plan)
    env = Envelope(planned.recipient.name, planned.address.lines(), planned.address.postcode or "",
                   planned.mail_class, values.get("salutation", ""))
    return PrintLetter(sequence, f"letter-{serial}", code, planned.letter_type.value, values, env)


def many_cases(n: int, today: date) -> Iterator[CaseSnapshot]:
    """n varied cases placed this month: names, provinces, amounts, some with only an unverified
    address (call-back notice), some with a verified one (express)."""
    for i in range(n):
        name = SURNAMES[i % 10] + GIVEN[(i // 10) % 10]
        party = debtor(f"d{i}", name, "MF"[i % 2])
        kind = HOUSEHOLD_REGISTRATION if i % 7 else "home"
        addr = address(f"a{i}", f"d{i}", kind, n=i, found_on=today - timedelta(days=30),
                       verified_on=today - timedelta(days=3) if i % 11 == 0 else None)
        amount = Decimal(1000 + (i * 7919) % 60000) + Decimal(i % 100) / 100
        yield case(f"c{i}", placed_on=today - timedelta(days=i % 20), dpd=30 + i % 90, outstanding=amount,
                   parties=(party,), addresses=(addr,), placement_id=f"PL-{i % 5}")


TEMPLATE_TYPES = tuple(LetterType)
