"""Unit tests of per-row validation (R-2, R-4), ID numbers and phones. Pure and fast."""
from __future__ import annotations

import copy
from datetime import date, timedelta
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_intake.rules import (
    FLAGS,
    W_BREAKDOWN_MISSING,
    W_DUPLICATE_PHONE,
    W_TOTAL_MISMATCH,
    IdNumberError,
    PhoneError,
    RowError,
    ValidCase,
    id15_to_id18,
    id_check_char,
    make_id15,
    make_id_number,
    parse_id_number,
    parse_phone,
    validate_cases,
)

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


# --- ID numbers --------------------------------------------------------------------------------
@pytest.mark.parametrize("id_number, reason", [
    ("410105198703150031", "checksum"),
    ("41010519870315003", "18 characters"),
    ("4101051987031500300", "18 characters"),
    ("41010519870315003A", "17 digits followed by a digit or X"),
    ("A10105198703150030", "17 digits"),
    ("000105198703150030", "region"),
    ("991234198703150030", "region"),
    ("410105198702300030", "impossible birth date"),
    ("410105189903150030", "before 1900"),
    ("410105203001010030", "future"),
    ("41010587031500X", "all digits"),
    ("410105870230003", "impossible birth date"),
])
def test_bad_id_numbers_are_rejected_with_a_reason(id_number, reason):
    # give each a correct check char where the test is about something else
    if len(id_number) == 18 and id_number.isdigit() and reason != "checksum":
        id_number = id_number[:17] + id_check_char(id_number)
    errs = errors_of(case(debtor=debtor(id_number=id_number, gender=None)))
    assert list(errs) == ["cases[0].debtor.id_number"]
    assert reason in errs["cases[0].debtor.id_number"]
    # reasons never carry the number itself (they are logged)
    assert id_number not in errs["cases[0].debtor.id_number"]


def test_id_number_normalisation_keeps_the_value_given():
    x_id = make_id_number("110101", date(1990, 1, 1), 0)
    while not x_id.endswith("X"):
        x_id = make_id_number("110101", date(1990, 1, 1), int(x_id[14:17]) + 1)
    v = one_valid(case(debtor=debtor(id_number=" " + x_id.lower() + "\u3000", gender=None)))
    assert v.id_number == x_id == v.id_number_18
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in "410105198703150030")
    v = one_valid(case(debtor=debtor(id_number=full_width)))
    assert v.id_number == "410105198703150030"
    v = one_valid(case(debtor=debtor(id_number="410105 19870315 0030")))
    assert v.id_number == "410105198703150030"


def test_old_15_digit_id_is_accepted_and_converted_for_matching():
    old = make_id15("410105", date(1967, 3, 15), 3)
    assert old == "410105670315003"
    v = one_valid(case(debtor=debtor(id_number=old, gender="M")))
    assert v.id_number == old                       # kept as given
    assert v.id_number_18 == make_id_number("410105", date(1967, 3, 15), 3) == id15_to_id18(old)
    assert v.birth_date == date(1967, 3, 15) and v.gender == "M"


def test_id_numbers_of_residence_permits_and_foreigners_cards():
    for region in ("810000", "820000", "830000", "911156"):
        n = make_id_number(region, date(1990, 5, 6), 11)
        assert parse_id_number(n).id18 == n


def test_json_number_and_excel_notation_ids_are_refused():
    assert "must be a string" in errors_of(case(debtor=debtor(id_number=410105198703150030)))["cases[0].debtor.id_number"]
    assert "scientific notation" in errors_of(case(debtor=debtor(id_number="4.10105E+17")))["cases[0].debtor.id_number"]


def test_gender_and_birth_date_must_agree_with_the_id_number():
    errs = errors_of(case(debtor=debtor(gender="F")))
    assert errs == {"cases[0].debtor.gender": "gender F does not match the ID number (M)"}
    assert "M or F" in errors_of(case(debtor=debtor(gender="男")))["cases[0].debtor.gender"]
    errs = errors_of(case(debtor=debtor(birth_date="1987-03-16")))
    assert "differs" in errs["cases[0].debtor.birth_date"]
    v = one_valid(case(debtor=debtor(gender=None, birth_date="1987-03-15")))
    assert v.gender == "M"          # derived from the ID number
    assert one_valid(case(debtor=debtor(gender="m"))).gender == "M"


