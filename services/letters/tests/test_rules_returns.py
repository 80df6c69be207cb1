"""Returned letters (R-31): the reason, the address, the automatic re-send — once, respecting the
schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from recoup_letters.rules import (
    AddressSource,
    ClientLetterConfig,
    LetterRecord,
    LetterStatus,
    LetterType,
    Party,
    PartyRole,
    PlannedLetter,
    ReturnReason,
    SkipReason,
    Skipped,
    UnknownReturnReason,
    parse_return_reason,
    plan_resend,
    record_return,
)
from recoup_local.letters_samples import address, case, debtor

T = LetterType
TODAY = date(2026, 12, 10)
SCHEDULED = ClientLetterConfig(schedule_enabled=True)


def returned(letter_type=T.NOTICE, reason="moved", *, letter_id="L1", address_id="hr", **kw) -> LetterRecord:
    return LetterRecord(letter_id, "c1", "PL-1", letter_type, "d1", address_id, LetterStatus.RETURNED,
                        date(2026, 11, 25), dispatched_on=date(2026, 11, 26), returned_on=date(2026, 12, 5),
                        return_reason=reason, **kw)


HR_INVALID = address("hr", n=0, invalid_since=date(2026, 12, 5))
NEW_VERIFIED = address("new", kind="home", n=1, source=AddressSource.SKIP_TRACE, found_on=date(2026, 12, 8),
                       verified_on=date(2026, 12, 8))


@pytest.mark.parametrize("text,reason", [
    ("地址不详", ReturnReason.ADDRESS_UNKNOWN), ("查无此人", ReturnReason.NO_SUCH_PERSON),
    ("原址查无此人", ReturnReason.NO_SUCH_PERSON), ("拒收", ReturnReason.REFUSED),
    ("迁移新址不明", ReturnReason.MOVED), ("逾期未领", ReturnReason.UNCLAIMED), (" MOVED ", ReturnReason.MOVED),
    ("ｒｅｆｕｓｅｄ", ReturnReason.REFUSED)])
def test_return_reasons_from_codes_and_return_slips(text, reason):
    assert parse_return_reason(text) == reason


def test_unknown_return_reason_lists_the_known_ones():
    with pytest.raises(UnknownReturnReason, match="查无此人"):
        parse_return_reason("丢了")


def test_return_makes_the_address_invalid_except_when_someone_is_there():
    sent = replace(returned(), status=LetterStatus.DISPATCHED, return_reason=None)
    moved = record_return(sent, ReturnReason.MOVED, ClientLetterConfig())
    assert moved.invalidate_address_id == "hr" and moved.resend_wanted
    refused = record_return(sent, ReturnReason.REFUSED, ClientLetterConfig())
    assert refused.invalidate_address_id is None and not refused.resend_wanted
    strict = ClientLetterConfig(invalidating_returns=frozenset({"refused"}))
    assert record_return(sent, ReturnReason.REFUSED, strict).invalidate_address_id == "hr"
    with pytest.raises(ValueError):
        record_return(replace(sent, status=LetterStatus.APPROVED), ReturnReason.MOVED, ClientLetterConfig())


def test_resent_to_the_newer_verified_address():
    c = case(placed_on=date(2026, 11, 20), addresses=(HR_INVALID, NEW_VERIFIED))
    out = plan_resend(returned(), c, [returned()], ClientLetterConfig(), TODAY)
    assert isinstance(out, PlannedLetter)
    assert (out.letter_type, out.address.address_id, out.resend_of) == (T.NOTICE, "new", "L1")
    assert "re-send of L1" in out.why


def test_no_resend_until_a_confirmed_address_is_known():
    unverified = address("w", kind="work", n=2, found_on=date(2026, 12, 1))
    c = case(addresses=(HR_INVALID, unverified))
    out = plan_resend(returned(), c, [returned()], ClientLetterConfig(), TODAY)
    assert isinstance(out, Skipped) and out.reason == SkipReason.NO_CONFIRMED_ADDRESS


def test_resent_once_only():
    c = case(addresses=(HR_INVALID, NEW_VERIFIED, address("newer", kind="home", n=3, verified_on=TODAY)))
    resend = LetterRecord("L2", "c1", "PL-1", T.NOTICE, "d1", "new", LetterStatus.RETURNED, TODAY,
                          return_reason="no_such_person", resend_of="L1")
    history = [returned(), resend]
    out = plan_resend(resend, c, history, ClientLetterConfig(), TODAY)
    assert out.reason == SkipReason.RESEND_LIMIT
    assert plan_resend(returned(), c, history, ClientLetterConfig(), TODAY).reason == SkipReason.RESEND_LIMIT
    twice = ClientLetterConfig(resend_limit=2)
    assert isinstance(plan_resend(resend, c, history, twice, TODAY), PlannedLetter)


def test_no_resend_to_a_guarantor_released_since_the_first_letter():
    """R-30 holds for re-sends too (found by the hypothesis property): the guarantor was jointly
    liable when the notice went out, no longer when it came back."""
    released = Party("g1", "李芳", PartyRole.GUARANTOR, jointly_liable=False)
    c = case(parties=(debtor(), released), addresses=(address("hr", "g1", n=0, invalid_since=date(2026, 12, 5)),
                                                      address("new", "g1", kind="home", n=1, verified_on=TODAY)))
    sent = replace(returned(), recipient_id="g1")
    out = plan_resend(sent, c, [sent], ClientLetterConfig(), TODAY)
    assert isinstance(out, Skipped) and out.reason == SkipReason.NOT_A_RECIPIENT
    liable = case(parties=(debtor(), replace(released, jointly_liable=True)), addresses=c.addresses)
    assert isinstance(plan_resend(sent, liable, [sent], ClientLetterConfig(), TODAY), PlannedLetter)


def test_refused_is_not_resent():
    c = case(addresses=(address("hr"), NEW_VERIFIED))
    out = plan_resend(returned(reason="refused"), c, [returned(reason="refused")], ClientLetterConfig(), TODAY)
    assert out.reason == SkipReason.NOT_RESENDABLE


def test_resend_respects_the_schedule():
    # a first reminder returned; by now the case is at 22 DPD: the second reminder is due instead
    c = case(placed_on=date(2026, 11, 1), overdue_since=TODAY - timedelta(days=22),
             addresses=(HR_INVALID, NEW_VERIFIED))
    first = returned(T.FIRST_REMINDER)
    assert plan_resend(first, c, [first], SCHEDULED, TODAY).reason == SkipReason.SUPERSEDED
    # still at 15 DPD: re-sent
    c15 = replace(c, overdue_since=TODAY - timedelta(days=15))
    assert isinstance(plan_resend(first, c15, [first], SCHEDULED, TODAY), PlannedLetter)
    # a later step already issued: not re-sent either
    second = LetterRecord("L9", "c1", "PL-1", T.SECOND_REMINDER, "d1", "new", LetterStatus.DISPATCHED, TODAY)
    assert plan_resend(first, c15, [first, second], SCHEDULED, TODAY).reason == SkipReason.SUPERSEDED
    # a notice is superseded by any reminder issued since
    notice = returned()
    assert plan_resend(notice, c15, [notice, second], SCHEDULED, TODAY).reason == SkipReason.SUPERSEDED


def test_no_resend_for_a_closed_case_or_a_pending_letter():
    c = case(addresses=(HR_INVALID, NEW_VERIFIED), status="recalled")
    assert plan_resend(returned(), c, [returned()], ClientLetterConfig(), TODAY).reason == SkipReason.BLOCKED
    open_case = replace(c, status="open")
    pending = LetterRecord("L5", "c1", "PL-1", T.INSTALMENT_CONFIRMATION, "d1", "new", LetterStatus.APPROVED,
                           TODAY, subject="P")
    out = plan_resend(returned(), open_case, [returned(), pending], ClientLetterConfig(), TODAY)
    assert out.reason == SkipReason.LETTER_PENDING


def test_callback_notice_is_never_resent_a_real_letter_follows_instead():
    c = case(addresses=(address("w", kind="work", invalid_since=TODAY), NEW_VERIFIED))
    cb = returned(T.CALLBACK_NOTICE, address_id="w")
    assert plan_resend(cb, c, [cb], ClientLetterConfig(), TODAY).reason == SkipReason.SUPERSEDED
