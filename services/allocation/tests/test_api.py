"""The allocation service as a whole, through HTTP on a running service: every route needs a
token, roles are checked (R-45), the OpenAPI documents the problem answers, health and metrics are
open; the R-8 SLA report. Staff, plans and cases: test_api_staff / _allocations / _cases; who
reaches which object: test_api_scope."""

from __future__ import annotations

from datetime import date, timedelta

import pytest


# --- authentication and roles ---------------------------------------------------------------------
@pytest.mark.parametrize("method,path", [
    ("get", "/v1/teams"), ("post", "/v1/allocations/preview"), ("get", "/v1/cases/x"),
    ("get", "/v1/collectors/x/cases"), ("put", "/v1/client-rules/x"), ("get", "/v1/reports/sla"),
])
async def test_every_route_needs_a_token(svc, method, path, problem):
    r = await getattr(svc.client, method)(path)
    problem(r, 401, "unauthorized")
    assert r.headers["www-authenticate"] == "Bearer"
    r = await svc.client.get("/v1/teams", headers={"authorization": "Bearer not-a-jwt"})
    problem(r, 401)


async def test_client_systems_and_wrong_roles_are_forbidden(svc, world, problem):
    w = await world().build()
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


async def test_sla_report(svc, world, problem):
    w = await world(n_collectors=1, n_cases=3).build()
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
