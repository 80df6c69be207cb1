"""Every route of the billing API, in-process against the test stack: happy paths with the worked
scenario's numbers, and the problem+json answers (401, 403, 404, 409, 422)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime
from typing import Any

import pytest
import pytest_asyncio

from recoup_local.inprocess import RunningService, running_service

AUG = "2026-08"
PROBLEM = "application/problem+json"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def svc(stack) -> AsyncIterator[RunningService]:
    # the business clock of the whole service (RECOUP_CLOCK): November 2026 is not over yet
    async with running_service(stack, "billing", clock="fixed:2026-11-24T10:00:00+08:00") as s:
        yield s


def H(role: str, **kw: Any) -> dict[str, str]:
    return RunningService.auth(role, **kw)


FIN = H("finance", sub="fin-1")


def problem(r, status: int, type_suffix: str | None = None) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert body["status"] == status and body["title"]
    if type_suffix:
        assert body["type"].endswith(type_suffix), body["type"]
    return body


def routes(client_id: str) -> list[tuple[str, str, dict | None]]:
    base = f"/v1/statements/{client_id}/{AUG}"
    return [
        ("PUT", f"/v1/fee-schedules/{client_id}", {}), ("GET", f"/v1/fee-schedules/{client_id}", None),
        ("GET", f"/v1/statements/{client_id}", None), ("GET", base, None), ("POST", f"{base}/issue", None),
        ("POST", f"{base}/reissue", {"reason": "x"}), ("GET", f"{base}/lines/1/cases", None),
        ("GET", f"{base}/not-counted", None), ("GET", f"{base}/export.csv", None),
        ("GET", f"{base}/export.xlsx", None), ("GET", f"{base}/export.pdf", None),
        ("POST", "/v1/exclusions", {}), ("GET", "/v1/exclusions", None),
        ("GET", f"/v1/recovery-rates/{client_id}?month={AUG}", None), ("GET", f"/v1/performance/{AUG}", None),
    ]


async def test_health(svc):
    assert (await svc.client.get("/healthz")).status_code == 200
    assert (await svc.client.get("/metrics")).status_code == 200


async def test_every_route_needs_a_token(svc, client_id):
    for method, path, body in routes(client_id):
        r = await svc.client.request(method, path, json=body)
        problem(r, 401, "unauthorized")
        assert r.headers.get("www-authenticate") == "Bearer"
        r = await svc.client.request(method, path, json=body, headers={"authorization": "Bearer junk"})
        problem(r, 401)


async def test_collectors_are_forbidden_everywhere(svc, client_id):
    for method, path, body in routes(client_id):
        problem(await svc.client.request(method, path, json=body, headers=H("collector")), 403, "forbidden")


# --- fee schedules ----------------------------------------------------------------------------

@pytest.fixture
def schedule_body() -> dict:
    body = {
        "effective_from": "2026-01-01",
        "buckets": [
            {"name": "<=90", "dpd_min": 0, "dpd_max": 90, "base_rate": "0.10", "benchmark_rate": "0.85",
             "minimum_rate": "0.60"},
            {"name": "91-180", "dpd_min": 91, "dpd_max": 180, "base_rate": "0.18", "benchmark_rate": "0.65",
             "minimum_rate": "0.30"},
            {"name": "181-360", "dpd_min": 181, "dpd_max": 360, "base_rate": "0.25",
             "benchmark_rate": "0.45", "minimum_rate": "0.15"},
            {"name": ">=361", "dpd_min": 361, "dpd_max": None, "base_rate": "0.33", "benchmark_rate": "0.40",
             "minimum_rate": "0.05"},
        ],
        "reduction_pct": "0.20",
    }
    return body


async def test_put_and_get_fee_schedules(svc, client_id, schedule_body):
    problem(await svc.client.get(f"/v1/fee-schedules/{client_id}", headers=FIN), 404, "not-found")
    r = await svc.client.put(f"/v1/fee-schedules/{client_id}", json=schedule_body, headers=FIN)
    assert r.status_code == 201, r.text
    v1 = r.json()
    assert (v1["version"], v1["reduction_mode"], v1["cycle_months"], v1["consecutive_months_to_zero"],
            v1["rounding"]) == (1, "relative", 3, 3, "ROUND_HALF_UP")
    assert [b["reduced_rate"] for b in v1["buckets"]] == ["0.0800", "0.1440", "0.2000", "0.2640"]
    later = {**schedule_body, "effective_from": "2099-01-01", "reduction_pct": 0.25,
             "reduction_mode": "absolute", "note": "contract amendment 2"}
    r = await svc.client.put(f"/v1/fee-schedules/{client_id}", json=later, headers=H("admin"))
    assert r.status_code == 201 and r.json()["version"] == 2 and r.json()["reduction_pct"] == "0.25"
    r = await svc.client.get(f"/v1/fee-schedules/{client_id}", headers=H("auditor"))
    body = r.json()
    assert r.status_code == 200
    assert body["current"]["version"] == 1  # version 2 is not in force yet
    assert [v["version"] for v in body["versions"]] == [2, 1]
    assert body["versions"][0]["note"] == "contract amendment 2" and body["default_fallback"] is False


@pytest.mark.parametrize("mutate, field", [
    (lambda b: b["buckets"][1].update(dpd_min=95), "buckets[1]"),                      # a gap
    (lambda b: b["buckets"][2].update(minimum_rate="0.50"), "buckets[2].minimum_rate"),  # above benchmark
    (lambda b: b["buckets"][0].update(base_rate="1.5"), "buckets[0].base_rate"),        # not a fraction
    (lambda b: b["buckets"][0].update(base_rate="0.1234567"), "buckets[0].base_rate"),  # > 6 places
    (lambda b: b["buckets"][3].update(dpd_max=999), "buckets[3]"),                      # last not open-ended
    (lambda b: b.update(rounding="ROUND_SOMETIMES"), "rounding"),
    (lambda b: b.update(reduction_pct="-0.1"), "reduction_pct"),
    (lambda b: b.update(cycle_months=0), "cycle_months"),
    (lambda b: b.update(reduction_mode="sideways"), "reduction_mode"),
    (lambda b: b.update(surprise=1), "surprise"),
    (lambda b: b.update(buckets=[]), "buckets"),
    (lambda b: b.pop("effective_from"), "effective_from"),
])
async def test_bad_fee_schedule_is_422_with_field_errors(svc, client_id, schedule_body, mutate, field):
    mutate(schedule_body)
    r = await svc.client.put(f"/v1/fee-schedules/{client_id}", json=schedule_body, headers=FIN)
    body = problem(r, 422, "validation-error")
    assert any(e["field"].startswith(field) for e in body["errors"]), body["errors"]
    problem(await svc.client.get(f"/v1/fee-schedules/{client_id}", headers=FIN), 404)  # nothing stored


async def test_fee_schedule_accepts_aliases_and_default_names(svc, client_id):
    body = {"effective_from": "2026-01-01", "reduction_pct": "0.1", "buckets": [
        {"dpd_min": 0, "dpd_max": 180, "fee_rate": "0.12", "benchmark": "0.7", "minimum": "0.3"},
        {"dpd_min": 181, "dpd_max": None, "base": "0.3", "benchmark": 0.4, "minimum_standard": 0.05}]}
    r = await svc.client.put(f"/v1/fee-schedules/{client_id}", json=body, headers=FIN)
    assert r.status_code == 201, r.text
    assert [(b["name"], b["base_rate"], b["benchmark_rate"], b["minimum_rate"]) for b in r.json()["buckets"]] == [
        ("0-180", "0.12", "0.7", "0.3"), (">=181", "0.3", "0.4", "0.05")]


async def test_fee_schedule_roles(svc, client_id, schedule_body):
    for role in ("supervisor", "auditor", "team_lead"):
        problem(await svc.client.put(f"/v1/fee-schedules/{client_id}", json=schedule_body, headers=H(role)), 403)
    problem(await svc.client.put(f"/v1/fee-schedules/{client_id}", json=schedule_body,
                                 headers=H("client", client_id=client_id)), 403)
    problem(await svc.client.put("/v1/fee-schedules/bad%20id", json=schedule_body, headers=FIN), 422)


# --- statements -------------------------------------------------------------------------------

async def test_draft_statement(svc, scenario, client_id, check_aug):
    await scenario()
    r = await svc.client.get(f"/v1/statements/{client_id}/{AUG}", headers=FIN)
    assert r.status_code == 200, r.text
    doc = r.json()
    assert (doc["status"], doc["revision"], doc["latest_revision"]) == ("draft", None, None)
    check_aug(doc["lines"])
    line = doc["lines"][1]
    for key in ("placed", "recovered", "recovery_rate", "benchmark", "tier", "fee_rate", "fee"):
        assert key in line
    assert (line["placed"], line["recovered"], line["recovery_rate"], line["fee_rate"], line["fee"]) == (
        "36000.00", "7600.00", "0.3500", "0.1440", "1094.40")  # decimal strings, never floats
    assert doc["totals"]["fee"] == "1494.40"
    assert doc["schedule"] == {"version": 1, "source": "configured", "effective_from": "2026-01-01",
                               "rounding": "ROUND_HALF_UP", "reduction_mode": "relative",
                               "reduction_pct": "0.20", "cycle_months": 3, "consecutive_months_to_zero": 3}
    assert doc["cycle"]["window_start"] == "2026-06-01" and doc["cycle"]["window_end"] == "2026-08-31"
    assert [h["month"] for h in doc["below_minimum_history"]] == ["2026-06", "2026-07"]
    assert doc["not_counted"]["count"] == 4 and doc["not_counted"]["amount"] == "2550.00"
    for role in ("supervisor", "admin", "auditor"):
        assert (await svc.client.get(f"/v1/statements/{client_id}/{AUG}", headers=H(role))).status_code == 200


@pytest.mark.parametrize("month", ["2026-8", "2026-13", "26-08", "2026-08-01", "august", "1999-12"])
async def test_bad_month_is_422(svc, client_id, month):
    body = problem(await svc.client.get(f"/v1/statements/{client_id}/{month}", headers=FIN), 422,
                   "validation-error")
    assert body["errors"][0]["field"] == "month"
    problem(await svc.client.post(f"/v1/statements/{client_id}/{month}/issue", headers=FIN), 422)


async def test_no_fee_schedule_is_409(svc, client_id):
    body = problem(await svc.client.get(f"/v1/statements/{client_id}/{AUG}", headers=FIN), 409,
                   "no-fee-schedule")
    assert "PUT /v1/fee-schedules" in body["detail"]
    problem(await svc.client.get(f"/v1/recovery-rates/{client_id}?month={AUG}", headers=FIN), 409)


async def test_issue_reissue_and_revisions(svc, scenario, client_id, check_aug):
    ids = await scenario()
    base = f"/v1/statements/{client_id}/{AUG}"
    problem(await svc.client.post(f"{base}/reissue", json={"reason": "fix"}, headers=FIN), 409,
            "statement-not-issued")
    problem(await svc.client.post(f"{base}/issue", headers=H("auditor")), 403)
    problem(await svc.client.post(f"{base}/issue", headers=H("supervisor")), 403)
    r = await svc.client.post(f"{base}/issue", headers=FIN)
    assert r.status_code == 201, r.text
    doc = r.json()
    assert (doc["status"], doc["revision"], doc["issued_by"]) == ("issued", 1, "fin-1")
    check_aug(doc["lines"])
    body = problem(await svc.client.post(f"{base}/issue", headers=FIN), 409, "statement-already-issued")
    assert body["revision"] == 1
    problem(await svc.client.post(f"{base}/reissue", json={}, headers=FIN), 422)
    problem(await svc.client.post(f"{base}/reissue", json={"reason": "x"}, headers=FIN), 422)
    r = await svc.client.post(f"{base}/reissue", json={"reason": "bank resent CP data"}, headers=H("admin"))
    assert r.status_code == 201 and r.json()["revision"] == 2 and r.json()["reason"] == "bank resent CP data"
    cur = (await svc.client.get(base, headers=FIN)).json()
    old = (await svc.client.get(f"{base}?revision=1", headers=FIN)).json()
    assert (cur["revision"], cur["status"], old["status"], old["latest_revision"]) == (2, "issued", "superseded", 2)
    assert old["lines"] == doc["lines"]
    problem(await svc.client.get(f"{base}?revision=7", headers=FIN), 404)
    problem(await svc.client.get(f"{base}?revision=0", headers=FIN), 422)
    listing = (await svc.client.get(f"/v1/statements/{client_id}", headers=FIN)).json()
    assert [(s["month"], s["revision"], s["status"]) for s in listing["statements"]] == [
        (AUG, 2, "issued"), (AUG, 1, "superseded")]
    # the month that is not over cannot be issued
    body = problem(await svc.client.post(f"/v1/statements/{client_id}/2026-11/issue", headers=FIN), 409,
                   "month-not-over")
    assert "today is 2026-11-24" in body["detail"]
    # drill-down of the issued revision
    r = await svc.client.get(f"{base}/lines/91-180/cases?limit=2", headers=FIN)
    dd = r.json()
    assert r.status_code == 200 and (dd["status"], dd["revision"], dd["total"], len(dd["cases"])) == ("issued", 2, 3, 2)
    assert dd["sums"] == {"cases": 3, "placed": "56000.00", "excluded_placed": "20000.00",
                          "recovered_in_cycle": "12600.00", "recovered": "7600.00"}
    page2 = (await svc.client.get(f"{base}/lines/91-180/cases", params={"limit": 2, "cursor": dd["next_cursor"]},
                                  headers=FIN)).json()
    assert len(page2["cases"]) == 1 and page2["next_cursor"] is None and page2["total"] == 3
    seen = {c["case_id"] for c in dd["cases"]} | {c["case_id"] for c in page2["cases"]}
    assert seen == {str(ids[k]) for k in "AEG"}
    nc = (await svc.client.get(f"{base}/not-counted?revision=1", headers=FIN)).json()
    assert nc["total"] == 4 and {r["reason"] for r in nc["repayments"]} == {
        "after_placement_end", "after_recall", "case_unknown", "before_placement"}


async def test_client_system_reads_only_its_own_issued_statements(svc, scenario, client_id):
    await scenario()
    base = f"/v1/statements/{client_id}/{AUG}"
    me = H("client", client_id=client_id)
    other = H("client", client_id="someone-else")
    problem(await svc.client.get(base, headers=me), 404)  # a draft is not for the client
    problem(await svc.client.get(f"{base}/export.pdf", headers=me), 404)
    problem(await svc.client.get(f"{base}/lines/1/cases", headers=me), 404)
    problem(await svc.client.post(f"{base}/issue", headers=me), 403)
    assert (await svc.client.post(f"{base}/issue", headers=FIN)).status_code == 201
    r = await svc.client.get(base, headers=me)
    assert r.status_code == 200 and r.json()["status"] == "issued"
    assert (await svc.client.get(f"{base}/export.csv", headers=me)).status_code == 200
    assert (await svc.client.get(f"{base}/lines/1/cases", headers=me)).status_code == 200
    assert (await svc.client.get(f"/v1/statements/{client_id}", headers=me)).status_code == 200
    for path in (base, f"{base}/export.xlsx", f"{base}/lines/1/cases", f"{base}/not-counted",
                 f"/v1/statements/{client_id}"):
        problem(await svc.client.get(path, headers=other), 403)
    for path in (f"/v1/fee-schedules/{client_id}", f"/v1/recovery-rates/{client_id}?month={AUG}",
                 "/v1/exclusions", f"/v1/performance/{AUG}"):
        problem(await svc.client.get(path, headers=me), 403)
    problem(await svc.client.get(base, headers=H("team_lead", team_id="T1")), 403)


async def test_drill_down_errors_and_draft_paging(svc, scenario, client_id):
    await scenario()
    base = f"/v1/statements/{client_id}/{AUG}"
    problem(await svc.client.get(f"{base}/lines/nope/cases", headers=FIN), 404)
    problem(await svc.client.get(f"{base}/lines/9/cases", headers=FIN), 404)
    problem(await svc.client.get(f"{base}/lines/1/cases?limit=0", headers=FIN), 422)
    problem(await svc.client.get(f"{base}/lines/1/cases?limit=501", headers=FIN), 422)
    r = await svc.client.get(f"{base}/lines/%3C%3D90/cases", headers=FIN)  # "<=90" encoded
    assert r.status_code == 200 and r.json()["bucket"] == "<=90" and r.json()["status"] == "draft"
    assert r.json()["sums"]["recovered"] == "5000.00"
    nc = (await svc.client.get(f"{base}/not-counted?limit=1", headers=FIN)).json()
    assert (nc["status"], nc["total"], len(nc["repayments"])) == ("draft", 4, 1)


async def test_exports_routes(svc, scenario, client_id):
    await scenario()
    base = f"/v1/statements/{client_id}/{AUG}"
    for ext, media in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats"),
                       ("pdf", "application/pdf")):
        r = await svc.client.get(f"{base}/export.{ext}", headers=FIN)
        assert r.status_code == 200 and r.headers["content-type"].startswith(media)
        assert f'filename="statement-{client_id}-{AUG}-draft.{ext}"' in r.headers["content-disposition"]
    assert (await svc.client.get(f"{base}/export.pdf", headers=FIN)).content.startswith(b"%PDF")
    problem(await svc.client.get(f"/v1/statements/{client_id}/2026-13/export.csv", headers=FIN), 422)


# --- exclusions and recovery rates ------------------------------------------------------------

async def test_exclusions(svc, scenario, client_id):
    ids = await scenario(with_exclusion=False)
    body = {"case_id": str(ids["E"]), "kind": "death", "evidence_ref": "doc://death-cert/E",
            "evidence_sha256": "AB" * 32, "note": "火化证明"}
    before = (await svc.client.get(f"/v1/statements/{client_id}/{AUG}", headers=FIN)).json()["lines"][1]
    assert before["tier"] == "no_fee"
    problem(await svc.client.post("/v1/exclusions", json=body, headers=H("auditor")), 403)
    r = await svc.client.post("/v1/exclusions", json=body, headers=H("supervisor", sub="sup-1"))
    assert r.status_code == 201, r.text
    x = r.json()
    assert (x["takes_effect_in"], x["client_id"], x["recorded_by"], x["evidence_sha256"]) == (
        AUG, client_id, "sup-1", "ab" * 32)
    assert x["issued_revision_affected"] is None and x["placed_amount"] == "20000.00"
    after = (await svc.client.get(f"/v1/statements/{client_id}/{AUG}", headers=FIN)).json()["lines"][1]
    assert (after["excluded_placed"], after["placed"], after["tier"], after["fee"]) == (
        "20000.00", "36000.00", "reduced", "1094.40")
    problem(await svc.client.post("/v1/exclusions", json=body, headers=FIN), 409)
    problem(await svc.client.post("/v1/exclusions", json={**body, "case_id": str(uuid.uuid4())}, headers=FIN), 404)
    problem(await svc.client.post("/v1/exclusions", json={**body, "evidence_sha256": "xyz"}, headers=FIN), 422)
    problem(await svc.client.post("/v1/exclusions", json={**body, "kind": "bankrupt"}, headers=FIN), 422)
    problem(await svc.client.post("/v1/exclusions", json={**body, "evidence_ref": ""}, headers=FIN), 422)
    listing = (await svc.client.get(f"/v1/exclusions?client_id={client_id}", headers=H("auditor"))).json()
    assert listing["total"] == 1 and listing["exclusions"][0]["kind"] == "death"
    assert listing["next_cursor"] is None


async def test_recovery_rates(svc, scenario, client_id):
    await scenario()
    r = await svc.client.get(f"/v1/recovery-rates/{client_id}?month={AUG}&history=2", headers=H("auditor"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert [m["month"] for m in body["months"]] == ["2026-06", "2026-07", AUG]
    aug = body["months"][2]
    b = {x["bucket"]: x for x in aug["buckets"]}["91-180"]
    assert (b["placed_before_exclusions"], b["excluded_placed"], b["placed"], b["recovered_in_cycle"],
            b["recovery_rate"], b["recovery_rate_pct"]) == (
        "56000.00", "20000.00", "36000.00", "12600.00", "0.3500", "35.00%")
    assert "12,600.00" in b["formula"] and "repaid in cycle" in body["formula"]
    assert aug["total"]["placed"] == "155000.00" and aug["total"]["recovered_in_cycle"] == "25200.00"
    assert aug["cycle"]["window_start"] == "2026-06-01"
    for q in ("", "?month=2026-8", f"?month={AUG}&history=99"):
        problem(await svc.client.get(f"/v1/recovery-rates/{client_id}{q}", headers=FIN), 422)


# --- performance ------------------------------------------------------------------------------

async def test_collector_performance(svc, ev, apply, client_id):
    x, y = uuid.uuid4(), uuid.uuid4()
    t = lambda s: datetime.fromisoformat(f"2026-08-{s}+08:00")  # noqa: E731
    await apply(ev.received(x, placed_on=date(2026, 8, 1), amount="10000.00", dpd=50),
                ev.received(y, placed_on=date(2026, 8, 1), amount="5000.00", dpd=50))
    await apply(ev.allocated(x, collector_id=f"{client_id}-a", when=t("01T10:00:00"), team_id="T1"),
                ev.allocated(y, collector_id=f"{client_id}-a", when=t("01T10:00:00"), team_id="T1"),
                ev.allocated(x, collector_id=f"{client_id}-b", when=t("15T10:00:00"), team_id="T2"))
    a, b = f"{client_id}-a", f"{client_id}-b"
    await apply(
        ev.contact(x, collector_id=a, when=t("02T10:00:00"), effective=False),
        ev.contact(x, collector_id=a, when=t("02T11:00:00"), effective=False),
        ev.contact(x, collector_id=a, when=t("02T12:00:00"), ptp=("1000.00", date(2026, 8, 10))),
        ev.contact(y, collector_id=a, when=t("05T10:00:00"), ptp=("1000.00", date(2026, 8, 12))),
        ev.contact(x, collector_id=b, when=t("16T10:00:00"), ptp=("5000.00", date(2999, 12, 31))),
    )
    await apply(ev.paid(x, on=date(2026, 8, 1), amount="100.00", hour=9),   # before allocation: unattributed
                ev.paid(x, on=date(2026, 8, 10), amount="1000.00"),         # a; keeps a's PTP
                ev.paid(x, on=date(2026, 8, 20), amount="2000.00"),         # b
                ev.paid(y, on=date(2026, 8, 12), amount="500.00"))          # a; y's PTP broken
    r = await svc.client.get(f"/v1/performance/{AUG}?client_id={client_id}&by_day=true", headers=FIN)
    assert r.status_code == 200, r.text
    body = r.json()
    got = {c["collector_id"]: c for c in body["collectors"]}
    assert (got[a]["recovered"], got[a]["repayments"], got[a]["calls"], got[a]["effective_contacts"],
            got[a]["ptps_made"], got[a]["ptps_kept"], got[a]["ptps_decided"], got[a]["ptp_kept_rate"],
            got[a]["ptp_kept_rate_pct"]) == ("1500.00", 2, 4, 2, 2, 1, 2, "0.5000", "50.00%")
    assert (got[b]["recovered"], got[b]["ptps_made"], got[b]["ptps_decided"], got[b]["ptp_kept_rate"],
            got[b]["team_id"]) == ("2000.00", 1, 0, None, "T2")
    assert [d["day"] for d in got[a]["daily"]] == ["2026-08-02", "2026-08-05"]
    assert (body["unattributed"], body["total_recovered"]) == ("100.00", "3600.00")
    t2 = (await svc.client.get(f"/v1/performance/{AUG}?client_id={client_id}&team_id=T2", headers=FIN)).json()
    assert [c["collector_id"] for c in t2["collectors"]] == [b]
    # a team lead sees their own team only
    lead = (await svc.client.get(f"/v1/performance/{AUG}?client_id={client_id}",
                                 headers=H("team_lead", team_id="T1"))).json()
    assert [c["collector_id"] for c in lead["collectors"]] == [a] and lead["team_id"] == "T1"
    problem(await svc.client.get(f"/v1/performance/{AUG}?team_id=T2", headers=H("team_lead", team_id="T1")), 403)
    problem(await svc.client.get(f"/v1/performance/{AUG}", headers=H("team_lead")), 403)
    problem(await svc.client.get("/v1/performance/2026-00", headers=FIN), 422)


# --- paging and bounds (issue 14.5: nothing a client sends is a 500) ---------------------------

async def test_lists_page_with_opaque_cursors(svc, scenario, client_id):
    await scenario()
    base = f"/v1/statements/{client_id}/{AUG}"
    seen = []
    cursor = None
    while True:
        params = {"limit": 1, **({"cursor": cursor} if cursor else {})}
        page = (await svc.client.get(f"{base}/not-counted", params=params, headers=FIN)).json()
        assert page["total"] == 4 and page["limit"] == 1
        seen += [r["txn_ref"] for r in page["repayments"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = (await svc.client.get(f"{base}/not-counted", headers=FIN)).json()["repayments"]
    assert seen == [r["txn_ref"] for r in everything] and len(seen) == 4
    for month in ("2026-06", "2026-07"):
        assert (await svc.client.post(f"/v1/statements/{client_id}/{month}/issue", headers=FIN)).status_code == 201
    first = (await svc.client.get(f"/v1/statements/{client_id}", params={"limit": 1}, headers=FIN)).json()
    rest = (await svc.client.get(f"/v1/statements/{client_id}", params={"cursor": first["next_cursor"]},
                                 headers=FIN)).json()
    assert [s["month"] for s in first["statements"] + rest["statements"]] == ["2026-07", "2026-06"]
    assert rest["next_cursor"] is None


@pytest.mark.parametrize("path, params", [
    ("/v1/statements/{c}/2026-08", {"revision": 2**31}),
    ("/v1/statements/{c}/2026-08", {"revision": 10**30}),
    ("/v1/statements/{c}/2026-08/lines/1/cases", {"limit": 10**30}),
    ("/v1/statements/{c}/2026-08/lines/1/cases", {"cursor": "garbage!"}),
    ("/v1/statements/{c}/2026-08/lines/1/cases", {"cursor": "WzEsMl0"}),          # [1,2]: not a spell key
    ("/v1/statements/{c}/2026-08/lines/" + "9" * 5000 + "/cases", {}),           # bucket longer than a name
    ("/v1/statements/{c}/2026-08/not-counted", {"cursor": "WyIyMDI2LTA4LTAxIiwiYVx1MDAwMCJd"}),  # NUL
    ("/v1/statements/{c}", {"cursor": "WyIyMDI2LTA4LTAxIiw5OTk5OTk5OTk5OTld"}),  # revision beyond int4
    ("/v1/exclusions", {"cursor": "WzE4NDQ2NzQ0MDczNzA5NTUxNjE2XQ"}),              # [2**64]: beyond bigint
    ("/v1/recovery-rates/{c}", {"month": "2026-08", "history": 10**30}),
])
async def test_out_of_range_and_forged_values_are_422(svc, client_id, path, params):
    r = await svc.client.get(path.format(c=client_id), params=params, headers=FIN)
    problem(r, 422, "validation-error")
