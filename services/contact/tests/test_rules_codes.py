"""The client's versioned action/result code table and the validation of submitted records."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from pydantic import ValidationError

from recoup_contact.rules import (
    Channel, CodeTable, InstalmentDraft, Party, PromiseDraft, RecordContext, RecordDraft, Result, ContactStatus,
    default_code_table, table_in_force, validate_record,
)
from recoup_contact.rules.model import DEFAULT_ZONE

D = date.fromisoformat
TABLE = default_code_table("zhbank")
CTX = RecordContext(today=D("2026-10-08"), outstanding=Decimal("5000"), recall_on=D("2026-12-31"))


def draft(code="RS", result=Result.CONNECTED, party=Party.DEBTOR, channel=Channel.OUTBOUND_CALL, **kw):
    return RecordDraft(channel=channel, party=party, result=result, code=code, **kw)


def fields(check):
    return {e.field for e in check.errors}


def test_a_valid_record_takes_the_status_its_code_implies():
    check = validate_record(draft(), TABLE, CTX)
    assert (check.errors, check.status, check.effective) == ((), ContactStatus.REACHABLE_SELF, True)


def test_an_unknown_code_lists_the_allowed_codes():
    check = validate_record(draft(code="XYZ"), TABLE, CTX)
    (err,) = check.errors
    assert err.field == "code" and "unknown code" in err.reason and "version 1" in err.reason
    assert "PTP" in err.allowed and err.as_dict()["allowed"] == list(TABLE.active_codes())


def test_codes_are_case_insensitive_and_retired_codes_refused():
    assert validate_record(draft(code="rs"), TABLE, CTX).errors == ()
    retired = CodeTable(client_id="x", version=2, effective_from=D("2026-01-01"), codes=(
        TABLE.find("RS").model_copy(update={"active": False}), TABLE.find("NA")))
    (err,) = validate_record(draft(), retired, CTX).errors
    assert "retired" in err.reason and err.allowed == ("NA",)


def test_a_ptp_needs_its_promise_and_validates_it():
    assert fields(validate_record(draft(code="PTP"), TABLE, CTX)) == {"promise"}
    ok = draft(code="PTP", promise=PromiseDraft.single(Decimal("1000"), D("2026-10-12")))
    check = validate_record(ok, TABLE, CTX)
    assert (check.errors, check.status) == ((), ContactStatus.PTP)
    bad = draft(code="PTP", promise=PromiseDraft.single(Decimal("6000"), D("2027-01-05")))
    assert fields(validate_record(bad, TABLE, CTX)) == {"promise.amount", "promise.due_on"}


def test_a_plan_under_ptp_instalment_only():
    two = PromiseDraft((InstalmentDraft(D("2026-10-12"), Decimal("100")),
                        InstalmentDraft(D("2026-11-12"), Decimal("100"))))
    assert validate_record(draft(code="PTPI", promise=two), TABLE, CTX).errors == ()
    assert fields(validate_record(draft(code="PTP", promise=two), TABLE, CTX)) == {"promise"}
    one = PromiseDraft.single(Decimal("100"), D("2026-10-12"))
    assert fields(validate_record(draft(code="PTPI", promise=one), TABLE, CTX)) == {"promise"}


def test_the_code_must_fit_the_result_channel_and_party():
    check = validate_record(draft(code="PTP", result=Result.NO_ANSWER,
                                  promise=PromiseDraft.single(Decimal("10"), D("2026-10-12"))), TABLE, CTX)
    assert fields(check) == {"result", "status"}      # the code's results; PTP needs a conversation
    assert fields(validate_record(draft(party=Party.CONTACT_PERSON), TABLE, CTX)) == {"party", "status"}
    assert fields(validate_record(draft(code="NA", result=Result.NO_ANSWER, channel=Channel.INBOUND_CALL),
                                  TABLE, CTX)) == {"result"}


def test_status_chosen_against_the_code():
    # RS implies REACHABLE_SELF
    assert fields(validate_record(draft(status=ContactStatus.URGENT), TABLE, CTX)) == {"status"}
    na = draft(code="NA", result=Result.NO_ANSWER, status=ContactStatus.NO_ANSWER)
    assert validate_record(na, TABLE, CTX).status is ContactStatus.NO_ANSWER
    busy_ptp = draft(code="NA", result=Result.BUSY, status=ContactStatus.PTP)
    assert fields(validate_record(busy_ptp, TABLE, CTX)) >= {"status"}
    assert validate_record(draft(code="OFF", result=Result.SWITCHED_OFF), TABLE, CTX).status is None  # unchanged


def test_required_fields_per_code():
    check = validate_record(draft(code="DISP"), TABLE, CTX)
    assert (fields(check), check.status) == ({"dispute_reason"}, ContactStatus.DISPUTE)
    assert fields(validate_record(draft(code="CB", result=Result.CALLBACK_REQUESTED), TABLE, CTX)) == {"callback_at"}
    naive = draft(code="CB", result=Result.CALLBACK_REQUESTED, callback_at=datetime(2026, 10, 8, 19))
    assert fields(validate_record(naive, TABLE, CTX)) == {"callback_at"}
    aware = draft(code="CB", result=Result.CALLBACK_REQUESTED, status=ContactStatus.NIGHT_FOLLOW_UP,
                  callback_at=datetime(2026, 10, 8, 19, tzinfo=DEFAULT_ZONE))
    assert validate_record(aware, TABLE, CTX).errors == ()
    assert fields(validate_record(draft(code="NEW"), TABLE, CTX)) == {"new_contact"}
    assert fields(validate_record(draft(code="DEC", notes="  "), TABLE, CTX)) == {"notes"}
    assert fields(validate_record(draft(notes="x" * 2001), TABLE, CTX)) == {"notes"}


def test_a_visit_outcome_arrives_under_the_visit_code():
    check = validate_record(draft(code="VISIT", channel=Channel.VISIT, result=Result.VISIT_MET), TABLE, CTX)
    assert (check.errors, check.status, check.effective) == ((), ContactStatus.FIELD_VISIT_DONE, True)


@pytest.mark.parametrize("code, message", [
    ({"code": "P1", "label": "承诺", "results": ["connected"], "implies": "PTP"}, "must require 'promise'"),
    ({"code": "D1", "label": "争议", "results": ["connected"], "implies": "DISPUTE"}, "dispute_reason"),
    ({"code": "R1", "label": "可联", "results": ["no_answer"], "implies": "REACHABLE_SELF"}, "needs a conversation"),
    ({"code": "S1", "label": "短信", "results": ["visit_met"], "channels": ["sms"]}, "cannot occur"),
    ({"code": "X1", "label": "x", "results": ["connected"], "implies": "URGENT", "allows": ["NO_ANSWER"]}, "allowed"),
    ({"code": "bad code", "label": "x", "results": ["connected"]}, "pattern"),
])
def test_invalid_codes_are_refused(code, message):
    with pytest.raises(ValidationError, match=message):
        CodeTable.model_validate({"client_id": "x", "version": 1, "effective_from": "2026-01-01", "codes": [code]})


def test_duplicate_codes_are_refused():
    with pytest.raises(ValidationError, match="twice"):
        CodeTable.model_validate({"client_id": "x", "version": 1, "effective_from": "2026-01-01", "codes": [
            {"code": "A", "label": "a", "results": ["connected"]}, {"code": "a", "label": "b", "results": ["busy"]}]})


def test_the_version_in_force():
    v1 = TABLE
    v2 = TABLE.model_copy(update={"version": 2, "effective_from": D("2026-10-01")})
    v3 = TABLE.model_copy(update={"version": 3, "effective_from": D("2026-11-01")})
    assert table_in_force([v3, v1, v2], D("2026-10-08")) is v2
    assert table_in_force([v3, v1, v2], D("2026-11-01")) is v3
    assert table_in_force([v2, v3], D("2026-09-30")) is None


def test_tables_round_trip_through_json():
    assert CodeTable.model_validate_json(TABLE.model_dump_json()) == TABLE
