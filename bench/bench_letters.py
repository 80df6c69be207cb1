"""Letters batch at scale (R-33): a 10,000-letter batch through the service's own use case — the
generation job's `generate` on a real database: check codes from the sequence, the approved template
versions pinned and verified, the letters streamed from a server-side cursor into the PDF worker
processes (letters A4 + envelope sheets, files of 500), the post office's manifest (CSV + XLSX) in
the same pass, all or nothing into the file store, the batch and its letters recorded.

Set up (not measured): 10,000 cases arrive through the service's handlers (case.received), the
client's templates are uploaded and approved, the planning use case plans their letters (notices,
DPD-schedule reminders, lawyer's letters, call-back notices; registered and express), and the batch
is made by the batch use case. Each measured phase runs in a fresh process, so its RSS high-water
mark is its own:

- service, 2 worker processes (the target: < 60 s on 2 cores), and 1 process (in a thread);
- the floor, in the same run: the very same pages — the same rows read back from the database and
  turned into letters by the service's own code outside the clock, drawn as recorded canvas calls
  replayed on a bare reportlab canvas, in files of 500 — and the manifest by plain csv/openpyxl;
- memory bounded: the same use case on a 1,000-letter batch, whose peak should equal the 10,000 one's.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from datetime import date, timedelta

N = int(os.environ.get("BENCH_LETTERS_N", 10_000))
PER_FILE = int(os.environ.get("BENCH_LETTERS_PER_FILE", 500))
WORKERS = int(os.environ.get("BENCH_LETTERS_WORKERS", 2))
TODAY = date(2026, 11, 25)
CLOCK = "fixed:2026-11-25T10:00:00+08:00"


def _say(msg: str) -> None:
    print(f"  {msg}", flush=True)


def _settings(dsn: str, data_dir: str, workers: int):
    from recoup_letters.settings import LettersSettings

    return LettersSettings(profile="test", database_url=dsn, data_dir=data_dir, clock=CLOCK, pdf_workers=workers,
                           letters_per_file=PER_FILE, max_letters_per_batch=N, log_level="WARNING")


async def _ctx(dsn: str, data_dir: str, workers: int):
    from recoup_letters.context import build
    from recoup_shared.context import base_context
    from recoup_shared.db import create_pool
    from recoup_shared.logging import configure_logging

    configure_logging("letters", "WARNING")

    pool = await create_pool(dsn, min_size=1, max_size=4)
    return await build(base_context("letters", _settings(dsn, data_dir, workers), pool=pool)), pool


def _envelopes(client_id: str, n: int):
    """Varied cases: placed over the last 50 days (the month's notices, and older cases on the DPD
    schedule), some with only a work address (call-back notice), some large (express)."""
    from recoup_local.letters_samples import GIVEN, SURNAMES, address_out, received_envelope

    for i in range(n):
        kind = "household_registration" if i % 9 else "work"
        yield received_envelope(f"{client_id}-{i:06d}", client_id, placed_on=TODAY - timedelta(days=(i * 37) % 50),
                                dpd=5 + (i * 13) % 60, amount=f"{800 + (i * 7919) % 40000}.{i % 100:02d}",
                                addresses=[address_out(kind, n=i)], name=SURNAMES[i % 10] + GIVEN[(i // 10) % 10],
                                gender="MF"[i % 2])


async def _seed(dsn: str, data_dir: str, client_id: str, n: int) -> tuple[str, dict]:
    """Cases through the handlers, approved templates, planning, one batch of everything planned."""
    from recoup_letters.handlers import HANDLERS
    from recoup_local.letters_samples import approve_templates_directly
    from recoup_letters.usecases import batches, configs
    from recoup_letters.usecases.planning import PlanStats, plan_cases
    from recoup_local.factories import as_envelopes
    from recoup_shared.auth import Principal

    clerk = Principal(sub="bench-clerk", roles=frozenset({"letters_clerk"}))
    ctx, pool = await _ctx(dsn, data_dir, 0)
    stats = PlanStats()
    try:
        async with pool.acquire() as conn:
            async with conn.transaction():
                await approve_templates_directly(conn, ctx, clerk, client_id)
                await configs.put(conn, ctx, clerk, client_id, {"schedule_enabled": True, "client_name": "某某银行"})
            envs, ids = list(_envelopes(client_id, n)), []
            for k in range(0, len(envs), 2000):
                async with conn.transaction():
                    await HANDLERS["case.received"](conn, ctx, as_envelopes(envs[k:k + 2000]))
            ids = [e["case_id"] for e in envs]
            for k in range(0, len(ids), 500):
                async with conn.transaction():
                    stats.add(await plan_cases(conn, ctx, ids[k:k + 500], TODAY))
            async with conn.transaction():
                batch = await batches.create(conn, ctx, clerk, client_id=client_id, types=None, max_letters=None,
                                             label="bench")
    finally:
        await ctx.close()
        await pool.close()
    return batch["batch_id"], stats.as_dict()


def _cpu() -> float:
    return sum(_cpu_split())


def _cpu_split() -> tuple[float, float]:
    """CPU seconds of this process, and of its finished children (the worker processes)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def _peaks() -> tuple[float, float]:
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def phase_service(dsn: str, data_dir: str, batch_id: str, workers: int) -> dict:
    """The generation job's use case on one batch: claim it, generate it (files + manifest, DB)."""
    async def run() -> dict:
        from recoup_letters.usecases import generation

        ctx, pool = await _ctx(dsn, data_dir, workers)
        try:
            async with pool.acquire() as conn:
                # the same batch again for the next phase: its letters back to planned
                await conn.execute("UPDATE letters SET status = 'planned' WHERE batch_id = $1", batch_id)
                t0, (s0, k0) = time.perf_counter(), _cpu_split()
                # the job's claim, of this batch (claim() takes the oldest queued one)
                await conn.execute("""UPDATE batches SET status = 'rendering', render_started_at = now(),
                                      attempts = attempts + 1 WHERE batch_id = $1""", batch_id)
                status = await generation.generate(conn, ctx, batch_id)
                row = await conn.fetchrow("SELECT letters, pages, bytes, error FROM batches WHERE batch_id = $1",
                                          batch_id)
        finally:
            await ctx.close()          # the worker processes exit: their CPU and peak are counted
            await pool.close()
        seconds, (s1, k1) = time.perf_counter() - t0, _cpu_split()
        assert status == "generated", row["error"]
        own, children = _peaks()
        return {"seconds": seconds, "cpu": s1 - s0 + k1 - k0, "cpu_service": s1 - s0, "peak": own, "worker_peak": children, "letters": row["letters"],
                "pages": row["pages"], "bytes": row["bytes"]}
    return asyncio.run(run())


