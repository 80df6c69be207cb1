"""Big placements through the worker processes (usecases/placements/parts.py): the body split into
pieces that the workers decode, check and prepare while earlier pieces are COPYed. Whatever the
path, the answer, the stored cases and the events are the same as the in-process import's."""

from __future__ import annotations

import copy
import os
import signal
import uuid
from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from typing import Any

import orjson
import pytest
import pytest_asyncio

from recoup_local.demo import make_placement
from recoup_local.inprocess import RunningService, running_service
from recoup_shared.bus.events import CaseReceived
from recoup_shared.identifiers import make_id_number


# --- the same import through the workers --------------------------------------------------------

@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def parallel(stack, intake_log_file) -> AsyncIterator[RunningService]:
    """Intake with every placement sent to the workers in tiny pieces, on a database of its own
    (what it imports must be compared with what `intake` imports from the same state)."""
    dsn = await stack.new_database(package="recoup_intake")
    async with running_service(stack, "intake", database_url=dsn, log_file=str(intake_log_file),
                               placement_workers=2, parallel_min_bytes=1, parallel_min_cases=1,
                               split_segment_bytes=2500, prepare_chunk_size=7, relay_batch_size=20) as svc:
        yield svc


def _tricky_body(ref: str, stored_id: str, twin: str, open_account: str) -> dict[str, Any]:
    body = make_placement(45, seed=11, bad_rows=5, placement_ref=ref)
    cases = body["cases"]
    for row in (1, 20, 44):                       # one debtor in the first, a middle and the last piece
        cases[row]["debtor"]["id_number"] = twin
        cases[row]["debtor"].pop("gender", None)
    cases[30]["debtor"]["id_number"] = stored_id   # a debtor with a stored open case
    cases[30]["debtor"].pop("gender", None)
    cases[38]["account_ref"] = cases[3]["account_ref"]                 # duplicate account, far apart
    cases[12]["account_ref"] = "acct-case-7"
    cases[41]["account_ref"] = "ACCT-CASE-7"                           # the same account to the blind index
    cases[27]["account_ref"] = open_account                            # still open elsewhere
    cases[33]["remarks"] = 'x},{"account_ref": "y'                     # a cut candidate inside a string
    cases[34]["principal"] = 19.5                                      # a JSON number
    cases[34]["placed_amount"] = Decimal(cases[34]["placed_amount"]) - Decimal(cases[34]["principal"]) + Decimal("19.5")
    return body


async def _events(helpers, svc, case_ids):
    events = await helpers.outbox_events(svc, case_ids=case_ids, topic="case.received")
    return {e["case_id"]: e for e in events}


def _comparable(answer: dict, cases: list[dict], events: dict[str, dict]) -> dict:
    row_of = {c["case_id"]: c["row"] for c in cases}
    out = {"counts": (answer["received"], answer["accepted"], answer["rejected"]), "errors": answer["errors"],
           "cases": [(c["row"], c["account_masked"], c["status"]) for c in cases], "events": {}}
    for case_id, e in events.items():
        p = CaseReceived.model_validate(e["payload"]).model_dump(mode="json", exclude={"placement_id", "placement_ref"})
        p["joint_case_ids"] = sorted(row_of.get(c, "stored") for c in p.get("joint_case_ids") or [])
        out["events"][row_of[case_id]] = p
    return out


async def _setup_client(svc, auth, client_id: str, stored_id: str, account: str) -> None:
    """The client's earlier placement: an open account; and another client's case of `stored_id`."""
    earlier = make_placement(2, seed=99, placement_ref="EARLIER-1")
    earlier["cases"][0]["account_ref"] = account
    earlier["cases"][1]["debtor"]["id_number"] = stored_id
    earlier["cases"][1]["debtor"].pop("gender", None)
    r = await svc.client.post("/v1/placements", json=earlier, headers=auth("client", client_id))
    assert r.status_code == 202 and r.json()["accepted"] == 2, r.text


async def _import(svc, auth, helpers, client_id: str, body: dict) -> tuple[dict, dict]:
    headers = auth("client", client_id)
    r = await svc.client.post("/v1/placements", content=orjson.dumps(body, default=str).replace(
        b'"19.5"', b"19.5"), headers={**headers, "content-type": "application/json"})
    assert r.status_code == 202, r.text
    answer = r.json()
    cases = (await svc.client.get(f"/v1/placements/{body['placement_ref']}/cases", headers=headers)).json()["items"]
    events = await _events(helpers, svc, [c["case_id"] for c in cases])
    return answer, _comparable(answer, cases, events)


