"""Compliance routes over HTTP (issue 10): policy levels by role (R-45), 422 with the field and
nothing saved, the explained case policy, the worklist's "callable now / next at", evaluation,
holds (403 for the wrong role), quality inspection and violations."""

import uuid

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def mobile_of(detail):
    return next(p for p in detail["contact_points"] if p["party"] == "debtor" and p["kind"] == "mobile")


async def test_policy_levels_by_role_422_with_the_field_and_nothing_half_saved(service, ctx, h, at):
    client = f"api-{uuid.uuid4().hex[:8]}"
    case_id = await h.new_case(ctx, client_id=client)
    sup, admin = service.auth("supervisor", sub="sup-1"), service.auth("admin", sub="adm-1")
    me = service.auth("collector", sub="col-1", team_id="t1")
    url = f"/v1/clients/{client}/policy"
    r = await service.client.put(url, headers=sup, json={"values": {
        "windows": {"mon": ["09:00-21:00", "20:00-22:00"], "tue": ["21:00-09:00"]}, "caps": {"sms_per_day": -1},
        "no_such_rule": 1}, "reason": "bad"})
    assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json"
    assert {e["field"] for e in r.json()["errors"]} == {"values.windows.mon[1]", "values.windows.tue[0]",
                                                        "values.caps.sms_per_day", "values.no_such_rule"}
    assert (await service.client.get(url, headers=sup)).json()["version"] == 0          # nothing saved
    r = await service.client.put(url, headers=me, json={"values": {}, "reason": "x"})
    assert r.status_code == 403
    r = await service.client.put("/v1/compliance/policy/system", headers=sup, json={"values": {}, "reason": "x"})
    assert r.status_code == 403                                                     # the admin's
    r = await service.client.put(url, headers=admin, json={
        "values": {"windows": {d: ["09:00-21:00"] for d in DAYS}}, "reason": "contract annex 3"})
    assert r.status_code == 200 and r.json()["version"] == 1 and r.json()["changed_by"] == "adm-1"
    policy = (await service.client.get(f"/v1/cases/{case_id}/policy", headers=me)).json()
    mon = next(v for v in policy["values"] if v["key"] == "windows.mon")
    assert (mon["value"], mon["level"], mon["version"]) == (["09:00-21:00"], "client", 1)
    at("2026-12-07T08:30:00+08:00")
    rows = (await service.client.get("/v1/worklist", headers=me, params={"client_id": client})).json()["items"]
    [row] = [x for x in rows if x["case_id"] == case_id]
    assert row["callable"]["allowed"] is False                              # the worklist's "next at"
    assert row["callable"]["next_allowed"] == "2026-12-07T09:00:00+08:00"
    r = await service.client.patch(f"/v1/cases/{case_id}/policy", headers=me, json={
        "set": {"holds": {"dispute": {}}, "debtor_windows": {"mon": ["25:00-26:00"]}}, "reason": "x"})
    assert r.status_code == 422 and {e["field"] for e in r.json()["errors"]} == {"set.debtor_windows.mon[0]"}
    r = await service.client.patch(f"/v1/cases/{case_id}/policy", headers=me, json={
        "set": {"holds": {"dispute": {}}}, "reason": "x"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "set.holds.dispute"
    r = await service.client.get(f"/v1/cases/{case_id}/policy/versions", headers=me)
    assert r.status_code == 200 and r.json()["items"] == []


async def test_evaluate_and_holds_over_http(service, ctx, h, at):
    client = f"api-{uuid.uuid4().hex[:8]}"
    case_id = await h.new_case(ctx, client_id=client)
    me = service.auth("collector", sub="col-1", team_id="t1")
    mobile = mobile_of((await service.client.get(f"/v1/cases/{case_id}", headers=me)).json())["point_id"]
    body = {"case_id": case_id, "point_id": mobile, "at": "2026-12-07T20:59:59+08:00"}
    r = await service.client.post("/v1/compliance/evaluate", headers=me, json=body)
    assert r.status_code == 200 and r.json()["allowed"] and r.json()["zones"] == ["Asia/Shanghai"]
    r = await service.client.post("/v1/compliance/evaluate", headers=me, json={**body, "at": "2026-12-07T21:00:00+08:00"})
    assert not r.json()["allowed"] and r.json()["next_allowed"] == "2026-12-08T08:00:00+08:00"
    r = await service.client.post("/v1/compliance/evaluate", headers=me, json={**body, "at": "2026-12-07T21:00:00"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"].endswith("at")   # a moment needs its zone
    r = await service.client.post("/v1/compliance/evaluate", headers=me, json={**body, "channel": "visit"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "channel"
    other = service.auth("collector", sub="col-9", team_id="t9")
    assert (await service.client.post("/v1/compliance/evaluate", headers=other, json=body)).status_code == 403
    r = await service.client.post(f"/v1/cases/{case_id}/holds", headers=me, json={"kind": "stolen_card"})
    assert r.status_code == 201
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=me, json={
        "channel": "outbound_call", "party": "debtor", "point_id": mobile, "result": "no_answer", "code": "NA"})
    assert r.status_code == 409 and [x["rule"] for x in r.json()["reasons"]] == ["hold.stolen_card"]
    r = await service.client.post(f"/v1/cases/{case_id}/holds/stolen_card/lift", headers=me, json={"note": "x"})
    assert r.status_code == 403 and r.json()["type"].endswith("/hold-lift-forbidden")
    bank = service.auth("client", client_id=client)
    r = await service.client.post(f"/v1/cases/{case_id}/holds/stolen_card/lift", headers=bank, json={})
    assert r.status_code == 200, r.text
    r = await service.client.post("/v1/compliance/evaluate", headers=me, json={"case_id": case_id})
    assert r.json()["allowed"]
    r = await service.client.post(f"/v1/cases/{case_id}/holds/stolen_card/lift", headers=bank, json={})
    assert r.status_code == 404                                                     # nothing left to lift


async def test_quality_routes_by_role(service, ctx, h):
    auditor, me = service.auth("auditor", sub="aud-1"), service.auth("collector", sub="col-1", team_id="t1")
    r = await service.client.get("/v1/compliance/violations", headers=auditor, params={"month": "2026-12"})
    assert r.status_code == 200 and r.json()["month"] == "2026-12"
    r = await service.client.get("/v1/compliance/violations", headers=auditor, params={"month": "2026-13"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "month"
    assert (await service.client.get("/v1/compliance/violations", headers=auditor)).status_code == 422
    assert (await service.client.get("/v1/compliance/violations", headers=me,
                                     params={"month": "2026-12"})).status_code == 403
    assert (await service.client.get("/v1/compliance/inspections", headers=me)).status_code == 403
    r = await service.client.get("/v1/compliance/inspections", headers=auditor, params={"limit": 5})
    assert r.status_code == 200 and "items" in r.json()
    r = await service.client.post("/v1/compliance/inspections", headers=auditor, json={"record_id": str(uuid.uuid4())})
    assert r.status_code == 404
