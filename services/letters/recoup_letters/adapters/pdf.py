"""Print-ready PDF (R-33): the letters on A4 and one envelope / address sheet per letter, both with
the letter's check code as text and as a Code 128 barcode (R-32).

Chinese text uses reportlab's CID font STSong-Light (as billing does): no font file, tiny files,
and every PDF reader and print RIP with the Adobe-GB1 collection renders it. Pages are drawn with
bare canvas calls after our own line layout (layout.py), which keeps 10,000 letters well inside a
minute. batch.py streams letters through this module in files of N letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas

from ..rules import checkcode
from ..rules.model import MAIL_CLASS_ZH, MailClass
from .layout import Styles, lay_out, paginate, text_width, wrap
from .templates import render_text

FONT = "STSong-Light"
DL_ENVELOPE = (220 * mm, 110 * mm)      # 5号信封 (DL), landscape
C5_ENVELOPE = (229 * mm, 162 * mm)
BAR_WIDTH = 0.28 * mm                   # narrowest bar: well above what handheld scanners resolve


_REGISTERED: set[str] = set()


def register_font(name: str = FONT) -> str:
    if name not in _REGISTERED:
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(name))
        _REGISTERED.add(name)
    return name


@dataclass(frozen=True, slots=True)
class Envelope:
    recipient_name: str
    address_lines: tuple[str, ...]
    postcode: str
    mail_class: MailClass
    salutation: str = ""


@dataclass(frozen=True, slots=True)
class PrintLetter:
    """One letter ready to print. `variables` come from variables.letter_variables (masked)."""
    sequence: int
    letter_id: str
    check_code: str
    template_key: str                     # key into the templates mapping (e.g. "tpl-12@v3")
    variables: Mapping[str, Any]
    envelope: Envelope


@dataclass(frozen=True, slots=True)
class PdfOptions:
    letters_per_file: int = 500
    envelope_size: tuple[float, float] = DL_ENVELOPE
    sender_lines: tuple[str, ...] = ()    # the return address printed on envelopes
    sender_postcode: str = ""
    margin: float = 22 * mm
    compress: bool = True
    styles: Styles = Styles()
    author: str = "Recoup letters"


def code128_bars(value: str, bar_width: float = BAR_WIDTH) -> tuple[list[tuple[float, float]], float]:
    """Code 128 bars of `value` as (x, width) pairs, and the total width (reportlab encodes)."""
    bc = Code128(value, barWidth=bar_width, quiet=0)
    bc.validate()
    bc.encode()
    bc.decompose()
    # reportlab's multi-width pattern: an upper-case letter is a bar, lower-case a space, of
    # (letter's rank) modules
    bars, x = [], 0.0
    for ch in bc.decomposed:
        w = (ord(ch.lower()) - 96) * bar_width
        if ch.isupper():
            bars.append((x, w))
        x += w
    return bars, x


def draw_barcode(c: Canvas, value: str, x: float, y: float, height: float, *, right: bool = False) -> float:
    """Draw a Code 128 barcode, all bars in one filled path; (x, y) is its lower-left corner, or its
    lower-right one with `right`. Returns its width."""
    bars, width = code128_bars(value)
    x0 = x - width if right else x
    path = c.beginPath()
    for bx, bw in bars:
        path.rect(x0 + bx, y, bw, height)
    c.drawPath(path, stroke=0, fill=1)
    return width


def _code_block(c: Canvas, code: str, side: str, x_right: float, y_top: float, sequence: int) -> None:
    """Check code text and barcode, right-aligned at x_right, below y_top (R-32)."""
    c.setFont(FONT, 9)
    c.drawRightString(x_right, y_top - 9, f"核对码 {checkcode.display(code)}   序号 {sequence}")
    draw_barcode(c, checkcode.barcode_value(code, side), x_right, y_top - 9 - 3 * mm - 9 * mm, 9 * mm,
                 right=True)


def draw_letter(c: Canvas, letter: PrintLetter, text: str, opts: PdfOptions) -> int:
    """The letter's pages: the template's text laid out on A4, the check code block on every page
    (pages of one letter cannot be mixed with another's), page numbers. Returns the page count."""
    register_font()
    page_w, page_h = A4
    m = opts.margin
    band = 24 * mm                                   # check code block at the top
    lines = lay_out(text, FONT, page_w - 2 * m, opts.styles)
    pages = paginate(lines, page_h - 2 * m - band - 10 * mm)
    top = page_h - m - band
    for n, page in enumerate(pages, 1):
        _code_block(c, letter.check_code, checkcode.LETTER_SIDE, page_w - m, page_h - m + 6 * mm,
                    letter.sequence)
        for offset, line in page:
            c.setFont(FONT, line.style.size)
            y = top - offset
            if line.style.align == "center":
                c.drawCentredString(page_w / 2, y, line.text)
            elif line.style.align == "right":
                c.drawRightString(page_w - m, y, line.text)
            else:
                c.drawString(m, y, line.text)
        c.setFont(FONT, 8)
        c.drawCentredString(page_w / 2, m / 2, f"第 {n} 页 / 共 {len(pages)} 页")
        c.showPage()
    return len(pages)


def _postcode_boxes(c: Canvas, postcode: str, x: float, y_top: float) -> None:
    """Six boxes at the top left, as on Chinese envelopes."""
    box_w, box_h, gap = 7 * mm, 8 * mm, 1.6 * mm
    digits = (postcode or "").strip()[:6]
    c.setLineWidth(0.8)
    for i in range(6):
        bx = x + i * (box_w + gap)
        c.rect(bx, y_top - box_h, box_w, box_h)
        if i < len(digits):
            c.setFont(FONT, 14)
            c.drawCentredString(bx + box_w / 2, y_top - box_h + 2.2 * mm, digits[i])


def draw_envelope(c: Canvas, letter: PrintLetter, opts: PdfOptions) -> None:
    """One envelope / address sheet: postcode, address, recipient, mail class, return address, and
    the same check code as the letter (R-32). Nothing about the debt is on it."""
    register_font()
    w, h = opts.envelope_size
    env = letter.envelope
    _postcode_boxes(c, env.postcode, 12 * mm, h - 10 * mm)
    label = MAIL_CLASS_ZH[env.mail_class]
    c.setFont(FONT, 12)
    lw = text_width(FONT, label, 12) + 6 * mm
    c.rect(w - 12 * mm - lw, h - 20 * mm, lw, 10 * mm)
    c.drawCentredString(w - 12 * mm - lw / 2, h - 16.5 * mm, label)
    y = h - 34 * mm
    c.setFont(FONT, 13)
    for raw in env.address_lines:
        for part in wrap(raw, FONT, 13, w - 60 * mm):
            c.drawString(30 * mm, y, part)
            y -= 17
    c.setFont(FONT, 18)
    name = f"{env.recipient_name} {env.salutation}".strip() + "  收"
    c.drawString(45 * mm, y - 14, name)
    c.setFont(FONT, 8.5)
    sy = 8 * mm + 11 * max(0, len(opts.sender_lines) - 1) + (11 if opts.sender_postcode else 0)
    for line in opts.sender_lines:
        c.drawRightString(w - 12 * mm, sy, line)
        sy -= 11
    if opts.sender_postcode:
        c.drawRightString(w - 12 * mm, sy, f"邮政编码 {opts.sender_postcode}")
    c.setFont(FONT, 9)
    c.drawString(12 * mm, 20 * mm, f"核对码 {checkcode.display(letter.check_code)}   序号 {letter.sequence}")
    draw_barcode(c, checkcode.barcode_value(letter.check_code, checkcode.ENVELOPE_SIDE), 12 * mm, 7 * mm,
                 10 * mm)
    c.showPage()


def new_canvas(path: str, pagesize: tuple[float, float], title: str, opts: PdfOptions) -> Canvas:
    register_font()
    c = Canvas(path, pagesize=pagesize, pageCompression=1 if opts.compress else 0, invariant=1)
    c.setTitle(title)
    c.setAuthor(opts.author)
    return c


def letter_text(letter: PrintLetter, templates: Mapping[str, str]) -> str:
    return render_text(templates[letter.template_key], dict(letter.variables))
