"""Letters batch at scale (R-33): 10,000 letters to print-ready PDFs (letters + envelopes, files of
500) and the post office's manifest (CSV + XLSX), streamed end to end.

The pipeline measured is the whole of our layer: sample cases -> plan_case (R-28..R-30: due type,
address, mail class) -> check code -> masked template variables -> sandboxed template -> layout ->
reportlab canvas -> files, with the manifest written in the same pass. Each phase runs in a fresh
process so its RSS high-water mark is its own:

- ours, 1 process, and ours with 2 worker processes (the target: < 60 s on 2 cores);
- the floor, in the same run: the very same pages drawn by bare reportlab canvas calls (the draw
  calls our layer made, recorded per file outside the clock and replayed onto a canvas), the same
  files of N, and the manifest written with plain csv / openpyxl. Ratio = ours (1 process) / floor;
- memory bounded: the same pipeline at 1,000 letters, whose peak should equal the 10,000 one's.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import shutil
import tempfile
import time
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal

N = int(os.environ.get("BENCH_LETTERS_N", 10_000))
PER_FILE = int(os.environ.get("BENCH_LETTERS_PER_FILE", 500))
WORKERS = int(os.environ.get("BENCH_LETTERS_WORKERS", 2))
TODAY = date(2026, 11, 25)


def _say(msg: str) -> None:
    print(f"  {msg}", flush=True)


def _cases():
    """Endless varied cases: new ones (notice), older ones on the DPD schedule (reminders, lawyer's
    letter), some with only an unverified address (call-back notice), some large (express)."""
    from recoup_letters.rules import AddressSource, Instalment, InstalmentPlan
    from recoup_letters.testing import GIVEN, SURNAMES, address, case, debtor

    i = 0
    while True:
        party = debtor(f"d{i}", SURNAMES[i % 10] + GIVEN[(i // 10) % 10], "MF"[i % 2])
        kind = "household_registration" if i % 9 else "work"
        addr = address(f"a{i}", f"d{i}", kind, n=i, source=AddressSource.CLIENT,
                       found_on=TODAY - timedelta(days=40),
                       verified_on=TODAY - timedelta(days=2) if i % 13 == 0 else None)
        amount = Decimal(800 + (i * 7919) % 40000) + Decimal(i % 100) / 100
        plan = None
        if i % 17 == 0:
            plan = InstalmentPlan(f"P{i}", TODAY - timedelta(days=1), tuple(
                Instalment(k, TODAY + timedelta(days=30 * k), (amount / 3).quantize(Decimal("0.01"))) for k in (1, 2, 3)))
        yield case(f"c{i}", placed_on=TODAY - timedelta(days=(i * 37) % 50), dpd=i % 20, outstanding=amount,
                   parties=(party,), addresses=(addr,), placement_id=f"PL-{i % 7}", instalment_plan=plan,
                   overdue_since=TODAY - timedelta(days=10 + (i * 13) % 60))
        i += 1


def _print_letters(n: int, counts: Counter | None = None):
    """Our layer: rules -> printable letters, streamed (sequence = order of arrival, as the service's
    query would give them already in dispatch order)."""
    from recoup_letters.rules import ClientLetterConfig, plan_case
    from recoup_letters.testing import facts, print_letter

    config = ClientLetterConfig(schedule_enabled=True)
    seq = 0
    for c in _cases():
        for planned in plan_case(c, [], config, TODAY).letters:
            seq += 1
            if counts is not None:
                counts[planned.letter_type.value] += 1
            yield print_letter(planned, seq, seq, TODAY, facts_=facts(planned.recipient.name, c.outstanding),
                               plan=c.instalment_plan)
            if seq == n:
                return


def _templates() -> dict[str, str]:
    from recoup_letters.adapters.templates import validate_template
    from recoup_letters.rules import LetterType
    from recoup_letters.samples import sample_template

    return {t.value: validate_template(sample_template(t), t).source for t in LetterType}


def _options():
    from recoup_letters.adapters.pdf import PdfOptions
    from recoup_letters.testing import SENDER_LINES

    return PdfOptions(letters_per_file=PER_FILE, sender_lines=SENDER_LINES, sender_postcode="450000")


def _cpu() -> float:
    """CPU seconds of this process and its finished children: what the work costs, whatever else
    the machine is running (wall time depends on that)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, children


def phase_ours(n: int, workers: int, out: str) -> dict:
    from recoup_letters.adapters.print_batch import render_batch

    templates, opts = _templates(), _options()
    counts: Counter = Counter()
    t0, c0 = time.perf_counter(), _cpu()
    batch = render_batch(_print_letters(n, counts), templates, out, opts, workers=workers)
    elapsed, cpu = time.perf_counter() - t0, _cpu() - c0
    own, children = _peak_mb()
    return {"seconds": elapsed, "cpu": cpu, "peak": own, "worker_peak": children, "letters": batch.letters,
            "pages": batch.pages, "files": len(batch.files), "types": dict(counts),
            "bytes": sum(f.size for f in batch.files) + sum(m.size for m in batch.manifests)}


