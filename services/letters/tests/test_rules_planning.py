"""Who gets which letter on which day (R-28..R-31): worked examples."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from recoup_letters.rules import (
    AddressSource,
    BlockReason,
    ClientLetterConfig,
    LetterRecord,
    LetterStatus,
    LetterType,
    MailClass,
    Party,
    PartyRole,
    PlannedLetter,
    SkipReason,
    Skipped,
    cancellations,
    plan_case,
    request_letter,
)
from recoup_local.letters_samples import address, case, debtor

T = LetterType
TODAY = date(2026, 11, 25)
SCHEDULED = ClientLetterConfig(schedule_enabled=True)


def record(letter_type: LetterType, status: LetterStatus = LetterStatus.DISPATCHED, *, letter_id: str = "L1",
           recipient: str = "d1", address_id: str = "a1", cycle: str = "PL-1", **kw) -> LetterRecord:
    return LetterRecord(letter_id, "c1", cycle, letter_type, recipient, address_id, status, TODAY - timedelta(days=5),
                        **kw)


def only(plan) -> PlannedLetter:
    assert len(plan.letters) == 1, plan
    return plan.letters[0]


# --- the notice and the schedule ---------------------------------------------------------

def test_new_case_of_the_month_gets_the_notice_by_registered_mail():
    letter = only(plan_case(case(placed_on=date(2026, 11, 20)), [], ClientLetterConfig(), TODAY))
    assert letter.letter_type == T.NOTICE
    assert letter.mail_class == MailClass.REGISTERED
    assert letter.address.address_id == "a1" and letter.recipient.party_id == "d1"
    assert "R-28" in letter.why and "household registration" in letter.why


def test_notice_only_once_per_cycle_and_again_after_a_replacement():
    c = case(placed_on=date(2026, 11, 20))
    assert plan_case(c, [record(T.NOTICE)], ClientLetterConfig(), TODAY).letters == ()
    # a cancelled notice does not count
    assert only(plan_case(c, [record(T.NOTICE, LetterStatus.CANCELLED)], ClientLetterConfig(), TODAY))
    # the same account placed again is a new cycle
    replaced = case(placed_on=date(2026, 11, 20), placement_id="PL-2")
    assert only(plan_case(replaced, [record(T.NOTICE)], ClientLetterConfig(), TODAY)).cycle == "PL-2"


def test_old_cases_get_no_notice():
    c = case(placed_on=TODAY - timedelta(days=40))
    assert plan_case(c, [], ClientLetterConfig(), TODAY).letters == ()
    assert only(plan_case(c, [], ClientLetterConfig(notice_window_days=45), TODAY)).letter_type == T.NOTICE


@pytest.mark.parametrize("dpd_today,expected", [
    (9, None), (10, T.FIRST_REMINDER), (19, T.FIRST_REMINDER), (20, T.SECOND_REMINDER),
    (35, T.FINAL_REMINDER), (59, T.FINAL_REMINDER), (60, T.LAWYER), (400, T.LAWYER)])
def test_dpd_schedule_when_the_client_asks_for_it(dpd_today, expected):
    c = case(placed_on=TODAY - timedelta(days=60), overdue_since=TODAY - timedelta(days=dpd_today))
    got = plan_case(c, [], SCHEDULED, TODAY).letters
    assert (got[0].letter_type if got else None) == expected
    assert plan_case(c, [], ClientLetterConfig(), TODAY).letters == ()     # schedule not asked for


def test_schedule_walks_forward_one_step_at_a_time_and_never_back():
    c = case(placed_on=TODAY - timedelta(days=60), overdue_since=TODAY - timedelta(days=25))
    history = [record(T.FIRST_REMINDER)]
    assert only(plan_case(c, history, SCHEDULED, TODAY)).letter_type == T.SECOND_REMINDER
    history.append(record(T.SECOND_REMINDER, letter_id="L2"))
    assert plan_case(c, history, SCHEDULED, TODAY).letters == ()
    # a lawyer's letter sent by hand: the earlier steps are not sent after it
    c12 = case(placed_on=TODAY - timedelta(days=60), overdue_since=TODAY - timedelta(days=12))
    assert plan_case(c12, [record(T.LAWYER)], SCHEDULED, TODAY).letters == ()


def test_custom_schedule_and_unwanted_types():
    cfg = ClientLetterConfig(schedule_enabled=True, schedule=[{"dpd": 15, "letter_type": "first_reminder"},
                                                              {"dpd": 45, "letter_type": "lawyer"}],
                             wanted_types=frozenset(set(T) - {T.NOTICE}))
    c = case(placed_on=TODAY - timedelta(days=3), overdue_since=TODAY - timedelta(days=16))
    assert only(plan_case(c, [], cfg, TODAY)).letter_type == T.FIRST_REMINDER
    with pytest.raises(ValueError):
        ClientLetterConfig(schedule=[{"dpd": 20, "letter_type": "first_reminder"},
                                     {"dpd": 10, "letter_type": "second_reminder"}])


def test_notice_first_then_the_schedule_one_letter_in_flight():
    c = case(placed_on=date(2026, 11, 20), overdue_since=TODAY - timedelta(days=12))
    assert only(plan_case(c, [], SCHEDULED, TODAY)).letter_type == T.NOTICE
    pending = [record(T.NOTICE, LetterStatus.APPROVED)]
    plan = plan_case(c, pending, SCHEDULED, TODAY)
    assert plan.letters == () and plan.skipped[0].reason == SkipReason.LETTER_PENDING
    assert only(plan_case(c, [record(T.NOTICE)], SCHEDULED, TODAY)).letter_type == T.FIRST_REMINDER


# --- address choice and mail class -------------------------------------------------------

def test_household_registration_first_else_newest_verified_from_collection():
    hr = address("hr", n=0, found_on=date(2026, 11, 1))
    visit = address("v", kind="home", n=1, source=AddressSource.VISIT, found_on=date(2026, 11, 10),
                    verified_on=date(2026, 11, 12))
    skip = address("s", kind="work", n=2, source=AddressSource.SKIP_TRACE, found_on=date(2026, 11, 15),
                   verified_on=date(2026, 11, 20))
    assert only(plan_case(case(addresses=(visit, hr, skip)), [], ClientLetterConfig(), TODAY)).address.address_id == "hr"
    returned_hr = address("hr", n=0, invalid_since=date(2026, 11, 22))
    letter = only(plan_case(case(addresses=(visit, returned_hr, skip)), [], ClientLetterConfig(), TODAY))
    assert letter.address.address_id == "s"            # newest verified
    assert letter.mail_class == MailClass.EXPRESS      # proven valid


def test_express_for_large_amounts():
    big = case(outstanding=Decimal("20000.01"))
    assert only(plan_case(big, [], ClientLetterConfig(), TODAY)).mail_class == MailClass.EXPRESS
    edge = case(outstanding=Decimal("20000.00"))
    assert only(plan_case(edge, [], ClientLetterConfig(), TODAY)).mail_class == MailClass.REGISTERED
    cheap = ClientLetterConfig(express_threshold=Decimal("5000"))
    assert only(plan_case(case(), [], cheap, TODAY)).mail_class == MailClass.EXPRESS


def test_no_confirmed_address_only_the_callback_notice():
    unverified = address("w", kind="work", n=3, source=AddressSource.CLIENT, found_on=date(2026, 11, 1))
    c = case(addresses=(unverified,))
    letter = only(plan_case(c, [], ClientLetterConfig(), TODAY))
    assert letter.letter_type == T.CALLBACK_NOTICE and letter.due_type == T.NOTICE
    # once per cycle: the next run sends nothing more
    again = plan_case(c, [record(T.CALLBACK_NOTICE, address_id="w")], ClientLetterConfig(), TODAY)
    assert again.letters == () and again.skipped[0].reason == SkipReason.NO_CONFIRMED_ADDRESS
    # no address at all
    none = plan_case(case(addresses=()), [], ClientLetterConfig(), TODAY)
    assert none.letters == () and none.skipped[0].reason == SkipReason.NO_ADDRESS


# --- recipients --------------------------------------------------------------------------

def test_guarantor_only_if_jointly_liable_and_asked_for_contacts_never():
    g = Party("g1", "王芳", PartyRole.GUARANTOR, jointly_liable=True)
    g2 = Party("g2", "赵强", PartyRole.GUARANTOR, jointly_liable=False)
    spouse = Party("s1", "李娜", PartyRole.CONTACT)
    c = case(parties=(debtor(), g, g2, spouse),
             addresses=(address("a1"), address("ga", "g1", n=1), address("g2a", "g2", n=2), address("sa", "s1", n=3)))
    assert {p.recipient.party_id for p in plan_case(c, [], ClientLetterConfig(), TODAY).letters} == {"d1"}
    cfg = ClientLetterConfig(guarantor_types=frozenset({T.NOTICE}))
    letters = plan_case(c, [], cfg, TODAY).letters
    assert {(p.recipient.party_id, p.address.address_id) for p in letters} == {("d1", "a1"), ("g1", "ga")}
    for who in ("s1", "g2", "nobody"):
        out = request_letter(c, [], cfg, TODAY, T.LAWYER, who)
        assert isinstance(out, Skipped) and out.reason == SkipReason.NOT_A_RECIPIENT


# --- cancellation ------------------------------------------------------------------------

@pytest.mark.parametrize("kw,reason", [
    ({"status": "closed", "outstanding": Decimal("0")}, BlockReason.SETTLED),
    ({"status": "settled"}, BlockReason.SETTLED),
    ({"status": "recalled"}, BlockReason.RECALLED),
    ({"flags": frozenset({"dispute"})}, BlockReason.DISPUTED),
    ({"flags": frozenset({"fraud_claim"})}, BlockReason.DISPUTED),
    ({"flags": frozenset({"do_not_contact"})}, BlockReason.DO_NOT_CONTACT),
    ({"paused": True}, BlockReason.PAUSED),
])
def test_closed_recalled_disputed_do_not_contact_no_letter_and_pending_ones_cancelled(kw, reason):
    c = case(**kw)
    plan = plan_case(c, [], ClientLetterConfig(), TODAY)
    assert plan.letters == () and plan.skipped[0].block == reason
    letters = [record(T.NOTICE, LetterStatus.APPROVED, letter_id="p"), record(T.NOTICE, letter_id="sent")]
    assert [(x.letter_id, x.reason) for x in cancellations(c, letters, ClientLetterConfig())] == [("p", reason)]
    assert isinstance(request_letter(c, [], ClientLetterConfig(), TODAY, T.LAWYER, "d1"), Skipped)


def test_pending_letter_to_an_address_that_became_invalid_is_cancelled():
    c = case(addresses=(address("a1", invalid_since=TODAY),))
    out = cancellations(c, [record(T.NOTICE, LetterStatus.GENERATED, letter_id="p")], ClientLetterConfig())
    assert [(x.letter_id, x.reason) for x in out] == [("p", "address_invalid")]
    assert cancellations(case(), [record(T.NOTICE, LetterStatus.GENERATED)], ClientLetterConfig()) == []


# --- requests by hand and the instalment confirmation -----------------------------------------

def test_clerk_request_checked_by_the_same_rules():
    c = case(placed_on=TODAY - timedelta(days=90))
    got = request_letter(c, [], ClientLetterConfig(), TODAY, T.LAWYER, "d1")
    assert isinstance(got, PlannedLetter) and got.letter_type == T.LAWYER
    dup = request_letter(c, [record(T.LAWYER)], ClientLetterConfig(), TODAY, T.LAWYER, "d1")
    assert dup.reason == SkipReason.ALREADY_SENT
    no_lawyer = ClientLetterConfig(wanted_types=frozenset({T.NOTICE}))
    assert request_letter(c, [], no_lawyer, TODAY, T.LAWYER, "d1").reason == SkipReason.NOT_WANTED
    unconfirmed = case(addresses=(address("w", kind="work"),))
    assert request_letter(unconfirmed, [], ClientLetterConfig(), TODAY, T.LAWYER, "d1").reason == \
        SkipReason.NO_CONFIRMED_ADDRESS


def test_instalment_confirmation_once_per_plan():
    from recoup_letters.rules import Instalment, InstalmentPlan

    plan = InstalmentPlan("P1", TODAY, (Instalment(1, TODAY + timedelta(days=7), Decimal("1000")),))
    c = case(placed_on=TODAY - timedelta(days=90), instalment_plan=plan)
    letter = only(plan_case(c, [], ClientLetterConfig(), TODAY))
    assert letter.letter_type == T.INSTALMENT_CONFIRMATION and letter.subject == "P1"
    done = [record(T.INSTALMENT_CONFIRMATION, subject="P1")]
    assert plan_case(c, done, ClientLetterConfig(), TODAY).letters == ()
    plan2 = InstalmentPlan("P2", TODAY, plan.instalments)
    c2 = case(placed_on=TODAY - timedelta(days=90), instalment_plan=plan2)
    assert only(plan_case(c2, done, ClientLetterConfig(), TODAY)).subject == "P2"
