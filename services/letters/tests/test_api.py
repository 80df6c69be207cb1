"""The service as a whole, in-process with its real lifespan (pool, broker, jobs, PDF worker
processes): the letters clerk's day over HTTP — templates, planning, preview, generate, download
and open the PDFs, QC scans, tracking numbers, dispatch — with the role checks (R-45, R-26) and the
problem+json answers to bad input."""

from __future__ import annotations

import io
import re
import uuid
from datetime import date, datetime, timezone

from openpyxl import load_workbook
from pypdf import PdfReader

from recoup_letters.adapters.tracking import s10_check_digit
from recoup_letters.rules import checkcode
from recoup_local.letters_samples import address_out, approve_templates, received_envelope
from recoup_local.factories import publish, wait_until

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
FULL_NUMBER = re.compile(r"\d{15,}")


async def test_health_readiness_and_metrics(service):
    assert (await service.client.get("/healthz")).json() == {"status": "ok"}
    ready = await service.client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "broker": "ok", "consumer": "ok"}
    assert "recoup_job_runs_total" in (await service.client.get("/metrics")).text


async def test_every_route_checks_the_role(service):
    """R-45: no token 401; a client system or a collector 403; the clerk's routes are the clerk's."""
    routes = [("get", "/v1/batches"), ("post", "/v1/batches"), ("get", "/v1/templates"),
              ("post", "/v1/templates/letters"), ("post", "/v1/qc/scans"), ("post", "/v1/returns"),
              ("get", "/v1/letters"), ("post", "/v1/planning/runs"), ("post", "/v1/sms"),
              ("get", "/v1/batches/bt-x/files/manifest.csv"), ("put", "/v1/clients/zhbank/letter-config")]
    for method, path in routes:
        r = await service.client.request(method, path, json={})
        assert r.status_code == 401 and r.headers["content-type"] == "application/problem+json", (path, r.text)
        for role in ("collector", "client"):
            r = await service.client.request(method, path, json={}, headers=service.auth(role, client_id="zhbank"))
            assert r.status_code == 403, (role, path, r.status_code)
    auditor = service.auth("auditor", sub="aud-1")
    assert (await service.client.get("/v1/batches", headers=auditor)).status_code == 200
    assert (await service.client.post("/v1/batches", json={}, headers=auditor)).status_code == 403
    assert (await service.client.post("/v1/qc/scans/1/resolve", json={"resolution": "x"},
                                      headers=service.auth("letters_clerk"))).status_code == 403


