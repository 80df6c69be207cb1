"""The case of contracts.md §1 and small helpers, shared by the rules tests."""
from __future__ import annotations

import copy
from datetime import date
from typing import Any

from recoup_intake.rules.model import ValidCase
from recoup_intake.rules.validation import validate_cases

PLACED = date(2026, 11, 20)
TODAY = date(2026, 11, 20)

# The case of contracts.md §1, verbatim.
CONTRACT_CASE: dict[str, Any] = {
    "account_ref": "6222020200112233446",
    "debtor": {"name": "张伟", "id_number": "410105198703150030", "gender": "M"},
    "currency": "CNY",
    "principal": "12000.00", "interest": "1530.50", "fees": "300.00",
    "placed_amount": "13830.50",
    "dpd": 95,
    "last_payment": {"on": "2026-08-01", "amount": "500.00"},
    "phones": [
        {"number": "13800138000", "kind": "mobile", "owner": "debtor"},
        {"number": "0371-65432100", "kind": "work", "owner": "debtor"},
        {"number": "13900139000", "kind": "mobile", "owner": "contact",
         "name": "李娜", "relationship": "spouse", "knows_debt": False},
    ],
    "addresses": [
        {"kind": "household_registration", "province": "河南省", "city": "郑州市",
         "district": "金水区", "line": "花园路 88 号 3 单元 502"},
        {"kind": "work", "province": "河南省", "city": "郑州市", "district": "中原区",
         "line": "建设西路 11 号", "employer": "郑州某某机械有限公司"},
    ],
    "flags": ["special_population"],
    "remarks": "客户曾于 2026-09 投诉",
}


def case(**changes: Any) -> dict[str, Any]:
    """The contract case with top-level changes (None removes a key)."""
    c = copy.deepcopy(CONTRACT_CASE)
    for k, v in changes.items():
        if v is None:
            c.pop(k, None)
        else:
            c[k] = v
    return c


def debtor(**changes: Any) -> dict[str, Any]:
    d = dict(CONTRACT_CASE["debtor"])
    for k, v in changes.items():
        if v is None:
            d.pop(k, None)
        else:
            d[k] = v
    return d


def run(*cases: Any, **kw: Any):
    return validate_cases(list(cases), placed_on=PLACED, today=TODAY, **kw)


def one_valid(c: dict[str, Any]) -> ValidCase:
    r = run(c)
    assert r.errors == [], r.errors
    assert len(r.valid) == 1
    return r.valid[0]


def errors_of(c: Any) -> dict[str, str]:
    r = run(c)
    assert r.valid == []
    return {e.field: e.reason for e in r.errors}

