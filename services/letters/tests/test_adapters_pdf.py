"""Print-ready PDFs (R-30, R-32, R-33), opened the way a person and a scanner would: the text read back
with pypdf, the pages rasterised with pdftoppm and the barcodes decoded from the pixels."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from recoup_letters.adapters.pdf import PdfOptions
from recoup_letters.adapters.print_batch import iter_render, render_batch
from recoup_letters.rules import (
    ClientLetterConfig,
    Instalment,
    InstalmentPlan,
    LetterType,
    MailClass,
    PlannedLetter,
    checkcode,
    has_full_number,
    plan_case,
)
from recoup_letters.rules.checkcode import QcOutcome
from recoup_letters.samples import sample_template
from recoup_local.letters_samples import FULL_CARD, FULL_ID, SENDER_LINES, address, case, debtor, print_letter

TODAY = date(2026, 11, 25)
TEMPLATES = {t.value: sample_template(t) for t in LetterType}
# a long letter: the check code must be on every one of its pages
TEMPLATES["long"] = sample_template(LetterType.LAWYER) + "\n" + "\n\n".join(
    f"　　第{i}条 {{{{ debtor_name }}}}名下卡号 {{{{ card_number_masked }}}} 的欠款{{{{ outstanding|money }}}}元。" * 3
    for i in range(1, 30))
PLAN = InstalmentPlan("P1", TODAY, tuple(Instalment(i, TODAY + timedelta(days=30 * i), Decimal("1000.00"))
                                         for i in range(1, 4)))
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                   reason="pdftoppm missing: run deploy/local/system-packages.sh")


def planned_letters() -> list[PlannedLetter]:
    out = []
    for i, t in enumerate(LetterType):
        c = case(f"c{i}", parties=(debtor("d1", ["张伟", "王芳", "李娜"][i % 3], "MF"[i % 2]),),
                 addresses=(address("a1", n=i),))
        base = plan_case(c, [], ClientLetterConfig(), TODAY).letters[0]
        out.append(PlannedLetter(base.case_id, base.client_id, base.cycle, t, base.recipient, base.address,
                                 MailClass.EXPRESS if i % 2 else MailClass.REGISTERED, base.why))
    return out


def print_letters(start: int = 1):
    seq = start
    for p in planned_letters():
        yield print_letter(p, seq, 1000 + seq, TODAY, plan=PLAN)
        seq += 1
    long = print_letter(planned_letters()[4], seq, 1000 + seq, TODAY)
    yield long.__class__(long.sequence, long.letter_id, long.check_code, "long", long.variables, long.envelope)


OPTS = PdfOptions(letters_per_file=3, sender_lines=SENDER_LINES, sender_postcode="450000")


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    out = tmp_path_factory.mktemp("letters") / "batch-1"
    return render_batch(print_letters(), TEMPLATES, out, OPTS)


def _pages(path: str) -> list[str]:
    return [p.extract_text() for p in PdfReader(path).pages]


def _letter_pages(batch) -> dict[int, list[str]]:
    """sequence -> texts of its pages (the code block on every page says which letter it is)."""
    out: dict[int, list[str]] = {}
    for f in batch.files:
        if f.kind == "letters":
            for text in _pages(f.path):
                seq = int(re.search(r"序号 (\d+)", text).group(1))
                out.setdefault(seq, []).append(text)
    return out


def test_split_into_files_of_n_letters_with_envelopes(batch):
    letters = [f for f in batch.files if f.kind == "letters"]
    envelopes = [f for f in batch.files if f.kind == "envelopes"]
    assert [(f.first_sequence, f.last_sequence) for f in letters] == [(1, 3), (4, 6), (7, 8)]
    assert [(f.first_sequence, f.last_sequence) for f in envelopes] == [(1, 3), (4, 6), (7, 8)]
    assert batch.letters == 8
    for f in batch.files:
        assert len(PdfReader(f.path).pages) == f.pages and Path(f.path).name.startswith(f.kind)
    assert sum(f.pages for f in envelopes) == 8
    assert sum(f.pages for f in letters) > 8                  # the long letter has several pages
    assert [m.format for m in batch.manifests] == ["csv", "xlsx"] and batch.manifests[0].rows == 8
    for size in {tuple(round(x) for x in p.mediabox[2:]) for f in letters for p in PdfReader(f.path).pages}:
        assert size == (595, 842)                               # A4


def test_masked_numbers_only_and_the_check_code_on_every_page_and_envelope(batch):
    letter_pages = _letter_pages(batch)
    codes = {seq: checkcode.code_for_serial(1000 + seq) for seq in range(1, 9)}
    assert sorted(letter_pages) == list(codes)
    assert len(letter_pages[8]) >= 3
    for seq, pages in letter_pages.items():
        for text in pages:
            assert checkcode.display(codes[seq]) in text
    everything = "\n".join(t for f in batch.files for t in _pages(f.path))
    assert FULL_ID not in everything and FULL_CARD not in everything
    assert not has_full_number(everything)
    assert "622202*************" in everything and "410105************" in everything
    assert "壹万叁仟捌佰叁拾元伍角整" in everything and "报案通知函" in everything and "律师函" in everything
    callback = next(p for p in letter_pages.values() if "回电通知书" in p[0])[0]
    assert "13,830.50" not in callback and "622202" not in callback and "银行" not in callback
    envelope_texts = [t for f in batch.files if f.kind == "envelopes" for t in _pages(f.path)]
    for seq, text in enumerate(envelope_texts, 1):
        assert f"序号 {seq}" in text and checkcode.display(codes[seq]) in text
        assert "13,830.50" not in text and "622202" not in text           # nothing about the debt outside


def _raster(pdf: str, tmp: Path, page: int = 1, dpi: int = 150) -> Image.Image:
    prefix = tmp / f"{Path(pdf).stem}-{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile",
                    pdf, str(prefix)], check=True, capture_output=True, timeout=60)
    return Image.open(f"{prefix}.png").convert("L")


def _ink(img: Image.Image, box: tuple[float, float, float, float]) -> float:
    """Share of dark pixels in a box given as fractions of the page."""
    w, h = img.size
    region = img.convert("L").crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    hist = region.histogram()
    return sum(hist[:128]) / max(1, sum(hist))


@needs_poppler
def test_pages_render_and_the_barcodes_scan_to_matching_codes(batch, tmp_path):
    letters = [f for f in batch.files if f.kind == "letters"]
    envelopes = [f for f in batch.files if f.kind == "envelopes"]
    for lf, ef in zip(letters, envelopes):
        letter_img = _raster(lf.path, tmp_path)
        envelope_img = _raster(ef.path, tmp_path)
        assert _ink(letter_img, (0.08, 0.2, 0.92, 0.7)) > 0.01, "letter body rendered blank"
        assert _ink(envelope_img, (0.1, 0.25, 0.8, 0.6)) > 0.01, "envelope address rendered blank"
        scans = [r.text for img in (letter_img, envelope_img) for r in zxingcpp.read_barcodes(img)]
        assert len(scans) == 2, scans
        decision = checkcode.qc_decide(*scans)
        assert decision.outcome == QcOutcome.MATCH
        assert decision.letter_code == checkcode.code_for_serial(1000 + lf.first_sequence)
    # a letter put in the wrong envelope is caught from the scans alone
    wrong = [zxingcpp.read_barcodes(_raster(letters[0].path, tmp_path))[0].text,
             zxingcpp.read_barcodes(_raster(envelopes[1].path, tmp_path))[0].text]
    assert checkcode.qc_decide(*wrong).outcome == QcOutcome.MISMATCH


def test_streaming_consumes_letters_one_file_at_a_time(tmp_path):
    consumed = []

    def source():
        for letter in print_letters():
            consumed.append(letter.sequence)
            yield letter

    files = iter_render(source(), TEMPLATES, tmp_path, OPTS)
    first = next(files)
    assert first.kind == "letters" and len(consumed) == 3          # only the first file's letters
    next(files)
    assert len(consumed) == 3
    assert [f.kind for f in files] == ["letters", "envelopes"] * 2 and len(consumed) == 8


def test_a_failing_batch_leaves_nothing_behind(tmp_path):
    def broken():
        yield from list(print_letters())[:4]
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        render_batch(broken(), TEMPLATES, tmp_path / "b", OPTS)
    assert list(tmp_path.iterdir()) == []
    bad_code = list(print_letters())[:1]
    bad_code = [bad_code[0].__class__(1, "x", "EBC687AGR", "notice", bad_code[0].variables, bad_code[0].envelope)]
    with pytest.raises(checkcode.CheckCodeError):
        render_batch(bad_code, TEMPLATES, tmp_path / "c", OPTS)
    out_of_order = list(print_letters())[:2][::-1]
    with pytest.raises(ValueError, match="increasing"):
        render_batch(out_of_order, TEMPLATES, tmp_path / "d", OPTS)
    assert list(tmp_path.iterdir()) == []


def test_worker_processes_give_the_same_files(batch, tmp_path):
    parallel = render_batch(print_letters(), TEMPLATES, tmp_path / "p", OPTS, workers=2)
    assert [(f.kind, f.first_sequence, f.sha256) for f in parallel.files] == \
        [(f.kind, f.first_sequence, f.sha256) for f in batch.files]


class _Recorder:
    """A stand-in canvas that keeps what is drawn: text and barcode paths."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.paths: list[str] = []

    def beginPath(self):  # noqa: N802 - reportlab's name
        from reportlab.pdfgen.pathobject import PDFPathObject

        return PDFPathObject()

    def drawPath(self, path, **kw):  # noqa: N802
        self.paths.append(path.getCode())

    def __getattr__(self, name):
        if name.startswith("draw") and "String" in name:
            return lambda x, y, text, *a, **kw: self.texts.append(text)
        return lambda *a, **kw: None