async def test_bad_input_is_a_4xx_problem(service):
    clerk = service.auth("letters_clerk", sub="clerk-api")
    for bad, code in (("尊敬的{{ debtor_fullname }}", "unknown_variable"),
                      ("{{ cycler.__init__.__globals__ }}", "attribute_not_allowed"),
                      ("{{ recipient_name.upper() }}", "expression_not_allowed"),
                      ("{% include 'x' %}", "statement_not_allowed"),
                      ("卡号 6222020200112233446", "full_number"),
                      ("{{ outstanding }}", "debt_detail")):
        r = await service.client.post("/v1/templates/letters", headers=clerk, json={
            "client_id": "zhbank", "letter_type": "callback_notice" if code == "debt_detail" else "notice",
            "source": bad})
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", r.text
        assert code in {e["code"] for e in r.json()["errors"]}, r.json()
    r = await service.client.post("/v1/qc/scans", headers=clerk, json={
        "letter_scan": checkcode.code_for_serial(7_777_777), "envelope_scan": checkcode.code_for_serial(7_777_778)})
    assert r.status_code == 404 and r.json()["type"].endswith("/check-code-unknown")
    r = await service.client.post("/v1/qc/scans", headers=clerk, json={"letter_scan": "ZZZ-ZZZ-ZZZ",
                                                                      "envelope_scan": "23456789A"})
    assert r.status_code == 422
    for params in ({"limit": 0}, {"limit": 100_000}, {"cursor": "not-a-cursor"}, {"cursor": "WzEsMl0"}):
        r = await service.client.get("/v1/letters", params=params, headers=clerk)
        assert r.status_code == 422, (params, r.text)
    r = await service.client.post("/v1/returns", headers=clerk, json={"check_code": "23456789A", "reason": "下雨了"})
    assert r.status_code == 422 and r.json()["type"].endswith("/return-reason-unknown")
    r = await service.client.put("/v1/clients/zhbank/letter-config", headers=clerk,
                                 json={"schedule": [{"dpd": 20, "letter_type": "first_reminder"},
                                                    {"dpd": 10, "letter_type": "second_reminder"}]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "schedule"
    assert (await service.client.get("/v1/batches/../../etc", headers=clerk)).status_code in (404, 422)
    r = await service.client.get("/v1/batches/bt-none/files/..%2Fsecret", headers=clerk)
    assert r.status_code in (404, 422)


def tracking_file(sequences: list[int]) -> bytes:
    base = int(uuid.uuid4().int % 80_000_000) + 10_000_000
    rows = [f"{s},EA{base + s:08d}{s10_check_digit(f'{base + s:08d}')}CN" for s in sequences]
    return ("序号,挂号/快递单号\n" + "\n".join(rows)).encode()


async def test_the_clerks_day(stack, service):
    client_id = f"api-{uuid.uuid4().hex[:8]}"
    clerk = service.auth("letters_clerk", sub="clerk-api")
    await approve_templates(service.client, clerk, client_id)
    cases = [str(uuid.uuid4()) for _ in range(5)]
    envs = [received_envelope(c, client_id, placed_on=TODAY, occurred_at=NOW, name=n, addresses=[address_out(n=i)])
            for i, (c, n) in enumerate(zip(cases, ["张伟", "王芳", "李娜", "赵敏", "陈静"]))]
    envs[4]["payload"]["addresses"] = [address_out("work", n=4)]          # unconfirmed: call-back notice only
    await publish(stack.bootstrap, envs)

    async def all_received():
        r = await service.client.get(f"/v1/cases/{cases[-1]}/letters", headers=clerk)
        return r.status_code == 200 and await _planned(service, clerk, client_id) == 5

    async def run_planning():
        r = await service.client.post("/v1/planning/runs", headers=clerk)
        assert r.status_code == 202
        await wait_until(lambda: _run_done(service, clerk, r.json()["run_id"]), timeout=60, what="planning run")
        return await _planned(service, clerk, client_id) == 5

    await wait_until(run_planning, timeout=90, what="the cases to arrive and be planned")
    pv = (await service.client.get("/v1/batches/preview", params={"client_id": client_id}, headers=clerk)).json()
    assert pv["total"] == 5 and pv["by_type"] == {"notice": 4, "callback_notice": 1}
    assert pv["callback_replacements"] == 1 and sum(pv["by_province"].values()) == 5
    r = await service.client.post("/v1/batches", json={"client_id": client_id}, headers=clerk)
    assert r.status_code == 202 and r.json()["status"] == "queued"
    batch_id = r.json()["batch_id"]
    batch = await wait_until(lambda: _batch_in(service, clerk, batch_id, {"generated", "failed"}), timeout=120,
                             what="the batch files")
    assert batch["status"] == "generated", batch["error"]
    assert batch["letters_by_status"] == {"generated": 5} and batch["pages"] >= 10
    await _open_the_pdfs(service, clerk, batch)
    await _qc_tracking_dispatch(service, clerk, batch_id, client_id)


async def _planned(service, clerk, client_id) -> int:
    r = await service.client.get("/v1/letters", params={"client_id": client_id, "limit": 100}, headers=clerk)
    return len(r.json()["items"])


async def _run_done(service, clerk, run_id):
    r = await service.client.get(f"/v1/planning/runs/{run_id}", headers=clerk)
    return r.json()["status"] in ("done", "failed")


async def _batch_in(service, clerk, batch_id, states):
    b = (await service.client.get(f"/v1/batches/{batch_id}", headers=clerk)).json()
    return b if b["status"] in states else None


async def _open_the_pdfs(service, clerk, batch) -> None:
    """Download every file through the API and read it: masked numbers only (R-30), each letter's
    check code on the letter and on its envelope (R-32), the manifest's rows."""
    letters_codes, envelope_codes = [], []
    for f in batch["files"]:
        r = await service.client.get(f"/v1/batches/{batch['batch_id']}/files/{f['name']}", headers=clerk)
        assert r.status_code == 200 and len(r.content) == f["size"], f
        if f["name"].endswith(".pdf"):
            text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
            assert not FULL_NUMBER.search(text.replace(" ", "")), "a full ID or card number on paper"
            codes = re.findall(r"核对码 ([2-9A-Z]{3}-[2-9A-Z]{3}-[2-9A-Z]{3})", text)
            (letters_codes if f["kind"] == "letters" else envelope_codes).extend(codes)
            if f["kind"] == "letters":
                assert "410105************" in text or "回电通知书" in text
    assert len(set(envelope_codes)) == 5 and set(letters_codes) == set(envelope_codes)
    r = await service.client.get(f"/v1/batches/{batch['batch_id']}/manifest", params={"format": "xlsx"},
                                 headers=service.auth("letters_clerk"))
    rows = list(load_workbook(io.BytesIO(r.content)).worksheets[0].iter_rows(values_only=True))
    assert rows[0][0] == "序号" and [row[0] for row in rows[1:]] == [1, 2, 3, 4, 5]
    assert (await service.client.get(f"/v1/batches/{batch['batch_id']}/files/letters_000001-000003.pdf",
                                     headers=service.auth("supervisor"))).status_code == 403


async def _qc_tracking_dispatch(service, clerk, batch_id, client_id) -> None:
    letters = (await service.client.get("/v1/letters", params={"batch_id": batch_id}, headers=clerk)).json()["items"]
    codes = {x["sequence"]: x["check_code"] for x in letters}
    r = await service.client.post("/v1/qc/scans", headers=clerk, json={
        "letter_scan": "L" + codes[1].replace("-", ""), "envelope_scan": "E" + codes[2].replace("-", "")})
    assert r.json()["outcome"] == "mismatch" and r.json()["batch_blocked"]
    r = await service.client.post(f"/v1/batches/{batch_id}/approve", headers=clerk)
    assert r.status_code == 409 and r.json()["type"].endswith("/batch-blocked")
    for seq, code in codes.items():
        r = await service.client.post("/v1/qc/scans", headers=clerk, json={"letter_scan": code,
                                                                           "envelope_scan": "E" + code})
        assert r.json()["outcome"] == "match", r.text
    report = (await service.client.get(f"/v1/batches/{batch_id}/qc", headers=clerk)).json()
    assert report["matched"] == 5 and report["open_mismatches"] == 1
    scan_id = report["mismatches"][0]["scan_id"]
    r = await service.client.post(f"/v1/qc/scans/{scan_id}/resolve", json={"resolution": "放回各自信封并复扫"},
                                  headers=service.auth("supervisor", sub="sup-1"))
    assert r.status_code == 200, r.text
    assert (await service.client.post(f"/v1/batches/{batch_id}/approve", headers=clerk)).status_code == 200
    r = await service.client.post(f"/v1/batches/{batch_id}/tracking", content=tracking_file([1, 2, 3, 4, 5, 9]),
                                  headers={**clerk, "content-type": "text/csv"})
    assert r.status_code == 200 and r.json()["assigned"] == 5
    assert [e["row"] for e in r.json()["errors"]] == [7]                      # sequence 9 is not in the batch
    r = await service.client.post(f"/v1/batches/{batch_id}/dispatch", headers=clerk)
    assert r.status_code == 200 and r.json()["status"] == "dispatched", r.text
    qc = (await service.client.get(f"/v1/batches/{batch_id}", headers=clerk)).json()["qc"]
    assert (qc["letters"], qc["matched"], qc["tracked"], qc["blocked"]) == (5, 5, 5, False)   # what was checked, after dispatch too
    csv = (await service.client.get(f"/v1/batches/{batch_id}/manifest", headers=clerk)).content.decode("utf-8-sig")
    assert csv.count("EA") == 5


async def test_the_approval_document_or_its_digest(service):
    """R-27: the client's approval names its document by SHA-256; the document itself may be
    uploaded before (its digest is returned) or after (it must be the one named)."""
    clerk = service.auth("letters_clerk", sub="clerk-doc")
    r = await service.client.post("/v1/templates/letters", headers=clerk, json={
        "client_id": f"doc-{uuid.uuid4().hex[:6]}", "letter_type": "callback_notice",
        "source": "{{ recipient_name }}：请于{{ reply_by|date_cn }}前致电{{ agency_phone }}。"})
    assert r.status_code == 201 and r.json()["status"] == "draft" and r.json()["approval"] is None
    base = f"/v1/templates/{r.json()['template_id']}/versions/1"
    doc = "委托方信函模板确认书（盖章扫描件）".encode()
    r = await service.client.put(f"{base}/approval-document", content=doc,
                                 headers={**clerk, "content-type": "application/pdf"})
    assert r.status_code == 200 and not r.json()["approval_recorded"]
    sha = r.json()["sha256"]
    r = await service.client.post(f"{base}/approval", headers=clerk, json={
        "approved_by": "王经理", "approved_at": "2026-11-20T15:00:00+08:00", "reference": "ZH-2026-118",
        "document_sha256": sha})
    assert r.status_code == 200 and r.json()["status"] == "approved"
    assert r.json()["approval"]["document_stored"] and r.json()["approval"]["recorded_by"] == "clerk-doc"
    r = await service.client.put(f"{base}/approval-document", content=b"another document", headers=clerk)
    assert r.status_code == 422 and r.json()["type"].endswith("/approval-document-mismatch")
    r = await service.client.post(f"{base}/approval", headers=clerk, json={
        "approved_by": "x", "approved_at": "2026-11-20T15:00:00+08:00", "reference": "r", "document_sha256": sha})
    assert r.status_code == 409


async def test_receipts_need_the_providers_token_or_a_staff_role(service):
    assert (await service.client.post("/v1/sms/receipts", content=b"[]")).status_code == 401
    r = await service.client.post("/v1/sms/receipts", content=b"[]", headers=service.auth("letters_clerk"))
    assert r.status_code == 200 and r.json() == {"receipts": 0, "applied": 0}
    r = await service.client.post("/v1/sms/receipts", content=b"{not json", headers=service.auth("admin"))
    assert r.status_code == 422
