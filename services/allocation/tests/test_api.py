"""Every route of the allocation staff API through HTTP on a running service (real pool, real
broker, auto-allocation off so the tests decide who allocates): role and object checks, the
problem+json answers (401/403/404/409/422), preview/commit, manual, rotation, lifecycle, queries."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
import pytest_asyncio

from recoup_local.allocation_seeds import seed_cases
from recoup_local.factories import read_topic
from recoup_local.inprocess import running_service

PROBLEM = "application/problem+json"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def svc(stack):
    dsn = await stack.new_database(package="recoup_allocation")
    async with running_service(stack, "allocation", database_url=dsn, auto_allocate_enabled=False,
                               rotation_enabled=False, pause_on_flags=["dispute"]) as s:
        yield s


def tag() -> str:
    return uuid.uuid4().hex[:6]


def problem(r, status: int, type_: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert body["status"] == status and body["title"] and body["type"].startswith("https://")
    if type_:
        assert body["type"].endswith("/" + type_), body["type"]
    return body


class World:
    """One team with collectors, a client with rules, and unassigned cases — unique per test."""

    def __init__(self, svc, n_collectors=3, n_cases=12, **collector_fields):
        self.svc, self.t = svc, tag()
        self.team, self.client = f"team-{self.t}", f"bank-{self.t}"
        self.lead = f"lead-{self.t}"
        self.collectors = [f"c{i}-{self.t}" for i in range(n_collectors)]
        self.n_cases, self.collector_fields = n_cases, collector_fields
        self.admin = svc.auth("admin", sub="admin-1")
        self.lead_h = svc.auth("team_lead", sub=self.lead, team_id=self.team)
        self.cases: list[str] = []

    def as_collector(self, i: int = 0):
        return self.svc.auth("collector", sub=self.collectors[i])

    async def build(self) -> "World":
        c = self.svc.client
        r = await c.post("/v1/teams", headers=self.admin, json={"team_id": self.team, "name": "催收一组",
                                                                "lead_id": self.lead})
        assert r.status_code == 201, r.text
        for cid in self.collectors:
            r = await c.post("/v1/collectors", headers=self.admin, json={
                "collector_id": cid, "name": "王芳", "team_id": self.team, **self.collector_fields})
            assert r.status_code == 201, r.text
        r = await c.put(f"/v1/client-rules/{self.client}", headers=self.admin,
                        json={"default_strategy": "by_count", "auto_allocate": False})
        assert r.status_code == 201, r.text
        async with self.svc.pool.acquire() as conn:
            self.cases = await seed_cases(conn, n=self.n_cases, client_id=self.client, prefix=self.t)
        return self

    async def allocate(self, strategy="by_count") -> dict:
        r = await self.svc.client.post("/v1/allocations/preview", headers=self.admin,
                                       json={"client_id": self.client, "strategy": strategy,
                                             "team_ids": [self.team]})
        assert r.status_code == 201, r.text
        r = await self.svc.client.post(f"/v1/allocations/{r.json()['plan_id']}/commit", headers=self.admin)
        assert r.status_code == 200, r.text
        return r.json()


# --- authentication and roles ---------------------------------------------------------------------
@pytest.mark.parametrize("method,path", [
    ("get", "/v1/teams"), ("post", "/v1/allocations/preview"), ("get", "/v1/cases/x"),
    ("get", "/v1/collectors/x/cases"), ("put", "/v1/client-rules/x"), ("get", "/v1/reports/sla"),
])
async def test_every_route_needs_a_token(svc, method, path):
    r = await getattr(svc.client, method)(path)
    problem(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    r = await svc.client.get("/v1/teams", headers={"authorization": "Bearer not-a-jwt"})
    problem(r, 401)


async def test_client_systems_and_wrong_roles_are_forbidden(svc):
    w = await World(svc).build()
    client = svc.auth("client", client_id=w.client)
    problem(await svc.client.get(f"/v1/cases/{w.cases[0]}", headers=client), 403, "forbidden")
    problem(await svc.client.post("/v1/allocations/preview", json={}, headers=w.as_collector()), 403)
    problem(await svc.client.get(f"/v1/cases/{w.cases[0]}", headers=svc.auth("field_agent")), 403)
    problem(await svc.client.post("/v1/teams", json={"team_id": "x", "name": "x"}, headers=w.lead_h), 403)
    problem(await svc.client.put("/v1/client-rules/x", json={}, headers=w.lead_h), 403)


async def test_openapi_documents_the_problems(svc):
    spec = (await svc.client.get("/openapi.json")).json()
    commit = spec["paths"]["/v1/allocations/{plan_id}/commit"]["post"]["responses"]
    assert {"200", "401", "403", "404", "409", "422"} <= set(commit)
    assert "application/problem+json" in commit["409"]["content"]


async def test_health_and_metrics_are_open(svc):
    assert (await svc.client.get("/healthz")).status_code == 200
    assert (await svc.client.get("/readyz")).status_code == 200
    assert "recoup_allocation_sla_seconds" in (await svc.client.get("/metrics")).text


# --- teams, collectors, client rules -------------------------------------------------------------
async def test_teams_crud(svc):
    w = await World(svc, n_collectors=0, n_cases=0).build()
    c = svc.client
    problem(await c.post("/v1/teams", headers=w.admin, json={"team_id": w.team, "name": "again"}),
            409, "team-exists")
    body = problem(await c.post("/v1/teams", headers=w.admin, json={"team_id": "bad id!", "name": ""}), 422)
    assert {e["field"] for e in body["errors"]} == {"team_id", "name"}
    assert any(t["team_id"] == w.team for t in (await c.get("/v1/teams", headers=w.lead_h)).json())
    assert (await c.get(f"/v1/teams/{w.team}", headers=w.admin)).json()["lead_id"] == w.lead
    problem(await c.get("/v1/teams/nope", headers=w.admin), 404, "not-found")
    r = await c.patch(f"/v1/teams/{w.team}", headers=svc.auth("supervisor"), json={"name": "催收二组"})
    assert r.status_code == 200 and r.json()["name"] == "催收二组"
    problem(await c.patch(f"/v1/teams/{w.team}", headers=w.admin, json={"name": None}), 422)
    problem(await c.patch("/v1/teams/nope", headers=w.admin, json={"active": False}), 404)
    problem(await c.patch(f"/v1/teams/{w.team}", headers=w.admin, json={"colour": "red"}), 422)


async def test_collectors_crud_and_team_lead_scope(svc):
    w = await World(svc, n_collectors=1, n_cases=0).build()
    other = await World(svc, n_collectors=1, n_cases=0).build()
    c = svc.client
    r = await c.post("/v1/collectors", headers=w.lead_h, json={
        "collector_id": f"new-{w.t}", "name": "李娜", "team_id": w.team, "dpd_buckets": ["M1", "M2"],
        "max_open_cases": 300, "max_open_amount": "5000000.00", "capacity_weight": "1.5"})
    assert r.status_code == 201, r.text
    assert r.json()["max_open_amount"] == "5000000.00" and r.json()["dpd_buckets"] == ["M1", "M2"]
    problem(await c.post("/v1/collectors", headers=w.lead_h, json={
        "collector_id": f"x-{w.t}", "name": "x", "team_id": other.team}), 403)
    problem(await c.post("/v1/collectors", headers=w.lead_h, json={
        "collector_id": f"x-{w.t}", "name": "x", "team_id": w.team, "role": "team_lead"}), 403)
    problem(await c.post("/v1/collectors", headers=w.admin, json={
        "collector_id": f"new-{w.t}", "name": "dup", "team_id": w.team}), 409, "collector-exists")
    body = problem(await c.post("/v1/collectors", headers=w.admin, json={
        "collector_id": f"y-{w.t}", "name": "y", "team_id": "no-such-team"}), 422)
    assert body["errors"][0]["field"] == "team_id"
    problem(await c.post("/v1/collectors", headers=w.admin, json={
        "collector_id": f"z-{w.t}", "name": "z", "max_open_amount": "1.234"}), 422)
    problem(await c.post("/v1/collectors", headers=w.as_collector(), json={
        "collector_id": f"z-{w.t}", "name": "z"}), 403)
    # lists: a team lead sees their own team only
    ids = [x["collector_id"] for x in (await c.get("/v1/collectors", headers=w.lead_h)).json()]
    assert sorted(ids) == sorted([w.collectors[0], f"new-{w.t}"])
    problem(await c.get("/v1/collectors", params={"team_id": other.team}, headers=w.lead_h), 403)
    # one collector: themselves, their lead, managers
    assert (await c.get(f"/v1/collectors/{w.collectors[0]}", headers=w.as_collector())).status_code == 200
    problem(await c.get(f"/v1/collectors/{other.collectors[0]}", headers=w.as_collector()), 403)
    problem(await c.get(f"/v1/collectors/{other.collectors[0]}", headers=w.lead_h), 403)
    problem(await c.get("/v1/collectors/nobody", headers=w.admin), 404)
    # changes
    r = await c.patch(f"/v1/collectors/new-{w.t}", headers=w.lead_h, json={"max_open_cases": None, "active": False})
    assert r.status_code == 200 and r.json()["max_open_cases"] is None and r.json()["active"] is False
    problem(await c.patch(f"/v1/collectors/new-{w.t}", headers=w.lead_h, json={"team_id": other.team}), 403)
    problem(await c.patch(f"/v1/collectors/{other.collectors[0]}", headers=w.lead_h, json={"name": "x"}), 403)
    problem(await c.patch(f"/v1/collectors/new-{w.t}", headers=w.admin, json={"name": None}), 422)
    problem(await c.patch("/v1/collectors/nobody", headers=w.admin, json={"name": "x"}), 404)
    r = await c.patch(f"/v1/collectors/new-{w.t}", headers=w.admin, json={"team_id": other.team})
    assert r.json()["team_id"] == other.team


async def test_client_rules(svc):
    w = await World(svc, n_collectors=0, n_cases=0).build()
    c = svc.client
    body = {"dedicated_team_ids": [w.team], "excluded_collector_ids": ["c9"],
            "default_strategy": "capacity_weighted", "auto_allocate": True,
            "team_products": {w.team: ["credit_card"]}, "team_dpd_buckets": {w.team: ["M3", "M4"]}}
    r = await c.put(f"/v1/client-rules/{w.client}", headers=w.admin, json=body)
    assert r.status_code == 200 and r.json()["default_strategy"] == "capacity_weighted"
    assert r.json()["team_dpd_buckets"] == {w.team: ["M3", "M4"]} and r.json()["updated_by"] == "admin-1"
    assert (await c.put(f"/v1/client-rules/new-{w.t}", headers=w.admin, json={})).status_code == 201
    problem(await c.put(f"/v1/client-rules/{w.client}", headers=w.admin,
                        json={"dedicated_team_ids": ["ghost"]}), 422)
    problem(await c.put(f"/v1/client-rules/{w.client}", headers=w.admin,
                        json={"default_strategy": "manual"}), 422)
    problem(await c.put(f"/v1/client-rules/{w.client}", headers=w.admin,
                        json={"default_strategy": "random"}), 422)
    assert (await c.get(f"/v1/client-rules/{w.client}", headers=w.lead_h)).json()["excluded_collector_ids"] == ["c9"]
    problem(await c.get("/v1/client-rules/unknown-bank", headers=w.admin), 404)
    assert any(x["client_id"] == w.client for x in (await c.get("/v1/client-rules", headers=w.admin)).json())


# --- preview and commit (R-10) ----------------------------------------------------------------------
async def test_preview_shows_balance_and_commit_allocates(svc):
    w = await World(svc, n_collectors=4, n_cases=40).build()
    c = svc.client
    r = await c.post("/v1/allocations/preview", headers=w.lead_h,
                     json={"filter": {"client_id": w.client, "amount_min": "0.00"}, "strategy": "comprehensive"})
    assert r.status_code == 201, r.text
    plan = r.json()
    assert r.headers["location"] == f"/v1/allocations/{plan['plan_id']}"
    assert (plan["status"], plan["kind"], plan["strategy"]) == ("previewed", "allocation", "comprehensive")
    assert plan["cases_selected"] == plan["cases_planned"] == 40 and plan["cases_unassigned"] == 0
    assert [x["collector_id"] for x in plan["collectors"]] == sorted(w.collectors)
    assert sum(x["new_cases"] for x in plan["collectors"]) == 40
    for x in plan["collectors"]:
        assert x["name"] == "王芳" and x["open_cases_before"] == 0 and x["open_cases_after"] == x["new_cases"]
    bal = plan["balance"]
    assert bal["collectors"] == 4 and bal["mean_cases"] == "10.00"
    assert set(bal) == {"collectors", "mean_cases", "mean_amount", "max_dev_cases", "max_dev_cases_pct",
                        "max_dev_amount", "max_dev_amount_pct"}
    assert plan["filters"]["team_ids"] == [w.team]  # a team lead plans with their team
    assert (await c.get(f"/v1/allocations/{plan['plan_id']}", headers=w.admin)).json()["cases_planned"] == 40
    page = (await c.get(f"/v1/allocations/{plan['plan_id']}/items", params={"limit": 30}, headers=w.admin)).json()
    assert len(page["items"]) == 30 and page["next_cursor"]
    rest = (await c.get(f"/v1/allocations/{plan['plan_id']}/items",
                        params={"cursor": page["next_cursor"]}, headers=w.admin)).json()
    assert len(rest["items"]) == 10 and rest["next_cursor"] is None
    assert {i["case_id"] for i in page["items"] + rest["items"]} == set(w.cases)
    # nothing changed yet
    assert (await c.get(f"/v1/cases/{w.cases[0]}", headers=w.admin)).json()["status"] == "unassigned"
    r = await c.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=w.lead_h)
    assert r.status_code == 200, r.text
    assert (r.json()["committed"], r.json()["events"], r.json()["status"]) == (40, 40, "committed")
    problem(await c.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=w.lead_h), 409, "plan-not-previewed")
    problem(await c.post(f"/v1/allocations/{uuid.uuid4()}/commit", headers=w.admin), 404)
    problem(await c.post("/v1/allocations/not-a-uuid/commit", headers=w.admin), 422)
    problem(await c.get(f"/v1/allocations/{uuid.uuid4()}", headers=w.admin), 404)
    listed = (await c.get("/v1/allocations", params={"kind": "allocation", "status": "committed"},
                          headers=w.admin)).json()
    assert any(p["plan_id"] == plan["plan_id"] for p in listed)


async def test_preview_validation(svc):
    w = await World(svc, n_collectors=1, n_cases=0).build()
    c = svc.client
    problem(await c.post("/v1/allocations/preview", headers=w.admin, json={"strategy": "manual"}), 422)
    problem(await c.post("/v1/allocations/preview", headers=w.admin,
                         json={"amount_min": "10.00", "amount_max": "1.00"}), 422)
    problem(await c.post("/v1/allocations/preview", headers=w.admin,
                         json={"client_id": "x", "filter": {"client_id": "y"}}), 422)
    problem(await c.post("/v1/allocations/preview", headers=w.admin, json={"owner_ids": ["a"]}), 422)
    problem(await c.post("/v1/allocations/preview", headers=w.admin, content=b"{not json",
                         ), 422)
    problem(await c.post("/v1/allocations/preview", headers=w.lead_h, json={"team_ids": ["other"]}), 403)


async def test_commit_conflicts_when_a_case_changed(svc):
    w = await World(svc, n_collectors=2, n_cases=6).build()
    c = svc.client
    plan = (await c.post("/v1/allocations/preview", headers=w.admin,
                         json={"client_id": w.client, "team_ids": [w.team]})).json()
    assert plan["strategy"] == "by_count"  # the client's default strategy
    r = await c.post(f"/v1/cases/{w.cases[3]}/pause", headers=w.admin, json={"reason": "客户要求暂停"})
    assert r.status_code == 200
    body = problem(await c.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=w.admin), 409, "plan-stale")
    assert body["changed_cases"] == [{"case_id": w.cases[3], "status": "paused", "collector_id": None,
                                      "previewed_owner": None}]
    for case_id in w.cases:  # atomic: nobody got anything
        assert (await c.get(f"/v1/cases/{case_id}", headers=w.admin)).json()["collector_id"] is None


async def test_reassignment_moves_a_departing_collectors_cases(svc):
    w = await World(svc, n_collectors=3, n_cases=9).build()
    await w.allocate()
    c = svc.client
    leaving = w.collectors[0]
    await c.patch(f"/v1/collectors/{leaving}", headers=w.admin, json={"active": False})
    r = await c.post("/v1/allocations/preview", headers=w.admin, json={
        "status": "assigned", "owner_ids": [leaving], "strategy": "by_amount", "team_ids": [w.team]})
    plan = r.json()
    assert plan["cases_planned"] == 3 and leaving not in {x["collector_id"] for x in plan["collectors"]}
    out = (await c.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=w.admin)).json()
    assert out["committed"] == 3
    cases = (await c.get(f"/v1/collectors/{leaving}/cases", headers=w.admin)).json()
    assert cases["items"] == []


# --- manual (R-10) ----------------------------------------------------------------------------------
async def test_manual_assignment(svc):
    w = await World(svc, n_collectors=2, n_cases=4, max_open_cases=2).build()
    c = svc.client
    r = await c.post("/v1/allocations/manual", headers=w.lead_h,
                     json={"case_ids": [w.cases[0]], "collector_id": w.collectors[0], "note": "熟悉此客户"})
    assert r.status_code == 200, r.text
    assert (r.json()["committed"], r.json()["kind"], r.json()["strategy"]) == (1, "manual", "manual")
    body = problem(await c.post("/v1/allocations/manual", headers=w.lead_h, json={
        "case_ids": w.cases[1:4], "collector_id": w.collectors[0]}), 409, "manual-allocation-refused")
    assert body["unassigned"] == {"capacity_exhausted": 2}  # one more would have fitted
    r = await c.post("/v1/allocations/manual", headers=w.lead_h, json={
        "case_ids": w.cases[1:4], "collector_id": w.collectors[0], "force": True})
    assert r.status_code == 200 and r.json()["committed"] == 3 and r.json()["forced"] is True
    problem(await c.post("/v1/allocations/manual", headers=w.admin,
                         json={"case_ids": [w.cases[0]], "collector_id": "ghost"}), 404)
    problem(await c.post("/v1/allocations/manual", headers=w.admin, json={"collector_id": w.collectors[0]}), 422)
    other = await World(svc, n_collectors=1, n_cases=0).build()
    problem(await c.post("/v1/allocations/manual", headers=w.lead_h, json={
        "case_ids": [w.cases[0]], "collector_id": other.collectors[0]}), 403)
    # preview only, then commit through the common route
    r = await c.post("/v1/allocations/manual", headers=w.admin, json={
        "case_ids": [w.cases[0]], "collector_id": w.collectors[1], "preview": True})
    assert r.json()["status"] == "previewed" and r.json()["committed"] == 0
    r = await c.post(f"/v1/allocations/{r.json()['plan_id']}/commit", headers=w.admin)
    assert r.json()["committed"] == 1
    detail = (await c.get(f"/v1/cases/{w.cases[0]}", headers=w.admin)).json()
    assert detail["collector_id"] == w.collectors[1]
    assert [(h["collector_id"], h["reason"]) for h in detail["history"]] == \
        [(w.collectors[0], "manual"), (w.collectors[1], "manual")]


# --- cases: detail, owner on a date, lifecycle, worklists -------------------------------------------
async def test_case_detail_and_object_checks(svc):
    w = await World(svc, n_collectors=2, n_cases=4).build()
    await w.allocate()
    c = svc.client
    detail = (await c.get(f"/v1/cases/{w.cases[0]}", headers=w.admin)).json()
    owner = detail["collector_id"]
    i = w.collectors.index(owner)
    assert detail["status"] == "assigned" and detail["team_id"] == w.team
    assert detail["first_contact_due"] and detail["allocated_at"]
    [h] = detail["history"]
    assert (h["collector_id"], h["team_id"], h["to"], h["strategy"], h["reason"]) == \
        (owner, w.team, None, "by_count", "allocation") and h["from"]
    assert (await c.get(f"/v1/cases/{w.cases[0]}", headers=w.as_collector(i))).status_code == 200
    problem(await c.get(f"/v1/cases/{w.cases[0]}", headers=w.as_collector(1 - i)), 403)
    assert (await c.get(f"/v1/cases/{w.cases[0]}", headers=w.lead_h)).status_code == 200
    problem(await c.get(f"/v1/cases/{w.cases[0]}", headers=svc.auth("team_lead", sub="l2", team_id="other")), 403)
    assert (await c.get(f"/v1/cases/{w.cases[0]}", headers=svc.auth("finance"))).status_code == 200
    problem(await c.get("/v1/cases/no-such-case", headers=w.admin), 404)
    # owner on a date (billing)
    r = await c.get(f"/v1/cases/{w.cases[0]}/owner", headers=svc.auth("finance"),
                    params={"at": datetime.now(timezone.utc).isoformat()})
    assert r.json()["collector_id"] == owner and r.json()["from"] == h["from"]
    r = await c.get(f"/v1/cases/{w.cases[0]}/owner", headers=svc.auth("finance"),
                    params={"at": "2020-01-01T00:00:00+08:00"})
    assert r.json()["collector_id"] is None
    problem(await c.get(f"/v1/cases/{w.cases[0]}/owner", headers=w.admin, params={"at": "yesterday"}), 422)
    problem(await c.get(f"/v1/cases/{w.cases[0]}/owner", headers=w.admin, params={"at": "2026-01-01T00:00:00"}), 422)
    problem(await c.get("/v1/cases/nope/owner", headers=w.admin), 404)


async def test_pause_and_resume(svc):
    w = await World(svc, n_collectors=2, n_cases=2).build()
    await w.allocate()
    c = svc.client
    case_id = w.cases[0]
    owner = (await c.get(f"/v1/cases/{case_id}", headers=w.admin)).json()["collector_id"]
    problem(await c.post(f"/v1/cases/{case_id}/pause", headers=w.as_collector(), json={"reason": "x"}), 403)
    problem(await c.post(f"/v1/cases/{case_id}/pause", headers=w.lead_h, json={}), 422)
    problem(await c.post("/v1/cases/nope/pause", headers=w.lead_h, json={"reason": "x"}), 404)
    r = await c.post(f"/v1/cases/{case_id}/pause", headers=w.lead_h, json={"reason": "债务人住院"})
    assert r.status_code == 200, r.text
    d = r.json()
    assert (d["status"], d["collector_id"], d["pause_reason"], d["paused_by"]) == ("paused", None, "债务人住院", w.lead)
    assert d["history"][0]["to"] is not None and d["history"][0]["end_reason"] == "paused"
    problem(await c.post(f"/v1/cases/{case_id}/pause", headers=w.lead_h, json={"reason": "x"}), 409, "case-already-paused")
    # a paused case leaves the worklist and every allocation
    assert case_id not in {x["case_id"] for x in (await c.get(f"/v1/collectors/{owner}/cases", headers=w.admin)).json()["items"]}
    plan = (await c.post("/v1/allocations/preview", headers=w.admin, json={"case_ids": [case_id]})).json()
    assert plan["cases_selected"] == 0
    body = problem(await c.post("/v1/allocations/manual", headers=w.admin,
                                json={"case_ids": [case_id], "collector_id": owner}), 409)
    assert body["unassigned"] == {"case_not_allocatable": 1}
    r = await c.post(f"/v1/cases/{case_id}/resume", headers=w.lead_h, json={"reason": "已出院"})
    d = r.json()
    assert (d["status"], d["collector_id"]) == ("assigned", owner)  # back to the previous owner
    assert [h["reason"] for h in d["history"]] == ["allocation", "reassignment"]
    problem(await c.post(f"/v1/cases/{case_id}/resume", headers=w.lead_h, json={"reason": "x"}), 409, "case-not-paused")
    # resume to the pool
    await c.post(f"/v1/cases/{case_id}/pause", headers=w.admin, json={"reason": "x"})
    d = (await c.post(f"/v1/cases/{case_id}/resume", headers=w.admin,
                      json={"reason": "y", "return_to_previous_owner": False})).json()
    assert (d["status"], d["collector_id"]) == ("unassigned", None)


async def test_pause_and_resume_reach_the_broker(stack, svc):
    """R-13: staff pause/resume are announced — one case.paused (who, why, the owner released),
    one case.resumed (who, why, the owner restored) followed by the case.allocated giving it back."""
    w = await World(svc, n_collectors=2, n_cases=1).build()
    await w.allocate()
    c, case_id = svc.client, w.cases[0]
    owner = (await c.get(f"/v1/cases/{case_id}", headers=w.admin)).json()["collector_id"]
    assert (await c.post(f"/v1/cases/{case_id}/pause", headers=w.lead_h, json={"reason": "债务人住院"})).status_code == 200
    [paused] = await read_topic(stack.bootstrap, "case.paused", case_ids={case_id}, expect=1, timeout=60)
    assert (paused["producer"], paused["client_id"]) == ("allocation", w.client)
    assert {k: paused["payload"][k] for k in ("source", "paused_by", "reason", "released_collector_id",
                                              "released_team_id")} == \
        {"source": "staff", "paused_by": w.lead, "reason": "债务人住院", "released_collector_id": owner,
         "released_team_id": w.team}
    assert (await c.post(f"/v1/cases/{case_id}/resume", headers=w.lead_h, json={"reason": "已出院"})).status_code == 200
    [resumed] = await read_topic(stack.bootstrap, "case.resumed", case_ids={case_id}, expect=1, timeout=60)
    assert {k: resumed["payload"][k] for k in ("source", "resumed_by", "reason", "collector_id", "team_id")} == \
        {"source": "staff", "resumed_by": w.lead, "reason": "已出院", "collector_id": owner, "team_id": w.team}
    allocated = await read_topic(stack.bootstrap, "case.allocated", case_ids={case_id}, expect=2, timeout=60)
    assert [e["payload"]["reason"] for e in allocated] == ["allocation", "reassignment"]
    # back to the pool: case.resumed names no owner
    await c.post(f"/v1/cases/{case_id}/pause", headers=w.admin, json={"reason": "x"})
    await c.post(f"/v1/cases/{case_id}/resume", headers=w.admin, json={"reason": "y", "return_to_previous_owner": False})
    events = await read_topic(stack.bootstrap, "case.resumed", case_ids={case_id}, expect=2, timeout=60)
    assert [(e["payload"]["resumed_by"], e["payload"].get("collector_id")) for e in events] == \
        [(w.lead, owner), ("admin-1", None)]
    paused = await read_topic(stack.bootstrap, "case.paused", case_ids={case_id}, expect=2, timeout=60)
    assert paused[-1]["payload"]["released_collector_id"] == owner  # given back, then paused again


async def test_client_flag_pause_resumes_only_on_the_client(svc):
    w = await World(svc, n_collectors=1, n_cases=1).build()
    async with svc.pool.acquire() as conn:
        await conn.execute("UPDATE cases SET status='paused', pause_source='flag', flags='{dispute}' "
                           "WHERE case_id=$1", w.cases[0])
    problem(await svc.client.post(f"/v1/cases/{w.cases[0]}/resume", headers=w.admin, json={"reason": "x"}),
            409, "client-flag-active")


async def test_worklists_paging_and_team_load(svc):
    w = await World(svc, n_collectors=2, n_cases=30, max_open_cases=20, max_open_amount="2000000.00").build()
    await w.allocate()
    c = svc.client
    me = w.collectors[0]
    first = (await c.get(f"/v1/collectors/{me}/cases", headers=w.as_collector(), params={"limit": 10})).json()
    assert len(first["items"]) == 10 and first["next_cursor"]
    seen = [x["case_id"] for x in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = (await c.get(f"/v1/collectors/{me}/cases", headers=w.as_collector(),
                            params={"limit": 10, "cursor": cursor})).json()
        seen += [x["case_id"] for x in page["items"]]
        cursor = page["next_cursor"]
    assert len(seen) == len(set(seen)) == 15 and seen == sorted(seen)
    assert all(x["collector_id"] == me for x in first["items"])
    problem(await c.get(f"/v1/collectors/{w.collectors[1]}/cases", headers=w.as_collector()), 403)
    assert (await c.get(f"/v1/collectors/{me}/cases", headers=w.lead_h)).status_code == 200
    problem(await c.get(f"/v1/collectors/{me}/cases", headers=svc.auth("team_lead", sub="l9", team_id="zzz")), 403)
    problem(await c.get("/v1/collectors/ghost/cases", headers=w.admin), 404)
    problem(await c.get(f"/v1/collectors/{me}/cases", headers=w.admin, params={"cursor": "%%%"}), 422)
    problem(await c.get(f"/v1/collectors/{me}/cases", headers=w.admin, params={"status": "lost"}), 422)
    team = (await c.get(f"/v1/teams/{w.team}/cases", headers=w.lead_h, params={"limit": 500})).json()
    assert len(team["items"]) == 30
    only = (await c.get(f"/v1/teams/{w.team}/cases", headers=w.lead_h, params={"collector_id": me})).json()
    assert {x["collector_id"] for x in only["items"]} == {me}
    problem(await c.get(f"/v1/teams/{w.team}/cases", headers=svc.auth("team_lead", sub="l9", team_id="zzz")), 403)
    problem(await c.get("/v1/teams/ghost/cases", headers=w.admin), 404)
    load = (await c.get(f"/v1/teams/{w.team}/load", headers=w.lead_h)).json()
    assert load["open_cases"] == 30
    for x in load["collectors"]:
        assert x["open_cases"] == 15 and x["cases_used_pct"] == "75.00" and x["amount_used_pct"] is not None
    problem(await c.get(f"/v1/teams/{w.team}/load", headers=w.as_collector()), 403)
    problem(await c.get("/v1/teams/ghost/load", headers=w.admin), 404)
    # the pool listing
    pool_page = (await c.get("/v1/cases", params={"status": "assigned", "client_id": w.client}, headers=w.admin)).json()
    assert len(pool_page["items"]) == 30
    problem(await c.get("/v1/cases", params={"status": "assigned"}, headers=w.lead_h), 403)
    assert (await c.get("/v1/cases", params={"status": "unassigned"}, headers=w.lead_h)).status_code == 200


# --- rotation and reports --------------------------------------------------------------------
async def test_rotation_preview_and_commit(svc):
    w = await World(svc, n_collectors=3, n_cases=9).build()
    await w.allocate()
    c = svc.client
    before = {x: (await c.get(f"/v1/cases/{x}", headers=w.admin)).json()["collector_id"] for x in w.cases}
    month = date.today().strftime("%Y-%m")
    r = await c.post("/v1/rotations/preview", headers=w.lead_h, json={"month": month, "client_id": w.client})
    assert r.status_code == 201, r.text
    plan = r.json()
    assert (plan["kind"], plan["month"], plan["cases_planned"]) == ("rotation", date.today().replace(day=1).isoformat(), 9)
    r = await c.post(f"/v1/allocations/{plan['plan_id']}/commit", headers=w.lead_h)
    assert r.json()["committed"] == 9
    for x in w.cases:
        d = (await c.get(f"/v1/cases/{x}", headers=w.admin)).json()
        assert d["collector_id"] != before[x] and d["previous_collector_id"] == before[x]
        assert d["history"][-1]["reason"] == "rotation"
    problem(await c.post("/v1/rotations/preview", headers=w.admin, json={"month": "2026-13"}), 422)
    problem(await c.post("/v1/rotations/preview", headers=w.admin, json={}), 422)
    problem(await c.post("/v1/rotations/preview", headers=w.as_collector(), json={"month": month}), 403)
    assert (await c.get("/v1/rotations/runs", headers=w.admin)).status_code == 200


async def test_sla_report(svc):
    w = await World(svc, n_collectors=1, n_cases=3).build()
    await w.allocate()
    r = await svc.client.get("/v1/reports/sla", headers=w.lead_h, params={"client_id": w.client})
    assert r.status_code == 200
    [row] = r.json()["rows"]
    assert (row["received"], row["allocated"], row["pending"], row["breaches"]) == (3, 3, 0, 0)
    assert row["p50_seconds"] is not None and r.json()["sla_working_days"] == 1
    today = date.today()
    problem(await svc.client.get("/v1/reports/sla", headers=w.admin, params={
        "date_from": today.isoformat(), "date_to": (today - timedelta(days=1)).isoformat()}), 422)
    problem(await svc.client.get("/v1/reports/sla", headers=w.as_collector()), 403)
