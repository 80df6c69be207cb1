"""The service over HTTP (in-process, real lifespan): health, problems for bad input with nothing
written, the worklist (filters, sorts, colours, totals, paging, scopes), the case page, inbound lookup."""

import uuid
from datetime import date

from recoup_local.factories import publish, wait_until


def mobile_of(detail):
    return next(p for p in detail["contact_points"] if p["party"] == "debtor" and p["kind"] == "mobile")


def call(point_id, **kw):
    return {"channel": "outbound_call", "party": "debtor", "point_id": str(point_id), "result": "connected",
            "code": "RS", **kw}


async def test_health_readiness_and_metrics(service):
    assert (await service.client.get("/healthz")).json() == {"status": "ok"}
    ready = await service.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"]["consumer"] == "ok"
    metrics = (await service.client.get("/metrics")).text
    assert "recoup_http_request_duration_seconds" in metrics and "recoup_job_runs_total" in metrics


async def test_consumes_cases_from_the_broker_into_the_worklist(stack, service, h):
    case_id = str(uuid.uuid4())
    await publish(stack.bootstrap, [h.cf.received(case_id, "zhbank", 31), h.cf.allocated(case_id, "col-b")])
    auth = service.auth("collector", sub="col-b", team_id="t1")

    async def listed():
        r = await service.client.get("/v1/worklist", headers=auth)
        return [x for x in r.json()["items"] if x["case_id"] == case_id]

    [row] = await wait_until(listed, timeout=60, what="the case in col-b's worklist")
    assert row["never_contacted"] and row["account_masked"].startswith("622202") and row["colour"] in (
        "green", "yellow")


async def test_bad_input_is_problem_json_and_writes_nothing(service, ctx, h):
    case_id = await h.new_case(ctx, owner="col-1", amount="800.00", recall_on=date(2026, 12, 20))
    me = service.auth("collector", sub="col-1", team_id="t1")
    r = await service.client.get(f"/v1/cases/{case_id}")
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
    r = await service.client.get(f"/v1/cases/{case_id}", headers=service.auth("client", client_id="zhbank"))
    assert r.status_code == 403
    r = await service.client.get("/v1/cases/no-such-case", headers=me)
    assert r.status_code == 404 and r.json()["type"].endswith("/case-not-found")
    r = await service.client.get(f"/v1/cases/{case_id}", headers=service.auth("collector", sub="col-2", team_id="t2"))
    assert r.status_code == 403 and r.json()["type"].endswith("/case-forbidden")
    mobile = mobile_of((await service.client.get(f"/v1/cases/{case_id}", headers=me)).json())["point_id"]
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=me, json=call(mobile, code="X99"))
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "code"
    assert "PTP" in r.json()["errors"][0]["allowed"]
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=me, json=call(
        mobile, code="PTP", promise={"amount": "900.00", "due_on": "2026-12-21"}))
    assert r.status_code == 422 and {"promise.amount", "promise.due_on"} <= {e["field"] for e in r.json()["errors"]}
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=me, json=call(mobile, code="PTP", promise={
        "amount": "1.001", "due_on": "2026-12-10"}))
    assert r.status_code == 422
    r = await service.client.get("/v1/worklist", headers=me, params={"limit": 100000})
    assert r.status_code == 422                                                    # bounded integers
    async with ctx.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM contact_records WHERE case_id = $1", case_id) == 0
        assert await conn.fetchval("SELECT count(*) FROM attempts WHERE case_id = $1", case_id) == 0


