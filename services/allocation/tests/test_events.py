"""case.allocated serialised in bulk (events.case_allocated, an EnvelopeTemplate): byte for byte
what the shared envelope code gives for the payload the commit has always built, for any text in
the ids."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from hypothesis import given, settings, strategies as st

from recoup_allocation import events
from recoup_shared.bus import dumps, new_envelope, parse
from recoup_shared.bus.envelope import random_event_ids
from recoup_shared.bus.events import CaseAllocated, CasePaused, CaseResumed

AT = datetime(2026, 11, 24, 9, 30, 1, 123456, tzinfo=timezone.utc)
DUE = date(2026, 11, 26)
PLAN_ID = str(uuid.UUID("0b5e7b3c-4a41-4c55-9d31-2f0d6b1a9e10"))


def expected(event_id: uuid.UUID, row: tuple, strategy: str = "by_amount") -> bytes:
    client_id, case_id, collector_id, reason, team_id, previous = row
    payload = {"collector_id": collector_id, "strategy": strategy, "reason": reason,
               "plan_id": PLAN_ID, "allocated_at": AT.isoformat(), "first_contact_due": DUE.isoformat()}
    if team_id is not None:
        payload["team_id"] = team_id
    if previous is not None:
        payload["previous_collector_id"] = previous
    return dumps(new_envelope(event_type="case.allocated", producer="allocation", client_id=client_id,
                              case_id=case_id, payload=payload, correlation_id=PLAN_ID, occurred_at=AT,
                              event_id=event_id))


def check(rows: list[tuple], strategy: str = "by_amount") -> None:
    records = template(strategy).records(rows)
    assert len(records) == len(rows)
    for (event_id, topic, key, value), row in zip(records, rows):
        assert topic == "case.allocated" and key == row[1]
        assert value == expected(event_id, row, strategy)
    assert len({r[0] for r in records}) == len(records)


def template(strategy: str = "by_amount"):
    return events.case_allocated(plan_id=PLAN_ID, strategy=strategy, at=AT, due=DUE)


PLAIN = [("zhbank", "c-1", "col-1", "allocation", "t1", None),
         ("zhbank", "c-2", "col-2", "reassignment", "t1", "col-1"),
         ("zhbank", "c-3", "col-3", "manual", None, None),
         ("zhbank", "c-4", "col-3", "rotation", None, "col-9")]


def test_every_payload_shape_matches_the_shared_envelope():
    check(PLAIN)
    records = template().records(PLAIN)
    for _, _, _, value in records:
        env = parse(value)  # a valid envelope with a valid case.allocated payload
        assert env.event_type == "case.allocated" and env.producer == "allocation"
        CaseAllocated.model_validate(env.payload)


def test_text_that_json_escapes_matches_too():
    check(PLAIN + [('客户"A"', "case\\7\n", "催收员-1", "allocation", "组\t1", "x%sy\x7f\x00"),
                   ("%(x)s", "100%", "%d", "allocation", None, None)], strategy="by_%s")


def test_event_ids_are_random_version_4():
    ids = random_event_ids(1000)
    assert len(set(ids)) == 1000
    assert all(isinstance(i, uuid.UUID) and i.version == 4 and i.variant == uuid.RFC_4122 for i in ids)
    assert all(uuid.UUID(str(i)) == i for i in ids)


ids = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(ids, ids, ids, st.sampled_from(["allocation", "reassignment", "manual"]),
                          st.none() | ids, st.none() | ids), min_size=1, max_size=8))
def test_any_ids_serialise_as_the_shared_envelope_does(rows):
    check(rows)


def test_a_reordered_envelope_layout_is_followed():
    """Should the shared envelope list its fields in another order, the slots follow it."""
    base = type(template())

    class Reordered(base):
        def envelope(self, event_id, row):
            env = super().envelope(event_id, row)
            return {"payload": dict(reversed(list(env["payload"].items()))),
                    **{k: env[k] for k in reversed(list(env)) if k != "payload"}}

    t = template()
    t.__class__ = Reordered
    rows = PLAIN + [('客户"A"', "case\\7\n", "催收员-1", "allocation", "组\t1", "x")]
    for (event_id, _, _, value), row in zip(t.records(rows), rows):
        assert value == dumps(t.envelope(event_id, row))


def test_paused_and_resumed_are_typed_events_of_their_topics():
    at = datetime(2026, 12, 5, 9, 0, tzinfo=timezone.utc)
    eid, topic, key, value = events.case_paused(
        client_id="zhbank", case_id="c-1", source="staff", by="lead-1", reason="债务人住院", at=at,
        released_collector_id="col-1", released_team_id="t1")
    env = parse(value)
    assert (topic, key, env.event_type, env.producer, env.occurred_at) == (
        "case.paused", "c-1", "case.paused", "allocation", at)
    p = CasePaused.model_validate(env.payload)
    assert (p.paused_by, p.reason, p.released_collector_id, p.released_team_id) == ("lead-1", "债务人住院", "col-1", "t1")
    _, topic, _, value = events.case_resumed(client_id="zhbank", case_id="c-1", source="flag",
                                             by="client", reason="lifted", at=at)
    p = CaseResumed.model_validate(parse(value).payload)
    assert topic == "case.resumed" and (p.source, p.collector_id, p.team_id) == ("flag", None, None)
