"""Builders of sample cases and letters, shared by the tests and the benchmark (and handy for the
service's own tests). Numbers in here are sample data, never defaults of the rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from recoup_letters.adapters.pdf import Envelope, PrintLetter
from recoup_letters.adapters.variables import Agency, CaseFacts, letter_variables
from recoup_letters.rules import checkcode
from recoup_letters.samples import sample_template
from recoup_letters.rules.model import (
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


# --- events and API flows for the service's tests, the end-to-end test and the benchmark ---------

def address_out(kind: str = HOUSEHOLD_REGISTRATION, *, n: int = 0, line: str | None = None, owner: str = "debtor",
                verified: bool = False, postcode: bool = True) -> dict:
    """An AddressOut payload (recoup_shared.bus.events) in the sample provinces."""
    province, city, district, code = PROVINCES[n % len(PROVINCES)]
    out = {"kind": kind, "province": province, "city": city, "district": district,
           "line": line or f"花园路 {88 + n} 号 3 单元 502", "verified": verified, "owner": owner}
    if postcode:
        out["postcode"] = code
    return out


def received_envelope(case_id: str, client_id: str = "zhbank", *, placed_on: date, dpd: int = 5,
                      amount: str = "13830.50", addresses: list[dict] | None = None, flags: tuple[str, ...] = (),
                      placement_id: str = "PL-1", name: str = "张伟", gender: str = "M",
                      mobile: str = "13800138000", occurred_at=None) -> dict:
    """A case.received envelope as intake publishes it (masked ID and card numbers only)."""
    from recoup_shared.bus import new_envelope
    from recoup_shared.vocabulary import dpd_bucket

    payload = {
        "placement_id": placement_id, "placement_ref": f"REF-{placement_id}", "product": "credit_card",
        "placed_on": placed_on.isoformat(), "recall_on": (placed_on + timedelta(days=91)).isoformat(),
        "account_masked": "622202*************", "account_hash": f"acc-{case_id}",
        "debtor": {"name": name, "id_number_masked": "410105************", "id_hash": f"id-{case_id}",
                   "gender": gender},
        "currency": "CNY", "principal": amount, "interest": "0.00", "fees": "0.00", "placed_amount": amount,
        "dpd": dpd, "dpd_bucket": dpd_bucket(dpd),
        "overdue_since": (placed_on - timedelta(days=dpd)).isoformat(),
        "phones": [{"number": mobile, "number_masked": mobile[:3] + "****" + mobile[-4:],
                    "number_hash": f"ph-{case_id}", "kind": "mobile", "owner": "debtor"},
                   {"number": "13900139000", "number_masked": "139****9000", "number_hash": f"pc-{case_id}",
                    "kind": "mobile", "owner": "contact", "name": "李娜", "relationship": "spouse",
                    "knows_debt": False}],
        "addresses": addresses if addresses is not None else [address_out()],
        "region": "河南省", "flags": list(flags), "status": "open"}
    return new_envelope(event_type="case.received", producer="intake", client_id=client_id, case_id=case_id,
                        payload=payload, occurred_at=occurred_at)


def contact_found_envelope(case_id: str, client_id: str = "zhbank", *, addresses: list[dict],
                           occurred_at, contact_id: str | None = None, channel: str = "call",
                           status: str | None = "REACHABLE_THIRD_PARTY", instalments: list[dict] | None = None) -> dict:
    """A contact.logged envelope as the contact service publishes it: a collector found addresses
    (skip tracing, R-25)."""
    import uuid

    from recoup_shared.bus import new_envelope

    payload = {"contact_id": contact_id or uuid.uuid4().hex, "collector_id": "col-0001", "channel": channel,
               "party": "third_party", "result": "connected", "effective": True, "status": status,
               "addresses_found": addresses, "instalments": instalments or [],
               "occurred_at": occurred_at.isoformat()}
    return new_envelope(event_type="contact.logged", producer="contact", client_id=client_id, case_id=case_id,
                        payload=payload, occurred_at=occurred_at)


def approval(source: str | bytes = b"signed approval letter") -> dict:
    """An approval body for a template version: the client's person, reference and document digest."""
    import hashlib

    data = source.encode() if isinstance(source, str) else source
    return {"approved_by": "王经理 (委托方信用卡中心)", "approved_at": "2026-11-01T10:00:00+08:00",
            "reference": "ZH-APPROVAL-2026-11", "document_sha256": hashlib.sha256(data).hexdigest()}


async def approve_templates(client, headers: dict, client_id: str, types=TEMPLATE_TYPES) -> dict[str, str]:
    """Upload the sample template of each type for the client and record its approval (R-27), over
    the letters API (`client`: an httpx client). Returns {letter type: template id}."""
    out = {}
    for t in types:
        r = await client.post("/v1/templates/letters", headers=headers,
                              json={"client_id": client_id, "letter_type": t.value, "source": sample_template(t)})
        assert r.status_code == 201, r.text
        version = r.json()
        r = await client.post(f"/v1/templates/{version['template_id']}/versions/{version['version']}/approval",
                              headers=headers, json=approval())
        assert r.status_code == 200, r.text
        out[t.value] = version["template_id"]
    return out


async def approve_templates_directly(conn, ctx, principal, client_id: str, types=TEMPLATE_TYPES) -> dict[str, str]:
    """`approve_templates` through the use cases (tests without the HTTP layer)."""
    from datetime import datetime

    from recoup_letters.usecases import templates

    out = {}
    body = approval()
    for t in types:
        v = await templates.upload_letter_version(conn, ctx, principal, client_id=client_id, letter_type=t,
                                                  source=sample_template(t), note=None)
        await templates.approve(conn, ctx, principal, v["template_id"], v["version"],
                                approved_by=body["approved_by"],
                                approved_at=datetime.fromisoformat(body["approved_at"]),
                                reference=body["reference"], document_sha256=body["document_sha256"])
        out[t.value] = v["template_id"]
    return out
