"""The collector's day in the console (issue 13) in a real Chromium against the real stack (intake,
allocation, contact, billing and fieldops as processes): a collector signs in and finds a new case
at the top of the worklist (50 rows: the drawing time is printed), opens it with the keyboard, dials at 21:05
debtor time and is refused with the reason and the next allowed time shown; at 10:00 the next
morning the dial goes through, the promise is logged on the contact form (field errors first), and
once intake receives the repayment the case page shows the promise kept. Another collector finds
a caller by phone number (sent in the body: the number is in no URL) and logs the inbound call; a
team lead sees the team's list and the complaints; a data specialist confirms a claimed payment; the
collector asks fieldops for a visit from the case page.

Every service runs on one business clock (stack.set_clock): Monday 2026-11-30 21:05 Beijing time,
then Tuesday 10:00. The browser keeps the real clock (the tokens it holds expire by it).
"""

from __future__ import annotations

import asyncio
import re
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest_asyncio

from recoup_local.demo import make_placement
from recoup_local.demo_allocation import DEMO_TEAM_ID, setup_demo_team

from .conftest import ConsoleSite, api, browser_page, eventually, field, running_site, shot, sign_in

NIGHT = "fixed:2026-11-30T21:05:00+08:00"      # a Monday: 21:05 is outside R-14's 08:00-21:00
MORNING = "fixed:2026-12-01T10:00:00+08:00"    # the next morning
PROMISED_ON = "2026-12-03"
CASES = 58
COLLECTOR, OTHER = "demo-c01", "demo-c02"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def contact_site(stack):
    stack.set_clock(NIGHT)   # every service of the stack reads this one clock
    try:
        # the local PBX answers every call: the record of a connected call matches its CDR
        # fieldops takes the collector's visit request; it plans no day by itself here
        async with running_site(stack, ("intake", "allocation", "contact", "billing", "fieldops"), client_name="电催测试银行",
                                env={"RECOUP_LOCAL_PBX_ANSWER_PCT": "100", "RECOUP_AUTO_PLAN": "false"}) as site:
            yield site, await _seed(site)
    finally:
        stack.set_clock(None)


async def _seed(site: ConsoleSite) -> dict[str, Any]:
    """CASES new cases of the client (two of them one debtor's: a joint debt, R-7), allocated by
    hand to the demo collector, through the services' client APIs."""
    intake, alloc, contact = (site.services[n] for n in ("intake", "allocation", "contact"))
    cid = site.client_id
    await setup_demo_team(alloc, cid)
    await api("PUT", f"{alloc}/v1/client-rules/{cid}", "admin", sub="e2e-admin", json={
        "dedicated_team_ids": [DEMO_TEAM_ID], "default_strategy": "comprehensive", "auto_allocate": False,
        "rotation_enabled": False})
    body = make_placement(CASES, placement_ref=site.placement_ref, seed=45, placed_on=date(2026, 11, 27))
    for case in body["cases"]:
        case.pop("flags", None)   # no client hold: the gate's refusal is the calling window's
    body["cases"][1]["debtor"] = dict(body["cases"][0]["debtor"])   # the same debtor twice: a joint debt
    await api("POST", f"{intake}/v1/placements", "client", client_id=cid, json=body)
    rows = (await api("GET", f"{intake}/v1/placements/{site.placement_ref}/cases", "client", client_id=cid))["items"]
    assert len(rows) == CASES
    account = {r["case_id"]: body["cases"][r["row"]]["account_ref"] for r in rows}
    mobile = {r["case_id"]: body["cases"][r["row"]]["phones"][0]["number"] for r in rows}
    joint = [r["case_id"] for r in sorted(rows, key=lambda r: r["row"])[:2]]

    async def pooled():
        page = await api("GET", f"{alloc}/v1/cases", "admin", sub="e2e-admin",
                         params={"status": "unassigned", "client_id": cid, "limit": 1000})
        return len(page["items"]) == CASES
    await eventually(pooled, "allocation to pool the cases")
    r = await api("POST", f"{alloc}/v1/allocations/manual", "admin", sub="e2e-admin", json={
        "case_ids": list(account), "collector_id": COLLECTOR, "force": True})
    assert r["committed"] == CASES, r

    async def in_worklist():
        page = await api("GET", f"{contact}/v1/worklist", "collector", sub=COLLECTOR, team_id=DEMO_TEAM_ID,
                         params={"client_id": cid, "limit": 1})
        return page["totals"]["cases"] == CASES
    await eventually(in_worklist, "the cases in the collector's worklist")

    async def fieldops_knows():
        r = await api("GET", f"{site.services['fieldops']}/v1/cases/{rows[-1]['case_id']}/addresses", "collector",
                      sub=COLLECTOR, expect=(200, 403, 404))
        return isinstance(r, list) and r
    await eventually(fieldops_knows, "fieldops to know the cases and their owner")
    return {"account": account, "mobile": mobile, "joint": joint}


