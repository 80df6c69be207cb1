"""Invariants of the letter rules over generated cases (R-28..R-31)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_letters.rules import (
    DEBT_FREE_TYPES,
    HOUSEHOLD_REGISTRATION,
    Address,
    AddressSource,
    CaseSnapshot,
    ClientLetterConfig,
    LetterRecord,
    LetterStatus,
    LetterType,
    Party,
    PartyRole,
    PlannedLetter,
    case_block,
    choose_address,
    may_receive,
    plan_case,
    plan_resend,
    preview,
    request_letter,
)

TODAY = date(2026, 12, 1)
days = st.integers(min_value=0, max_value=120).map(lambda d: TODAY - timedelta(days=d))
recent = st.integers(min_value=0, max_value=40).map(lambda d: TODAY - timedelta(days=d))


def mostly(value, other):
    """`value` three times in four: most generated cases should get letters."""
    return st.one_of(st.just(value), st.just(value), st.just(value), other)


@st.composite
def parties(draw) -> tuple[Party, ...]:
    out = [Party("d", "张伟", PartyRole.DEBTOR)]
    for i in range(draw(st.integers(0, 3))):
        role = draw(st.sampled_from([PartyRole.GUARANTOR, PartyRole.CONTACT]))
        out.append(Party(f"p{i}", "王芳", role, jointly_liable=draw(mostly(True, st.just(False)))))
    return tuple(out)


@st.composite
def addresses(draw, party_ids: list[str]) -> tuple[Address, ...]:
    out = []
    for i in range(draw(st.integers(0, 6))):
        out.append(Address(
            f"a{i}", draw(mostly(party_ids[0], st.sampled_from(party_ids))),
            draw(st.sampled_from([HOUSEHOLD_REGISTRATION, "home", "work", "other"])),
            draw(st.sampled_from(["花园路 1 号", "建设路 2 号", "花园路 1 号", " "])), "河南省", "郑州市", None,
            "450000", draw(st.sampled_from(list(AddressSource))), draw(st.none() | days),
            draw(st.none() | days), draw(mostly(None, days)), draw(st.none() | days)))
    return tuple(out)


@st.composite
def cases(draw) -> CaseSnapshot:
    ps = draw(parties())
    return CaseSnapshot(
        "c", "zhbank", draw(st.sampled_from(["PL-1", "PL-2"])), draw(recent | days), draw(st.integers(0, 200)),
        Decimal(draw(st.integers(0, 5_000_000))) / 100, ps, draw(addresses([p.party_id for p in ps])),
        draw(mostly("open", st.sampled_from(["closed", "settled", "recalled"]))),
        draw(mostly(frozenset(), st.sets(st.sampled_from(["dispute", "do_not_contact", "fraud_claim",
                                                          "complaint_history"]), max_size=2).map(frozenset))),
        draw(mostly(False, st.just(True))), draw(st.none() | days))


@st.composite
def histories(draw, case: CaseSnapshot) -> list[LetterRecord]:
    out = []
    for i in range(draw(mostly(0, st.integers(1, 4)))):
        out.append(LetterRecord(
            f"L{i}", case.case_id, case.cycle, draw(mostly(LetterType.NOTICE, st.sampled_from(list(LetterType)))),
            draw(mostly("d", st.sampled_from([p.party_id for p in case.parties]))),
            draw(st.sampled_from([a.address_id for a in case.addresses] or ["gone"])),
            draw(mostly(LetterStatus.RETURNED, st.sampled_from(list(LetterStatus)))), TODAY - timedelta(days=10),
            return_reason=draw(mostly("moved", st.sampled_from([None, "refused", "no_such_person"]))),
            resend_of=draw(mostly(None, st.just("L0")))))
    return out


configs = st.builds(ClientLetterConfig, schedule_enabled=st.booleans(),
                    guarantor_types=st.sets(st.sampled_from([LetterType.NOTICE, LetterType.LAWYER])).map(frozenset),
                    express_threshold=st.sampled_from([Decimal("5000"), Decimal("20000")]))


def _check_letter(letter: PlannedLetter, case: CaseSnapshot) -> None:
    party = case.party(letter.recipient.party_id)
    assert party is not None and may_receive(party), "letter to a third party (R-30)"
    assert letter.address.party_id == party.party_id, "letter to someone else's address"
    assert letter.address in case.addresses and letter.address.usable, "invalid address chosen (R-31)"
    confirmed = letter.address.kind == HOUSEHOLD_REGISTRATION or letter.address.verified
    assert confirmed or letter.letter_type in DEBT_FREE_TYPES, "debt details to an unconfirmed address (R-30)"


@settings(max_examples=100, deadline=None)
@given(st.data(), configs)
def test_planned_letters_go_only_to_debtor_or_liable_guarantor_at_a_usable_address(data, config):
    case = data.draw(cases())
    history = data.draw(histories(case))
    plan = plan_case(case, history, config, TODAY)
    for letter in plan.letters:
        _check_letter(letter, case)
        live = [r for r in history if r.cycle == letter.cycle and r.recipient_id == letter.recipient.party_id
                and r.status != LetterStatus.CANCELLED]
        assert not any(r.letter_type == letter.letter_type and r.subject == letter.subject for r in live), \
            "a second letter of the type in the cycle"
    assert len({p.recipient.party_id for p in plan.letters}) == len(plan.letters), "two letters to one person"
    assert preview(plan.letters).total == len(plan.letters)


@settings(max_examples=100, deadline=None)
@given(st.data(), configs, st.sampled_from(list(LetterType)))
def test_no_letter_at_all_for_a_blocked_case(data, config, letter_type):
    case = data.draw(cases())
    history = data.draw(histories(case))
    if case_block(case, config) is None:
        return
    assert plan_case(case, history, config, TODAY).letters == ()
    for p in case.parties:
        assert not isinstance(request_letter(case, history, config, TODAY, letter_type, p.party_id), PlannedLetter)
    for r in history:
        if r.status == LetterStatus.RETURNED:
            assert not isinstance(plan_resend(r, case, history, config, TODAY), PlannedLetter)


@settings(max_examples=100, deadline=None)
@given(st.data(), configs, st.sampled_from(list(LetterType)))
def test_requests_and_resends_obey_the_same_invariants(data, config, letter_type):
    case = data.draw(cases())
    history = data.draw(histories(case))
    for p in case.parties:
        out = request_letter(case, history, config, TODAY, letter_type, p.party_id)
        if isinstance(out, PlannedLetter):
            _check_letter(out, case)
            assert out.letter_type == letter_type
    for r in history:
        if r.status == LetterStatus.RETURNED:
            out = plan_resend(r, case, history, config, TODAY)
            if isinstance(out, PlannedLetter):
                _check_letter(out, case)
                assert out.address.address_id != r.address_id and out.resend_of is not None


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_address_choice_never_picks_an_invalid_address(data):
    addrs = data.draw(addresses(["d"]))
    excluded = data.draw(st.sets(st.sampled_from([a.address_id for a in addrs] or ["x"])))
    choice = choose_address(addrs, exclude=excluded)
    usable = [a for a in addrs if a.usable and a.address_id not in excluded and a.line.strip()]
    if choice.address is None:
        assert usable == []
        return
    assert choice.address in usable
    if any(a.kind == HOUSEHOLD_REGISTRATION for a in usable):
        assert choice.address.kind == HOUSEHOLD_REGISTRATION and choice.confirmed
    elif any(a.verified for a in usable):
        assert choice.confirmed and choice.address.verified_on == max(a.verified_on for a in usable if a.verified)
    else:
        assert not choice.confirmed
    assert choose_address(list(reversed(addrs)), exclude=excluded) == choice     # order-independent
