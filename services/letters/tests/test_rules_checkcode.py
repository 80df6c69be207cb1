"""Check codes (R-32): readable, typo-proof, scannable; the QC match decision."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_letters.rules import checkcode as cc
from recoup_letters.rules.checkcode import QcOutcome

serials = st.integers(min_value=0, max_value=cc.SPACE - 1)


def test_worked_example():
    code = cc.code_for_serial(1)
    assert code == "EBC687AGQ"
    assert cc.display(code) == "EBC-687-AGQ"
    assert cc.parse("ebc-687-agq") == code
    assert cc.parse("ＥＢＣ　６８７　ＡＧＱ") == code        # full-width, as a Chinese IME types it
    assert cc.barcode_value(code, cc.LETTER_SIDE) == "LEBC687AGQ"


def test_alphabet_has_no_look_alikes_and_is_prime_sized():
    assert not set("01ILOSU") & set(cc.ALPHABET)
    assert cc.BASE == 29 and all(cc.BASE % d for d in range(2, cc.BASE))


@pytest.mark.parametrize("typed,reason", [
    ("EBC-687-AG", "9 characters"), ("EBC-687-AGO", "not used"), ("EBC-687-AGR", "check character"),
    ("EBC-678-AGQ", "check character")])
def test_typos_are_refused_with_the_reason(typed, reason):
    with pytest.raises(cc.CheckCodeError, match=reason):
        cc.parse(typed)


def test_distinct_serials_distinct_codes():
    assert len({cc.code_for_serial(i) for i in range(20_000)}) == 20_000


@settings(max_examples=300, deadline=None)
@given(serials, st.integers(0, cc.CODE_LENGTH - 1), st.integers(1, cc.BASE - 1))
def test_every_single_substitution_is_detected(serial, pos, shift):
    code = cc.code_for_serial(serial)
    wrong = cc.ALPHABET[(cc.ALPHABET.index(code[pos]) + shift) % cc.BASE]
    assert not cc.is_valid(code[:pos] + wrong + code[pos + 1:])


@settings(max_examples=300, deadline=None)
@given(serials, st.integers(0, cc.CODE_LENGTH - 1), st.integers(0, cc.CODE_LENGTH - 1))
def test_every_transposition_is_detected(serial, i, j):
    code = cc.code_for_serial(serial)
    if code[i] == code[j]:
        return
    chars = list(code)
    chars[i], chars[j] = chars[j], chars[i]
    assert not cc.is_valid("".join(chars))


@settings(max_examples=200, deadline=None)
@given(serials, serials, st.booleans())
def test_qc_matches_exactly_the_same_letter(a, b, swap):
    code_a, code_b = cc.code_for_serial(a), cc.code_for_serial(b)
    letter = cc.barcode_value(code_a, cc.LETTER_SIDE)
    envelope = cc.barcode_value(code_b, cc.ENVELOPE_SIDE)
    d = cc.qc_decide(*((envelope, letter) if swap else (letter, envelope)))
    assert d.outcome == (QcOutcome.MATCH if a == b else QcOutcome.MISMATCH)
    assert (d.letter_code, d.envelope_code) == (code_a, code_b)


def test_qc_catches_the_same_sheet_scanned_twice_and_bad_scans():
    code = cc.code_for_serial(7)
    letter = cc.barcode_value(code, cc.LETTER_SIDE)
    assert cc.qc_decide(letter, letter).outcome == QcOutcome.SAME_SHEET
    assert cc.qc_decide(letter, cc.display(code)).outcome == QcOutcome.MATCH        # typed envelope code
    bad = cc.qc_decide(letter, "EBC-687-AGR")
    assert bad.outcome == QcOutcome.UNREADABLE and "envelope" in bad.detail
    mismatch = cc.qc_decide(cc.display(code), cc.display(cc.code_for_serial(8)))
    assert mismatch.outcome == QcOutcome.MISMATCH and "R-32" in mismatch.detail
