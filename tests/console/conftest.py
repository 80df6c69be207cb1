"""The console against the real local stack: the services as uvicorn processes of the session's
throw-away stack, the console gateway in front of them (built if its sources changed), data pushed
through the services' client APIs as `recoup demo` does, and Debian's Chromium driven by Playwright
through its executable path (no browser download).

Each test module runs the services it needs (`running_site`): intake, allocation and billing here
(`console_site`); fieldops and letters in their own modules. The services and the gateway started
for a module are stopped when it ends, so that later tests running services in-process do not
share consumer groups with them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
import pytest_asyncio

from recoup_local.cli import mint
from recoup_local.console_build import ensure_built, start_console
from recoup_local.demo import make_placement
from recoup_local.demo_allocation import DEMO_TEAM_ID, setup_demo_team
from recoup_local.stack import repo_root

CHROMIUM = os.environ.get("RECOUP_CHROMIUM", "/usr/bin/chromium")
# What works on these machines (no network but loopback; root): see deploy/local/README.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = repo_root() / "docs" / "screenshots"
SCHEDULE = {
    "effective_from": "2020-01-01",
    "buckets": [
        {"name": "<=90", "dpd_min": 0, "dpd_max": 90, "base_rate": "0.10", "benchmark_rate": "0.85", "minimum_rate": "0.60"},
        {"name": "91-180", "dpd_min": 91, "dpd_max": 180, "base_rate": "0.18", "benchmark_rate": "0.65", "minimum_rate": "0.30"},
        {"name": "181-360", "dpd_min": 181, "dpd_max": 360, "base_rate": "0.25", "benchmark_rate": "0.45", "minimum_rate": "0.15"},
        {"name": ">=361", "dpd_min": 361, "dpd_max": None, "base_rate": "0.33", "benchmark_rate": "0.40", "minimum_rate": "0.05"},
    ],
    "reduction_pct": "0.20", "reduction_mode": "relative", "consecutive_months_to_zero": 3,
    "cycle_months": 3, "rounding": "ROUND_HALF_UP",
}
CASES = 60
BAD_ROWS = 2
REPAID = 5


@dataclass
class ConsoleSite:
    url: str
    client_id: str
    placement_ref: str
    services: dict[str, str]
    accounts: list[str] = field(default_factory=list)


def _headers(role: str, **kw: Any) -> dict[str, str]:
    return {"authorization": "Bearer " + mint([role], **kw)}


async def eventually(check: Callable[[], Awaitable[Any]], what: str, timeout: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.3)


async def _seed(site: ConsoleSite) -> None:
    alloc, bill, intake = (site.services[n] for n in ("allocation", "billing", "intake"))
    cid = site.client_id
    await setup_demo_team(alloc, cid)  # the demo team (lead demo-lead) dedicated to the client
    async with httpx.AsyncClient(timeout=120) as c:
        # no automatic allocation: the team lead allocates in the browser
        r = await c.put(f"{alloc}/v1/client-rules/{cid}", headers=_headers("admin", sub="e2e-admin"), json={
            "dedicated_team_ids": [DEMO_TEAM_ID], "default_strategy": "comprehensive",
            "auto_allocate": False, "rotation_enabled": False})
        assert r.status_code in (200, 201), r.text
        r = await c.put(f"{bill}/v1/fee-schedules/{cid}", headers=_headers("finance", sub="e2e-finance"), json=SCHEDULE)
        assert r.status_code == 201, r.text

        body = make_placement(CASES, placement_ref=site.placement_ref, seed=13, bad_rows=BAD_ROWS)
        client = _headers("client", client_id=cid)
        r = await c.post(f"{intake}/v1/placements", headers=client, json=body)
        assert r.status_code == 202, r.text
        site.accounts = [case["account_ref"] for case in body["cases"]]

        async def published() -> bool:
            s = (await c.get(f"{intake}/v1/placements/{site.placement_ref}", headers=client)).json()
            return s.get("status") == "published"
        await eventually(published, "the placement to be published")

        admin = _headers("admin", sub="e2e-admin")

        async def pooled() -> bool:
            page = (await c.get(f"{alloc}/v1/cases", headers=admin, params={
                "status": "unassigned", "client_id": cid, "limit": 1000})).json()
            return len(page["items"]) >= CASES - BAD_ROWS
        await eventually(pooled, "allocation to receive the cases")

        # repayments, so that the statement has something recovered
        paid_at = datetime.now(timezone.utc).isoformat()
        rows, accepted = [], (await c.get(f"{intake}/v1/placements/{site.placement_ref}/cases", headers=client)).json()["items"]
        for i, row in enumerate(accepted[:REPAID]):
            rows.append({"account_ref": body["cases"][row["row"]]["account_ref"], "amount": "100.00",
                         "paid_at": paid_at, "txn_ref": f"E2E-{site.placement_ref}-{i}", "channel": "bank"})
        r = await c.post(f"{intake}/v1/repayments", headers=client, json={"repayments": rows})
        assert r.status_code == 200 and not r.json().get("errors"), r.text
        month = datetime.now(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")
        finance = _headers("finance", sub="e2e-finance")

        async def billed() -> bool:
            doc = (await c.get(f"{bill}/v1/statements/{cid}/{month}", headers=finance)).json()
            return doc.get("totals", {}).get("recovered") == f"{100 * REPAID}.00"
        await eventually(billed, "billing to count the repayments")


@contextlib.asynccontextmanager
async def running_site(stack, names: Iterable[str], *, client_name: str = "浏览器测试银行",
                       env: dict[str, str] | None = None) -> AsyncIterator[ConsoleSite]:
    """`names` running in the stack (those not running yet are started, with `env` added to their
    environment), the console gateway in front of them, a fresh client id; all stopped after."""
    started: list[str] = []
    saved = {k: os.environ.get(k) for k in (env or {})}
    try:
        os.environ.update(env or {})  # read by the service processes started below
        missing = [name for name in names if name not in stack.services]
        if missing:  # at once: each start waits for its consumer to join
            started += missing
            await stack.start_services(missing)
        cid = f"e2e-{uuid.uuid4().hex[:6]}"
        if "console" in stack.services:
            raise RuntimeError("a console gateway is already running in this stack")
        url = await start_console(stack, clients=[{"id": cid, "name": client_name}])
        started.append("console")
        yield ConsoleSite(url=url, client_id=cid, placement_ref=f"E2E-{uuid.uuid4().hex[:8]}",
                          services={n: s.url for n, s in stack.services.items()})
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        for name in reversed(started):
            await stack.stop_service(name)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def console_site(stack) -> AsyncIterator[ConsoleSite]:
    async with running_site(stack, ("intake", "allocation", "billing")) as site:
        await _seed(site)
        yield site


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser():
    await asyncio.to_thread(ensure_built)  # the build first: it must not race the browser
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: deploy/local/system-packages.sh installs Debian's chromium")
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            await b.close()


@contextlib.asynccontextmanager
async def browser_page(browser, **context_options: Any) -> AsyncIterator[Any]:
    """A page in a fresh context (no session), failing the test on any error in the page."""
    options = {"viewport": {"width": 1440, "height": 900}, "locale": "zh-CN", "timezone_id": "Asia/Shanghai",
               "accept_downloads": True, **context_options}
    context = await browser.new_context(**options)
    p = await context.new_page()
    errors: list[str] = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    # the console runs under the production Content-Security-Policy (the gateway sends it)
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" and "Content Security Policy" in m.text else None)
    try:
        yield p
    finally:
        await context.close()
    assert not errors, f"errors in the page: {errors}"


@pytest_asyncio.fixture(loop_scope="session")
async def page(browser):
    async with browser_page(browser) as p:
        yield p


# A phone: an agent's day is used on one (issue 13: "an agent's day on a phone-sized screen").
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}


@pytest_asyncio.fixture(loop_scope="session")
async def phone_page(browser):
    async with browser_page(browser, **PHONE) as p:
        yield p


async def shot(page, name: str) -> Path:
    """A screenshot of the main screens for the README (docs/screenshots/<name>.png)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=False, animations="disabled")
    return path


async def api(method: str, url: str, role: str, *, expect: tuple[int, ...] = (200, 201, 202), **kw: Any) -> Any:
    """One call to a service's client API with a token for `role` (sub=, team_id= in kw)."""
    token = {k: kw.pop(k) for k in ("sub", "team_id", "client_id") if k in kw}
    async with httpx.AsyncClient(timeout=60) as c:
        r = await c.request(method, url, headers=_headers(role, **token), **kw)
    assert r.status_code in expect, f"{method} {url}: {r.status_code} {r.text[:2000]}"
    return r.json() if r.content and "json" in r.headers.get("content-type", "") else r


def field(scope, name: str):
    """The input of an Element Plus form control named by data-test: el-input puts the attribute
    on its <input>/<textarea>, the date picker on its wrapper."""
    return scope.locator(f":is(input, textarea)[data-test={name}], [data-test={name}] :is(input, textarea)").first


async def sign_in(page, site: ConsoleSite, sub: str) -> None:
    await page.goto(site.url + "/")
    await page.wait_for_url("**/sign-in**")
    await page.click(f"[data-test=dev-user-{sub}]")
    await page.wait_for_selector("[data-test=dashboard]")

