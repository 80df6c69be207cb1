"""The compliance screens of the console (contact's stored policy, R-14..R-18, and quality
inspection, R-48) in a real Chromium against the real stack (intake and contact as processes):
a supervisor changes a client's calling windows — the service's 422 shown beside the day's input
first — sees the new version with who and why in the history, and the case page of one of that
client's cases shows the new window as the client level's and, asked about tomorrow 23:30, the
gate's refusal (R-14) without reserving anything; an auditor opens an inspection item of
another collector's contact, is told first that an 'other' finding needs a note, fails it and sees
the finding counted in the violations per collector of the month.

The business clock is the real one: an inbound call (exempt from the windows, R-15) is the contact
inspected, and the violations are of the current month in the business zone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest_asyncio

from recoup_local.demo import make_placement

from .conftest import ConsoleSite, api, browser_page, eventually, field, running_site, shot, sign_in

CASES = 4
COLLECTOR = "demo-c03"
SUPERVISOR, AUDITOR = "demo-supervisor", "demo-auditor"


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def compliance_site(stack):
    async with running_site(stack, ("intake", "contact"), client_name="合规测试银行") as site:
        yield site, await _seed(site)


async def _seed(site: ConsoleSite) -> dict[str, Any]:
    """A few cases of a fresh client in contact, one inbound call logged by a collector on one of
    them, and that record queued for inspection (an inspector may queue any record, R-48)."""
    intake, contact = site.services["intake"], site.services["contact"]
    body = make_placement(CASES, placement_ref=site.placement_ref, seed=48)
    for case in body["cases"]:
        case.pop("flags", None)   # no client holds: the policy is the levels' alone
    await api("POST", f"{intake}/v1/placements", "client", client_id=site.client_id, json=body)

    async def in_contact():
        rows = (await api("GET", f"{intake}/v1/placements/{site.placement_ref}/cases", "client",
                          client_id=site.client_id, expect=(200, 404, 409))) or {}
        ids = [r["case_id"] for r in rows.get("items", [])] if isinstance(rows, dict) else []
        if len(ids) < CASES:
            return None
        for case_id in ids:
            r = await api("GET", f"{contact}/v1/cases/{case_id}", "supervisor", sub="e2e-sup", expect=(200, 404))
            if not isinstance(r, dict) or "case_id" not in r:
                return None
        return ids
    case_ids = await eventually(in_contact, "contact to receive the cases")
    record = await api("POST", f"{contact}/v1/cases/{case_ids[0]}/records", "collector", sub=COLLECTOR, json={
        "channel": "inbound_call", "party": "debtor", "result": "connected", "code": "RS",
        "notes": "债务人来电，自称已还款，催收员答应免除利息"})
    item = await api("POST", f"{contact}/v1/compliance/inspections", "auditor", sub="e2e-auditor",
                     json={"record_id": record["record_id"]})
    return {"cases": case_ids, "item": item}


async def _pick(page, test_id: str, text: str) -> None:
    """An Element Plus select: open it, click the option (its list is teleported to the body) and
    wait for the list to close, so that the next select's list is the only one shown."""
    await page.click(f"[data-test={test_id}]")
    option = page.locator(f".el-select-dropdown__item:visible:has-text('{text}')").first
    await option.click()
    await option.wait_for(state="hidden")


