"""Letter templates (R-27): refused at upload with a precise reason; masked variables only (R-30)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_letters.adapters.templates import (
    TemplateRejected,
    environment,
    render_text,
    rmb_upper,
    validate_template,
)
from recoup_letters.adapters.variables import VARIABLES, CaseFacts, allowed_variables, letter_variables
from recoup_letters.rules import LetterType, has_full_number
from recoup_letters.samples import sample_template
from recoup_local.letters_samples import AGENCY, FULL_CARD, FULL_ID, address, debtor, facts

T = LetterType


def rejected(source: str, letter_type: LetterType = T.NOTICE) -> TemplateRejected:
    with pytest.raises(TemplateRejected) as e:
        validate_template(source, letter_type)
    return e.value


@pytest.mark.parametrize("source,code,fragment", [
    ("{{ ''.__class__ }}", "attribute_not_allowed", "'__class__'"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "expression_not_allowed", "calls"),
    ("{{ cycler.__init__.__globals__ }}", "unknown_variable", "'cycler'"),
    ("{{ joiner }}", "unknown_variable", "'joiner'"),
    ("{{ range(10)|length }}", "expression_not_allowed", "calls"),
    ("{{ debtor_name.upper() }}", "expression_not_allowed", "calls"),
    ("{{ debtor_name|attr('__class__') }}", "filter_not_allowed", "'attr'"),
    ("{{ instalments|map(attribute='amount')|list }}", "filter_not_allowed", "'map'"),
    ("{{ instalments[0] }}", "expression_not_allowed", "subscripts"),
    ("{{ debtor_name.encode }}", "attribute_not_allowed", "'encode'"),
    ("{% for i in instalments %}{{ i.secret }}{% endfor %}", "attribute_not_allowed", "fields: no, due_on, amount"),
    ("{% for c in debtor_name %}{{ c }}{% endfor %}", "not_iterable", "lists"),
    ("{% set x = debtor_name %}{{ x }}", "statement_not_allowed", "'set'"),
    ("{% include 'other' %}", "statement_not_allowed", "'include'"),
    ("{% import 'm' as m %}", "statement_not_allowed", "'import'"),
    ("{% extends 'base' %}", "statement_not_allowed", "'extends'"),
    ("{% macro m() %}x{% endmacro %}", "statement_not_allowed", "'macros'"),
    ("{{ id_number }}", "unknown_variable", "'id_number'"),
    ("{{ card_number }}", "unknown_variable", "'card_number'"),
    ("{{ outstanding|date_cn }}", "filter_type", "takes date"),
    ("{{ self }}", "unknown_variable", "'self'"),
    ("身份证号 410105198703150030", "full_number", "R-30"),
    ("{{ debtor_name ~ '6222020200112233446' }}", "full_number", "R-30"),
    ("{% if outstanding > 0 %}{{ debtor_name }", "syntax", ""),
])
def test_refused_at_upload_with_the_reason(source, code, fragment):
    err = rejected(source)
    assert any(p.code == code and fragment in p.message for p in err.problems), err.problems
    assert all(p.line == 1 for p in err.problems)


def test_problems_carry_their_line_and_all_are_listed():
    source = "尊敬的{{ debtor_name }}：\n\n{{ foo }}\n{{ bar|attr('x') }}\n"
    err = rejected(source)
    assert [(p.line, p.code) for p in err.problems] == [(3, "unknown_variable"), (4, "unknown_variable"),
                                                       (4, "filter_not_allowed")]
    assert "line 3: unknown variable 'foo'" in str(err)


def test_callback_notice_may_not_show_debt_details():
    err = rejected("{{ outstanding }} {{ card_number_masked }} {{ client_name }}", T.CALLBACK_NOTICE)
    assert [p.code for p in err.problems] == ["debt_detail"] * 3
    ok = validate_template("{{ recipient_name }} 请致电 {{ agency_phone }}", T.CALLBACK_NOTICE)
    assert ok.variables == {"recipient_name", "agency_phone"}
    assert not {n for n in allowed_variables(T.CALLBACK_NOTICE) if VARIABLES[n].debt_detail}


@pytest.mark.parametrize("letter_type", list(LetterType))
def test_sample_templates_are_valid(letter_type):
    t = validate_template(sample_template(letter_type), letter_type)
    assert len(t.sha256) == 64 and "recipient_name" in t.variables


def test_the_sandbox_is_the_second_wall():
    env = environment()
    assert env.globals == {}
    from jinja2.exceptions import SecurityError, UndefinedError

    with pytest.raises((SecurityError, UndefinedError)):
        env.from_string("{{ x.__class__.__mro__ }}").render(x="")
    with pytest.raises(UndefinedError):
        env.from_string("{{ cycler }}").render()


@pytest.mark.parametrize("amount,text", [
    ("13830.50", "壹万叁仟捌佰叁拾元伍角整"), ("100000", "壹拾万元整"), ("10005", "壹万零伍元整"),
    ("100010000", "壹亿零壹万元整"), ("1010.05", "壹仟零壹拾元零伍分"), ("0.30", "叁角整"), ("0", "零元整")])
def test_amount_in_chinese_capitals(amount, text):
    assert rmb_upper(Decimal(amount)) == text


def _variables(letter_type: LetterType, f: CaseFacts | None = None) -> dict:
    return letter_variables(letter_type=letter_type, recipient=debtor(), address=address("a1"), facts=f or facts(),
                            agency=AGENCY, letter_date=date(2026, 11, 25), check_code="EBC-687-AGQ",
                            reference="L1", reply_by=date(2026, 12, 10))


def test_render_the_notice():
    text = render_text(sample_template(T.NOTICE), _variables(T.NOTICE))
    assert "尊敬的张伟先生" in text and "13,830.50元" in text and "壹万叁仟捌佰叁拾元伍角整" in text
    assert "622202*************" in text and "410105************" in text
    assert "2026年12月10日" in text
    assert FULL_ID not in text and FULL_CARD not in text


def test_numbers_are_only_ever_masked_in_the_variables():
    values = _variables(T.LAWYER)
    assert values["id_number_masked"] == "410105************"
    assert values["card_number_masked"] == "622202*************"
    assert not any(has_full_number(str(v)) for v in values.values())
    # already masked upstream (as case.received carries them): unchanged
    masked = replace(facts(), id_number="410105************", card_number="622202*************")
    again = _variables(T.LAWYER, masked)
    assert (again["id_number_masked"], again["card_number_masked"]) == ("410105************", "622202*************")


digits = st.text(alphabet="0123456789", min_size=15, max_size=19)


@settings(max_examples=100, deadline=None)
@given(digits, digits, st.sampled_from(["", " ", "-"]), st.sampled_from(list(LetterType)))
def test_no_template_can_print_a_full_number(id_number, card, sep, letter_type):
    """Whatever numbers the service hands over, and even if one hides in a name or an address line,
    nothing printed holds a full ID or card number (R-30)."""
    grouped = sep.join(card[i:i + 4] for i in range(0, len(card), 4))
    f = CaseFacts(f"张伟{grouped}", id_number, card, "某银行", Decimal("100.00"), Decimal("100.00"))
    values = letter_variables(letter_type=letter_type, recipient=debtor(name=f"张伟{id_number}"),
                              address=address("a1"), facts=f, agency=AGENCY, letter_date=date(2026, 11, 25),
                              check_code="EBC-687-AGQ", reference="L1")
    everything = "".join(f"{{{{ {n} }}}}" for n in sorted(allowed_variables(letter_type))
                         if VARIABLES[n].kind.value != "instalments")
    text = render_text(validate_template(everything, letter_type).source, values)
    assert not has_full_number(text)
    assert id_number not in text and card not in re.sub(r"[ \-]", "", text)
