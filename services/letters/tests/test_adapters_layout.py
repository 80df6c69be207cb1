"""Line layout of letters: Chinese line breaking, markup, pagination."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from recoup_letters.adapters.layout import NO_LINE_END, NO_LINE_START, lay_out, paginate, text_width, wrap
from recoup_letters.adapters.pdf import FONT, register_font

register_font()
WIDTH = 200.0


def test_punctuation_rules_and_unsplit_words():
    lines = wrap("尊敬的客户，您好。" * 6 + "卡号/账号 622202*************，请还款。", FONT, 11, WIDTH)
    assert all(ln[0] not in NO_LINE_START for ln in lines[1:])
    assert all(ln[-1] not in NO_LINE_END for ln in lines)
    assert any("622202*************" in ln for ln in lines)          # a number is never cut in two
    long = wrap("x" * 200, FONT, 11, WIDTH)
    assert len(long) > 1 and "".join(long) == "x" * 200              # unless longer than a line


@settings(max_examples=100, deadline=None)
@example("1。。。。。。。。。。。。。。。。。））")                     # a run of closing marks: only one hangs
@given(st.text(alphabet="欠款余额人民币元，。（）ab1 ", max_size=300))
def test_wrapping_keeps_every_character_and_the_width(text):
    lines = wrap(text, FONT, 11, WIDTH)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").rstrip()
    for ln in lines:
        # a line is within the width, give or take one hanging punctuation mark
        assert text_width(FONT, ln, 11) <= WIDTH + 11 or len(ln) == 1


def test_markup_and_pagination():
    text = "# 标题\n## 小标题\n\n正文一\n> 落款\n" + "\n".join(f"第{i}行" for i in range(100))
    lines = lay_out(text, FONT, 400)
    assert [(ln.text, ln.style.align) for ln in lines[:5]] == [
        ("标题", "center"), ("小标题", "center"), ("正文一", "left"), ("落款", "right"), ("第0行", "left")]
    assert lines[2].gap > 0 and lines[3].gap == 0
    pages = paginate(lines, 600)
    assert len(pages) > 1 and sum(len(p) for p in pages) == len(lines)
    assert all(off <= 600 for p in pages for off, _ in p)
