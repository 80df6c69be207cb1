"""The service over HTTP: click-to-dial and the signed CDR webhook (R-19), disputes on the client's
route (R-17), complaints (R-47), payments the debtor claims (待银行对账), code tables, 催记报告."""

import csv
import io
import uuid
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import orjson
from openpyxl import load_workbook

from recoup_contact.adapters import signing
from recoup_contact.adapters.pbx import LocalPbx
from recoup_contact.usecases import telephony
from recoup_local.factories import read_topic, wait_until


def me(service, sub="col-1", team="t1"):
    return service.auth("collector", sub=sub, team_id=team)


async def mobile(service, case_id, who):
    detail = (await service.client.get(f"/v1/cases/{case_id}", headers=who)).json()
    return next(p["point_id"] for p in detail["contact_points"] if p["party"] == "debtor" and p["kind"] == "mobile")


def signed(body: dict, secret: str, **kw) -> tuple[bytes, dict]:
    raw = orjson.dumps(body)
    return raw, {"content-type": "application/json", **signing.sign(secret, raw, **kw)}


async def test_click_to_dial_then_the_pbx_calls_back_and_the_record_links_to_the_call(service, ctx, h):
    case_id = await h.new_case(ctx, owner="col-1")
    who = me(service)
    assert (await service.client.put("/v1/agent-lines/col-1", headers=who, json={"extension": "8001"})).status_code == 200
    point = await mobile(service, case_id, who)
    r = await service.client.post(f"/v1/cases/{case_id}/dial", headers=who, json={"point_id": point})
    assert r.status_code == 201, r.text
    call_id = r.json()["call_id"]
    pbx: LocalPbx = service.app.state.ctx.pbx
    await pbx.drain()                       # the local PBX posted the signed CDR back

    async def ended():
        async with ctx.pool.acquire() as conn:
            return await conn.fetchrow("SELECT * FROM calls WHERE call_id = $1 AND state = 'ended'", uuid.UUID(call_id))

    call = await wait_until(ended, timeout=20, what="the CDR")
    assert call["answered"] and len(call["recording_sha256"]) == 64 and call["recording_bytes"] > 0
    assert call["retain_until"] >= call["ended_at"].date() + timedelta(days=730)      # >= 2 years
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=who, json={
        "channel": "outbound_call", "party": "debtor", "point_id": point, "result": "connected", "code": "RS",
        "call_id": call_id})
    assert r.status_code == 201, r.text
    async with ctx.pool.acquire() as conn:
        assert await conn.fetchval("SELECT record_id FROM calls WHERE call_id = $1", uuid.UUID(call_id)) is not None
        attempts = await conn.fetch("SELECT purpose, outcome FROM attempts WHERE case_id = $1", case_id)
        assert [dict(a) for a in attempts] == [{"purpose": "dial", "outcome": "connected"}]   # one attempt, settled
    # the same CDR again: idempotent on the call id
    raw, headers = signed(pbx.sent[-1], ctx.settings.pbx_webhook_secret)
    r = await service.client.post("/v1/telephony/cdr", content=raw, headers=headers)
    assert r.status_code == 200 and r.json()["status"] == "duplicate" and r.json()["same_body"] is True


async def test_a_bad_signature_is_401_and_writes_nothing(service, ctx, h):
    case_id = await h.new_case(ctx, owner="col-1")
    call_id = uuid.uuid4()
    async with ctx.pool.acquire() as conn:
        await conn.execute("INSERT INTO calls (call_id, case_id, collector_id, requested_at, state) "
                           "VALUES ($1, $2, 'col-1', now(), 'originated')", call_id, case_id)
    cdr = {"call_id": str(call_id), "answered": False, "ring_seconds": 20, "talk_seconds": 0}
    raw, headers = signed(cdr, "not-the-secret")
    r = await service.client.post("/v1/telephony/cdr", content=raw, headers=headers)
    assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json"
    raw, headers = signed(cdr, ctx.settings.pbx_webhook_secret, now=datetime.now(timezone.utc).timestamp() - 3600)
    assert (await service.client.post("/v1/telephony/cdr", content=raw, headers=headers)).status_code == 401  # stale
    r = await service.client.post("/v1/telephony/cdr", content=raw)
    assert r.status_code == 401
    async with ctx.pool.acquire() as conn:
        assert await conn.fetchval("SELECT cdr_at FROM calls WHERE call_id = $1", call_id) is None
    raw, headers = signed(cdr, ctx.settings.pbx_webhook_secret)
    assert (await service.client.post("/v1/telephony/cdr", content=raw, headers=headers)).status_code == 200