async def test_a_refusal_answers_409_with_reasons_and_is_kept(service, ctx, h, at):
    case_id = await h.new_case(ctx, owner="col-1")
    me = service.auth("collector", sub="col-1", team_id="t1")
    mobile = mobile_of((await service.client.get(f"/v1/cases/{case_id}", headers=me)).json())["point_id"]
    at("2026-12-07T07:59:00+08:00")
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=me, json=call(mobile, result="no_answer",
                                                                                      code="NA"))
    body = r.json()
    assert r.status_code == 409 and body["type"].endswith("/contact-refused")
    assert body["reasons"][0]["rule"] == "window.outside" and body["next_allowed"] == "2026-12-07T08:00:00+08:00"
    async with ctx.pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM gate_refusals WHERE case_id = $1", case_id) == 1
        assert await conn.fetchval("SELECT count(*) FROM contact_records WHERE case_id = $1", case_id) == 0


async def test_worklist_filters_sorts_totals_colours_and_paging(service, ctx, h):
    team = f"tw-{uuid.uuid4().hex[:6]}"
    owner = f"cw-{uuid.uuid4().hex[:6]}"
    ids = [await h.new_case(ctx, owner=owner, team=team, amount=a, dpd=d, allocated_at=at)
           for a, d, at in (("300.00", 20, "2026-11-24T09:00:00+08:00"), ("5000.00", 95, "2026-12-07T09:00:00+08:00"),
                            ("12000.00", 200, "2026-12-07T09:00:00+08:00"), ("800.00", 40, "2026-11-20T09:00:00+08:00"))]
    me = service.auth("collector", sub=owner, team_id=team)
    r = await service.client.get("/v1/worklist", headers=me)
    page = r.json()
    assert r.status_code == 200 and page["totals"] == {"cases": 4, "outstanding": "18100.00"}
    # by next follow-up: the oldest allocation first; the 11-20 one is overdue (R-20: 3 WD) -> black
    assert [x["case_id"] for x in page["items"]][0] == ids[3]
    assert page["items"][0]["overdue"] and page["items"][0]["colour"] == "black"
    r = await service.client.get("/v1/worklist", headers=me, params={"sort": "amount", "limit": 1})
    seen, cursor = [], None
    while True:
        r = await service.client.get("/v1/worklist", headers=me, params={"sort": "amount", "limit": 1,
                                                                          **({"cursor": cursor} if cursor else {})})
        seen += [x["outstanding"] for x in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            break
    assert seen == ["12000.00", "5000.00", "800.00", "300.00"]
    r = await service.client.get("/v1/worklist", headers=me, params={"overdue": True})
    assert {x["case_id"] for x in r.json()["items"]} == {ids[0], ids[3]}
    r = await service.client.get("/v1/worklist", headers=me, params={"amount_min": "1000", "dpd_bucket": ["M4", "M7"]})
    assert r.status_code == 422                                                   # M7 is no bucket
    r = await service.client.get("/v1/worklist", headers=me, params={"amount_min": "1000", "dpd_bucket": ["M4", "M6+"]})
    assert {x["case_id"] for x in r.json()["items"]} == {ids[1], ids[2]}
    assert r.json()["totals"] == {"cases": 2, "outstanding": "17000.00"}
    r = await service.client.get("/v1/worklist", headers=me, params={"never_contacted": True, "recall_within": 90})
    assert r.json()["totals"]["cases"] == 4
    # scopes: a collector has no team list; the team lead has; a manager sees all
    assert (await service.client.get("/v1/worklist", headers=me, params={"scope": "team"})).status_code == 403
    lead = service.auth("team_lead", sub="lead-x", team_id=team)
    r = await service.client.get("/v1/worklist", headers=lead, params={"scope": "team"})
    assert r.json()["totals"]["cases"] == 4
    other_lead = service.auth("team_lead", sub="lead-y", team_id="elsewhere")
    r = await service.client.get("/v1/worklist", headers=other_lead, params={"scope": "team", "team_id": team})
    assert r.status_code == 403
    sup = service.auth("supervisor", sub="sup-1")
    r = await service.client.get("/v1/worklist", headers=sup, params={"scope": "all", "team_id": team})
    assert r.json()["totals"]["cases"] == 4
    r = await service.client.get("/v1/worklist", headers=me, params={"cursor": "garbage!"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "cursor"


async def test_the_case_page_in_one_call(service, ctx, h):
    debtor = 900_001
    case_id = await h.new_case(ctx, owner="col-1", i=debtor)
    joint = await h.new_case(ctx, owner="col-3", client_id="icbc", debtor=debtor)   # 共债: same ID number
    me = service.auth("collector", sub="col-1", team_id="t1")
    detail = (await service.client.get(f"/v1/cases/{case_id}", headers=me)).json()
    phones = [p for p in detail["contact_points"] if p["kind"] != "address"]
    assert all("*" in p["number_masked"] for p in phones) and "number" not in phones[0]
    assert all(p["callable"]["allowed"] for p in phones if p["state"] == "unknown")
    spouse = next(p for p in phones if p["party"] == "contact_person")
    assert [n["rule"] for n in spouse["callable"]["notices"]] == ["third_party.no_disclosure"]
    assert detail["joint_cases"][0]["case_id"] == joint and detail["joint_case_ids"] == [joint]
    assert detail["timeline"][0]["kind"] in ("owner_change", "received") and detail["may_act"]
    assert detail["case_status"] == "open" and detail["status"] is None
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=me, json=call(
        mobile_of(detail)["point_id"], code="PTP", promise={"amount": "500.00", "due_on": "2026-12-09"}))
    assert r.status_code == 201 and r.json()["status"] == "PTP"
    detail = (await service.client.get(f"/v1/cases/{case_id}", headers=me)).json()
    assert detail["promises"][0]["instalments"][0]["amount"] == "500.00"
    assert detail["timeline"][0]["kind"] == "contact" and mobile_of(detail)["last_result"] == "connected"
    records = (await service.client.get(f"/v1/cases/{case_id}/records", headers=me)).json()
    assert records["items"][0]["code"] == "PTP"
    codes = (await service.client.get(f"/v1/cases/{case_id}/code-table", headers=me)).json()
    assert any(c["code"] == "PTP" for c in codes["codes"])


async def test_inbound_lookup_by_phone_card_or_id_in_the_body(service, ctx, h):
    n = 777_123
    case_id = await h.new_case(ctx, owner="col-1", i=n)
    other = service.auth("collector", sub="col-9", team_id="t9")
    for body in ({"phone": h.cf.mobile(n)}, {"card": h.cf.account(n)}, {"id_number": h.cf.id_number(n)}):
        r = await service.client.post("/v1/lookup", headers=other, json=body)
        hits = [x for x in r.json()["cases"] if x["case_id"] == case_id]
        assert r.status_code == 200 and len(hits) == 1, (body, r.text)
        assert hits[0]["may_read"] is False and "*" in hits[0]["debtor_name"] and hits[0]["outstanding"] is None
    r = await service.client.post("/v1/lookup", headers=other, json={"phone": h.cf.mobile(n), "card": "1"})
    assert r.status_code == 422
    assert (await service.client.get("/v1/lookup", headers=other, params={"phone": h.cf.mobile(n)})).status_code == 405
    # the inbound call is logged by whoever took it
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=other, json={
        "channel": "inbound_call", "party": "debtor", "result": "connected", "code": "RS"})
    assert r.status_code == 201, r.text


async def test_home_page(service, ctx, h):
    owner = f"ch-{uuid.uuid4().hex[:6]}"
    case_id = await h.new_case(ctx, owner=owner)
    await h.apply(ctx, [h.cf.payment(case_id, "300.00", outstanding="13530.50")])
    r = await service.client.get("/v1/me/home", headers=service.auth("collector", sub=owner, team_id="t1"))
    home = r.json()
    assert r.status_code == 200 and len(home["recovered_by_month"]) == 6
    assert home["recovered_by_month"][-1]["month"] == "2026-12"
    assert sum(float(m["recovered"]) for m in home["recovered_by_month"]) == 300.0
    assert home["worklist"]["cases"] == 1 and home["due_today"] == 1 and home["never_contacted"] == 1