async def _timing(page, label: str, rows: int) -> dict[str, Any]:
    # polled from here: evaluating a string in the page would need unsafe-eval, which the CSP refuses
    for _ in range(100):
        found = await page.evaluate(f"(window.__recoupTimings || []).filter(t => t.label === '{label}' && t.rows === {rows}).pop()")
        if found:
            return found
        await asyncio.sleep(0.05)
    raise AssertionError(f"the console recorded no drawing time for {label}")


async def _debtor_mobile(site: ConsoleSite, case_id: str) -> dict[str, Any]:
    detail = await api("GET", f"{site.services['contact']}/v1/cases/{case_id}", "collector", sub=COLLECTOR,
                       team_id=DEMO_TEAM_ID)
    return next(p for p in detail["contact_points"] if p["party"] == "debtor" and p["kind"] == "mobile"
                and p["state"] != "invalid")


async def _pick(page, test_id: str, text: str) -> None:
    """An Element Plus select: open it, click the option (its list is teleported to the body)."""
    await page.click(f"[data-test={test_id}]")
    await page.locator(f".el-select-dropdown__item:visible:has-text('{text}')").first.click()


async def test_collector_is_refused_at_night_then_promises_and_sees_it_kept(page, contact_site, stack, capsys):
    site, state = contact_site
    await sign_in(page, site, COLLECTOR)
    await page.wait_for_selector("[data-test=card-collector-home] [data-test=home-due-today]")
    assert await page.locator("[data-test=menu-worklist].is-disabled").count() == 0

    # the worklist: 50 rows a page, the new cases due today at the top; the drawing time printed
    await page.click("[data-test=menu-worklist]")
    await page.wait_for_selector("[data-test=worklist] tbody tr:nth-child(50)")
    timing = await _timing(page, "worklist", 50)
    with capsys.disabled():
        print(f"\n  console: 50-row worklist page drawn {timing['ms']} ms after the API's answer (measured, not asserted)")
    assert await page.locator("[data-test=worklist] tbody tr").count() == 50
    totals = re.search(r"共 (\d+) 户", await page.inner_text("[data-test=worklist-totals]"))
    assert totals and int(totals.group(1)) >= CASES   # the whole filter's count, not the page's
    # this client's cases (the session's other suites give the demo collector cases of their own
    # clients, just as new): the filter lives in the page's address
    await page.goto(f"{site.url}/contact/worklist?client={site.client_id}")
    await page.wait_for_selector(f"[data-test=worklist] tbody tr:has-text('{site.client_id}')")
    top = page.locator("[data-test=worklist] tbody tr").first
    assert await top.locator("[data-test=badge-new]").count() == 1          # never contacted
    assert site.client_id in await top.inner_text()
    href = await top.locator("[data-test=open-case]").get_attribute("href")
    case_id = href.rsplit("/", 1)[-1]
    assert case_id in state["account"]
    await shot(page, "worklist")

    # keyboard: j moves down, k back up, Enter opens the selected (top) case
    rows = page.locator("[data-test=worklist] tbody tr")
    assert "wl-selected" in (await rows.nth(0).get_attribute("class") or "")
    await page.keyboard.press("j")
    assert "wl-selected" in (await rows.nth(1).get_attribute("class") or "")
    await page.keyboard.press("k")
    assert "wl-selected" in (await rows.nth(0).get_attribute("class") or "")
    await page.keyboard.press("Enter")
    await page.wait_for_url(f"**/contact/cases/{case_id}")
    await page.wait_for_selector("[data-test=contact-case] [data-test=phones]")
    assert "*" in await page.inner_text("[data-test=phones]")                # numbers masked

    # 21:05 debtor time: no PBX line yet (a field error), then the gate refuses
    mobile = await _debtor_mobile(site, case_id)
    await page.click(f"[data-test=dial-{mobile['point_id']}]")
    await page.wait_for_selector("[data-test=agent-line]")
    await field(page, "agent-extension").fill("8001")
    await page.click("[data-test=agent-save]")
    await page.wait_for_selector("[data-test=agent-line] .ok")
    await page.click(f"[data-test=dial-{mobile['point_id']}]")
    refusal = page.locator("[data-test=dial-refusal]")
    await refusal.wait_for()
    text = await refusal.inner_text()
    assert "不在允许时段内" in text and "R-14" in text, text
    assert "2026-12-01 08:00 (Asia/Shanghai)" in await refusal.locator("[data-test=next-debtor]").inner_text()
    assert "2026-12-01 08:00" in await refusal.locator("[data-test=next-mine]").inner_text()
    await shot(page, "dial-refused")

    # 10:00 the next morning: the dial goes through and the contact form opens on the call
    stack.set_clock(MORNING)
    await page.reload()
    await page.wait_for_selector(f"[data-test=dial-{mobile['point_id']}]")
    await page.click(f"[data-test=dial-{mobile['point_id']}]")
    form = page.locator("[data-test=contact-form]")
    await form.locator("[data-test=record-code]").wait_for()
    await _pick(page, "record-code", "PTP · 承诺还款")
    assert "承诺还款" in await form.locator("[data-test=record-status-fixed]").inner_text()
    # without the amount and the day: the service's reasons, field by field
    await form.locator("[data-test=record-submit]").click()
    await form.locator(".el-form-item__error").first.wait_for()
    await shot(page, "contact-form-errors")
    detail = await api("GET", f"{site.services['contact']}/v1/cases/{case_id}", "collector", sub=COLLECTOR, team_id=DEMO_TEAM_ID)
    amount = min(Decimal("1000.00"), Decimal(detail["outstanding"]))
    await field(form, "promise-amount").fill(f"{amount:.2f}")
    due = field(form, "promise-due")
    await due.fill(PROMISED_ON)
    await due.press("Enter")
    await field(form, "record-notes").fill("答应周四前先还一部分")
    await shot(page, "contact-form")
    await form.locator("[data-test=record-submit]").click()
    await form.wait_for(state="hidden")
    await page.wait_for_selector("[data-test=promise-state]:has-text('履约中')")

    # the client reports the repayment to intake; contact matches it: the promise is kept
    home = f"{site.services['contact']}/v1/me/home"
    month = MORNING.split(":", 1)[1][:7]                 # "2026-12"
    def recovered(h: dict) -> Decimal:    # the collector's month so far (other cases' repayments too)
        return sum((Decimal(m["recovered"]) for m in h["recovered_by_month"] if m["month"] == month), Decimal(0))
    before = recovered(await api("GET", home, "collector", sub=COLLECTOR, team_id=DEMO_TEAM_ID))
    await api("POST", f"{site.services['intake']}/v1/repayments", "client", client_id=site.client_id, json={"repayments": [
        {"account_ref": state["account"][case_id], "amount": f"{amount:.2f}", "paid_at": "2026-12-01T10:00:00+08:00",
         "txn_ref": f"CC-{uuid.uuid4().hex[:8]}", "channel": "bank"}]})

    async def kept():
        await page.click("[data-test=case-refresh]")
        await page.wait_for_selector("[data-test=promise-state]")
        return "已兑现" in await page.inner_text("[data-test=promise-state]")
    await eventually(kept, "the case page to show the promise kept", timeout=60)
    await page.wait_for_selector("[data-test=timeline-promise_kept]")
    assert await page.locator("[data-test=timeline-repayment]").count() == 1
    await shot(page, "case-page")

    # the home page: this month's recovered amount, today's due list
    await page.click("[data-test=menu-dashboard]")
    chart = page.locator("[data-test=recovered-by-month]")
    await chart.wait_for()
    after = recovered(await api("GET", home, "collector", sub=COLLECTOR, team_id=DEMO_TEAM_ID))
    assert after == before + amount and f"{after:,.2f}" in await chart.inner_text()
    await shot(page, "dashboard-collector")


