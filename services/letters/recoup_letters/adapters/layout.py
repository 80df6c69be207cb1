"""Text layout for print: the rendered template text -> wrapped lines -> pages.

The template's output is plain text with four marks, so templates stay readable for the client who
approves them (R-27):
    # 标题          title, centred, large
    ## 小标题        subtitle, centred
    > 右对齐        right-aligned line (signature, date)
    (empty line)    paragraph space
Anything else is a paragraph line, wrapped to the page width. Chinese text breaks between any two
characters except before closing punctuation (。，、 … hang at the line end) and after opening
brackets (（《 move to the next line); ASCII words and
numbers are never split unless longer than a line. Widths come from the font's metrics, cached per
character: no platypus, so thousands of letters lay out in a blink.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.pdfbase import pdfmetrics

NO_LINE_START = set("，。、；：？！）》」』】〕〉…—,.;:?!)]}%")
NO_LINE_END = set("（《「『【〔〈([{")
_TOKEN = re.compile(r"[!-~]+| +|.", re.S)     # ASCII word | spaces | any other single character


@dataclass(frozen=True, slots=True)
class Style:
    size: float
    leading: float
    align: str = "left"          # left | center | right


@dataclass(frozen=True, slots=True)
class Line:
    text: str
    style: Style
    gap: float = 0.0             # extra space before the line (paragraph spacing)


@dataclass(frozen=True, slots=True)
class Styles:
    body: Style = Style(11, 19)
    title: Style = Style(18, 30, "center")
    subtitle: Style = Style(13, 22, "center")
    right: Style = Style(11, 19, "right")
    paragraph_gap: float = 8.0


@lru_cache(maxsize=8)
def _width_table(font: str) -> dict[str, float]:
    return {}


def char_width(font: str, ch: str) -> float:
    """Width of one character at size 1 (cached per font)."""
    table = _width_table(font)
    w = table.get(ch)
    if w is None:
        w = table[ch] = pdfmetrics.stringWidth(ch, font, 1000) / 1000
    return w


def text_width(font: str, text: str, size: float) -> float:
    return sum(char_width(font, ch) for ch in text) * size


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy line filling; see the module docstring for where lines may break."""
    table = _width_table(font)
    limit = width / size
    lines: list[str] = []
    cur: list[str] = []
    used = 0.0
    for tok in _TOKEN.findall(text):
        if len(tok) == 1:                            # most tokens: one Chinese character
            w = table.get(tok)
            if w is None:
                w = char_width(font, tok)
        else:
            w = sum(char_width(font, ch) for ch in tok)
        if used + w <= limit or not cur:
            if w > limit and len(tok) > 1:          # a word longer than the line: split it
                for ch in tok:
                    cw = char_width(font, ch)
                    if used + cw > limit and cur:
                        lines.append("".join(cur))
                        cur, used = [], 0.0
                    cur.append(ch)
                    used += cw
                continue
            cur.append(tok)
            used += w
        elif tok[0] in NO_LINE_START and used <= limit:   # one closing mark hangs at the line end
            cur.append(tok)
            used += w
        elif tok.isspace():                          # a break at spaces drops them
            lines.append("".join(cur))
            cur, used = [], 0.0
        else:
            carry = [cur.pop()] if len(cur) > 1 and cur[-1] in NO_LINE_END else []   # "（" never ends a line
            lines.append("".join(cur))
            cur = carry + [tok]
            used = sum(char_width(font, ch) for t in cur for ch in t)
    if cur:
        lines.append("".join(cur))
    return [ln.rstrip() for ln in lines] or [""]


def lay_out(text: str, font: str, width: float, styles: Styles = Styles()) -> list[Line]:
    """Marked-up text -> printable lines, each with its style and the space before it."""
    out: list[Line] = []
    gap = 0.0
    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            gap = styles.paragraph_gap if out else 0.0
            continue
        if line.startswith("## "):
            style, body = styles.subtitle, line[3:].strip()
        elif line.startswith("# "):
            style, body = styles.title, line[2:].strip()
        elif line.startswith("> "):
            style, body = styles.right, line[2:].strip()
        else:
            style, body = styles.body, line
        for i, part in enumerate(wrap(body, font, style.size, width)):
            out.append(Line(part, style, gap if i == 0 else 0.0))
        gap = 0.0
    return out


def paginate(lines: list[Line], height: float) -> list[list[tuple[float, Line]]]:
    """Lines -> pages of (offset from the frame top to the baseline, line). A paragraph gap at the
    top of a page is dropped."""
    pages: list[list[tuple[float, Line]]] = [[]]
    y = 0.0
    for line in lines:
        gap = line.gap if pages[-1] else 0.0
        step = gap + line.style.leading
        if pages[-1] and y + step > height:
            pages.append([])
            y, step = 0.0, line.style.leading
        y += step
        pages[-1].append((y - (line.style.leading - line.style.size), line))
    return pages
