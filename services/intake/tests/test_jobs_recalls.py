"""Recalls on their date (R-5, R-13, issue 15) on the real stack: the job recalls every still-open
case of a placement whose recall day has come — once, with replicas racing — emits case.updated
(recall) for each and shows its run in the placement's status; the client extends a recall date
before it comes; a non-working recall day is handled per client. On a database of its own: the job
recalls whatever is due, and the other tests' placements are none of its business."""

from __future__ import annotations

import asyncio
import dataclasses
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio

from recoup_intake.jobs import placement_recalls
from recoup_shared.bus.events import CaseUpdated
from recoup_shared.clock import BusinessClock


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def recall_intake(stack, intake_log_file):
    from recoup_local.inprocess import running_service

    dsn = await stack.new_database(package="recoup_intake")
    async with running_service(stack, "intake", database_url=dsn, log_file=str(intake_log_file),
                               recall_job=False) as svc:
        yield svc


def _ctx(svc, *, clock: str | None = None, **settings: Any):
    """The service's Ctx, with another business clock or settings (as another replica would run)."""
    ctx = svc.app.state.ctx
    changes: dict[str, Any] = {}
    if clock:
        changes["clock"] = BusinessClock(ctx.settings.timezone, spec=clock)
    if settings:
        changes["settings"] = ctx.settings.model_copy(update=settings)
    return dataclasses.replace(ctx, **changes)


async def _place(svc, headers, placement, *, placed_on: date, recall_on: date, n: int = 6) -> tuple[dict, list[str]]:
    body = placement(n, placed_on=placed_on)
    body["recall_on"] = recall_on.isoformat()
    r = await svc.client.post("/v1/placements", json=body, headers=headers)
    assert r.status_code == 202 and r.json()["accepted"] == n, r.text
    items = (await svc.client.get(f"/v1/placements/{body['placement_ref']}/cases", headers=headers)).json()["items"]
    return body, [i["case_id"] for i in items]


async def _statuses(svc, case_ids: list[str]) -> dict[str, str]:
    async with svc.pool.acquire() as conn:
        rows = await conn.fetch("SELECT id::text AS id, status FROM cases WHERE id = ANY($1::uuid[])", case_ids)
    return {r["id"]: r["status"] for r in rows}


async def test_a_placement_ends_every_open_case_recalled_once_with_replicas_racing(
        recall_intake, as_client, placement, helpers):
    svc = recall_intake
    today = svc.app.state.ctx.clock.today()
    body, cases = await _place(svc, as_client, placement, placed_on=today - timedelta(days=120),
                               recall_on=today - timedelta(days=1))
    later, later_cases = await _place(svc, as_client, placement, placed_on=today - timedelta(days=10),
                                      recall_on=today + timedelta(days=30), n=2)
    # before the date: one case recalled by the client, one closed by repayment
    accounts = [c["account_ref"] for c in body["cases"]]
    await svc.client.post("/v1/recalls", headers=as_client, json={"account_refs": [accounts[0]]})
    await svc.client.post("/v1/repayments", headers=as_client, json={"repayments": [
        {"account_ref": accounts[1], "amount": body["cases"][1]["placed_amount"], "txn_ref": f"T-{uuid.uuid4()}",
         "paid_at": (today - timedelta(days=2)).isoformat()}]})

    # three replicas' jobs at once (each its own connections)
    await asyncio.gather(*(placement_recalls(_ctx(svc)) for _ in range(3)))
    await placement_recalls(_ctx(svc))  # and a later run: nothing left to do

    statuses = await _statuses(svc, cases)
    assert sorted(statuses.values()) == ["closed"] + ["recalled"] * 5
    assert set((await _statuses(svc, later_cases)).values()) == {"open"}        # not due
    events = await helpers.outbox_events(svc, case_ids=cases, topic="case.updated")
    recalls = [(e["case_id"], e["payload"]) for e in events if e["payload"]["change"] == "recall"]
    per_case = Counter(case_id for case_id, _ in recalls)
    assert set(per_case.values()) == {1} and len(per_case) == 5               # the client's + 4 on the date
    on_date = [CaseUpdated.model_validate(p) for _, p in recalls if p.get("reason") == "recall date reached (R-5)"]
    assert len(on_date) == 4 and {u.effective_on for u in on_date} == {today - timedelta(days=1)}
    assert all(u.status == "recalled" and u.outstanding is not None for u in on_date)

    status = (await svc.client.get(f"/v1/placements/{body['placement_ref']}", headers=as_client)).json()
    assert status["recall"]["recalled_cases"] == 4 and status["recall"]["recalled_at"]
    assert status["counts"]["cases"] == {"open": 0, "recalled": 5, "closed": 1}
    # the date has passed: no extension any more
    r = await svc.client.post(f"/v1/placements/{body['placement_ref']}/recall-date", headers=as_client,
                              json={"recall_on": (today + timedelta(days=30)).isoformat()})
    assert r.status_code == 409 and r.headers["content-type"].startswith("application/problem+json")


