"""What fieldops puts on the bus for contact and letters (R-38): visit.completed from a record."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import orjson
from recoup_fieldops import events
from recoup_fieldops.rules import SHANGHAI, VisitRequest, VisitState
from recoup_fieldops.rules.records import Met, NewAddress, NextStep, Outcome, VisitRecord
from recoup_shared.crypto import Protector
from recoup_shared.settings import ServiceSettings

AT = datetime(2026, 10, 9, 19, 5, tzinfo=SHANGHAI)
VISIT = VisitRequest(visit_id="v1", case_id="c1", requested_by="col-1", purpose="verify_address",
                     reason="核实", address_kind="home", requested_at=AT, state=VisitState.DONE)


def completed(record: VisitRecord, address: dict | None = None) -> dict:
    rec = events.completed(VISIT, record, client_id="bank", evidence=[], visited_on=date(2026, 10, 9),
                           protector=Protector.from_settings(ServiceSettings()), address=address)
    env = orjson.loads(rec[3])
    assert (rec[1], rec[2], env["producer"]) == ("visit.completed", "c1", "fieldops")
    return env["payload"]


def test_nobody_met_is_an_empty_met_list_and_a_visit_not_met():
    p = completed(VisitRecord(address_verified=True, met=(Met.NOBODY,), outcome=Outcome.NOBODY_HOME,
                              next_step=NextStep.REVISIT, agent_ids=("a1", "a2"), arrived_at=AT,
                              left_at=AT + timedelta(minutes=5)))
    assert (p["met"], p["result"], p["status"], p["collector_id"]) == ([], "visit_not_met", "FIELD_VISIT_DONE",
                                                                        "col-1")
    assert "ptp" not in p and p["visited_on"] == "2026-10-09"


def test_a_new_address_and_phone_learned_at_the_door_travel_on():
    p = completed(VisitRecord(address_verified=False, met=(Met.NEIGHBOUR,), outcome=Outcome.MESSAGE_LEFT,
                              next_step=NextStep.SKIP_TRACE, agent_ids=("a1", "a2"), arrived_at=AT,
                              left_at=AT + timedelta(minutes=5), new_phone="13912345678",
                              new_address=NewAddress("home", "河南省", "郑州市", "二七区", "新村 3 号")))
    assert p["met"] == ["neighbour"] and p["result"] == "visit_met"
    assert p["addresses_found"] == [{"kind": "home", "province": "河南省", "city": "郑州市",
                                     "district": "二七区", "line": "新村 3 号", "verified": True,
                                     "owner": "debtor", "valid": True}]
    phone = p["phones_found"][0]
    assert (phone["number"], phone["number_masked"]) == ("13912345678", "139****5678")
    assert phone["number_hash"] and "13912345678" not in phone["number_hash"]   # one blind index


VISITED = {"case_id": "c1", "address_id": "a1", "kind": "home", "province": "河南省", "city": "郑州市",
           "district": "金水区", "line": "花园路 88 号", "employer": None, "verified": False,
           "source": "placement", "owner": "contact", "postcode": "450003"}


def test_the_visited_address_travels_only_when_verified_there():
    """R-29/R-38: letters may choose an address a visit verified; one the agents could not verify
    is not offered. A contact person's address stays theirs (letters never write to it, R-30)."""
    record = VisitRecord(address_verified=True, met=(Met.DEBTOR,), outcome=Outcome.MESSAGE_LEFT,
                         next_step=NextStep.FOLLOW_UP_CALL, agent_ids=("a1", "a2"), arrived_at=AT,
                         left_at=AT + timedelta(minutes=5))
    assert completed(record, VISITED)["address"] == {
        "kind": "home", "province": "河南省", "city": "郑州市", "district": "金水区", "line": "花园路 88 号",
        "verified": True, "postcode": "450003", "owner": "contact", "valid": True}
    unverified = VisitRecord(address_verified=False, met=(Met.NOBODY,), outcome=Outcome.NOBODY_HOME,
                             next_step=NextStep.REVISIT, agent_ids=("a1", "a2"), arrived_at=AT,
                             left_at=AT + timedelta(minutes=5))
    assert "address" not in completed(unverified, VISITED)
