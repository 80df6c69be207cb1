"""Field visits in the console (issue 13, R-34..R-38) in a real Chromium against the real stack:
a collector's visit request (pushed through fieldops' client API) is approved in the browser by
the field manager and then by the phone manager, the deadline appears; the day is planned for
every field team and shown per team, grouped by area; an agent on a phone-sized screen sees the
visit on their day, marks the arrival, uploads the door-plate photo (its SHA-256 computed by the
browser) and records a promise — which fieldops then holds, with the photo's digest.

Every service runs on one business clock from Monday 2026-12-07 19:00 Beijing time: a working day,
in the evening band of home visits (R-36) and inside the R-14 window. The browser keeps the real
clock (the tokens it holds expire by it); the planner's day is typed in, as a user would.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
import zlib
from datetime import date
from typing import Any

import pytest_asyncio

from recoup_local.demo import make_placement
from recoup_local.demo_allocation import DEMO_LEAD, setup_demo_team

from .conftest import ConsoleSite, api, browser_page, eventually, field, running_site, shot, sign_in

CLOCK = "from:2026-12-07T19:00:00+08:00"
DAY, PROMISED = "2026-12-07", "2026-12-12"
AGENTS = ("demo-field", "demo-field2")   # the development sign-in's field agents (R-36: two)


def door_photo() -> bytes:
    """A small real PNG (a grey door plate), so the browser uploads an actual image."""
    width, height = 64, 40
    raw = b"".join(b"\x00" + bytes([128, 128, 140]) * width for _ in range(height))
    chunk = lambda kind, data: (struct.pack(">I", len(data)) + kind + data  # noqa: E731
                                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


PHOTO = door_photo()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def field_site(stack):
    stack.set_clock(CLOCK)   # every service of the stack reads this one clock
    try:
        # no automatic plan of tomorrow at 18:00: the day is planned in the browser
        async with running_site(stack, ("intake", "allocation", "fieldops"), client_name="外访测试银行",
                                env={"RECOUP_AUTO_PLAN": "false"}) as site:
            state = await _seed(site)
            yield site, state
    finally:
        stack.set_clock(None)


async def _seed(site: ConsoleSite) -> dict[str, Any]:
    """A case of the client allocated to a demo collector (phone team: the demo team, whose lead
    is the phone manager), a field team covering its home address with the two demo agents, and
    the collector's visit request — all through the services' client APIs."""
    intake, alloc, fo = (site.services[n] for n in ("intake", "allocation", "fieldops"))
    tag, cid = uuid.uuid4().hex[:6], site.client_id
    await setup_demo_team(alloc, cid)   # automatic allocation to the demo team
    body = make_placement(1, placement_ref=site.placement_ref, seed=34, placed_on=date(2026, 12, 1))
    for case in body["cases"]:
        case.pop("flags", None)   # no client hold on the case
    await api("POST", f"{intake}/v1/placements", "client", client_id=cid, json=body)
    cases = (await api("GET", f"{intake}/v1/placements/{site.placement_ref}/cases", "client", client_id=cid))["items"]
    case_id = cases[0]["case_id"]

    async def owner():
        r = await api("GET", f"{alloc}/v1/cases/{case_id}", "admin", sub="e2e-admin", expect=(200, 404))
        return r.get("collector_id") if isinstance(r, dict) else None
    collector = await eventually(owner, "the case allocated to a demo collector")

    async def addresses():
        # 404 until fieldops has the case, 403 until it has the owner too (case.allocated may trail)
        r = await api("GET", f"{fo}/v1/cases/{case_id}/addresses", "collector", sub=collector, expect=(200, 403, 404))
        return r if isinstance(r, list) and r else None
    home = next(a for a in await eventually(addresses, "fieldops to know the case") if a["kind"] != "work")
    team = f"f-{tag}"
    await api("PUT", f"{fo}/v1/field-teams/{team}", "supervisor", sub="e2e-sup", json={
        "name": f"外访{tag[:2]}组", "coverage": [{"province": home["province"], "city": home["city"]}]})
    for i, agent in enumerate(AGENTS):
        await api("PUT", f"{fo}/v1/field-agents/{agent}", "supervisor", sub="e2e-sup",
                  json={"name": ("钱勇", "孙浩")[i], "team_id": team, "active": True})
    visit = await api("POST", f"{fo}/v1/visits", "collector", sub=collector, json={
        "case_id": case_id, "address_id": home["address_id"], "purpose": "press_for_payment",
        "reason": "电话承诺两次未兑现，需上门核实"})
    return {"case_id": case_id, "collector": collector, "team": team, "visit_id": visit["visit_id"], "home": home}


async def _approve(page, site: ConsoleSite, visit_id: str, sub: str, role: str, comment: str) -> None:
    await sign_in(page, site, sub)
    await page.click("[data-test=menu-visit-approvals]")
    row = page.locator(f"[data-test=visits] tbody tr:has-text('电话承诺两次未兑现')").first
    await row.wait_for()
    await row.locator("[data-test=approve]").click()
    dialog = page.locator("[data-test=decide-dialog]")
    await dialog.locator(f"[data-test=role-{role}]").click()
    await field(dialog, "decide-text").fill(comment)
    await dialog.locator("[data-test=decide-submit]").click()
    await dialog.wait_for(state="hidden")


async def test_field_and_phone_managers_approve_a_visit(page, browser, field_site):
    site, state = field_site
    fieldops = site.services["fieldops"]
    # the field manager (a supervisor, seed 001): the queue shows the request, masked
    await sign_in(page, site, "demo-supervisor")
    await page.click("[data-test=menu-visit-approvals]")
    await page.wait_for_selector("[data-test=visits] tbody tr:has-text('电话承诺两次未兑现')")
    assert "*" in await page.inner_text("[data-test=visits] tbody tr:has-text('电话承诺两次未兑现')")  # R-46 masked
    await shot(page, "visit-approvals")
    # an approval without a comment is refused by fieldops, field by field (problem+json)
    row = page.locator("[data-test=visits] tbody tr:has-text('电话承诺两次未兑现')").first
    await row.locator("[data-test=approve]").click()
    dialog = page.locator("[data-test=decide-dialog]")
    await dialog.locator("[data-test=role-field_manager]").click()
    await dialog.locator("[data-test=decide-submit]").click()
    await dialog.locator(".el-form-item__error").first.wait_for()
    await shot(page, "visit-approval-field-error")
    await field(dialog, "decide-text").fill("同意外访，注意安全")
    await dialog.locator("[data-test=decide-submit]").click()
    await dialog.wait_for(state="hidden")
    detail = await api("GET", f"{fieldops}/v1/visits/{state['visit_id']}", "supervisor", sub="e2e-sup")
    assert [a["role"] for a in detail["approvals"]] == ["field_manager"] and detail["state"] == "requested"

    # the phone manager: the lead of the case's phone team (R-34: a second person), in another browser
    async with browser_page(browser) as lead:
        await _approve(lead, site, state["visit_id"], DEMO_LEAD[0], "phone_manager", "同意，电催已两次失约")
    detail = await api("GET", f"{fieldops}/v1/visits/{state['visit_id']}", "supervisor", sub="e2e-sup")
    assert detail["state"] == "approved" and {a["role"] for a in detail["approvals"]} == {"field_manager", "phone_manager"}
    assert {a["decided_by"] for a in detail["approvals"]} == {"demo-supervisor", DEMO_LEAD[0]}

    # the deadline appears once both approved
    await page.reload()
    await page.click("[data-test=visit-state-filter] label:has-text('已批准')")
    approved = page.locator("[data-test=visits] tbody tr:has-text('电话承诺两次未兑现')").first
    await approved.locator("[data-test=open-visit]").click()
    await page.wait_for_selector("[data-test=visit-drawer] [data-test=deadline]")
    assert detail["deadline"]["due_on"] in await page.inner_text("[data-test=visit-drawer] [data-test=deadline]")
    assert await page.locator("[data-test=visit-drawer] [data-test=decisions] tbody tr").count() == 2
    await shot(page, "visit-approved")


async def test_a_teams_day_is_planned_and_grouped_by_area(page, field_site):
    site, state = field_site
    await sign_in(page, site, "demo-supervisor")
    await page.click("[data-test=menu-daily-plans]")
    day = field(page, "plan-day")
    await day.fill(DAY)
    await day.press("Enter")
    await page.click("[data-test=plan-the-day]")
    await page.wait_for_selector("[data-test=plan-run]")
    team = page.locator(f"[data-test=team-plan-{state['team']}]")
    await team.wait_for()
    area = team.locator("[data-test=plan-area]").first
    assert state["home"]["province"] in await area.inner_text()
    assert await team.locator("tbody tr").count() == 1
    text = await team.inner_text()
    assert "18:00–" in text and "晚间" in text and "demo-field, demo-field2" in text   # home visits in the evening, two agents
    await shot(page, "daily-plan")


async def test_an_agent_on_a_phone_marks_arrival_and_records_the_visit_with_a_photo(phone_page, field_site, tmp_path):
    site, state = field_site
    page, vid = phone_page, state["visit_id"]
    await sign_in(page, site, AGENTS[0])
    # the phone-sized screen folds the menu into a drawer
    assert await page.locator("[data-test=menu-button]").is_visible()
    await page.click("[data-test=card-my-day] a")
    card = page.locator(f"[data-test=my-visit-{vid}]")
    await card.wait_for()
    assert "press_for_payment" not in await card.inner_text() and "上门催收" in await card.inner_text()
    assert "*" not in await card.locator(".address").inner_text()   # the agent's own day: the full address (audited)
    await shot(page, "agent-day-phone")

    await card.locator("[data-test=arrive]").click()
    await card.locator("[data-test=open-record]").wait_for()
    await card.locator("[data-test=open-record]").click()
    sheet = page.locator("[data-test=record-sheet]")
    await sheet.wait_for()
    photo = tmp_path / "door-plate.png"
    photo.write_bytes(PHOTO)
    await sheet.locator("[data-test=evidence-file]").set_input_files(str(photo))
    digest = hashlib.sha256(PHOTO).hexdigest()
    await sheet.locator(f"[data-test=evidence-sha256]:has-text('{digest}')").wait_for()   # Web Crypto agrees
    await sheet.locator("[data-test=evidence-submit]").click()
    await sheet.locator("[data-test=evidence-stored]").wait_for()

    await sheet.locator("[data-test=met-debtor]").click()
    await sheet.locator("[data-test=outcome-promise_to_pay]").click()
    await field(sheet, "promise-amount").fill("2000.00")
    due = field(sheet, "promise-due")
    await due.fill(PROMISED)
    await due.press("Enter")
    await field(sheet, "new-phone").fill("13912345678")
    await shot(page, "agent-record-phone")
    await sheet.locator("[data-test=record-submit]").click()
    await sheet.wait_for(state="hidden")
    await card.locator("[data-test=recorded]").wait_for()
    await shot(page, "agent-day-recorded-phone")

    detail = await api("GET", f"{site.services['fieldops']}/v1/visits/{vid}", "supervisor", sub="e2e-sup")
    assert detail["state"] == "done" and detail["arrived_at"]
    record = detail["record"]
    assert (record["outcome"], record["met"], record["promise_amount"], record["promise_due_on"]) == (
        "promise_to_pay", ["debtor"], "2000.00", PROMISED)
    assert record["new_phone_masked"] and "13912345678" not in str(detail)   # masked once stored
    assert [(e["kind"], e["sha256"], e["size"]) for e in detail["evidence"]] == [("door_plate_photo", digest, len(PHOTO))]
