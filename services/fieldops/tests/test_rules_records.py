"""Visit records (R-37) and what they tell contact (R-38); case addresses (R-34, R-35)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from recoup_fieldops.rules import SHANGHAI
from recoup_fieldops.rules.addresses import address_id, area_of, covered, parse_area, repaired_on
from recoup_fieldops.rules.errors import InvalidRecord
from recoup_fieldops.rules.records import (
    Met,
    NextStep,
    Outcome,
    Promise,
    RecordConfig,
    VisitRecord,
    contact_result,
    status_after,
    validate_record,
)

ARRIVED = datetime(2026, 10, 9, 19, 5, tzinfo=SHANGHAI)


def record(**kw) -> VisitRecord:
    base = VisitRecord(address_verified=True, met=(Met.DEBTOR,), outcome=Outcome.PROMISE_TO_PAY,
                       next_step=NextStep.FOLLOW_UP_CALL, agent_ids=("a1", "a2"), arrived_at=ARRIVED,
                       left_at=ARRIVED + timedelta(minutes=25),
                       promise=Promise(Decimal("3000.00"), date(2026, 10, 15)))
    return replace(base, **kw)


def fields(exc) -> list[str]:
    return [e["field"] for e in exc.value.errors]


def test_a_promise_obtained_at_the_door():
    r = validate_record(record(new_phone="139 1234 5678"))
    assert r.new_phone == "13912345678"                     # normalised (R-25: one hash for all)
    assert (contact_result(r), status_after(r)) == ("visit_met", "FIELD_VISIT_DONE")


def test_a_relative_may_promise_for_the_debtor():              # seed 004: 代为偿还
    assert validate_record(record(met=(Met.RELATIVE, Met.NEIGHBOUR))).met == (Met.RELATIVE, Met.NEIGHBOUR)


def test_nobody_home_and_an_invalid_address():
    nobody = record(met=(Met.NOBODY,), outcome=Outcome.NOBODY_HOME, promise=None)
    assert contact_result(validate_record(nobody)) == "visit_not_met"
    gone = record(met=(Met.NEIGHBOUR,), outcome=Outcome.ADDRESS_INVALID, promise=None,
                  address_verified=False)
    assert contact_result(validate_record(gone)) == "visit_address_invalid"


def test_every_problem_is_listed_at_once():
    with pytest.raises(InvalidRecord) as err:
        validate_record(record(met=(Met.NOBODY, Met.DEBTOR), left_at=ARRIVED - timedelta(minutes=1),
                               promise=Promise(Decimal("-1"), date(2026, 10, 1)), new_phone="12345"))
    assert err.value.status == 422
    assert fields(err) == ["left_at", "met", "promise.amount", "promise.due_on", "new_phone"]


@pytest.mark.parametrize("kw, field", [
    ({"promise": None}, "promise"),                                           # promise_to_pay needs one
    ({"outcome": Outcome.DEBTOR_MET}, "promise"),                             # and only it has one
    ({"met": (Met.NOBODY,), "outcome": Outcome.DEBTOR_MET, "promise": None}, "outcome"),
    ({"met": (Met.RELATIVE,), "outcome": Outcome.DEBTOR_MET, "promise": None}, "outcome"),
    ({"outcome": Outcome.ADDRESS_INVALID, "promise": None}, "address_verified"),
    ({"met": ()}, "met"),
    ({"left_at": ARRIVED + timedelta(hours=13)}, "left_at"),
    ({"promise": Promise(Decimal("10.001"), date(2026, 10, 15))}, "promise.amount"),
    ({"promise": Promise(Decimal("10"), date(2027, 1, 8))}, "promise.due_on"),    # > 90 days
    ({"arrived_at": None}, "arrived_at"),
])
def test_incoherent_records_are_refused(kw, field):
    with pytest.raises(InvalidRecord) as err:
        validate_record(record(**kw))
    assert field in fields(err)


def test_limits_are_configuration():
    far = record(promise=Promise(Decimal("10"), date(2027, 1, 8)))
    assert validate_record(far, RecordConfig(max_promise_days=120)).promise.due_on == date(2027, 1, 8)


def test_address_ids_are_stable_and_areas_covered():
    a = address_id("home", "河南省", "郑州市", "金水区", "花园路 88 号")
    assert a == address_id("home", "河南省", "郑州市", "金水区", "  花园路  88 号 ") and len(a) == 20
    assert a != address_id("work", "河南省", "郑州市", "金水区", "花园路 88 号")
    area = area_of("河南省", "郑州市", "金水区")
    assert covered(area, [parse_area("河南省/郑州市")]) and covered(area, [parse_area("河南省")])
    assert not covered(area, [parse_area("河南省/郑州市/中原区"), parse_area("河北省")])


def test_an_address_learned_after_the_placement_was_repaired_that_day():
    assert repaired_on("skip_trace", date(2026, 10, 7)) == date(2026, 10, 7)
    assert repaired_on("placement", date(2026, 9, 1)) is None
