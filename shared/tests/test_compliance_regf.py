"""The U.S. Regulation F preset: the engine is not the Chinese rules hard-coded.

Rules reproduced: 12 CFR 1006.14(b)(2)(i)(A) more than seven calls to a particular person about a
particular debt within seven consecutive days; (B) a call within seven consecutive days after a
telephone conversation, the day of the conversation being the first; the conversation counts
whoever placed the call (comment 14(b)(2)(i)-1.ii, 14(b)(4)-1.ii), the debtor's own calls are not
"placed" by the collector and so are not among the seven; (b)(3)(i) calls with prior consent given
directly within seven days (its day first) are excluded, and the consent ends with the conversation
(comment 14(b)(3)(i)-2); (b)(3)(ii) calls not connected to the dialled number (busy, not in service)
are excluded, unanswered and voicemail calls count (comment 14(b)(3)(ii)-1); a third party called for
location information has a count of their own (comment 14(b)(2)(i)-1.iii); 1006.6(b)(1)(i) 8 a.m. to
9 p.m. local time, and with conflicting location information the hours convenient in every location.

The commentary's own wording could not be retrieved verbatim here: the dates below are ours, the
situations are the ones those comments describe.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from recoup_shared.compliance import (Attempt, Channel, Direction, Exemption, Outcome, Party, Request,
                                      SourceKind, ZoneSource, decide, effective_policy, resolve_zones,
                                      validate_level)

NY = ZoneInfo("America/New_York")
LA = ZoneInfo("America/Los_Angeles")
CLIENT = validate_level({"preset": "us_regf", "zone": {"default": "America/New_York"}}, "client", scope="acme")
P = effective_policy([CLIENT])
Z = resolve_zones([], P.default_zone)
MON = datetime(2025, 6, 2, tzinfo=NY)          # Monday, June 2, 2025


def day(n: int, h: int = 10, m: int = 0) -> datetime:
    return (MON + timedelta(days=n)).replace(hour=h, minute=m)


def placed(*times: datetime, outcome=Outcome.NO_ANSWER, **kw) -> list[Attempt]:
    return [Attempt(at=t, channel=Channel.CALL, outcome=outcome, **kw) for t in times]


def ask(t: datetime, **kw):
    return decide(P, Z, kw.pop("history", []), Request(at=t, channel=Channel.CALL, **kw))


def test_eighth_call_within_seven_consecutive_days():
    hist = placed(day(0, 9), day(0, 12), day(0, 17), day(1, 10), day(1, 15), day(2, 10), day(2, 16))
    d = ask(day(3), history=hist)                                   # Thursday: the eighth call
    assert d.rules == ("regf.seven_in_seven",)
    r = d.reasons[0]
    assert (r.ref, r.limit, r.count) == ("12 CFR 1006.14(b)(2)(i)(A)", 7, 7)
    assert d.next_allowed == day(7, 8)       # next Monday: this Monday's three calls leave the 7 days
    assert ask(day(7, 8), history=hist).allowed
    assert not ask(day(6, 20), history=hist).allowed                # Sunday: still 7 in Mon..Sun
    assert ask(day(3), history=hist[1:]).allowed                    # six calls: the seventh is fine


def test_conversation_starts_seven_days_the_day_itself_first():
    for direction in (Direction.OUTBOUND, Direction.INBOUND):   # whoever called, it was a conversation
        talk = placed(day(1, 11), outcome=Outcome.CONNECTED, direction=direction)   # Tuesday
        d = ask(day(1, 15), history=talk)                            # same day, later
        assert d.rules == ("regf.after_conversation",)
        assert d.reasons[0].ref == "12 CFR 1006.14(b)(2)(i)(B)"
        assert d.next_allowed == day(8, 8)                           # Tuesday after: day 8
        assert not ask(day(7, 20, 59), history=talk).allowed         # Monday = day 7: still inside
        assert ask(day(8, 8), history=talk).allowed


def test_debtor_calls_count_for_conversations_not_for_the_seven():
    hist = placed(*(day(0, 9 + i) for i in range(6)))                # six placed calls, unanswered
    hist += placed(day(1, 9), day(1, 10), day(1, 11), direction=Direction.INBOUND)   # missed inbound
    assert ask(day(1, 12), history=hist).allowed                     # the seventh placed call
    inbound_talk = placed(day(1, 9), outcome=Outcome.CONNECTED, direction=Direction.INBOUND)
    assert ask(day(1, 12), history=hist[:6] + inbound_talk).rules == ("regf.after_conversation",)


def test_busy_signals_do_not_count_voicemail_does():
    busy = placed(*(day(0, 9 + i) for i in range(7)), outcome=Outcome.NOT_CONNECTED)
    assert ask(day(1), history=busy).allowed
    voicemail = placed(*(day(0, 9 + i) for i in range(7)), outcome=Outcome.NO_ANSWER)
    assert ask(day(1), history=voicemail).rules == ("regf.seven_in_seven",)


def test_third_party_has_a_count_of_their_own():
    hist = placed(*(day(0, 9 + i) for i in range(7)))                # seven calls to the consumer
    mother = dict(party=Party.THIRD_PARTY, contact_person="mother", contact_point="m-1")
    assert ask(day(1), history=hist, **mother).allowed
    theirs = placed(*(day(0, 9 + i) for i in range(7)), **mother)
    assert ask(day(1), history=theirs, **mother).rules == ("regf.seven_in_seven",)
    assert ask(day(1), history=theirs).allowed                       # the consumer's count is empty


def test_prior_consent_for_seven_days_until_the_conversation():
    talk = placed(day(0, 10), outcome=Outcome.CONNECTED)             # Monday: "call me Wednesday"
    consent = dict(exemption=Exemption.CALLBACK_REQUESTED, exemption_at=day(0, 10, 5))
    d = ask(day(2, 18), history=talk, **consent)
    assert d.allowed and d.exemption == Exemption.CALLBACK_REQUESTED
    hist = talk + [d.attempt(Outcome.CONNECTED)]
    after = ask(day(3, 10), history=hist, **consent)                # consent ended with that talk
    assert not after.allowed and after.exemption is None
    assert after.next_allowed == day(9, 8)                          # 7 days from Wednesday's talk
    unanswered = talk + [d.attempt(Outcome.NO_ANSWER)]
    assert ask(day(6, 10), history=unanswered, **consent).allowed   # day 7 of the consent: still valid
    assert not ask(day(6, 10), history=unanswered).allowed           # (without it: Monday's talk)
    expired = ask(day(7, 10), history=unanswered, **consent)         # day 8: consent expired
    assert expired.exemption is None and expired.notices[0].rule == "exemption.not_applicable"


def test_eight_to_nine_local_time_every_day():
    assert ask(day(0, 20, 59) + timedelta(seconds=59)).allowed
    assert ask(day(0, 21)).next_allowed == day(1, 8)
    assert ask(day(0, 21)).reasons[0].ref == "12 CFR 1006.6(b)(1)(i)"
    assert ask(datetime(2025, 10, 1, 8, tzinfo=NY)).allowed              # a Chinese holiday means nothing
    assert ask(datetime(2025, 6, 8, 8, tzinfo=NY)).allowed               # Sunday too
    assert ask(datetime(2025, 6, 8, 7, 30, tzinfo=NY)).next_allowed == datetime(2025, 6, 8, 8, tzinfo=NY)


def test_conflicting_locations_allow_the_hours_convenient_in_both():
    """Area code in the Eastern zone, address in the Pacific zone: 11 a.m.-9 p.m. Eastern."""
    z = resolve_zones([ZoneSource(SourceKind.CONTACT_POINT, zone="America/New_York"),
                       ZoneSource(SourceKind.ADDRESS, zone="America/Los_Angeles")])
    early = decide(P, z, [], Request(at=day(0, 9), channel=Channel.CALL))
    assert early.reasons[0].zone == "America/Los_Angeles" and early.next_allowed == day(0, 11)
    assert decide(P, z, [], Request(at=day(0, 20, 59), channel=Channel.CALL)).allowed
    assert decide(P, z, [], Request(at=day(0, 11).astimezone(LA), channel=Channel.CALL)).allowed


def test_chinese_caps_are_off_under_the_preset_but_holds_stay():
    hist = placed(day(0, 9), day(0, 10), day(0, 11), outcome=Outcome.NOT_CONNECTED)
    hist += placed(*(day(0, 12 + i) for i in range(8)), outcome=Outcome.NOT_CONNECTED)
    assert ask(day(0, 20), history=hist).allowed                     # 11 busy signals: no R-15 here
    case = validate_level({"holds": {"dispute": {}}}, "case")
    assert decide(effective_policy([CLIENT, case]), Z, [], Request(at=day(0), channel=Channel.CALL)).rules \
        == ("hold.dispute",)