async def test_mismatches_go_to_quality_inspection(service, ctx, h):
    case_id = await h.new_case(ctx, owner="col-1")
    who = me(service)
    await service.client.put("/v1/agent-lines/col-1", headers=who, json={"extension": "8001"})
    point = await mobile(service, case_id, who)
    call_id = (await service.client.post(f"/v1/cases/{case_id}/dial", headers=who, json={"point_id": point})).json()["call_id"]
    await service.app.state.ctx.pbx.drain()
    unanswered = {"call_id": call_id, "answered": False, "ring_seconds": 30, "talk_seconds": 0,
                  "hangup_cause": "NO_ANSWER"}
    async with ctx.pool.acquire() as conn:   # this call: the PBX said nobody answered
        await conn.execute("UPDATE calls SET cdr_at = NULL, answered = NULL WHERE call_id = $1", uuid.UUID(call_id))
    raw, headers = signed(unanswered, ctx.settings.pbx_webhook_secret)
    assert (await service.client.post("/v1/telephony/cdr", content=raw, headers=headers)).status_code == 200
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=who, json={
        "channel": "outbound_call", "party": "debtor", "point_id": point, "result": "connected", "code": "RS",
        "call_id": call_id})
    assert r.status_code == 201
    # a second dial that never gets its record
    lonely = (await service.client.post(f"/v1/cases/{case_id}/dial", headers=who, json={"point_id": point})).json()
    async with ctx.pool.acquire() as conn:
        await conn.execute("UPDATE calls SET requested_at = now() - interval '2 hours' WHERE call_id = $1",
                           uuid.UUID(lonely["call_id"]))
    await telephony.flag_calls_without_record(ctx)
    flags = (await service.client.get("/v1/quality/flags", headers=service.auth("supervisor", sub="sup"))).json()
    mine = {(f["kind"], f["call_id"]) for f in flags["items"] if f["case_id"] == case_id}
    assert mine == {("record_connected_call_unanswered", call_id), ("call_without_record", lonely["call_id"])}


async def test_disputes_reach_the_client_who_instructs_resume_or_withdraw(service, ctx, h):
    client = f"bank-{uuid.uuid4().hex[:6]}"
    a = await h.new_case(ctx, owner="col-1", client_id=client)
    b = await h.new_case(ctx, owner="col-1", client_id=client)
    who = me(service)
    for case_id in (a, b):
        r = await service.client.post(f"/v1/cases/{case_id}/records", headers=who, json={
            "channel": "outbound_call", "party": "debtor", "point_id": await mobile(service, case_id, who),
            "result": "connected", "code": "DISP", "dispute_reason": "称从未办理此卡"})
        assert r.status_code == 201 and r.json()["status"] == "DISPUTE"
    bank = service.auth("client", client_id=client)
    listed = (await service.client.get("/v1/disputes", headers=bank)).json()["items"]
    assert {d["case_id"] for d in listed} == {a, b} and listed[0]["reason"] == "称从未办理此卡"
    stranger = service.auth("client", client_id="someone-else")
    assert (await service.client.get("/v1/disputes", headers=stranger)).json()["items"] == []
    dispute = {d["case_id"]: d["dispute_id"] for d in listed}
    r = await service.client.post(f"/v1/disputes/{dispute[a]}/instruction", headers=stranger, json={"action": "resume"})
    assert r.status_code == 404
    r = await service.client.post(f"/v1/disputes/{dispute[a]}/instruction", headers=bank,
                                  json={"action": "resume", "note": "客户已核实"})
    assert r.status_code == 200 and r.json()["state"] == "resumed"
    assert (await service.client.post(f"/v1/disputes/{dispute[a]}/instruction", headers=bank,
                                      json={"action": "withdraw"})).status_code == 409
    detail = (await service.client.get(f"/v1/cases/{a}", headers=who)).json()
    assert detail["status"] == "URGENT" and detail["holds"] == [] and detail["next_follow_up"] == "2026-12-08"
    assert all(p["callable"]["allowed"] for p in detail["contact_points"] if p["callable"] and p["state"] != "invalid"
               and p["party"] == "debtor")
    r = await service.client.post(f"/v1/disputes/{dispute[b]}/instruction", headers=bank, json={"action": "withdraw"})
    assert r.status_code == 200
    rows = (await service.client.get("/v1/worklist", headers=who, params={"client_id": client})).json()["items"]
    assert [x["case_id"] for x in rows] == [a]                                   # b left the worklist


