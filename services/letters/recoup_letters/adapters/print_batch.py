"""A batch to print (R-33): a stream of letters in, PDF files of N letters out (letters on A4 and
their envelopes, same order), plus the post office's manifest written in the same pass.

Streaming: letters are consumed in chunks of `letters_per_file`; at most 2 x workers chunks are in
flight, each rendered to its own two files and dropped, so memory does not grow with the batch.
`render_batch` is all-or-nothing: files are written to a staging directory beside `out_dir` and
renamed into place only when every file and manifest is complete; on any error the staging
directory is removed and nothing half-generated remains.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Mapping

from reportlab import rl_config

from ..rules import checkcode
from .manifest import ManifestFile, ManifestOptions, ManifestWriter
from .pdf import A4, PdfOptions, PrintLetter, draw_envelope, draw_letter, letter_text, new_canvas


@dataclass(frozen=True, slots=True)
class BatchFile:
    kind: str                 # letters | envelopes
    path: str
    first_sequence: int
    last_sequence: int
    letters: int
    pages: int
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class RenderedBatch:
    directory: str
    files: tuple[BatchFile, ...]
    manifests: tuple[ManifestFile, ...]
    letters: int
    pages: int


def _digest(path: str) -> tuple[int, str]:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return os.path.getsize(path), h.hexdigest()


@contextmanager
def _binary_streams():
    """Page streams zlib-compressed only, not also ASCII85-encoded (reportlab's default): files a
    fifth smaller and faster to write; every PDF reader and printer takes binary streams."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def render_chunk(chunk: list[PrintLetter], templates: Mapping[str, str], out_dir: str,
                 opts: PdfOptions) -> list[BatchFile]:
    """One file of letters and one of envelopes for a run of consecutive letters."""
    with _binary_streams():
        return _render_chunk(chunk, templates, out_dir, opts)


def _render_chunk(chunk: list[PrintLetter], templates: Mapping[str, str], out_dir: str,
                  opts: PdfOptions) -> list[BatchFile]:
    first, last = chunk[0].sequence, chunk[-1].sequence
    stem = f"{first:06d}-{last:06d}"
    out: list[BatchFile] = []
    letters_path = os.path.join(out_dir, f"letters_{stem}.pdf")
    c = new_canvas(letters_path, A4, f"信函 {stem}", opts)
    pages = 0
    for letter in chunk:
        checkcode.parse(letter.check_code)          # a wrong code must never reach paper
        pages += draw_letter(c, letter, letter_text(letter, templates), opts)
    c.save()
    out.append(BatchFile("letters", letters_path, first, last, len(chunk), pages, *_digest(letters_path)))
    envelopes_path = os.path.join(out_dir, f"envelopes_{stem}.pdf")
    c = new_canvas(envelopes_path, opts.envelope_size, f"信封 {stem}", opts)
    for letter in chunk:
        draw_envelope(c, letter, opts)
    c.save()
    out.append(BatchFile("envelopes", envelopes_path, first, last, len(chunk), len(chunk),
                         *_digest(envelopes_path)))
    return out


def _chunks(letters: Iterable[PrintLetter], size: int,
            on_letter: Callable[[PrintLetter], None] | None) -> Iterator[list[PrintLetter]]:
    it = iter(letters)
    previous = 0
    while chunk := list(islice(it, size)):
        for letter in chunk:
            if letter.sequence <= previous:
                raise ValueError(f"sequence {letter.sequence} after {previous}: letters must come in "
                                 "increasing sequence order")
            previous = letter.sequence
            if on_letter is not None:
                on_letter(letter)
        yield chunk


def warm_worker() -> None:
    """Initializer of a rendering worker process: the CID font registered once per process."""
    from .pdf import register_font

    register_font()


def worker_pool(workers: int, mp_context: str = "spawn") -> ProcessPoolExecutor:
    """A pool of rendering processes (the service keeps one for its lifetime: context.py)."""
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(mp_context),
                               initializer=warm_worker)


def _pooled(chunks: Iterator[list[PrintLetter]], templates: dict[str, str], out: str, opts: PdfOptions,
            pool: Executor, workers: int) -> Iterator[BatchFile]:
    inflight: deque = deque()
    try:
        for chunk in chunks:
            inflight.append(pool.submit(render_chunk, chunk, templates, out, opts))
            if len(inflight) >= 2 * workers:
                yield from inflight.popleft().result()
        while inflight:
            yield from inflight.popleft().result()
    finally:
        for f in inflight:
            f.cancel()


def iter_render(letters: Iterable[PrintLetter], templates: Mapping[str, str], out_dir: str | Path,
                opts: PdfOptions = PdfOptions(), *, workers: int = 1, mp_context: str = "spawn",
                on_letter: Callable[[PrintLetter], None] | None = None,
                executor: Executor | None = None) -> Iterator[BatchFile]:
    """Render as the letters arrive; yields each file when it is complete, in sequence order.
    `executor`: a long-lived pool of `workers` processes (worker_pool) instead of one per call."""
    out = str(out_dir)
    chunks = _chunks(letters, opts.letters_per_file, on_letter)
    templates = dict(templates)
    if executor is not None:
        yield from _pooled(chunks, templates, out, opts, executor, max(1, workers))
        return
    if workers <= 1:
        for chunk in chunks:
            yield from render_chunk(chunk, templates, out, opts)
        return
    with worker_pool(workers, mp_context) as pool:
        yield from _pooled(chunks, templates, out, opts, pool, workers)


def render_batch(letters: Iterable[PrintLetter], templates: Mapping[str, str], out_dir: str | Path,
                 opts: PdfOptions = PdfOptions(), *, workers: int = 1, mp_context: str = "spawn",
                 manifest: ManifestOptions | None = ManifestOptions(),
                 executor: Executor | None = None) -> RenderedBatch:
    """All files of a batch in `out_dir` (which must not exist yet), or nothing at all."""
    target = Path(out_dir)
    if target.exists():
        raise FileExistsError(f"{target} exists: a batch is rendered into a new directory")
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=target.parent))
    writer = None
    try:
        writer = ManifestWriter(staging, manifest) if manifest is not None else None
        files = list(iter_render(letters, templates, staging, opts, workers=workers, mp_context=mp_context,
                                 on_letter=writer.add if writer else None, executor=executor))
        manifests = writer.close() if writer else []
        if not files:
            raise ValueError("a batch needs at least one letter")
        os.rename(staging, target)
    except BaseException:
        if writer is not None:
            writer.abort()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    moved = tuple(replace(f, path=str(target / Path(f.path).name)) for f in files)
    moved_manifests = tuple(replace(m, path=str(target / Path(m.path).name)) for m in manifests)
    letters_n = sum(f.letters for f in moved if f.kind == "letters")
    pages = sum(f.pages for f in moved)
    return RenderedBatch(str(target), moved, moved_manifests, letters_n, pages)
