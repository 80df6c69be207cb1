"""Letters in the console (issue 13, R-26..R-33) in a real Chromium against the real stack: a
client's placement comes through intake and the day's planning gives its cases their notices
(pushed through the client APIs); the letters clerk previews them by type, mail class and
province, creates the batch, watches it generate, downloads the letters PDF and the post office's
manifest, and scans letters against envelopes — a mismatch blocks the batch until a supervisor
clears it after both were re-enveloped and matched — then approves, imports the tracking numbers,
dispatches, and records a returned letter by the code scanned from its envelope.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest_asyncio
from pypdf import PdfReader

from recoup_letters.adapters.tracking import s10_check_digit
from recoup_local.letters_samples import approve_templates
from recoup_local.cli import mint
from recoup_local.demo import make_placement

from .conftest import ConsoleSite, api, browser_page, eventually, field, running_site, shot, sign_in

CLERK, SUPERVISOR = "demo-letters", "demo-supervisor"
LETTERS = 3


def _placement(today, ref: str) -> dict:
    """Three cases with a household-registration address: three notices of the month (R-28)."""
    body = make_placement(LETTERS, seed=2611, placed_on=today, placement_ref=ref)
    for case in body["cases"]:
        case.pop("flags", None)
        case["addresses"] = [a for a in case["addresses"] if a["kind"] == "household_registration"]
    return body


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def letters_site(stack):
    async with running_site(stack, ("intake", "letters"), client_name="信函测试银行") as site:
        yield site, await _seed(site)


async def _seed(site: ConsoleSite) -> dict:
    intake, lt, cid = site.services["intake"], site.services["letters"], site.client_id
    headers = {"authorization": "Bearer " + mint(["letters_clerk"], sub="e2e-clerk")}
    async with httpx.AsyncClient(base_url=lt, timeout=60) as c:
        await approve_templates(c, headers, cid)   # the client's approved templates
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()
    await api("POST", f"{intake}/v1/placements", "client", client_id=cid, json=_placement(today, site.placement_ref))

    async def planned():   # the clerk's "plan now", until letters has the cases (case.received)
        run = await api("POST", f"{lt}/v1/planning/runs", "letters_clerk", sub="e2e-clerk")

        async def done():
            r = await api("GET", f"{lt}/v1/planning/runs/{run['run_id']}", "letters_clerk", sub="e2e-clerk")
            return r if r["status"] in ("done", "failed") else None
        await eventually(done, "the planning run")
        page = await api("GET", f"{lt}/v1/letters", "letters_clerk", sub="e2e-clerk", params={"client_id": cid})
        return page["items"] if len(page["items"]) == LETTERS else None
    return {"letters": await eventually(planned, "three notices planned")}


async def _codes(site: ConsoleSite, batch_id: str) -> list[dict]:
    page = await api("GET", f"{site.services['letters']}/v1/letters", "letters_clerk", sub="e2e-clerk",
                     params={"batch_id": batch_id})
    return sorted(page["items"], key=lambda x: x["sequence"])


async def _scan(page, letter_code: str, envelope_code: str) -> str:
    """What the barcode scanner does: type the code and press Enter, twice."""
    done = await page.locator("[data-test=qc-history] tbody tr").count()
    await field(page, "letter-scan").fill(letter_code)
    await field(page, "letter-scan").press("Enter")
    await field(page, "envelope-scan").fill(envelope_code)
    await field(page, "envelope-scan").press("Enter")
    await page.locator("[data-test=qc-history] tbody tr").nth(done).wait_for()   # this scan's answer
    return await page.inner_text("[data-test=qc-result]")


def scanned(x: dict) -> tuple[str, str]:
    """The two printed codes as a scanner reads them: `L` + the code on the letter, `E` + the one
    on the envelope sheet."""
    return "L" + x["check_code"].replace("-", ""), "E" + x["check_code"]


async def test_clerk_previews_generates_downloads_and_scans_a_batch(page, browser, letters_site, tmp_path: Path):
    site, _ = letters_site
    await sign_in(page, site, CLERK)
    assert await page.locator("[data-test=menu-letter-batches]").count() == 1
    assert await page.locator("[data-test=menu-visit-approvals]").count() == 0
    await page.click("[data-test=menu-letter-batches]")
    preview = page.locator("[data-test=batch-preview]")
    await preview.wait_for()
    assert await preview.locator("[data-test=preview-total]").inner_text() == str(LETTERS)
    text = await preview.inner_text()
    assert "委托催收通知函 3" in text                                  # by type
    assert sum(int(n) for n in re.findall(r"(?:挂号信|特快专递) (\d+)", text.split("按省份")[0])) == LETTERS  # by mail class
    await shot(page, "letters-preview")

    await page.click("[data-test=create-batch]")
    await page.wait_for_url(re.compile(r"/letters/batches/bt"))
    batch_id = page.url.rsplit("/", 1)[1]
    await page.wait_for_selector("[data-test=batch-files] tbody tr", timeout=90_000)   # generated
    assert await page.inner_text("[data-test=batch-status]") == "已生成"
    await shot(page, "letters-batch-generated")

    async with page.expect_download() as info:
        await page.click("[data-test=file-letters]")
    pdf = tmp_path / (await info.value).suggested_filename
    await (await info.value).save_as(str(pdf))
    text = "".join(p.extract_text() for p in PdfReader(str(pdf)).pages)
    assert pdf.read_bytes().startswith(b"%PDF-") and len(PdfReader(str(pdf)).pages) >= LETTERS
    assert not re.search(r"\d{15,}", text.replace(" ", "")), "a full ID or card number on a letter (R-30)"
    async with page.expect_download() as info:
        await page.click("[data-test=manifest-csv]")
    manifest = tmp_path / "manifest.csv"
    await (await info.value).save_as(str(manifest))
    rows = list(csv.reader(io.StringIO(manifest.read_text(encoding="utf-8-sig"))))
    assert len(rows) == LETTERS + 1   # the header and one line per letter

    # QC: the first letter in its own envelope matches
    letters = await _codes(site, batch_id)
    await page.goto(f"{site.url}/letters/qc?batch={batch_id}")
    first, second = (scanned(x) for x in letters[:2])
    assert "匹配" in await _scan(page, first[0], first[1])
    await shot(page, "letters-qc-match")
    # the first letter in the second's envelope: a mismatch, the batch is blocked
    result = await _scan(page, first[0], second[1])
    assert "不匹配" in result and await page.locator("[data-test=qc-blocked]").count() == 1
    await shot(page, "letters-qc-mismatch")
    await page.goto(f"{site.url}/letters/batches/{batch_id}")
    await page.wait_for_selector("[data-test=batch-blocked]")
    await page.click("[data-test=approve-batch]")
    await page.wait_for_selector("[data-test=problem]:has-text('质检')")   # refused in words: the batch is blocked
    await shot(page, "letters-batch-blocked")


async def test_mismatch_cleared_then_approved_tracked_dispatched_and_a_return_recorded(page, browser, letters_site, tmp_path: Path):
    site, _ = letters_site
    lt = site.services["letters"]
    batches = await api("GET", f"{lt}/v1/batches", "letters_clerk", sub="e2e-clerk", params={"client_id": site.client_id})
    batch_id = batches["items"][0]["batch_id"]
    letters = await _codes(site, batch_id)

    # every letter re-enveloped and scanned as a match
    await sign_in(page, site, CLERK)
    await page.goto(f"{site.url}/letters/qc?batch={batch_id}")
    for x in letters:
        assert "匹配" in await _scan(page, *scanned(x))
    # a supervisor clears the mismatch (a second person, R-32)
    qc = await api("GET", f"{lt}/v1/batches/{batch_id}/qc", "letters_clerk", sub="e2e-clerk")
    scan_id = next(m["scan_id"] for m in qc["mismatches"] if m["resolved_at"] is None)
    async with browser_page(browser) as sup:
        await sign_in(sup, site, SUPERVISOR)
        await sup.goto(f"{site.url}/letters/qc")
        await field(sup, "resolve-scan-id").fill(str(scan_id))
        await field(sup, "resolve-text").fill("两封信已重新装封并扫描匹配")
        await sup.click("[data-test=resolve-submit]")
        await sup.wait_for_selector("[data-test=resolved]")

    # approve, import the post office's numbers, dispatch
    await page.goto(f"{site.url}/letters/batches/{batch_id}")
    await page.click("[data-test=approve-batch]")
    await page.wait_for_selector("[data-test=batch-status]:has-text('已审批')")
    base = uuid.uuid4().int % 80_000_000 + 10_000_000
    tracking = tmp_path / "tracking.csv"
    numbers = {x["sequence"]: f"{base + x['sequence']:08d}" for x in letters}
    tracking.write_text("序号,挂号/快递单号\n" + "".join(
        f"{seq},RR{n}{s10_check_digit(n)}CN\n" for seq, n in numbers.items()), encoding="utf-8")
    await page.locator("[data-test=tracking-file]").set_input_files(str(tracking))
    await page.wait_for_selector(f"[data-test=tracking-result]:has-text('新录入 {LETTERS}')")
    await page.click("[data-test=dispatch-batch]")
    await page.wait_for_selector("[data-test=batch-status]:has-text('已交寄')")
    await shot(page, "letters-batch-dispatched")

    # one comes back: 迁移新址不明, found by the code scanned from its envelope
    back = letters[0]
    await page.click("[data-test=menu-letter-returns]")
    await field(page, "return-key").fill(scanned(back)[1])
    await page.click("[data-test=return-submit]")
    result = page.locator("[data-test=return-result]").first
    await result.wait_for()
    assert "已退回" in await result.inner_text() and "不再用于寄信" in await result.inner_text()
    await shot(page, "letters-return")
    letter = await api("GET", f"{lt}/v1/letters/{back['letter_id']}", "letters_clerk", sub="e2e-clerk")
    assert letter["status"] == "returned" and letter["return_reason"] == "moved"


async def test_a_template_refused_at_upload_names_its_lines(page, letters_site):
    """R-27/R-30: the sandbox checker answers every problem with its line and code; the dialog
    shows them in words, and the versions in use stay as they were."""
    site, _ = letters_site
    await sign_in(page, site, CLERK)
    await page.click("[data-test=menu-letter-templates]")
    await page.wait_for_selector("[data-test=letter-templates] tbody tr")
    await page.click("[data-test=upload-letter-template]")
    dialog = page.locator("[data-test=template-upload]")
    await field(dialog, "template-source").fill("尊敬的{{ recipient_name }}：\n卡号 6222020200112233446\n{{ debtor_fullname }}\n")
    await dialog.locator("[data-test=template-submit]").click()
    problem = dialog.locator("[data-test=problem]")
    await problem.wait_for()
    text = await problem.inner_text()
    assert "模板未通过检查" in text and "[full_number]" in text             # no full number in a template
    assert "第 3 行 [unknown_variable]" in text and "debtor_fullname" in text
    await shot(page, "letters-template-refused")