async def test_a_serious_complaint_holds_the_case_and_asks_allocation_to_pause(stack, service, ctx, h):
    client = f"cmp-{uuid.uuid4().hex[:6]}"
    admin = service.auth("admin", sub="adm")
    r = await service.client.put(f"/v1/clients/{client}/contact-config", headers=admin,
                                 json={"complaints": {"pause_on_serious": True}})
    assert r.status_code == 200 and r.json()["version"] == 1
    r = await service.client.put(f"/v1/clients/{client}/contact-config", headers=admin,
                                 json={"follow_up": {"URGENT": {"kind": "working_days", "latest": 5, "default": 5}}})
    assert r.status_code == 422 and r.json()["errors"][0]["field"].startswith("follow_up.URGENT")   # R-22 bound
    case_id = await h.new_case(ctx, owner="col-1", client_id=client)
    r = await service.client.post(f"/v1/cases/{case_id}/complaints", headers=me(service), json={
        "channel": "regulator", "allegations": ["threat"], "calmed": False, "description": "称被威胁"})
    c = r.json()
    assert r.status_code == 201 and c["grade"] == "serious" and c["held"] and c["pause_requested"]
    by = datetime.fromisoformat(c["escalate_by"]).astimezone(ZoneInfo("Asia/Shanghai"))
    assert c["escalate_to"] == "supervisor" and by.isoformat() == "2026-12-07T23:59:59+08:00"   # the same day
    [event] = await read_topic(stack.bootstrap, "case.pause_requested", case_ids={case_id}, expect=1)
    assert event["payload"]["reason"] == "serious_complaint" and event["producer"] == "contact"
    point = await mobile(service, case_id, me(service))
    r = await service.client.post(f"/v1/cases/{case_id}/dial", headers=me(service), json={"point_id": point})
    assert r.status_code == 409 and r.json()["reasons"][0]["rule"] == "hold.serious_complaint"
    queue = (await service.client.get("/v1/complaints", headers=service.auth("supervisor", sub="sup"),
                                      params={"grade": "serious"})).json()["items"]
    assert c["complaint_id"] in {x["complaint_id"] for x in queue}
    assert (await service.client.post(f"/v1/complaints/{c['complaint_id']}/resolve", headers=me(service),
                                      json={"resolution": "x"})).status_code == 403
    r = await service.client.post(f"/v1/complaints/{c['complaint_id']}/resolve",
                                  headers=service.auth("supervisor", sub="sup"), json={"resolution": "已道歉并处理"})
    assert r.status_code == 200 and r.json()["resolved_by"] == "sup"
    detail = (await service.client.get(f"/v1/cases/{case_id}", headers=me(service))).json()
    assert detail["holds"] == []


async def test_claimed_payments_wait_for_the_bank_or_a_data_specialist(service, ctx, h):
    case_id = await h.new_case(ctx, owner="col-1")
    who = me(service)
    r = await service.client.post(f"/v1/cases/{case_id}/claimed-payments", headers=who,
                                  json={"amount": "300.00", "paid_on": "2026-12-06", "channel": "bank transfer",
                                        "proof_ref": "IMG-1"})
    assert r.status_code == 201 and r.json()["state"] == "pending"
    first = r.json()["claim_id"]
    second = (await service.client.post(f"/v1/cases/{case_id}/claimed-payments", headers=who,
                                        json={"amount": "120.00", "paid_on": "2026-12-05"})).json()["claim_id"]
    await h.apply(ctx, [h.cf.payment(case_id, "300.00", paid_at=datetime(2026, 12, 6, 15, tzinfo=timezone.utc))])
    listed = (await service.client.get("/v1/claimed-payments", headers=who, params={"state": "matched"})).json()
    assert first in {x["claim_id"] for x in listed["items"]}
    spec = service.auth("data_specialist", sub="ds-1")
    assert (await service.client.post(f"/v1/claimed-payments/{second}/decision", headers=who,
                                      json={"decision": "confirm"})).status_code == 403
    r = await service.client.post(f"/v1/claimed-payments/{second}/decision", headers=spec,
                                  json={"decision": "reject", "note": "银行无此笔"})
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    assert (await service.client.post(f"/v1/claimed-payments/{second}/decision", headers=spec,
                                      json={"decision": "confirm"})).status_code == 409