class _Recorder:
    """Stands in for a canvas while our layer draws: keeps the calls to replay on a real one."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, tuple]] = []

    def beginPath(self):  # noqa: N802 - reportlab's name
        from reportlab.pdfgen.pathobject import PDFPathObject

        return PDFPathObject()

    def __getattr__(self, name):
        return lambda *args, **kw: self.ops.append((name, args))


def phase_floor(n: int, out: str) -> dict:
    """The same pages by bare canvas calls (recorded per file, outside the clock), same files of N,
    and the manifest with plain csv / openpyxl."""
    import csv
    from itertools import islice

    from openpyxl import Workbook
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    from recoup_letters.adapters.manifest import COLUMNS, manifest_row
    from recoup_letters.adapters.pdf import draw_envelope, draw_letter, letter_text, register_font

    from reportlab import rl_config

    templates, opts = _templates(), _options()
    register_font()
    rl_config.useA85 = 0                           # the same stream encoding as ours
    os.makedirs(out)
    letters = _print_letters(n)
    measured = cpu = 0.0
    t, c = time.perf_counter(), time.process_time()
    csv_file = open(os.path.join(out, "manifest.csv"), "w", encoding="utf-8-sig", newline="")
    writer = csv.writer(csv_file)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("manifest")
    writer.writerow(COLUMNS)
    ws.append(list(COLUMNS))
    measured, cpu = measured + time.perf_counter() - t, cpu + time.process_time() - c
    while chunk := list(islice(letters, opts.letters_per_file)):
        pages, envelopes, rows = _Recorder(), _Recorder(), []
        for letter in chunk:                       # not measured: our layer, recorded
            draw_letter(pages, letter, letter_text(letter, templates), opts)
            draw_envelope(envelopes, letter, opts)
            rows.append(manifest_row(letter).cells())
        t, c = time.perf_counter(), time.process_time()    # measured: bare reportlab, csv/openpyxl
        stem = f"{chunk[0].sequence:06d}-{chunk[-1].sequence:06d}"
        for name, rec, size in (("letters", pages, A4), ("envelopes", envelopes, opts.envelope_size)):
            canvas = Canvas(os.path.join(out, f"{name}_{stem}.pdf"), pagesize=size, pageCompression=1,
                            invariant=1)
            for op, args in rec.ops:
                getattr(canvas, op)(*args)
            canvas.save()
        for row in rows:
            writer.writerow(row)
            ws.append(row)
        measured, cpu = measured + time.perf_counter() - t, cpu + time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    csv_file.close()
    wb.save(os.path.join(out, "manifest.xlsx"))
    measured, cpu = measured + time.perf_counter() - t, cpu + time.process_time() - c
    own, _ = _peak_mb()
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    return {"seconds": measured, "cpu": cpu, "peak": own, "bytes": size}


def _child(conn, fn, args) -> None:
    try:
        conn.send(("ok", fn(*args)))
    except BaseException as e:  # noqa: BLE001 - reported by the parent
        conn.send(("error", repr(e)))
    finally:
        conn.close()


def _run(fn, *args) -> dict:
    """One phase in a fresh (non-daemon: it may start workers) process: its own RSS high-water
    mark, nothing cached from before."""
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


def main() -> None:
    root = tempfile.mkdtemp(prefix="bench-letters-")
    try:
        small = _run(phase_ours, max(1, N // 10), 1, os.path.join(root, "small"))
        ours1 = _run(phase_ours, N, 1, os.path.join(root, "ours1"))
        ours2 = _run(phase_ours, N, WORKERS, os.path.join(root, "ours2"))
        floor = _run(phase_floor, N, os.path.join(root, "floor"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    types = ", ".join(f"{k} {v:,}" for k, v in sorted(ours1["types"].items(), key=lambda kv: -kv[1]))
    _say(f"{ours1['letters']:,} letters ({types})")
    _say(f"{ours1['pages']:,} pages in {ours1['files']} PDF files of {PER_FILE} letters (letters A4 + "
         f"envelopes DL), manifest CSV + XLSX, {ours1['bytes'] / 1e6:.1f} MB")
    _say(f"(machine load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores: wall times include "
         f"waiting for the CPU; CPU seconds do not)")
    _say(f"ours, 1 process           {ours1['seconds']:6.1f} s wall  {ours1['cpu']:6.1f} s CPU   "
         f"peak RSS {ours1['peak']:4.0f} MB")
    _say(f"ours, {WORKERS} worker processes  {ours2['seconds']:6.1f} s wall  {ours2['cpu']:6.1f} s CPU   "
         f"peak RSS {ours2['peak']:4.0f} MB parent, {ours2['worker_peak']:.0f} MB largest worker   "
         f"(target < 60 s on 2 cores)")
    _say(f"floor, bare reportlab     {floor['seconds']:6.1f} s wall  {floor['cpu']:6.1f} s CPU   "
         f"peak RSS {floor['peak']:4.0f} MB (the same pages by canvas calls, manifest by csv/openpyxl)")
    _say(f"ratio ours (1 process) / floor: {ours1['seconds'] / floor['seconds']:.2f} wall, "
         f"{ours1['cpu'] / floor['cpu']:.2f} CPU")
    _say(f"memory bounded: peak RSS {small['peak']:.0f} MB at {small['letters']:,} letters, "
         f"{ours1['peak']:.0f} MB at {ours1['letters']:,}")
    assert ours1["letters"] == ours2["letters"] == N


if __name__ == "__main__":
    main()
