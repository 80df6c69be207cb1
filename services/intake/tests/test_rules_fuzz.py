"""Issue 14 item 4: whatever JSON value a client puts in any field of a case (or of an update row),
the row validator answers with row errors (or accepts the row) — never an exception that would
fail the whole batch with a 500. `{}` or `[]` in `addresses[0].kind`, `phones[0].kind` or `owner`
used to raise an unhashable TypeError."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from recoup_intake.rules.updates import parse_update
from recoup_intake.rules.validation import validate_cases

from .contract_case import PLACED, TODAY, case

# Any JSON value a decoder can give (orjson: no NaN/Infinity; integers beyond 64 bits are refused
# by orjson but Python's json would pass them: included).
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)

BASE = case(phones=[{"number": "13800138000", "kind": "mobile", "owner": "contact", "name": "李娜",
                     "relationship": "配偶", "knows_debt": False, "employer": "某公司"}],
            addresses=[{"kind": "home", "province": "河南省", "city": "郑州市", "district": "金水区",
                        "line": "花园路 88 号", "employer": "某公司", "owner": "debtor", "name": "张伟",
                        "relationship": "本人"}],
            last_payment={"on": "2026-08-01", "amount": "500.00"}, extra={"申请号": "AP-1"},
            flags=["dispute"], remarks="x", employer="某公司", credit_limit="1000.00")


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path into a JSON value (dict keys and list indexes), the value itself excluded."""
    out = []
    if isinstance(value, dict):
        for k, v in value.items():
            out.append((*prefix, k))
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.append((*prefix, i))
            out += _paths(v, (*prefix, i))
    return out


CASE_PATHS = _paths(BASE) + [("debtor", "gender"), ("debtor", "birth_date"), ("overdue_since",), ("product",),
                             ("currency",), ("phones", 0, "extension"), ("no_such_field",)]


def _set(doc: Any, path: tuple, value: Any) -> Any:
    doc = copy.deepcopy(doc)
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return doc


def _judged(result, n_rows: int) -> None:
    rows = {v.row for v in result.valid} | {e.row for e in result.errors}
    assert rows == set(range(n_rows))                 # every row accepted or rejected, none lost
    assert not ({v.row for v in result.valid} & {e.row for e in result.errors})
    for e in result.errors + result.warnings:
        assert isinstance(e.field, str) and isinstance(e.reason, str) and e.reason


@pytest.mark.parametrize("path", CASE_PATHS, ids=lambda p: ".".join(map(str, p)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON)
def test_any_json_value_in_any_case_field_is_a_row_error_never_an_exception(path, value):
    bad = _set(BASE, path, value)
    result = validate_cases([BASE | {"account_ref": "OTHER-1"}, bad], placed_on=PLACED, today=TODAY)
    _judged(result, 2)
    assert 0 in {v.row for v in result.valid}         # the other row is accepted


@settings(max_examples=200, deadline=None)
@given(value=JSON)
def test_any_json_value_as_a_whole_case_or_its_parts(value):
    for raw in (value, {"phones": [value]}, {"addresses": [value]}, {"debtor": value}, {"extra": value},
                {"phones": value}, {"addresses": value}, {"flags": value}, {"last_payment": value}):
        _judged(validate_cases([raw if not isinstance(raw, dict) else case(**raw)], placed_on=PLACED,
                               today=date(2026, 11, 20)), 1)


UPDATE = {"account_ref": "A-1", "principal": "1.00", "interest": "0", "fees": "0", "placed_amount": "1.00",
          "phones": [{"number": "13800138000", "kind": "mobile", "owner": "debtor"}],
          "addresses": [{"kind": "home", "line": "x"}], "flags": ["dispute"], "remarks": "r",
          "effective_on": "2026-11-30"}


@pytest.mark.parametrize("path", _paths(UPDATE), ids=lambda p: ".".join(map(str, p)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=JSON)
def test_any_json_value_in_an_update_row_is_a_row_error_never_an_exception(path, value):
    got = parse_update(3, _set(UPDATE, path, value))
    if isinstance(got, list):
        assert got and all(e.row == 3 and e.field.startswith("updates[3]") for e in got)
    else:
        assert got.index == 3


@settings(max_examples=200, deadline=None)
@given(value=JSON)
def test_any_json_value_as_a_whole_update_row(value):
    got = parse_update(0, value)
    assert isinstance(got, list) or got.index == 0