def test_missing_debtor_is_one_error():
    assert errors_of(case(debtor=None)) == {"cases[0].debtor": "required"}
    assert errors_of(case(debtor="张伟")) == {"cases[0].debtor": "must be an object"}
    errs = errors_of(case(debtor={"name": "张伟"}))
    assert errs == {"cases[0].debtor.id_number": "required"}
    assert errors_of(case(debtor={})) == {"cases[0].debtor.name": "required",
                                          "cases[0].debtor.id_number": "required"}


@given(region=st.sampled_from(["110101", "310104", "410105", "440305", "650102", "810000"]),
       birth=st.dates(date(1900, 1, 1), date(2026, 11, 20)),
       seq=st.integers(0, 999), gender=st.sampled_from(["M", "F"]))
def test_generated_id_numbers_are_valid_and_carry_birth_and_gender(region, birth, seq, gender):
    n = make_id_number(region, birth, seq, gender)
    idn = parse_id_number(n, today=TODAY)
    assert (idn.birth_date, idn.gender, idn.id18) == (birth, gender, n)
    # any single-digit change in the first 17 is caught by the checksum (or the date/region check)
    k = seq % 17
    bad = n[:k] + str((int(n[k]) + 1) % 10) + n[k + 1:]
    with pytest.raises(IdNumberError):
        parse_id_number(bad, today=TODAY)


@given(birth=st.dates(date(1900, 1, 1), date(1999, 12, 31)), seq=st.integers(0, 999))
def test_15_digit_conversion_matches_the_18_digit_number(birth, seq):
    old = make_id15("320102", birth, seq)
    assert parse_id_number(old).id18 == make_id_number("320102", birth, seq)


# --- names -------------------------------------------------------------------------------------
@pytest.mark.parametrize("given_name, expected", [
    ("  张伟 ", "张伟"),
    ("阿卜杜拉·艾买提", "阿卜杜拉·艾买提"),
    ("阿卜杜拉•艾买提", "阿卜杜拉·艾买提"),      # bullet instead of the middle dot
    ("阿卜杜拉・艾买提", "阿卜杜拉·艾买提"),      # katakana middle dot
    ("John O'Brien-Smith", "John O'Brien-Smith"),
    ("ＺＨＡＮＧ Ｗｅｉ", "ZHANG Wei"),         # full-width Latin
    ("𠮷田", "𠮷田"),                          # CJK extension B
])
def test_names_are_trimmed_and_normalised(given_name, expected):
    assert one_valid(case(debtor=debtor(name=given_name))).debtor_name == expected


@pytest.mark.parametrize("bad, reason", [
    ("", "required"), ("   ", "required"), ("张伟123", "letters"), ("张@伟", "letters"),
    ("·张伟", "letters"), ("张" * 65, "longer than 64"), (123, "must be a string"),
])
def test_bad_names(bad, reason):
    assert reason in errors_of(case(debtor=debtor(name=bad)))["cases[0].debtor.name"]


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


# --- phones ------------------------------------------------------------------------------------
@pytest.mark.parametrize("given_number, canonical, ext", [
    ("13800138000", "13800138000", None),
    ("138 0013 8000", "13800138000", None),
    ("138-0013-8000", "13800138000", None),
    ("+86 138 0013 8000", "13800138000", None),
    ("+8613800138000", "13800138000", None),
    ("008613800138000", "13800138000", None),
    ("8613800138000", "13800138000", None),
    ("１３８００１３８０００", "13800138000", None),
    ("19912345678", "19912345678", None),
    ("0371-65432100", "037165432100", None),
    ("(0371)65432100", "037165432100", None),
    ("（０３７１）６５４３２１００", "037165432100", None),
    ("010-65432100", "01065432100", None),
    ("+86 10 6543 2100", "01065432100", None),
    ("0086-371-65432100", "037165432100", None),
    ("0371-65432100-801", "037165432100", "801"),
    ("0371-65432100转801", "037165432100", "801"),
    ("021 6543 2100 ext 12", "02165432100", "12"),
])
def test_phones_normalised_to_the_national_dialling_form(given_number, canonical, ext):
    p = parse_phone(given_number)
    assert (p.number, p.extension) == (canonical, ext)
    assert p.is_mobile == canonical.startswith("1")