_FLOOR_ROWS = """SELECT l.letter_id, l.sequence, l.check_code, l.letter_type, l.client_id, l.recipient_id,
       l.recipient_role, l.mail_class, l.template_id, l.template_version, l.created_on, c.debtor_name,
       c.debtor_gender, c.id_number_masked, c.account_masked, c.product, c.currency, c.outstanding, c.placed_amount,
       c.principal, c.interest, c.fees, c.overdue_since, c.dpd_at_placement, c.placed_on,
       c.instalment_plan::text AS instalment_plan, a.kind, a.province, a.city, a.district, a.line, a.postcode
    FROM letters l JOIN cases c USING (case_id) JOIN addresses a USING (address_id)
    WHERE l.batch_id = $1 ORDER BY l.sequence"""


def phase_floor(dsn: str, data_dir: str, batch_id: str, out: str) -> dict:
    """The same pages by bare canvas calls (recorded outside the clock from the service's own
    letters of the same rows), the same files of N, the manifest by plain csv / openpyxl."""
    async def letters_of() -> tuple[list, dict]:
        from recoup_letters.usecases import generation

        ctx, pool = await _ctx(dsn, data_dir, 0)
        try:
            async with pool.acquire() as conn:
                rows = await conn.fetch(_FLOOR_ROWS, batch_id)
                templates = {f"{r['template_id']}@v{r['version']}": r["source"] for r in await conn.fetch(
                    """SELECT DISTINCT v.template_id, v.version, v.source FROM letters l JOIN template_versions v
                       ON v.template_id = l.template_id AND v.version = l.template_version WHERE l.batch_id = $1""",
                    batch_id)}
                keys = {(r["client_id"], r["letter_type"]): f"{r['template_id']}@v{r['template_version']}" for r in rows}
                p = generation.Printing(batch_id, TODAY, TODAY + timedelta(days=15), keys,
                                        {r["client_id"]: "某某银行" for r in rows})
                return [generation.print_letter(r, p, ctx) for r in rows], templates
        finally:
            await ctx.close()
            await pool.close()
    letters, templates = asyncio.run(letters_of())
    return _floor(letters, templates, out)


