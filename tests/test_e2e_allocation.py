"""End to end: a placement pushed to intake's client API ends with every accepted case allocated
and exactly one case.allocated per case on the broker; the same case.received events published
again, and the same placement pushed again, change nothing."""

from __future__ import annotations

import re
import uuid

from recoup_local.factories import publish, read_topic, wait_until
from recoup_local.demo import make_placement
from recoup_local.inprocess import running_services

N_CASES = 120


def _duplicates(metrics: str) -> float:
    m = re.search(r'recoup_events_duplicate_total\{service="allocation",topic="case.received"\} ([0-9.e+]+)', metrics)
    return float(m.group(1)) if m else 0.0


async def test_placement_is_allocated_once_per_case(stack):
    tag = uuid.uuid4().hex[:8]
    client_id = f"e2e-{tag}"
    alloc_dsn = await stack.new_database(package="recoup_allocation")
    async with running_services(
            stack, intake={},
            allocation=dict(database_url=alloc_dsn, auto_allocate_debounce_seconds=0.2,
                            auto_allocate_interval_seconds=2)) as (intake, alloc):
        admin = alloc.auth("admin", sub="admin-e2e")
        r = await alloc.client.post("/v1/teams", headers=admin, json={"team_id": f"t-{tag}", "name": "电催一组"})
        assert r.status_code == 201, r.text
        for i in range(6):
            r = await alloc.client.post("/v1/collectors", headers=admin, json={
                "collector_id": f"{tag}-c{i}", "name": f"催收员{i}", "team_id": f"t-{tag}"})
            assert r.status_code == 201, r.text
        r = await alloc.client.put(f"/v1/client-rules/{client_id}", headers=admin,
                                   json={"default_strategy": "comprehensive", "auto_allocate": True,
                                         "dedicated_team_ids": [f"t-{tag}"]})
        assert r.status_code == 201, r.text

        body = make_placement(N_CASES, seed=int(tag, 16) % 10_000, bad_rows=2)
        # one debtor with two cases (joint debt, R-11): the same person on another account
        body["cases"][1] = {**body["cases"][1], "debtor": body["cases"][0]["debtor"]}
        client = intake.auth("client", sub=f"{client_id}-system", client_id=client_id)
        r = await intake.client.post("/v1/placements", json=body, headers=client)
        assert r.status_code == 202, r.text
        accepted = r.json()["accepted"]
        assert accepted >= N_CASES - 2
        r = await intake.client.get(f"/v1/placements/{body['placement_ref']}/cases", headers=client)
        case_ids = {item["case_id"] for item in r.json()["items"]}
        assert len(case_ids) == accepted

        async def every_case_assigned():
            async with alloc.pool.acquire() as conn:
                n = await conn.fetchval("SELECT count(*) FROM cases WHERE case_id = ANY($1) AND status = 'assigned'",
                                        list(case_ids))
            return n == accepted
        await wait_until(every_case_assigned, timeout=90, what="every placed case allocated")

        events = await read_topic(stack.bootstrap, "case.allocated", case_ids=case_ids, expect=accepted,
                                  timeout=90, settle=2.0)
        assert sorted(e["case_id"] for e in events) == sorted(case_ids)  # exactly one per case
        for e in events:
            assert e["producer"] == "allocation" and e["client_id"] == client_id
            assert e["payload"]["collector_id"].startswith(tag) and e["payload"]["strategy"] == "comprehensive"
            assert e["payload"]["first_contact_due"] and e["payload"]["team_id"] == f"t-{tag}"
        owners = {e["case_id"]: e["payload"]["collector_id"] for e in events}
        detail = (await alloc.client.get(f"/v1/cases/{next(iter(case_ids))}", headers=admin)).json()
        assert detail["collector_id"] == owners[detail["case_id"]] and len(detail["history"]) == 1
        async with alloc.pool.acquire() as conn:
            split = await conn.fetchval(
                "SELECT count(*) FROM (SELECT joint_key FROM cases WHERE joint_key IS NOT NULL "
                "GROUP BY joint_key HAVING count(DISTINCT collector_id) > 1) x")
            assert split == 0
            snapshot = [tuple(r) for r in await conn.fetch(
                "SELECT case_id, status, collector_id, version, received_at FROM cases ORDER BY case_id")]
            history_rows = await conn.fetchval("SELECT count(*) FROM ownership")

        # The same case.received events again (at-least-once delivery): nothing changes.
        received = await read_topic(stack.bootstrap, "case.received", case_ids=case_ids, expect=accepted,
                                    timeout=60, settle=0.5)
        assert len(received) == accepted
        before = _duplicates((await alloc.client.get("/metrics")).text)
        await publish(stack.bootstrap, received)

        async def all_skipped():
            return _duplicates((await alloc.client.get("/metrics")).text) - before >= accepted
        await wait_until(all_skipped, timeout=60, what="re-published events skipped")
        # The client pushes the same placement again: the same answer, nothing duplicated.
        r = await intake.client.post("/v1/placements", json=body, headers=client)
        assert r.status_code == 202 and r.json()["accepted"] == accepted
        async with alloc.pool.acquire() as conn:
            await alloc.app.state.jobs.run_now("auto-allocation")
            assert [tuple(r) for r in await conn.fetch(
                "SELECT case_id, status, collector_id, version, received_at FROM cases ORDER BY case_id")] == snapshot
            assert await conn.fetchval("SELECT count(*) FROM ownership") == history_rows
        events = await read_topic(stack.bootstrap, "case.allocated", case_ids=case_ids, expect=accepted,
                                  timeout=60, settle=2.0)
        assert len(events) == accepted