@pytest.mark.parametrize("bad, reason", [
    ("1380013800", "mobile"), ("138001380001", "mobile"), ("14012345678", "mobile"),
    ("12345678901", "mobile"), ("65432100", "without area code"), ("0371-6543", "landline"),
    ("abc", "other than digits"), ("", "empty"), ("+1 212 555 0100", "+86"), ("95588", "phone"),
    ("4008001234", "phone"), ("1.38001E+10", "other than digits"),
])
def test_bad_phones(bad, reason):
    with pytest.raises(PhoneError) as e:
        parse_phone(bad)
    assert reason in str(e.value)
    assert not bad or bad not in str(e.value)


def test_phone_rows_keep_the_number_as_given_and_dedupe_with_a_warning():
    phones = [
        {"number": "138 0013 8000", "kind": "mobile"},
        {"number": "+86 13800138000", "kind": "home"},
        {"number": "0371-65432100", "kind": "home", "owner": "debtor"},
    ]
    v = one_valid(case(phones=phones))
    assert [(p.number, p.number_given, p.kind, p.owner) for p in v.phones] == [
        ("13800138000", "138 0013 8000", "mobile", "debtor"),
        ("037165432100", "0371-65432100", "home", "debtor"),
    ]
    assert v.warnings == [W_DUPLICATE_PHONE]


@pytest.mark.parametrize("phone, field, reason", [
    ({"number": "123", "kind": "mobile"}, "number", "not a valid"),
    ({"kind": "mobile"}, "number", "required"),
    ({"number": 13800138000, "kind": "mobile"}, "number", "must be a string"),
    ({"number": "13800138000"}, "kind", "required"),
    ({"number": "13800138000", "kind": "cell"}, "kind", "one of"),
    ({"number": "13800138000", "kind": "mobile", "owner": "friend"}, "owner", "debtor or contact"),
    ({"number": "13800138000", "kind": "mobile", "owner": "contact", "relationship": "spouse"}, "name",
     "required for a contact"),
    ({"number": "13800138000", "kind": "mobile", "owner": "contact", "name": "李娜"}, "relationship",
     "required for a contact"),
    ({"number": "13800138000", "kind": "mobile", "owner": "contact", "name": "李娜", "relationship": "spouse",
      "knows_debt": "no"}, "knows_debt", "true or false"),
])
def test_phone_errors(phone, field, reason):
    errs = errors_of(case(phones=[phone]))
    assert reason in errs[f"cases[0].phones[0].{field}"]


def test_phones_must_be_a_list_of_objects():
    assert errors_of(case(phones="13800138000")) == {"cases[0].phones": "must be a list"}
    assert errors_of(case(phones=["13800138000"])) == {"cases[0].phones[0]": "must be an object"}
    assert one_valid(case(phones=[])).phones == []
    assert one_valid(case(phones=None)).phones == []


# --- addresses, flags, remarks -----------------------------------------------------------------
@pytest.mark.parametrize("address, field, reason", [
    ({"kind": "home"}, "line", "required"),
    ({"kind": "home", "line": "   "}, "line", "required"),
    ({"kind": "office", "line": "x"}, "kind", "one of"),
    ({"line": "x"}, "kind", "required"),
    ({"kind": "home", "line": "x" * 201}, "line", "longer than 200"),
    ({"kind": "home", "line": "x", "province": 41}, "province", "must be a string"),
])
def test_address_errors(address, field, reason):
    assert reason in errors_of(case(addresses=[address]))[f"cases[0].addresses[0].{field}"]


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