MODULE = 0.28 * 72 / 25.4          # the narrowest bar, in points


def _bars(value: str) -> list[int]:
    """Bar widths in modules of the Code 128 symbol for `value`."""
    from recoup_letters.adapters.pdf import code128_bars

    return [round(w / MODULE) for _, w in code128_bars(value)[0]]


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, checkcode.SPACE - 1), st.sampled_from(list(LetterType)),
                          st.integers(0, 4)), min_size=1, max_size=5, unique_by=lambda t: t[0]))
def test_every_letters_check_code_is_the_one_on_its_envelope(items):
    """Whatever the letters, the code printed and encoded on each letter's pages is the code printed
    and encoded on its own envelope, and on no other (R-32)."""
    from recoup_letters.adapters.pdf import draw_envelope, draw_letter, letter_text

    base = planned_letters()
    for seq, (serial, letter_type, n) in enumerate(items, 1):
        p = base[n]
        planned = PlannedLetter(p.case_id, p.client_id, p.cycle, letter_type, p.recipient, p.address,
                                p.mail_class, p.why)
        letter = print_letter(planned, seq, serial, TODAY, plan=PLAN)
        page, envelope = _Recorder(), _Recorder()
        draw_letter(page, letter, letter_text(letter, TEMPLATES), OPTS)
        draw_envelope(envelope, letter, OPTS)
        code = checkcode.code_for_serial(serial)
        label = f"核对码 {checkcode.display(code)}   序号 {seq}"
        assert label in page.texts and label in envelope.texts
        for other_serial, _, _ in items:
            if other_serial != serial:
                other = checkcode.display(checkcode.code_for_serial(other_serial))
                assert not any(other in t for t in page.texts + envelope.texts)
        letter_bars = {path for path in page.paths}
        assert len(envelope.paths) == 1 and len(letter_bars) == 1       # the same barcode on every page
        expected = [(checkcode.barcode_value(code, side)) for side in (checkcode.LETTER_SIDE, checkcode.ENVELOPE_SIDE)]
        assert [_bars(v) for v in expected] == [_decode_widths(next(iter(letter_bars))),
                                                _decode_widths(envelope.paths[0])]
        assert checkcode.qc_decide(*expected).outcome == QcOutcome.MATCH


def _decode_widths(path_code: str) -> list[int]:
    """Bar widths in modules from the drawn path (`x y w h re` per bar)."""
    parts = path_code.split()
    widths = [float(parts[i - 2]) for i, tok in enumerate(parts) if tok == "re"]
    return [round(w / MODULE) for w in widths]