class _Recorder:
    """Stands in for a canvas while the service's drawing code runs: keeps the calls to replay."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, tuple]] = []

    def beginPath(self):  # noqa: N802 - reportlab's name
        from reportlab.pdfgen.pathobject import PDFPathObject

        return PDFPathObject()

    def __getattr__(self, name):
        return lambda *args, **kw: self.ops.append((name, args))


def _floor(letters: list, templates: dict, out: str) -> dict:
    import csv

    from openpyxl import Workbook
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from recoup_letters.adapters.manifest import COLUMNS, manifest_row
    from recoup_letters.adapters.pdf import DL_ENVELOPE, PdfOptions, draw_envelope, draw_letter, letter_text, register_font

    opts = PdfOptions(letters_per_file=PER_FILE)
    register_font()
    rl_config.useA85 = 0                               # the same stream encoding as the service's
    os.makedirs(out)
    chunks = []
    for k in range(0, len(letters), PER_FILE):          # recorded, not measured
        pages, envelopes = _Recorder(), _Recorder()
        for letter in letters[k:k + PER_FILE]:
            draw_letter(pages, letter, letter_text(letter, templates), opts)
            draw_envelope(envelopes, letter, opts)
        chunks.append((letters[k].sequence, letters[k + min(PER_FILE, len(letters) - k) - 1].sequence, pages,
                       envelopes, [manifest_row(x).cells() for x in letters[k:k + PER_FILE]]))
    t, c = time.perf_counter(), time.process_time()
    with open(os.path.join(out, "manifest.csv"), "w", encoding="utf-8-sig", newline="") as f:
        writer, wb = csv.writer(f), Workbook(write_only=True)
        ws = wb.create_sheet("manifest")
        writer.writerow(COLUMNS)
        ws.append(list(COLUMNS))
        for first, last, pages, envelopes, rows in chunks:
            for name, rec, size in (("letters", pages, A4), ("envelopes", envelopes, DL_ENVELOPE)):
                canvas = Canvas(os.path.join(out, f"{name}_{first:06d}-{last:06d}.pdf"), pagesize=size,
                                pageCompression=1, invariant=1)
                for op, args in rec.ops:
                    getattr(canvas, op)(*args)
                canvas.save()
            for row in rows:
                writer.writerow(row)
                ws.append(row)
        wb.save(os.path.join(out, "manifest.xlsx"))
    seconds, cpu = time.perf_counter() - t, time.process_time() - c
    return {"seconds": seconds, "cpu": cpu, "peak": _peaks()[0],
            "bytes": sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))}


def _child(conn, fn, args) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as e:  # noqa: BLE001 - reported by the parent
        conn.send(("error", repr(e)))
    finally:
        conn.close()


def _run(fn, *args) -> dict:
    """One phase in a fresh (non-daemon: it starts workers) process: its own RSS high-water mark."""
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args))
    proc.start()
    child.close()
    status, value = parent.recv()
    proc.join()
    if status != "ok":
        raise RuntimeError(f"{fn.__name__} failed: {value}")
    return value


async def main(stack) -> None:
    dsn = await stack.new_database(package="recoup_letters")
    root = tempfile.mkdtemp(prefix="bench-letters-")
    try:
        t0 = time.perf_counter()
        big, stats = await _seed(dsn, os.path.join(root, "data"), "bench-big", N)
        small, _ = await _seed(dsn, os.path.join(root, "data"), "bench-small", max(1, N // 10))
        _say(f"set-up (not measured): {N:,} cases through the handlers, planned, batched in "
             f"{time.perf_counter() - t0:.1f} s; planned {stats['by_type']}")
        loop = asyncio.get_running_loop()
        run = lambda *a: loop.run_in_executor(None, _run, *a)  # noqa: E731 - the loop keeps the stack alive
        small_run = await run(phase_service, dsn, os.path.join(root, "data"), small, WORKERS)
        ours2 = await run(phase_service, dsn, os.path.join(root, "data"), big, WORKERS)
        ours1 = await run(phase_service, dsn, os.path.join(root, "data"), big, 0)
        floor = await run(phase_floor, dsn, os.path.join(root, "data"), big, os.path.join(root, "floor"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    _report(ours2, ours1, floor, small_run)


def _report(ours2: dict, ours1: dict, floor: dict, small: dict) -> None:
    _say(f"{ours2['letters']:,} letters, {ours2['pages']:,} pages in files of {PER_FILE} (letters A4 + envelopes "
         f"DL), manifest CSV + XLSX, {ours2['bytes'] / 1e6:.1f} MB")
    _say(f"(machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall times include waiting "
         f"for the CPU; CPU seconds do not)")
    _say(f"service use case, {WORKERS} worker processes {ours2['seconds']:6.1f} s wall {ours2['cpu']:6.1f} s CPU "
         f"({ours2['cpu_service']:.1f} in the service process)   peak RSS {ours2['peak']:4.0f} MB service, "
         f"{ours2['worker_peak']:.0f} MB largest worker (target < 60 s on 2 cores)")
    _say(f"service use case, in a thread      {ours1['seconds']:6.1f} s wall {ours1['cpu']:6.1f} s CPU   "
         f"peak RSS {ours1['peak']:4.0f} MB")
    _say(f"floor, bare reportlab + csv/openpyxl {floor['seconds']:5.1f} s wall {floor['cpu']:6.1f} s CPU   "
         f"(the same pages, replayed canvas calls)")
    _say(f"ratio service (1 process) / floor: {ours1['seconds'] / floor['seconds']:.2f} wall, "
         f"{ours1['cpu'] / floor['cpu']:.2f} CPU")
    _say(f"memory bounded: peak RSS {small['peak']:.0f} MB service / {small['worker_peak']:.0f} MB worker at "
         f"{small['letters']:,} letters, {ours2['peak']:.0f} / {ours2['worker_peak']:.0f} MB at {ours2['letters']:,}")
    assert ours2["letters"] == ours1["letters"]
    assert ours2["seconds"] < 60, "10,000 letters must take under a minute (issue 11)"