async def test_inbound_lookup_finds_the_caller_and_the_number_stays_out_of_urls(browser, contact_site):
    site, state = contact_site
    case_id, number = next(iter(state["mobile"].items()))
    urls: list[str] = []
    async with browser_page(browser) as page:
        page.on("request", lambda r: urls.append(r.url))
        await sign_in(page, site, OTHER)   # another collector: any collector takes an inbound call
        await page.click("[data-test=menu-inbound]")
        await field(page, "lookup-value").fill(number)
        await page.click("[data-test=lookup-submit]")
        rows = page.locator("[data-test=lookup-results] tbody tr")
        await rows.first.wait_for()
        text = await rows.first.inner_text()
        assert site.client_id in text and COLLECTOR in text and "*" in text   # not theirs: little shown, masked
        await shot(page, "inbound-lookup")
        assert number not in page.url and all(number not in u for u in urls)
        assert number not in await page.evaluate("location.href + document.title")

        # the inbound call is logged on the client's code table (R-15: an inbound call is exempt)
        await rows.first.locator("[data-test=lookup-log]").click()
        form = page.locator("[data-test=contact-form]")
        await form.locator("[data-test=record-code]").wait_for()
        await _pick(page, "record-code", "RS · 本人可联")
        await _pick(page, "record-result", "接通")
        await field(form, "record-notes").fill("本人来电询问还款方式")
        await form.locator("[data-test=record-submit]").click()
        await form.wait_for(state="hidden")
    records = await api("GET", f"{site.services['contact']}/v1/cases/{case_id}/records", "supervisor", sub="e2e-sup")
    inbound = [r for r in records["items"] if r["channel"] == "inbound_call"]
    assert inbound and inbound[0]["collector_id"] == OTHER and inbound[0]["code"] == "RS"