async def test_demo_team_setup_is_idempotent(stack):
    """`recoup demo`'s allocation part against a real uvicorn process of the service."""
    import httpx

    from recoup_local.demo_allocation import DEMO_COLLECTORS, DEMO_TEAM_ID, _admin_headers, setup_demo_team

    url = await stack.start_service("allocation")
    try:
        await setup_demo_team(url, "demo-bank")
        async with httpx.AsyncClient(base_url=url, headers=_admin_headers()) as c:
            await c.patch("/v1/collectors/demo-c03", json={"active": False, "name": "改名"})
            await setup_demo_team(url, "demo-bank")  # twice: nothing duplicated, demo values restored
            collectors = (await c.get("/v1/collectors", params={"team_id": DEMO_TEAM_ID})).json()
            assert len(collectors) == len(DEMO_COLLECTORS) + 1  # and the team lead
            assert all(x["active"] for x in collectors)
            assert {x["name"] for x in collectors if x["collector_id"] == "demo-c03"} == {"张伟"}
            rules = (await c.get("/v1/client-rules/demo-bank")).json()
            assert (rules["auto_allocate"], rules["default_strategy"], rules["dedicated_team_ids"]) == \
                (True, "comprehensive", [DEMO_TEAM_ID])
            assert len((await c.get("/v1/teams")).json()) >= 1
    finally:
        await stack.services.pop("allocation").stop()


async def test_demo_field_team_setup_is_idempotent(stack):
    """`recoup demo`'s fieldops part against a real uvicorn process of the service: a field team
    over every city of the demo's addresses, with its agents; run twice, nothing duplicated."""
    import httpx

    from recoup_local.demo import REGIONS
    from recoup_local.demo_allocation import _admin_headers
    from recoup_local.demo_fieldops import FIELD_AGENTS, FIELD_TEAM_ID, setup_field_team

    url = await stack.start_service("fieldops")
    try:
        await setup_field_team(url)
        async with httpx.AsyncClient(base_url=url, headers=_admin_headers()) as c:
            await c.put(f"/v1/field-agents/{FIELD_AGENTS[0][0]}", json={"name": "改名", "active": False})
            await setup_field_team(url)
            team = (await c.get(f"/v1/field-teams/{FIELD_TEAM_ID}")).json()
            agents = (await c.get("/v1/field-agents", params={"team_id": FIELD_TEAM_ID})).json()["items"]
        cities = {(a["province"], a["city"]) for a in team["coverage"]}
        assert cities == {(r[1], r[2]) for r in REGIONS} and team["active"]
        assert sorted((a["agent_id"], a["name"], a["active"]) for a in agents) == \
            sorted((i, n, True) for i, n in FIELD_AGENTS)
    finally:
        await stack.services.pop("fieldops").stop()
