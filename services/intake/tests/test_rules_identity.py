"""Unit tests of who a case is about (R-2, R-4, R-7, R-18, R-25): GB 11643 ID numbers (incl. the old
15-digit form), names, Chinese phones — the shared parser (recoup_shared.identifiers) as intake's
validation applies it. Pure and fast."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from recoup_intake.rules.model import W_DUPLICATE_PHONE, W_INVALID_PHONE, W_SKIP_TRACE
from recoup_shared.identifiers import (IdNumberError, PhoneError, id15_to_id18, id_check_char, make_id15,
                                       make_id_number, parse_id_number, parse_phone)

from .contract_case import TODAY, case, debtor, errors_of, one_valid, run


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
    ({"kind": "mobile"}, "number", "required"),
    ({"number": 13800138000, "kind": "mobile"}, "number", "must be a string"),
    ({"number": "13800138000"}, "kind", "required"),
    ({"number": "13800138000", "kind": "cell"}, "kind", "one of"),
    ({"number": "13800138000", "kind": {}}, "kind", "one of"),
    ({"number": "13800138000", "kind": "mobile", "owner": "friend"}, "owner", "debtor or contact"),
    ({"number": "13800138000", "kind": "mobile", "owner": []}, "owner", "debtor or contact"),
    ({"number": "13800138000", "kind": "mobile", "owner": "contact", "name": 5, "relationship": "spouse"}, "name",
     "must be a string"),
    ({"number": "13800138000", "kind": "mobile", "owner": "contact", "name": "李娜", "relationship": "spouse",
      "knows_debt": "no"}, "knows_debt", "true or false"),
])
def test_phone_structure_errors_reject_the_row(phone, field, reason):
    """A phone entry's JSON structure is the client system's: wrong types and vocabularies are row
    errors (issue 14: `{}` or `[]` never an exception)."""
    errs = errors_of(case(phones=[phone]))
    assert reason in errs[f"cases[0].phones[0].{field}"]


@pytest.mark.parametrize("phone, field, reason", [
    ({"number": "123", "kind": "mobile"}, "number", "not a valid"),
    ({"number": "6543210", "kind": "home"}, "number", "landline without area code"),
    ({"number": "13800138000", "kind": "mobile", "owner": "contact", "relationship": "spouse"}, "name",
     "required for a contact"),
    ({"number": "13800138000", "kind": "mobile", "owner": "contact", "name": "李娜"}, "relationship",
     "required for a contact"),
])
def test_malformed_phone_content_is_a_warning_and_the_phone_is_kept_invalid(phone, field, reason):
    """R-4 (amended): the row is accepted, the phone kept as given, marked invalid (never
    dialled), with a warning naming the field."""
    r = run(case(phones=[{"number": "13700137000", "kind": "mobile"}, phone]))
    assert r.errors == []
    (v,) = r.valid
    assert v.warnings == [W_INVALID_PHONE]
    good, bad = v.phones
    assert good.invalid is None and bad.invalid is not None and reason in bad.invalid
    assert bad.number == phone["number"]
    (w,) = r.warnings
    assert (w.row, w.field) == (0, f"cases[0].phones[1].{field}") and reason in w.reason
    assert "invalid" in w.reason
    assert not v.skip_trace


def test_a_debtor_without_a_valid_phone_is_accepted_and_marked_for_skip_tracing():
    r = run(case(phones=[{"number": "6543210", "kind": "home"},
                         {"number": "13900139000", "kind": "mobile", "owner": "contact", "name": "李娜",
                          "relationship": "spouse"}]))
    (v,) = r.valid
    assert v.skip_trace and W_SKIP_TRACE in v.warnings
    assert [w.field for w in r.warnings] == ["cases[0].phones[0].number", "cases[0].phones"]
    assert "skip tracing" in r.warnings[-1].reason
    assert run(case(phones=[])).valid[0].skip_trace  # no phone at all: the same


def test_phones_must_be_a_list_of_objects():
    assert errors_of(case(phones="13800138000")) == {"cases[0].phones": "must be a list"}
    assert errors_of(case(phones=["13800138000"])) == {"cases[0].phones[0]": "must be an object"}
    assert one_valid(case(phones=[])).phones == []
    assert one_valid(case(phones=None)).phones == []
