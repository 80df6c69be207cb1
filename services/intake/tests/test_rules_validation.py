"""Unit tests of per-row validation (R-2, R-4): the contract case, accounts and duplicates, money,
overdue dates, last payment, addresses, flags, remarks; robustness. Pure and fast."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_intake.rules.model import FLAGS, W_BREAKDOWN_MISSING, W_TOTAL_MISMATCH, RowError

from .contract_case import CONTRACT_CASE, PLACED, case, debtor, errors_of, one_valid, run


# --- the contract example ----------------------------------------------------------------------
def test_contract_case_is_accepted_with_normalised_values():
    v = one_valid(CONTRACT_CASE)
    assert v.row == 0
    assert v.account_ref == "6222020200112233446"
    assert v.debtor_name == "张伟"
    assert v.id_number == v.id_number_18 == "410105198703150030"
    assert v.gender == "M" and v.birth_date == date(1987, 3, 15)
    assert (v.principal, v.interest, v.fees, v.placed_amount) == (D("12000.00"), D("1530.50"), D("300.00"), D("13830.50"))
    assert v.currency == "CNY"
    assert v.dpd == 95 and v.overdue_since == PLACED - timedelta(days=95) and v.dpd_bucket == "M4"
    assert v.last_payment_on == date(2026, 8, 1) and v.last_payment_amount == D("500.00")
    assert [p.number for p in v.phones] == ["13800138000", "037165432100", "13900139000"]
    assert v.phones[1].number_given == "0371-65432100" and not v.phones[1].is_mobile
    contact = v.phones[2]
    assert (contact.owner, contact.name, contact.relationship, contact.knows_debt) == ("contact", "李娜", "spouse", False)
    assert [a.kind for a in v.addresses] == ["household_registration", "work"]
    assert v.addresses[1].employer == "郑州某某机械有限公司"
    assert v.flags == ["special_population"]
    assert v.remarks == "客户曾于 2026-09 投诉"
    assert v.warnings == []


def test_good_rows_are_accepted_and_bad_rows_rejected_whole_with_all_their_errors():
    bad = case(account_ref="X-2", debtor=debtor(id_number="410105198703150031"), placed_amount="1.234",
               dpd=None)
    good2 = case(account_ref="X-3")
    r = run(CONTRACT_CASE, bad, good2)
    assert [v.row for v in r.valid] == [0, 2]
    assert r.accepted == 2 and r.rejected == 1 and r.rejected_rows == [1]
    fields = [e.field for e in r.errors]
    assert fields == ["cases[1].debtor.id_number", "cases[1].placed_amount", "cases[1].dpd"]
    assert all(e.row == 1 for e in r.errors)


def test_a_row_that_is_not_an_object_gets_one_error():
    r = run(CONTRACT_CASE, "hello", 42, None, [])
    assert [(e.row, e.field) for e in r.errors] == [(1, "cases[1]"), (2, "cases[2]"), (3, "cases[3]"), (4, "cases[4]")]
    assert r.accepted == 1


def test_unknown_fields_are_errors_not_silently_dropped():
    c = case(placed_amout="13830.50")
    c["debtor"]["nmae"] = "x"
    c["phones"][0]["typ"] = "mobile"
    c["addresses"][0]["street"] = "x"
    errs = errors_of(c)
    assert errs == {
        "cases[0].placed_amout": "unknown field",
        "cases[0].debtor.nmae": "unknown field",
        "cases[0].phones[0].typ": "unknown field",
        "cases[0].addresses[0].street": "unknown field",
    }


def test_max_errors_per_row_caps_the_list():
    c = {"account_ref": 1, "debtor": {"name": 2, "id_number": 3}, "principal": "x", "interest": "y",
         "fees": "z", "dpd": -1, "currency": "yuan", "remarks": 5, "employer": 6, "flags": ["a", "b", "c"]}
    r = run(c, max_errors_per_row=4)
    assert len(r.errors) == 5
    assert r.errors[-1].field == "cases[0]" and "more error" in r.errors[-1].reason


def test_row_numbers_relabel_rows_but_paths_keep_the_index():
    dup = case()
    r = run(CONTRACT_CASE, dup, row_numbers=[7, 9])
    assert r.valid[0].row == 7
    assert r.errors == [RowError(9, "cases[1].account_ref", "duplicate account_ref in this placement (first at row 7)")]


# --- accounts and duplicates -------------------------------------------------------------------
def test_account_ref_normalised_and_duplicates_rejected_after_the_first():
    a = case(account_ref="6222 0202-0011 2233 446")
    b = case(account_ref="6222020200112233446")
    c = case(account_ref="６２２２０２０２００１１２２３３４４６")
    r = run(a, b, c)
    assert [v.row for v in r.valid] == [0]
    assert r.valid[0].account_ref == "6222020200112233446"
    assert [(e.row, e.field, e.reason) for e in r.errors] == [
        (1, "cases[1].account_ref", "duplicate account_ref in this placement (first at row 0)"),
        (2, "cases[2].account_ref", "duplicate account_ref in this placement (first at row 0)"),
    ]


def test_duplicate_of_a_rejected_row_is_still_a_duplicate():
    first = case(dpd=None)       # rejected: no dpd / overdue_since
    r = run(first, case())
    assert {e.field for e in r.errors} == {"cases[0].dpd", "cases[1].account_ref"}


@pytest.mark.parametrize("bad, reason", [
    (None, "required"), ("", "required"), (6222020200112233446, "must be a string"),
    ("6.22202E+18", "scientific notation"), ("6222#0202", "letters, digits"), ("9" * 65, "longer"),
])
def test_bad_account_refs(bad, reason):
    assert reason in errors_of(case(account_ref=bad))["cases[0].account_ref"]


# --- money (R-4) --------------------------------------------------------------------------------
@pytest.mark.parametrize("given_amount, expected", [
    ("13830.50", D("13830.50")), ("13830.5", D("13830.50")), ("13830", D("13830.00")),
    (13830.5, D("13830.50")), (13830, D("13830.00")), ("100.500", D("100.50")), (" 7.00 ", D("7.00")),
    ("１３８３０．５０", D("13830.50")), ("0", D("0.00")), ("-0.00", D("0.00")), (".5", D("0.50")),
])
def test_amounts_accepted(given_amount, expected):
    v = one_valid(case(principal=None, interest=None, fees=None, placed_amount=given_amount))
    assert v.placed_amount == expected and v.placed_amount.as_tuple().exponent == -2


@pytest.mark.parametrize("bad, reason", [
    ("13830.505", "more than two decimals"),
    (0.1 + 0.2, "more than two decimals"),          # 0.30000000000000004: never rounded
    (13830.499999999998, "more than two decimals"),
    (1e-05, "more than two decimals"),
    ("13,830.50", "thousands separators"),
    ("1e5", "scientific notation"),
    ("-5.00", "≥ 0"), (-5, "≥ 0"),
    ("12 000", "decimal amount"), ("abc", "decimal amount"), ("", "decimal amount"),
    (True, "decimal string or a number"), ([], "decimal string or a number"),
    (float("nan"), "finite"), (float("inf"), "finite"),
    ("99999999999999999.00", "too large"), (1e17, "too large"),
])
def test_amounts_rejected(bad, reason):
    errs = errors_of(case(placed_amount=bad))
    assert reason in errs["cases[0].placed_amount"]


def test_total_mismatch_keeps_the_clients_total_and_warns():
    v = one_valid(case(placed_amount="14000.00"))
    assert v.placed_amount == D("14000.00")
    assert (v.principal, v.interest, v.fees) == (D("12000.00"), D("1530.50"), D("300.00"))
    assert v.warnings == [W_TOTAL_MISMATCH]


def test_missing_total_is_computed_from_the_parts():
    v = one_valid(case(placed_amount=None))
    assert v.placed_amount == D("13830.50") and v.warnings == []
    v = one_valid(case(placed_amount=None, fees=None))          # a missing part counts as zero
    assert v.placed_amount == D("13530.50") and v.fees == D("0.00")


def test_total_without_breakdown_is_flagged():
    v = one_valid(case(principal=None, interest=None, fees=None))
    assert (v.principal, v.interest, v.fees, v.placed_amount) == (D("13830.50"), D("0.00"), D("0.00"), D("13830.50"))
    assert v.warnings == [W_BREAKDOWN_MISSING]


def test_no_amount_at_all_is_an_error():
    errs = errors_of(case(principal=None, interest=None, fees=None, placed_amount=None))
    assert errs == {"cases[0].placed_amount": "placed_amount or principal/interest/fees required"}


def test_part_errors_are_reported_on_their_field():
    errs = errors_of(case(interest="1530.505", credit_limit="-1"))
    assert set(errs) == {"cases[0].interest", "cases[0].credit_limit"}


@given(st.decimals(min_value=0, max_value=D("9999999999999999.99"), places=2, allow_nan=False))
def test_two_decimal_amounts_round_trip_exactly(amount):
    v = one_valid(case(principal=None, interest=None, fees=None, placed_amount=str(amount)))
    assert v.placed_amount == amount


def test_currency():
    assert one_valid(case(currency=None)).currency == "CNY"
    assert one_valid(case(currency="usd")).currency == "USD"
    assert "ISO 4217" in errors_of(case(currency="RMB1"))["cases[0].currency"]
    assert "ISO 4217" in errors_of(case(currency=156))["cases[0].currency"]


# --- overdue: dpd or overdue_since --------------------------------------------------------------
def test_dpd_or_overdue_since_one_derived_from_the_other():
    v = one_valid(case(dpd=None, overdue_since="2026-08-17"))
    assert v.dpd == 95 and v.overdue_since == date(2026, 8, 17) and v.dpd_bucket == "M4"
    v = one_valid(case(dpd=0))
    assert v.overdue_since == PLACED and v.dpd_bucket == "M0"
    v = one_valid(case(dpd=400))
    assert v.dpd_bucket == "M6+"
    v = one_valid(case(overdue_since="2026-08-17"))       # both, consistent: fine
    assert v.dpd == 95


@pytest.mark.parametrize("changes, field, reason", [
    ({"dpd": None}, "dpd", "dpd or overdue_since required"),
    ({"overdue_since": "2026-08-01"}, "dpd", "disagrees"),
    ({"dpd": None, "overdue_since": "2026-11-21"}, "overdue_since", "after the placement date"),
    ({"dpd": None, "overdue_since": "2026/08/01"}, "overdue_since", "YYYY-MM-DD"),
    ({"dpd": None, "overdue_since": "20260801"}, "overdue_since", "YYYY-MM-DD"),
    ({"dpd": None, "overdue_since": "2026-02-30"}, "overdue_since", "calendar date"),
    ({"dpd": -1}, "dpd", "≥ 0"),
    ({"dpd": 9.5}, "dpd", "whole number"),
    ({"dpd": True}, "dpd", "whole number"),
    ({"dpd": "95天"}, "dpd", "whole number"),
    ({"dpd": 40000}, "dpd", "implausible"),
])
def test_overdue_errors(changes, field, reason):
    errs = errors_of(case(**changes))
    assert reason in errs[f"cases[0].{field}"]


# --- last payment ------------------------------------------------------------------------------
@pytest.mark.parametrize("lp, field, reason", [
    ({"on": "2026-11-21", "amount": "1.00"}, "last_payment.on", "future"),
    ({"amount": "1.00"}, "last_payment.on", "required"),
    ({"on": "2026-08-01"}, "last_payment.amount", "required"),
    ({"on": "2026-08-01", "amount": "-1"}, "last_payment.amount", "≥ 0"),
    ({"on": "2026-08-01", "amount": "1", "by": "x"}, "last_payment.by", "unknown field"),
    ("2026-08-01", "last_payment", "must be an object"),
])
def test_last_payment_errors(lp, field, reason):
    assert reason in errors_of(case(last_payment=lp))[f"cases[0].{field}"]


# --- addresses, flags, remarks -----------------------------------------------------------------
@pytest.mark.parametrize("address, field, reason", [
    ({"kind": "office", "line": "x"}, "kind", "one of"),
    ({"kind": {}, "line": "x"}, "kind", "one of"),
    ({"kind": [], "line": "x"}, "kind", "one of"),
    ({"line": "x"}, "kind", "required"),
    ({"kind": "home", "line": "x", "province": 41}, "province", "must be a string"),
    ({"kind": "home", "line": "x", "owner": {}}, "owner", "debtor or contact"),
])
def test_address_structure_errors_reject_the_row(address, field, reason):
    assert reason in errors_of(case(addresses=[address]))[f"cases[0].addresses[0].{field}"]


@pytest.mark.parametrize("address, field, reason", [
    ({"kind": "home"}, "line", "required"),
    ({"kind": "home", "line": "   "}, "line", "required"),
    ({"kind": "home", "line": "x" * 201}, "line", "longer than 200"),
    ({"kind": "home", "line": "x", "city": "市" * 33}, "city", "longer than 32"),
])
def test_a_malformed_address_is_kept_invalid_with_a_warning(address, field, reason):
    """R-4 (amended): the account is not lost for an address; nothing is dropped or cut."""
    r = run(case(addresses=[address]))
    assert r.errors == []
    (v,) = r.valid
    (a,) = v.addresses
    assert a.invalid and reason in a.invalid
    assert a.line == (address.get("line") or "").strip()
    assert [(w.field, reason in w.reason) for w in r.warnings] == [(f"cases[0].addresses[0].{field}", True)]


def test_flags():
    v = one_valid(case(flags=["dispute", "do_not_contact", "dispute"]))
    assert v.flags == ["dispute", "do_not_contact"]
    errs = errors_of(case(flags=["dispute", "vip", 3]))
    assert set(errs) == {"cases[0].flags[1]", "cases[0].flags[2]"}
    assert "unknown flag" in errs["cases[0].flags[1]"]
    assert "must be a list" in errors_of(case(flags="dispute"))["cases[0].flags"]
    assert set(FLAGS) == {"complaint_history", "dispute", "fraud_claim", "stolen_card", "do_not_contact",
                          "special_population"}


def test_remarks_and_employer_limits():
    assert one_valid(case(remarks="备" * 2000)).remarks == "备" * 2000
    assert "longer than 2000" in errors_of(case(remarks="备" * 2001))["cases[0].remarks"]
    assert one_valid(case(employer="  某某公司 ")).employer == "某某公司"
    assert one_valid(case(remarks="  ")).remarks is None


def test_product_override():
    assert one_valid(case(product="cash_loan")).product == "cash_loan"
    assert one_valid(CONTRACT_CASE).product is None


# --- robustness --------------------------------------------------------------------------------
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=6),
    max_leaves=20,
)
case_keys = st.sampled_from(sorted(CONTRACT_CASE) + ["overdue_since", "credit_limit", "product"])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(json_values, st.dictionaries(case_keys, json_values, max_size=8)), max_size=5))
def test_validation_never_raises_and_accounts_for_every_row(raw):
    r = run(*raw)
    rows = {e.row for e in r.errors}
    assert rows.isdisjoint(v.row for v in r.valid)
    assert len(rows) + len(r.valid) == len(raw)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(CONTRACT_CASE)), json_values)
def test_mutating_one_field_of_a_good_case_never_raises(key, value):
    c = case()
    c[key] = value
    r = run(c)
    assert len(r.valid) + r.rejected == 1
