"""The service as a whole: starts, migrates, health/readiness/metrics, consumes its topic, answers
its routes with problem+json errors."""

import uuid

from recoup_local.factories import publish, received, wait_until


async def test_health_readiness_and_metrics(service):
    assert (await service.client.get("/healthz")).json() == {"status": "ok"}
    ready = await service.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {
        "database": "ok", "broker": "ok", "consumer": "ok"}
    metrics = (await service.client.get("/metrics")).text
    assert "recoup_http_request_duration_seconds" in metrics and "recoup_job_runs_total" in metrics


async def test_consumes_case_received_from_the_broker(stack, service):
    case_id = str(uuid.uuid4())
    await publish(stack.bootstrap, [received(case_id, amount="321.00")])
    auth = service.auth("team_lead", sub="lead-1")

    async def seen():
        r = await service.client.get(f"/v1/cases/{case_id}", headers=auth)
        return r.json() if r.status_code == 200 else None

    case = await wait_until(seen, timeout=60)
    assert case["placed_amount"] == "321.00" and case["client_id"] == "zhbank"


async def test_auth_paging_and_problem_json(service):
    r = await service.client.get("/v1/cases/nope")
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
    r = await service.client.get("/v1/cases/nope", headers=service.auth("client", client_id="zhbank"))
    assert r.status_code == 403
    r = await service.client.get("/v1/cases/nope", headers=service.auth("collector", sub="c-1"))
    assert r.status_code == 404 and r.json()["type"].endswith("/case-not-found")
    r = await service.client.get("/v1/cases", params={"cursor": "garbage!"}, headers=service.auth("admin"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cursor"
    r = await service.client.get("/v1/cases", params={"limit": 0}, headers=service.auth("admin"))
    assert r.status_code == 422