async def test_team_lead_sees_the_team_list_and_complaints_and_a_claim_is_confirmed(browser, contact_site):
    site, state = contact_site
    contact = site.services["contact"]
    cases = [c for c in state["account"] if c not in state["joint"]]
    who = {"sub": COLLECTOR, "team_id": DEMO_TEAM_ID}
    await api("POST", f"{contact}/v1/cases/{cases[2]}/complaints", "collector", **who, json={
        "channel": "debtor", "allegations": ["threat"], "calmed": False, "description": "债务人称被威胁"})
    claim = await api("POST", f"{contact}/v1/cases/{cases[3]}/claimed-payments", "collector", **who, json={
        "amount": "300.00", "paid_on": "2026-11-30", "channel": "手机银行", "proof_ref": "截图"})

    async with browser_page(browser) as page:
        await sign_in(page, site, "demo-lead")
        await page.click("[data-test=menu-worklist]")
        await page.wait_for_selector("[data-test=scope-team].is-active")
        await page.wait_for_selector("[data-test=worklist] tbody tr")
        # the team's list: this collector's cases among the team's others (other suites' cases of the
        # demo team may sort first)
        assert COLLECTOR in await page.inner_text("[data-test=worklist] tbody")
        await page.click("[data-test=filter-overdue]")
        await page.wait_for_selector("[data-test=worklist-totals]")
        await page.click("[data-test=filter-overdue]")
        await shot(page, "worklist-team")
        # the same debtor's other case is on the case page
        first, second = state["joint"]
        await page.goto(f"{site.url}/contact/cases/{first}")
        await page.wait_for_selector(f"[data-test=joint-cases]:has-text('{second[:8]}')")
        assert await page.locator("[data-test=contact-case] [data-test=badge-joint]").count() == 1
        await page.click("[data-test=menu-complaints]")
        row = page.locator(f"[data-test=complaints] tbody tr:has-text('{cases[2][:8]}')")
        await row.wait_for()
        assert "严重" in await row.inner_text() and "已暂停" in await row.inner_text()   # serious holds the case
        await shot(page, "complaints")

    async with browser_page(browser) as page:
        await sign_in(page, site, "demo-data")
        await page.click("[data-test=menu-claims]")
        row = page.locator(f"[data-test=claims] tbody tr:has-text('{cases[3][:8]}')")
        await row.wait_for()
        await row.locator("[data-test=claim-confirm]").click()
        await field(page, "claim-txn-ref").fill("BANK-20261130-001")
        await page.click("[data-test=claim-submit]")
        await page.locator("[data-test=claim-dialog]").wait_for(state="hidden")
        await shot(page, "claims")
    decided = await api("GET", f"{contact}/v1/claimed-payments", "supervisor", sub="e2e-sup",
                        params={"state": "confirmed", "client_id": site.client_id})
    assert [c["claim_id"] for c in decided["items"]] == [claim["claim_id"]]


async def test_collector_requests_a_field_visit_from_the_case_page(browser, contact_site):
    site, state = contact_site
    case_id = [c for c in state["account"] if c not in state["joint"]][4]
    async with browser_page(browser) as page:
        await sign_in(page, site, COLLECTOR)
        await page.goto(f"{site.url}/contact/cases/{case_id}")
        await page.click("[data-test=open-visit-request]")
        dialog = page.locator("[data-test=visit-request]")
        await dialog.locator("[data-test=visit-address] .el-radio").first.click()   # fieldops' addresses, masked
        assert "*" in await dialog.locator("[data-test=visit-address]").inner_text()
        await field(dialog, "visit-reason").fill("电话多次未接通，需上门核实住址")
        await dialog.locator("[data-test=visit-submit]").click()
        await dialog.wait_for(state="hidden")
    visits = await api("GET", f"{site.services['fieldops']}/v1/visits", "supervisor", sub="e2e-sup", params={"case_id": case_id})
    assert [(v["requested_by"], v["state"], v["purpose"]) for v in visits["items"]] == [(COLLECTOR, "requested", "press_for_payment")]