async def test_code_tables_are_versioned_and_the_report_uses_the_clients_layout(service, ctx, h):
    client = f"rep-{uuid.uuid4().hex[:6]}"
    admin = service.auth("admin", sub="adm")
    bad = {"effective_from": "2026-12-01", "codes": [{"code": "A1", "label": "承诺", "results": ["connected"],
                                                      "implies": "PTP"}]}
    r = await service.client.post(f"/v1/clients/{client}/code-tables", headers=admin, json=bad)
    assert r.status_code == 422 and "promise" in r.text                          # PTP must require the promise
    good = {"effective_from": "2026-12-01", "codes": [
        {"code": "A1", "label": "承诺还款", "results": ["connected"], "implies": "PTP", "requires": ["promise"]},
        {"code": "B2", "label": "无人接听", "results": ["no_answer", "busy"], "allows": ["NO_ANSWER"]}]}
    r = await service.client.post(f"/v1/clients/{client}/code-tables", headers=admin, json=good)
    assert r.status_code == 201 and r.json()["version"] == 1
    case_id = await h.new_case(ctx, owner="col-1", client_id=client)
    who = me(service)
    point = await mobile(service, case_id, who)
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=who, json={
        "channel": "outbound_call", "party": "debtor", "point_id": point, "result": "connected", "code": "RS"})
    assert r.status_code == 422 and r.json()["errors"][0]["allowed"] == ["A1", "B2"]
    r = await service.client.post(f"/v1/cases/{case_id}/records", headers=who, json={
        "channel": "outbound_call", "party": "debtor", "point_id": point, "result": "no_answer", "code": "b2",
        "status": "NO_ANSWER", "notes": "下午再打"})
    assert r.status_code == 201
    template = {"name": "某银行催记模板", "format": "csv", "code_map": {"B2": "NA-01"},
                "columns": [{"header": "账号", "field": "account_masked"}, {"header": "电话", "field": "number_masked"},
                            {"header": "结果码", "field": "client_code"}, {"header": "备注", "field": "notes"}]}
    assert (await service.client.put(f"/v1/clients/{client}/report-template", headers=admin,
                                     json={**template, "columns": [{"header": "x", "field": "id_number"}]})
            ).status_code == 422
    assert (await service.client.put(f"/v1/clients/{client}/report-template", headers=admin, json=template)
            ).status_code == 200
    reporter = service.auth("data_specialist", sub="ds")
    params = {"client_id": client, "from": "2026-12-01", "to": "2026-12-31"}
    r = await service.client.get("/v1/reports/contact-records", headers=reporter, params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0] == ["账号", "电话", "结果码", "备注"] and rows[1][2] == "NA-01" and rows[1][3] == "下午再打"
    assert "****" in rows[1][1]                                                   # masked
    r = await service.client.get("/v1/reports/contact-records", headers=reporter, params={**params, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(r.content)).active
    assert [c.value for c in next(sheet.iter_rows())] == ["账号", "电话", "结果码", "备注"]
    assert (await service.client.get("/v1/reports/contact-records", headers=me(service), params=params)
            ).status_code == 403



async def test_a_contact_person_who_asked_not_to_be_called_is_refused_by_the_gate(service, ctx, h):
    case_id = await h.new_case(ctx, owner="col-1")
    who = me(service)
    await service.client.put("/v1/agent-lines/col-1", headers=who, json={"extension": "8001"})
    detail = (await service.client.get(f"/v1/cases/{case_id}", headers=who)).json()
    spouse = next(p for p in detail["contact_points"] if p["party"] == "contact_person")
    r = await service.client.patch(f"/v1/cases/{case_id}/contact-points/{spouse['point_id']}", headers=who,
                                   json={"state": "do_not_call"})
    assert r.status_code == 200 and r.json()["state"] == "do_not_call"
    r = await service.client.post(f"/v1/cases/{case_id}/dial", headers=who, json={"point_id": spouse["point_id"]})
    assert r.status_code == 409 and [x["rule"] for x in r.json()["reasons"]] == ["third_party.do_not_call"]
    assert r.json()["next_allowed"] is None                                       # never again
    r = await service.client.patch(f"/v1/cases/{case_id}/contact-points/{spouse['point_id']}", headers=who,
                                   json={"state": "valid"})
    assert r.status_code == 422                                                   # only a supervisor lifts it
