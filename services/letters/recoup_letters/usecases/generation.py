"""A batch's print-ready files (R-32, R-33): the generation job claims a queued batch, gives its
letters their check codes, fixes the approved template versions they print with (R-27), and renders
the letters, their envelope sheets and the post office's manifest — streamed from a server-side
cursor into the PDF worker processes, in files of N letters, so memory stays bounded whatever the
batch's size.

All or nothing: the files appear in the store only when every one is complete (print_batch renames
a staging directory into place); on any failure the batch is `failed` with the error, has no file,
and can be generated again or revoked. A batch revoked while it rendered keeps no file either.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import anyio.to_thread
import asyncpg

from recoup_shared.logging import get_logger

from ..adapters.pdf import Envelope, PrintLetter
from ..adapters.print_batch import RenderedBatch, render_batch
from ..adapters.variables import CaseFacts, letter_variables
from ..context import Ctx
from ..rules import checkcode, facts
from ..rules.model import Address, LetterType, MailClass, Party, PartyRole
from ..store import batches as batch_store
from ..store import loads
from ..store import render as store
from .common import configs

log = get_logger(__name__)


class GenerationError(Exception):
    """A batch that cannot be generated as it is (the message is shown on the batch)."""


@dataclass(frozen=True, slots=True)
class Printing:
    """What every letter of the batch shares."""
    batch_id: str
    today: date
    reply_by: date
    keys: Mapping[tuple[str, str], str]        # (client, letter type) -> template key
    client_names: Mapping[str, str]


async def prepare(conn: asyncpg.Connection, ctx: Ctx, batch_id: str) -> tuple[dict[str, str], Printing]:
    """Check codes for every letter (R-32) and the approved template version of every (client,
    type) in the batch (R-27), verified against its recorded digest."""
    at = ctx.clock.now()
    rows = await store.serials(conn, batch_id)
    await store.set_codes(conn, batch_id, [(r["letter_id"], r["sequence"], checkcode.code_for_serial(r["serial"]))
                                           for r in rows], at)
    used = await store.used_templates(conn, batch_id)
    missing = [f"{r['client_id']}/{r['letter_type']}" for r in used if r["template_id"] is None or r["version"] is None]
    if missing:
        raise GenerationError(f"no approved template for {', '.join(sorted(missing))} (R-27)")
    sources, keys, pinned = {}, {}, []
    for r in used:
        if hashlib.sha256(r["source"].encode()).hexdigest() != r["sha256"]:
            raise GenerationError(f"template {r['template_id']} v{r['version']} does not match its approved digest")
        key = f"{r['template_id']}@v{r['version']}"
        sources[key], keys[(r["client_id"], r["letter_type"])] = r["source"], key
        pinned.append((r["client_id"], r["letter_type"], r["template_id"], r["version"]))
    await store.set_templates(conn, batch_id, pinned, at)
    cfgs = await configs(conn, {c for c, _ in keys})
    today = ctx.clock.today()
    return sources, Printing(batch_id, today, today + timedelta(days=ctx.settings.reply_days), keys,
                             {c: cfg.client_name or c for c, cfg in cfgs.items()})


def print_letter(r: Mapping[str, Any], p: Printing, ctx: Ctx) -> PrintLetter:
    """One row of the render query -> a printable letter: masked variables (R-30), envelope."""
    letter_type = LetterType(r["letter_type"])
    role = PartyRole(r["recipient_role"])
    recipient = Party(r["recipient_id"], r["debtor_name"], role, jointly_liable=role == PartyRole.GUARANTOR,
                      gender=r["debtor_gender"])
    address = Address("", r["recipient_id"], r["kind"], r["line"], r["province"], r["city"], r["district"],
                      r["postcode"])
    dpd = (p.today - r["overdue_since"]).days if r["overdue_since"] else \
        r["dpd_at_placement"] + max(0, (p.today - r["placed_on"]).days)
    case = CaseFacts(r["debtor_name"], r["id_number_masked"], r["account_masked"], p.client_names[r["client_id"]],
                     r["outstanding"], r["placed_amount"], r["principal"], r["interest"], r["fees"],
                     facts.product_name(r["product"]), r["currency"], r["overdue_since"], dpd, r["placed_on"])
    plan = facts.instalment_plan(loads(r["instalment_plan"])) if r["instalment_plan"] else None
    code = r["check_code"]
    values = letter_variables(letter_type=letter_type, recipient=recipient, address=address, facts=case,
                              agency=ctx.agency, letter_date=p.today, check_code=checkcode.display(code),
                              reference=f"{p.today:%Y%m}-{p.batch_id[3:11]}-{r['sequence']:05d}",
                              reply_by=p.reply_by, plan=plan)
    envelope = Envelope(r["debtor_name"], address.lines(), r["postcode"] or "", MailClass(r["mail_class"]),
                        values.get("salutation", ""))
    return PrintLetter(r["sequence"], r["letter_id"], code, p.keys[(r["client_id"], r["letter_type"])],
                       values, envelope)


async def _chunk(rows: AsyncIterator, n: int) -> list:
    out = []
    async for row in rows:
        out.append(row)
        if len(out) >= n:
            break
    return out


def _bridge(rows: AsyncIterator, loop: asyncio.AbstractEventLoop, n: int, p: Printing, ctx: Ctx,
            seen: list[str]) -> Iterator[PrintLetter]:
    """The cursor's rows, fetched on the event loop a chunk at a time, as printable letters for the
    rendering thread (bounded: one chunk in hand)."""
    while chunk := asyncio.run_coroutine_threadsafe(_chunk(rows, n), loop).result():
        for r in chunk:
            seen.append(r["letter_id"])
            yield print_letter(r, p, ctx)


async def render(conn: asyncpg.Connection, ctx: Ctx, batch_id: str) -> tuple[RenderedBatch, list[str]]:
    async with conn.transaction():
        sources, printing = await prepare(conn, ctx, batch_id)
    await ctx.files.clear(batch_id)                                     # what a crashed attempt left
    seen: list[str] = []
    loop = asyncio.get_running_loop()
    s = ctx.settings
    async with conn.transaction(isolation="repeatable_read", readonly=True):
        rows = store.stream(conn, batch_id, s.render_fetch_rows)
        letters = _bridge(rows, loop, s.render_fetch_rows, printing, ctx, seen)
        try:
            rendered = await anyio.to_thread.run_sync(lambda: render_batch(
                letters, sources, ctx.files.render_dir(batch_id), ctx.pdf, workers=s.pdf_workers,
                manifest=ctx.manifest, executor=ctx.renderers))
        finally:
            await rows.aclose()
    await ctx.files.publish(batch_id)                                   # all the files, or none
    return rendered, seen


def file_rows(rendered: RenderedBatch) -> list[dict[str, Any]]:
    from pathlib import Path

    out = [{"name": Path(f.path).name, "kind": f.kind, "first_sequence": f.first_sequence,
            "last_sequence": f.last_sequence, "letters": f.letters, "pages": f.pages, "size": f.size,
            "sha256": f.sha256} for f in rendered.files]
    out += [{"name": Path(m.path).name, "kind": "manifest", "first_sequence": None, "last_sequence": None,
             "letters": m.rows, "pages": None, "size": m.size, "sha256": m.sha256} for m in rendered.manifests]
    return out


async def generate(conn: asyncpg.Connection, ctx: Ctx, batch_id: str) -> str:
    """Render one claimed batch and record the outcome: generated, failed, or (revoked meanwhile)
    discarded. Returns the batch's status afterwards."""
    try:
        rendered, seen = await render(conn, ctx, batch_id)
    except Exception as exc:  # noqa: BLE001 - every failure is the batch's visible state
        detail = str(exc) if isinstance(exc, GenerationError) else f"{type(exc).__name__}: {exc}"
        async with conn.transaction():
            batch = await batch_store.get(conn, batch_id, lock=True)
            if batch is not None and batch["status"] == "rendering":
                at = ctx.clock.now()
                await batch_store.update(conn, batch_id, at, status="failed", error=detail[:2000])
                await batch_store.log(conn, batch_id, at, "system", "failed", {"error": detail[:500]})
        await ctx.files.clear(batch_id)
        log.warning("batch generation failed", batch_id=batch_id, error=detail[:500])
        return "failed"
    async with conn.transaction():
        batch = await batch_store.get(conn, batch_id, lock=True)
        if batch is None or batch["status"] != "rendering":
            await ctx.files.clear(batch_id)
            return batch["status"] if batch else "gone"
        at = ctx.clock.now()
        files = file_rows(rendered)
        await batch_store.save_files(conn, batch_id, files)
        await store.mark_generated(conn, batch_id, seen, at)
        await batch_store.update(conn, batch_id, at, status="generated", generated_at=at, pages=rendered.pages,
                                 bytes=sum(f["size"] for f in files), error=None)
        await batch_store.log(conn, batch_id, at, "system", "generated",
                              {"letters": rendered.letters, "pages": rendered.pages, "files": len(files)})
    log.info("batch generated", batch_id=batch_id, letters=rendered.letters, pages=rendered.pages)
    return "generated"


async def claim(conn: asyncpg.Connection, ctx: Ctx) -> str | None:
    now = ctx.clock.now()
    async with conn.transaction():
        batch = await batch_store.next_queued(
            conn, now - timedelta(seconds=ctx.settings.generation_timeout_seconds))
        if batch is None:
            return None
        await batch_store.update(conn, batch["batch_id"], now, status="rendering", render_started_at=now,
                                 attempts=batch["attempts"] + 1, error=None)
        await batch_store.log(conn, batch["batch_id"], now, "system", "rendering", {"attempt": batch["attempts"] + 1})
    return batch["batch_id"]


async def generate_next(ctx: Ctx) -> float | None:
    """The generation job: one queued batch per run (0 = look again at once)."""
    async with ctx.pool.acquire() as conn:
        batch_id = await claim(conn, ctx)
        if batch_id is None:
            return None
        await generate(conn, ctx, batch_id)
    return 0
