"""Unit tests of what a case owes and how repayments and balance updates change it (R-4, R-5)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from recoup_intake.rules.balances import outstanding, repayment_effect, update_balance

money = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False)


@given(money, money)
def test_outstanding_is_never_negative(placed, repaid):
    left = outstanding(placed, repaid)
    assert left >= 0 and (left == placed - repaid or (repaid > placed and left == 0))


def test_an_open_case_fully_repaid_closes_and_a_closed_or_recalled_one_is_flagged():
    assert repayment_effect("open", D("100.00"), D("40.00")) == (D("60.00"), False, None)
    assert repayment_effect("open", D("100.00"), D("100.00")) == (D("0.00"), True, None)   # 结清自动闭案
    assert repayment_effect("open", D("100.00"), D("120.00")) == (D("0.00"), True, None)
    assert repayment_effect("recalled", D("100.00"), D("100.00")) == (D("0.00"), False, "case_recalled")
    assert repayment_effect("closed", D("100.00"), D("150.00")) == (D("0.00"), False, "case_closed")


def _state(**kw):
    st_ = {"principal": D("1000.00"), "interest": D("100.00"), "fees": D("10.00"), "placed_amount": D("1110.00"),
           "repaid_total": D("0.00"), "warnings": []}
    st_.update(kw)
    return st_


def test_parts_replace_and_the_total_is_recomputed():
    st_ = _state()
    assert update_balance(st_, {"interest": D("99.90"), "fees": D("0.00")}) == (D("1099.90"), False)
    assert st_["placed_amount"] == D("1099.90") and st_["warnings"] == []


def test_a_stated_total_wins_over_the_parts_and_is_flagged_once():
    st_ = _state()
    update_balance(st_, {"placed_amount": D("10.00")})
    update_balance(st_, {"placed_amount": D("11.00")})
    assert st_["placed_amount"] == D("11.00") and st_["warnings"] == ["total_mismatch"]
    agree = _state()
    update_balance(agree, {"placed_amount": D("1110.00")})
    assert agree["warnings"] == []


def test_a_balance_lowered_to_what_was_repaid_closes_the_case():
    st_ = _state(repaid_total=D("500.00"))
    assert update_balance(st_, {"placed_amount": D("500.00")}) == (D("0.00"), True)
    assert update_balance(_state(repaid_total=D("500.00")), {"principal": D("390.00")}) == (D("0.00"), True)