async def test_the_client_extends_a_recall_date_before_it_comes(recall_intake, as_client, auth, placement, client_id):
    svc = recall_intake
    today = svc.app.state.ctx.clock.today()
    body, cases = await _place(svc, as_client, placement, placed_on=today - timedelta(days=80),
                               recall_on=today + timedelta(days=2), n=2)
    url = f"/v1/placements/{body['placement_ref']}/recall-date"
    new = today + timedelta(days=33)
    r = await svc.client.post(url, headers=as_client, json={"recall_on": new.isoformat(), "reason": "延期一个月"})
    assert r.status_code == 200, r.text
    assert (r.json()["previous_recall_on"], r.json()["recall_on"]) == ((today + timedelta(days=2)).isoformat(),
                                                                      new.isoformat())
    for bad in (new, today + timedelta(days=3)):                          # not later: 422
        r = await svc.client.post(url, headers=as_client, json={"recall_on": bad.isoformat()})
        assert r.status_code == 422, r.text
    for who, expected in ((auth("client", "another-bank"), 404), (auth("admin"), 403)):
        assert (await svc.client.post(url, headers=who, json={"recall_on": "2099-01-01"})).status_code == expected
    # the old date comes: nothing is recalled (it was extended)
    await placement_recalls(_ctx(svc, clock=f"fixed:{(today + timedelta(days=3)).isoformat()}T09:00:00+08:00"))
    assert set((await _statuses(svc, cases)).values()) == {"open"}
    status = (await svc.client.get(f"/v1/placements/{body['placement_ref']}", headers=as_client)).json()
    assert status["recall_on"] == new.isoformat() and status["recall"]["recalled_at"] is None
    assert [(x["previous_recall_on"], x["recall_on"], x["reason"]) for x in status["recall"]["extensions"]] == [
        ((today + timedelta(days=2)).isoformat(), new.isoformat(), "延期一个月")]
    # the new date comes
    await placement_recalls(_ctx(svc, clock=f"fixed:{new.isoformat()}T00:05:00+08:00"))
    assert set((await _statuses(svc, cases)).values()) == {"recalled"}


async def test_an_extension_is_announced_to_every_case_of_the_placement(recall_intake, as_client, placement,
                                                                         helpers):
    """case.updated change=recall_extended with the new recall_on, one per case of the placement
    (a case recalled before keeps its status), written in one statement: the same envelope as the
    ordinary builder's, each with its own event id."""
    import orjson

    from recoup_shared.bus.envelope import dumps, new_envelope

    svc = recall_intake
    today = svc.app.state.ctx.clock.today()
    body, cases = await _place(svc, as_client, placement, placed_on=today - timedelta(days=80),
                               recall_on=today + timedelta(days=5), n=3)
    await svc.client.post("/v1/recalls", headers=as_client, json={"account_refs": [body["cases"][0]["account_ref"]]})
    new = today + timedelta(days=40)
    r = await svc.client.post(f"/v1/placements/{body['placement_ref']}/recall-date", headers=as_client,
                              json={"recall_on": new.isoformat(), "reason": "延期 50% 的案件"})
    assert r.status_code == 200, r.text
    events = await helpers.outbox_events(svc, case_ids=cases, topic="case.updated")
    received = await helpers.outbox_events(svc, case_ids=cases[:1], topic="case.received")
    extended = [e for e in events if e["payload"]["change"] == "recall_extended"]
    assert sorted(e["case_id"] for e in extended) == sorted(cases)
    assert len({e["event_id"] for e in extended}) == 3
    statuses = await _statuses(svc, cases)
    for e in extended:
        u = CaseUpdated.model_validate(e["payload"])
        assert (u.recall_on, u.status, u.reason) == (new, statuses[e["case_id"]], "延期 50% 的案件")
        assert u.placement_id == received[0]["payload"]["placement_id"] == e["correlation_id"]
        same = new_envelope(event_type="case.updated", producer="intake", client_id=e["client_id"],
                            case_id=e["case_id"], correlation_id=e["correlation_id"],
                            occurred_at=datetime.fromisoformat(e["occurred_at"]), event_id=uuid.UUID(e["event_id"]),
                            payload={"change": "recall_extended", "status": u.status, "recall_on": new,
                                     "placement_id": u.placement_id, "reason": u.reason})
        assert orjson.loads(dumps(same)) == e
    assert sorted(statuses.values()) == ["open", "open", "recalled"]


@pytest.mark.parametrize("rule, recalled_on", [("on_day", "2026-11-21"), ("next_working_day", "2026-11-23")])
async def test_a_recall_day_that_is_not_a_working_day_follows_the_clients_contract(
        recall_intake, as_client, placement, client_id, rule, recalled_on):
    """2026-11-21 is a Saturday: recalled that day, or on Monday 2026-11-23, as configured per client."""
    svc = recall_intake
    body, cases = await _place(svc, as_client, placement, placed_on=date(2026, 8, 21), recall_on=date(2026, 11, 21),
                               n=2)
    per_client = {"recall_non_working_day_by_client": {client_id: rule}}
    for day in ("2026-11-21", "2026-11-22", "2026-11-23"):
        await placement_recalls(_ctx(svc, clock=f"fixed:{day}T08:00:00+08:00", **per_client))
        expected = "recalled" if day >= recalled_on else "open"
        assert set((await _statuses(svc, cases)).values()) == {expected}, day