async def test_the_workers_import_exactly_what_the_service_imports(intake, parallel, auth, helpers):
    rnd = uuid.uuid4().int
    stored_id = make_id_number("320102", date(1975, 1, 2), rnd % 997, "F")
    twin = make_id_number("410105", date(1980, 5, 6), rnd % 991, "M")
    results = []
    for svc in (intake, parallel):
        client_id = f"bank-par-{uuid.uuid4().hex[:8]}"
        account = f"OPEN{uuid.uuid4().hex[:10]}"
        await _setup_client(svc, auth, client_id, stored_id, account)
        body = _tricky_body("BIG-1", stored_id, twin, account)
        results.append(await _import(svc, auth, helpers, client_id, body))
    (a_here, here), (a_workers, workers) = results
    assert here == workers
    assert a_here["rejected"] == 5 + 3 and a_here["accepted"] == 45 - 8
    reasons = {e["row"]: e["reason"] for e in a_workers["errors"]}
    assert reasons[38].startswith("duplicate account_ref in this placement (first at row 3)")
    assert reasons[41].startswith("duplicate account_ref in this placement (first at row 12)")
    assert reasons[27] == "account already placed in placement EARLIER-1 and still open"
    # the debtor of rows 1, 20, 44: each event lists the other two (the first one rewritten after
    # the later pieces were imported), and the debtor of row 30 its stored case
    assert here["events"][1]["joint_case_ids"] == [20, 44] and here["events"][44]["joint_case_ids"] == [1, 20]
    assert here["events"][30]["joint_case_ids"] == ["stored"]


async def test_a_placement_s_events_are_handed_to_the_relay_after_the_commit(parallel, auth, helpers, client_id):
    """The import hands its committed events to the relay, which publishes them from memory in one
    go (the relay's own batches here are 20 rows): the same events, in the table's order."""
    body = make_placement(90, seed=31)
    r = await parallel.client.post("/v1/placements", json=body, headers=auth("client", client_id))
    assert r.status_code == 202 and r.json()["accepted"] == 90, r.text
    cases = (await parallel.client.get(f"/v1/placements/{body['placement_ref']}/cases?limit=200",
                                       headers=auth("client", client_id))).json()["items"]
    events = await helpers.outbox_events(parallel, case_ids=[c["case_id"] for c in cases], topic="case.received")
    assert sorted(e["case_id"] for e in events) == sorted(c["case_id"] for c in cases)
    async with parallel.pool.acquire() as conn:
        published = await conn.fetch(
            """SELECT b.events FROM outbox_batches b JOIN placements p
                 ON b.last_id > p.outbox_after AND b.first_id <= p.outbox_upto
               WHERE p.placement_ref = $1 AND p.client_id = $2""", body["placement_ref"], client_id)
    # one publication for (nearly) all: the relay's usual path would have taken 20 at a time
    assert sum(b["events"] for b in published) == 90 and max(b["events"] for b in published) > 20


async def test_a_split_placement_replays_and_refuses_a_changed_body(parallel, auth, client_id):
    body = make_placement(20, seed=5, bad_rows=2)
    raw = orjson.dumps(body)
    headers = {**auth("client", client_id), "content-type": "application/json"}
    first = await parallel.client.post("/v1/placements", content=raw, headers=headers)
    assert first.status_code == 202 and first.headers["idempotent-replayed"] == "false", first.text
    pretty = orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS)
    again = await parallel.client.post("/v1/placements", content=pretty, headers=headers)
    assert again.status_code == 202 and again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    changed = copy.deepcopy(body)
    changed["cases"][7]["fees"] = "1.00"
    r = await parallel.client.post("/v1/placements", content=orjson.dumps(changed), headers=headers)
    assert r.status_code == 409


@pytest.mark.parametrize("raw, status", [
    (b'{"placement_ref": "X-1", "product": "credit_card", "placed_on": "2026-13-01", "cases": [{}]}', 422),
    (b'{"placement_ref": "X-2", "product": "credit_card", "placed_on": "2026-01-01", "cases": [{"a": 1}, ', 400),
    (b'{"placement_ref": "X-3", "product": "credit_card", "placed_on": "2026-01-01", "cases": []}', 422),
])
async def test_problems_are_the_same_through_the_workers(intake, parallel, auth, client_id, raw, status):
    headers = {**auth("client", client_id), "content-type": "application/json"}
    answers = [await svc.client.post("/v1/placements", content=raw, headers=headers) for svc in (intake, parallel)]
    assert [a.status_code for a in answers] == [status, status]
    assert answers[0].json() == answers[1].json()


