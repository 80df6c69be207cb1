"""Phones: 号码归属地 from libphonenumber, and the R-21 dialling order."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from recoup_contact.rules import (
    EMPLOYER_FIRST_PLAN, ContactPoint, DiallingPolicy, Party, PointKind, PointState, Relationship, Stage,
    debtor_unreachable, dialable, dialling_order, phone_region,
)

K, P, S, Rel = PointKind, Party, PointState, Relationship


@pytest.mark.parametrize("number, region, carrier, mobile", [
    ("15937112345", "河南省郑州市", "中国移动", True),
    ("+86 138 0013 8000", "北京市", "中国移动", True),
    ("0371-65432100", "河南省郑州市", None, False),
    ("021 6123 4567", "上海市", None, False),
])
def test_phone_region(number, region, carrier, mobile):
    got = phone_region(number)
    assert (got.region, got.carrier, got.is_mobile) == (region, carrier, mobile)


@pytest.mark.parametrize("junk", ["", "abc", "12345", "+1 415 555 0100"])
def test_phone_region_of_junk_or_foreign_numbers_is_unknown(junk):
    assert phone_region(junk).region is None


def pt(id_, kind, party=P.DEBTOR, state=S.UNKNOWN, rel=None):
    return ContactPoint(id_, kind, party, state, rel)


POINTS = [
    pt("c-spouse", K.MOBILE, P.CONTACT_PERSON, rel=Rel.SPOUSE),
    pt("work", K.WORK),
    pt("home", K.HOME, state=S.VALID),
    pt("mob-off", K.MOBILE, state=S.SWITCHED_OFF),
    pt("mob", K.MOBILE, state=S.VALID),
    pt("mob-empty", K.MOBILE, state=S.EMPTY_NUMBER),
    pt("addr", K.ADDRESS),
    pt("c-friend", K.MOBILE, P.CONTACT_PERSON, state=S.DO_NOT_CALL, rel=Rel.FRIEND),
    pt("colleague", K.WORK, P.THIRD_PARTY, rel=Rel.COLLEAGUE),
]
POLICY = DiallingPolicy()


def ids(points):
    return [p.id for p in points]


def test_early_stage_mobile_home_work_and_contacts_only_after_the_debtor():
    assert ids(dialling_order(POINTS, 45, POLICY, debtor_is_unreachable=False)) == ["mob", "mob-off", "home", "work"]
    assert ids(dialling_order(POINTS, 45, POLICY, debtor_is_unreachable=True)) == [
        "mob", "mob-off", "home", "work", "c-spouse", "colleague"]


def test_blocked_states_are_skipped_and_do_not_call_always():
    assert not dialable(POINTS[5], POLICY) and not dialable(POINTS[7], POLICY) and not dialable(POINTS[6], POLICY)
    lenient = DiallingPolicy(blocked_states=frozenset({S.DO_NOT_CALL}))
    assert "mob-empty" in ids(dialling_order(POINTS, 45, lenient, debtor_is_unreachable=False))
    with pytest.raises(ValidationError, match="R-18"):
        DiallingPolicy(blocked_states=frozenset({S.EMPTY_NUMBER}))


def test_a_clients_filtering_order_for_late_cases():
    policy = DiallingPolicy(by_stage={Stage.LATE: EMPLOYER_FIRST_PLAN}, late_stage_from_dpd=361)
    points = POINTS + [pt("vc", K.HOME, P.THIRD_PARTY, rel=Rel.VILLAGE_COMMITTEE)]
    assert ids(dialling_order(points, 400, policy, debtor_is_unreachable=False)) == [
        "work", "colleague", "vc", "c-spouse", "mob", "mob-off", "home"]
    assert ids(dialling_order(points, 90, policy, debtor_is_unreachable=False))[0] == "mob"


def test_debtor_unreachable_once_every_dialable_debtor_phone_was_tried():
    assert not debtor_unreachable(POINTS, POLICY, ["mob", "home"])
    assert debtor_unreachable(POINTS, POLICY, ["mob", "home", "work", "mob-off"])
    assert debtor_unreachable([pt("x", K.MOBILE, state=S.EMPTY_NUMBER)], POLICY)


def test_policy_round_trips_through_json():
    policy = DiallingPolicy(by_stage={Stage.LATE: EMPLOYER_FIRST_PLAN}, late_stage_from_dpd=361)
    assert DiallingPolicy.model_validate_json(policy.model_dump_json()) == policy


point = st.builds(ContactPoint, id=st.uuids().map(str), kind=st.sampled_from(sorted(PointKind)),
                  party=st.sampled_from(sorted(Party)), state=st.sampled_from(sorted(PointState)),
                  relationship=st.one_of(st.none(), st.sampled_from(sorted(Relationship))))


@settings(max_examples=200, deadline=None)
@given(points=st.lists(point, max_size=8), dpd=st.integers(0, 500), unreachable=st.booleans())
def test_dialling_order_is_a_permutation_of_the_dialable_points(points, dpd, unreachable):
    policy = DiallingPolicy(by_stage={Stage.LATE: EMPLOYER_FIRST_PLAN}, late_stage_from_dpd=361)
    order = dialling_order(points, dpd, policy, debtor_is_unreachable=unreachable)
    assert len(order) == len({p.id for p in order})
    assert all(dialable(p, policy) and p.state is not S.DO_NOT_CALL for p in order)
    expected = {p.id for p in points if dialable(p, policy)
                and (unreachable or p.party is P.DEBTOR or dpd >= 361)}
    assert {p.id for p in order} == expected
