"""The service's own pure rules: one id per address, the instalment plan a collector agreed, the
batch life cycle (R-32, R-33) and the SMS gate's inputs (issue 10)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from recoup_letters.rules import facts, lifecycle, smsgate
from recoup_letters.rules.lifecycle import BatchStatus, QcState
from recoup_letters.rules.model import BlockReason

UTC = timezone.utc
SHANGHAI_21 = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)          # 21:00 in Beijing


def test_the_same_address_written_differently_has_one_id():
    a = facts.address_id("c1", "debtor", "河南省", "郑州市", "金水区", "花园路 88 号")
    assert a == facts.address_id("c1", "debtor", "河南省", "郑州市", "金水区", " 花园路８８号 ")
    assert a != facts.address_id("c1", "contact", "河南省", "郑州市", "金水区", "花园路 88 号")
    assert a != facts.address_id("c2", "debtor", "河南省", "郑州市", "金水区", "花园路 88 号")
    assert facts.party_of_owner("contact") == facts.party_of_owner("guarantor") == facts.CONTACT


def test_an_instalment_plan_needs_the_status_and_two_instalments():
    items = [(Decimal("500.00"), date(2027, 1, 20)), (Decimal("300.00"), date(2026, 12, 20))]
    plan = facts.plan_from_contact("ct-1", date(2026, 11, 25), "PTP_INSTALMENT", items)
    assert [i["due_on"] for i in plan["instalments"]] == ["2026-12-20", "2027-01-20"]
    assert facts.instalment_plan(plan).total == Decimal("800.00")
    assert facts.plan_from_contact("ct-1", date(2026, 11, 25), "PTP", items) is None
    assert facts.plan_from_contact("ct-1", date(2026, 11, 25), "PTP_INSTALMENT", items[:1]) is None


def test_dispatch_needs_approval_no_open_mismatch_and_every_letter_matched_and_tracked():
    ok = QcState(open_mismatches=0, letters=3, matched=3, tracked=3)
    lifecycle.check_dispatch(BatchStatus.APPROVED, ok, qc_required=True, tracking_required=True)
    with pytest.raises(lifecycle.Refused) as e:
        lifecycle.check_dispatch(BatchStatus.APPROVED, QcState(1, 3, 3, 3), qc_required=True, tracking_required=True)
    assert e.value.blocked
    with pytest.raises(lifecycle.Refused, match="no QC match"):
        lifecycle.check_dispatch(BatchStatus.APPROVED, QcState(0, 3, 2, 3), qc_required=True, tracking_required=True)
    lifecycle.check_dispatch(BatchStatus.APPROVED, QcState(0, 3, 2, 1), qc_required=False, tracking_required=False)
    with pytest.raises(lifecycle.Refused):
        lifecycle.check_dispatch(BatchStatus.GENERATED, ok, qc_required=True, tracking_required=True)


@settings(max_examples=200)
@given(st.sampled_from(list(BatchStatus)), st.integers(0, 3))
def test_an_open_mismatch_blocks_approval_and_dispatch_in_any_state(status, mismatches):
    qc = QcState(mismatches, 5, 5, 5)
    for check in (lambda: lifecycle.check_approve(status, qc),
                  lambda: lifecycle.check_dispatch(status, qc, qc_required=True, tracking_required=True)):
        try:
            check()
        except lifecycle.Refused:
            continue
        assert mismatches == 0          # allowed only without an open mismatch


def test_a_revoked_or_dispatched_batch_cannot_be_revoked():
    for status in (BatchStatus.DISPATCHED, BatchStatus.REVOKED):
        with pytest.raises(lifecycle.Refused):
            lifecycle.check_revoke(status)
    for status in (BatchStatus.QUEUED, BatchStatus.RENDERING, BatchStatus.FAILED, BatchStatus.APPROVED):
        lifecycle.check_revoke(status)


def _policy(levels=None, flags=()):
    return smsgate.case_policy(levels or {}, client_id="zh", placement_id="pl", case_id="c1", flags=flags)


def test_a_text_at_21_00_debtor_time_is_refused_and_at_20_59_59_allowed():
    p = _policy()
    zones = smsgate.zones_for(["河南省"], p.default_zone)
    assert smsgate.decide_sms(p, zones, [], SHANGHAI_21 - timedelta(seconds=1))["allowed"]
    refused = smsgate.decide_sms(p, zones, [], SHANGHAI_21)
    assert not refused["allowed"] and refused["reasons"][0]["rule"] == "window.outside"
    assert refused["next_allowed"].startswith("2026-11-26T08:00:00+08:00")


def test_the_sms_cap_counts_ours_and_contacts_texts_and_ignores_failed_ones():
    p = _policy({("client", "zh"): (1, {"caps.sms_per_day": 2})})
    zones = smsgate.zones_for([], p.default_zone)
    at = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
    history = smsgate.history([(at - timedelta(hours=1), "sent"), (at - timedelta(hours=1), "failed")], [])
    assert smsgate.decide_sms(p, zones, history, at)["allowed"]
    history = smsgate.history([(at - timedelta(hours=1), "sending")], [at - timedelta(minutes=5)])
    assert smsgate.decide_sms(p, zones, history, at)["reasons"][0]["rule"] == "cap.sms_per_day"


def test_a_flags_hold_stays_when_contacts_case_level_lifts_it():
    lifted = {("case", "c1"): (3, {"holds.dispute": None})}
    decision = smsgate.decide_sms(_policy(lifted, flags=("dispute",)), smsgate.zones_for([], "Asia/Shanghai"), [],
                                  datetime(2026, 11, 25, 4, 0, tzinfo=UTC))
    assert [r["rule"] for r in decision["reasons"]] == ["hold.dispute"]
    assert smsgate.blocked(SHANGHAI_21, BlockReason.SETTLED)["reasons"][0]["rule"] == "case.settled"


def test_only_the_debtors_own_mobile_is_texted():
    phones = [{"owner": "contact", "kind": "mobile", "number_hash": "a"},
              {"owner": "debtor", "kind": "work", "number_hash": "b"}]
    assert smsgate.choose_mobile(phones) is None
    mine = {"owner": "debtor", "kind": "mobile", "number_hash": "c", "added_at": SHANGHAI_21}
    assert smsgate.choose_mobile([*phones, mine]) is mine
