"""Holds (R-17, R-47, R-22) and third parties (R-18): refusals that no waiting clears."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from recoup_shared.compliance import (FLAG_HOLDS, HOLD_KINDS, Channel, Direction, Exemption,
                                      HoldLiftForbidden, Party, Request, case_values_from_flags, decide,
                                      effective_policy, lift_hold, place_hold, resolve_zones,
                                      validate_level)

SH = ZoneInfo("Asia/Shanghai")
Z = resolve_zones([])
NOON = datetime(2025, 6, 3, 12, tzinfo=SH)


def case(**values):
    return validate_level(values, "case", scope="case-1", version=1)


def test_dispute_hold_stops_every_channel_and_nothing_overrides_it():
    lv = place_hold(case(), "dispute", since=datetime(2025, 6, 1, 10, tzinfo=SH), by="client",
                    note="debtor denies the debt")
    p = effective_policy([lv])
    for req in (Request(at=NOON, channel=Channel.CALL), Request(at=NOON, channel=Channel.SMS),
                Request(at=NOON, channel=Channel.VISIT, agents=2),
                Request(at=NOON, channel=Channel.CALL, direction=Direction.INBOUND),
                Request(at=NOON, channel=Channel.CALL, exemption=Exemption.CALLBACK_REQUESTED,
                        exemption_at=NOON)):
        d = decide(p, Z, [], req)
        assert not d.allowed and d.rules == ("hold.dispute",)
        assert d.reasons[0].ref == "R-17" and d.reasons[0].next_allowed is None
        assert d.next_allowed is None
        assert "2025-06-01T10:00:00+08:00" in d.reasons[0].detail


def test_several_reasons_at_once_and_none_means_a_person_must_act():
    lv = case(holds={"serious_complaint": {}, "deceased_pending_evidence": {"note": "family call"}})
    d = decide(effective_policy([lv]), Z, [], Request(at=NOON.replace(hour=22), channel=Channel.CALL))
    assert set(d.rules) == {"hold.serious_complaint", "hold.deceased_pending_evidence", "window.outside"}
    refs = {r.rule: r.ref for r in d.reasons}
    assert refs["hold.serious_complaint"] == "R-47" and refs["window.outside"] == "R-14"
    assert d.next_allowed is None
    assert d.to_dict()["reasons"][0]["next_allowed"] is None


def test_hold_lifted_only_by_the_right_role():
    lv = place_hold(case(), "dispute", since=NOON)
    p = effective_policy([lv])
    with pytest.raises(HoldLiftForbidden) as e:
        lift_hold(lv, "dispute", ["collector", "supervisor"], p)
    assert e.value.allowed == ["client"]
    lifted = lift_hold(lv, "dispute", ["client"], p)
    assert "holds.dispute" not in lifted.values
    assert decide(effective_policy([lifted]), Z, [], Request(at=NOON, channel=Channel.CALL)).allowed
    complaint = place_hold(case(), "serious_complaint", since=NOON)
    assert lift_hold(complaint, "serious_complaint", ["supervisor"], effective_policy([complaint])).values == {}
    client = validate_level({"hold_lift_roles": {"dispute": ["client", "supervisor"]}}, "client")
    p2 = effective_policy([client, lv])
    assert "holds.dispute" not in lift_hold(lv, "dispute", ["supervisor"], p2).values
    with pytest.raises(ValueError):
        place_hold(validate_level({}, "client"), "dispute", since=NOON)


def test_client_flags_become_holds():
    values = case_values_from_flags(["dispute", "special_population", "complaint_history"], since=NOON)
    assert set(values) == {"holds.dispute", "special_population.kind"}
    assert set(FLAG_HOLDS.values()) <= set(HOLD_KINDS)
    p = effective_policy([case(**values)])
    assert decide(p, Z, [], Request(at=NOON, channel=Channel.CALL)).rules == ("hold.dispute",)


def third_party(person: str = "cp-7") -> Request:
    return Request(at=NOON, channel=Channel.CALL, party=Party.THIRD_PARTY, contact_person=person,
                   contact_point="tel-9")


def test_third_party_who_asked_not_to_be_called_is_never_called_again():
    p = effective_policy([case(third_parties={"cp-7": {"do_not_call": True, "knows_debt": True}})])
    d = decide(p, Z, [], third_party())
    assert d.rules == ("third_party.do_not_call",) and d.reasons[0].ref == "R-18"
    assert d.next_allowed is None
    assert decide(p, Z, [], third_party("cp-8")).allowed                 # another contact person
    assert decide(p, Z, [], Request(at=NOON, channel=Channel.CALL)).allowed   # the debtor
    sms = Request(at=NOON, channel=Channel.SMS, party=Party.THIRD_PARTY, contact_person="cp-7")
    assert decide(p, Z, [], sms).rules == ("third_party.do_not_call",)            # no texting around it
    calls_us = Request(at=NOON, channel=Channel.CALL, party=Party.THIRD_PARTY, contact_person="cp-7",
                       direction=Direction.INBOUND)
    assert decide(p, Z, [], calls_us).allowed                                     # they may call us


def test_contact_person_who_does_not_know_gets_the_no_disclosure_notice():
    p = effective_policy([case(third_parties={"cp-7": {"knows_debt": False}, "cp-8": {"knows_debt": True}})])
    d = decide(p, Z, [], third_party())
    assert d.allowed and [n.rule for n in d.notices] == ["third_party.no_disclosure"]
    assert d.notices[0].ref == "R-18"
    unknown = decide(p, Z, [], third_party("cp-99"))                      # not recorded: assume not told
    assert [n.rule for n in unknown.notices] == ["third_party.no_disclosure"]
    assert decide(p, Z, [], third_party("cp-8")).notices == ()
    assert decide(p, Z, [], Request(at=NOON, channel=Channel.CALL)).notices == ()


def test_third_party_request_must_name_the_person():
    with pytest.raises(ValueError):
        Request(at=NOON, channel=Channel.CALL, party=Party.THIRD_PARTY)
    with pytest.raises(ValueError):
        Request(at=datetime(2025, 6, 3, 12), channel=Channel.CALL)      # naive moment