async def test_supervisor_changes_a_clients_calling_window_and_the_case_policy_follows(browser, compliance_site):
    site, state = compliance_site
    contact, case_id = site.services["contact"], state["cases"][1]
    before = await api("GET", f"{contact}/v1/cases/{case_id}/policy", "supervisor", sub="e2e-sup")
    mon = next(v for v in before["values"] if v["key"] == "windows.mon")
    assert mon["level"] in ("default", "system") and mon["value"] != ["09:00-20:00"], mon

    async with browser_page(browser) as page:
        await sign_in(page, site, SUPERVISOR)
        await page.click("[data-test=menu-contact-policies]")
        current = page.locator("[data-test=policy-current]")
        await current.locator("[data-test=policy-edit]").wait_for()
        assert "沿用上一级" in await current.inner_text()      # no client version yet
        await current.locator("[data-test=policy-edit]").click()
        dialog = page.locator("[data-test=policy-dialog]")
        await field(dialog, "policy-window-mon").fill("09:00-12:00, 11:00-20:00")   # overlapping: the service says so
        await field(dialog, "policy-reason").fill("委托方要求周一 20 点后不再拨打")
        await dialog.locator("[data-test=policy-submit]").click()
        mon_error = dialog.locator(".el-form-item:has([data-test=policy-window-mon]) .el-form-item__error")
        await mon_error.wait_for()
        assert (await mon_error.inner_text()).strip()
        await shot(page, "contact-policy-errors")
        assert (await api("GET", f"{contact}/v1/clients/{site.client_id}/policy", "supervisor", sub="e2e-sup"))["version"] == 0

        await field(dialog, "policy-window-mon").fill("09:00-20:00")
        await dialog.locator("[data-test=policy-submit]").click()
        await dialog.wait_for(state="hidden")
        await current.locator("[data-test=policy-version]:has-text('第 1 版')").wait_for()
        history = page.locator("[data-test=policy-history] tbody tr")
        await history.first.wait_for()
        row = await history.first.inner_text()
        assert "v1" in row and SUPERVISOR in row and "委托方要求周一 20 点后不再拨打" in row and "windows.mon" in row, row
        await shot(page, "contact-policies")

        # the case page of one of the client's cases: the new window, set by the client level
        await page.goto(f"{site.url}/contact/cases/{case_id}")
        await page.click("#tab-policy")
        level = page.locator('[data-test="level-windows.mon"]')
        await level.wait_for()
        assert "委托方 v1" in await level.inner_text()
        mon_row = page.locator("[data-test=case-policy-values] tbody tr:has([data-test='level-windows.mon'])")
        assert "09:00-20:00" in await mon_row.inner_text()
        await mon_row.scroll_into_view_if_needed()
        await shot(page, "case-policy")

        # the gate's decision for a moment, nothing reserved: tomorrow 23:30 is outside every window
        tomorrow = (datetime.now(ZoneInfo("Asia/Shanghai")) + timedelta(days=1)).date()
        panel = page.locator("[data-test=evaluate]")
        await field(panel, "evaluate-at").fill(f"{tomorrow} 23:30")
        await panel.locator("[data-test=evaluate-run]").click()
        decision = panel.locator("[data-test=evaluate-decision]")
        await decision.wait_for()
        text = await decision.inner_text()
        assert "不允许" in text and "R-14" in text and "不在允许时段内" in text, text
        await decision.scroll_into_view_if_needed()
        await shot(page, "case-policy-evaluate")

    after = await api("GET", f"{contact}/v1/cases/{case_id}/policy", "supervisor", sub="e2e-sup")
    mon = next(v for v in after["values"] if v["key"] == "windows.mon")
    assert (mon["level"], mon["version"], mon["value"]) == ("client", 1, ["09:00-20:00"])


async def test_auditor_fails_an_inspection_item_and_sees_the_violation_counted(browser, compliance_site):
    site, state = compliance_site
    item_id = state["item"]["item_id"]
    async with browser_page(browser) as page:
        await sign_in(page, site, AUDITOR)
        await page.wait_for_selector("[data-test=card-quality] .stat")
        await page.click("[data-test=menu-quality]")
        row = page.locator(f"[data-test=inspections] tbody tr:has([data-test=open-item-{item_id}])")
        await row.wait_for()
        assert COLLECTOR in await row.inner_text()
        await shot(page, "quality-queue")
        await row.locator(f"[data-test=open-item-{item_id}]").click()

        drawer = page.locator("[data-test=inspection]")
        await drawer.locator("[data-test=inspection-detail]").wait_for()
        assert "免除利息" in await drawer.inner_text()
        await drawer.locator("[data-test=verdict-failed]").click()
        await drawer.locator("[data-test=add-finding]").click()
        await _pick(page, "finding-kind-0", "未经授权承诺减免")
        await drawer.locator("[data-test=add-finding]").click()
        await _pick(page, "finding-kind-1", "其他")
        await drawer.locator("[data-test=verdict-submit]").click()
        note_error = drawer.locator("[data-test=finding-1] .el-form-item__error")
        await note_error.wait_for()                       # 'other' says what was found
        await shot(page, "quality-verdict")
        await field(drawer, "finding-note-1").fill("未核实即称已还款")
        await drawer.locator("[data-test=verdict-submit]").click()
        await drawer.wait_for(state="hidden")

        item = await api("GET", f"{site.services['contact']}/v1/compliance/inspections/{item_id}", "auditor", sub="e2e-auditor")
        assert (item["state"], item["inspector_id"]) == ("failed", AUDITOR)
        assert sorted(f["kind"] for f in item["findings"]) == ["other", "unauthorised_waiver"]

        # the month's violations: the collector's two findings
        await page.click("#tab-violations")
        collector_row = page.locator(f"[data-test=violations] tbody tr:has-text('{COLLECTOR}')").first
        await collector_row.wait_for()
        text = await collector_row.inner_text()
        assert text.split()[-1] == "2", text            # the total column
        await shot(page, "quality-violations")

    month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
    v = await api("GET", f"{site.services['contact']}/v1/compliance/violations", "admin", sub="e2e-admin",
                  params={"month": month, "collector_id": COLLECTOR})
    assert v["collectors"][0]["findings"] == {"other": 1, "unauthorised_waiver": 1}, v