async def test_too_many_cases_is_413_through_the_workers(stack, intake_dsn, intake_log_file, auth, client_id):
    async with running_service(stack, "intake", database_url=intake_dsn, log_file=str(intake_log_file),

                               placement_workers=1, parallel_min_bytes=1, split_segment_bytes=500,
                               max_cases_per_placement=10) as svc:
        r = await svc.client.post("/v1/placements", content=orjson.dumps(make_placement(11, seed=2)),
                                  headers={**auth("client", client_id), "content-type": "application/json"})
        assert r.status_code == 413 and "11 cases" in r.json()["detail"]


async def test_a_worker_that_died_is_replaced(parallel, auth, client_id):
    workers = parallel.app.state.ctx.workers
    victim = next(iter(workers._executors[0]._processes))
    os.kill(victim, signal.SIGKILL)
    headers = auth("client", client_id)
    outcomes = []
    for n in range(2):  # the placement in flight when a worker dies may fail; the next one works
        r = await parallel.client.post("/v1/placements", json=make_placement(12, seed=40 + n), headers=headers)
        outcomes.append(r.status_code)
    # the one in flight: a 503 the client may retry (nothing stored), never a 500
    assert outcomes[0] in (202, 503) and outcomes[-1] == 202
    assert victim not in workers._executors[0]._processes


async def test_a_cut_between_two_phones_falls_back_to_the_whole_body(intake, parallel, auth, intake_log_file):
    """Phones whose first key is account_ref (an unknown field: a row error) give cut candidates
    inside cases; the workers refuse such a piece and the body is decoded whole: same answer."""
    body = make_placement(30, seed=21)
    for c in body["cases"]:
        c["phones"].insert(1, {"account_ref": "x", "number": "13800138000", "kind": "mobile"})
    for c in body["cases"][::3]:
        c["phones"].pop(1)
    answers = []
    for svc in (intake, parallel):
        client_id = f"bank-cut-{uuid.uuid4().hex[:8]}"
        r = await svc.client.post("/v1/placements", content=orjson.dumps(body),
                                  headers={**auth("client", client_id), "content-type": "application/json"})
        assert r.status_code == 202, r.text
        answers.append(r.json())
    for a in answers:
        del a["placement_id"]
    assert answers[0] == answers[1]
    assert "decoded whole instead of in pieces" in intake_log_file.read_text()
    assert answers[1]["accepted"] == 10 and {e["field"].split(".", 1)[1] for e in answers[1]["errors"]} == \
        {"phones[1].account_ref"}


async def test_an_upload_through_the_workers(parallel, auth, client_id):
    from .test_api_uploads import TEMPLATE_COLUMNS, _csv, _form, _rows

    name = f"cards-{uuid.uuid4().hex[:6]}"
    r = await parallel.client.post(f"/v1/import-templates/{client_id}", headers=auth("data_specialist"),
                                   json={"name": name, "definition": {"columns": TEMPLATE_COLUMNS}})
    assert r.status_code == 201, r.text
    rows = _rows(make_placement(25, seed=8))
    rows[3][1] = rows[3][1][:17] + ("1" if rows[3][1][17] != "1" else "2")   # bad checksum: file row 5
    rows[20][2] = rows[2][2]                                                   # duplicate account: row 22
    ref = f"UP-{uuid.uuid4().hex[:8]}"
    headers = auth("client", client_id)
    r = await parallel.client.post("/v1/placements/upload", headers=headers, data=_form(ref, name),
                                   files={"file": ("委案.csv", _csv(rows), "text/csv")})
    assert r.status_code == 202, r.text
    a = r.json()
    assert (a["received"], a["accepted"], a["rejected"]) == (25, 23, 2)
    assert [(e["row"], e["field"]) for e in a["errors"]] == [(5, "身份证号"), (22, "卡号")]
    assert "first at row 4" in a["errors"][1]["reason"]
    cases = (await parallel.client.get(f"/v1/placements/{ref}/cases", headers=headers)).json()["items"]
    assert [c["row"] for c in cases] == [n for n in range(2, 27) if n not in (5, 22)]
