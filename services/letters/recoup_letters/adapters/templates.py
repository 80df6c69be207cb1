"""Letter templates (R-27): Jinja2 syntax, checked at upload and rendered in Jinja2's immutable
sandbox over the fixed variables of variables.py.

Upload-time validation walks the parsed template and accepts only: text, `{{ expression }}`,
`{% if %}` and `{% for x in instalments %}`; names from the fixed variable set allowed for the
letter type (plus the loop variable and `loop`); attributes only on records that have them
(`item.amount`, `loop.index`); whitelisted filters and tests; no calls, subscripts, assignments,
macros, includes, imports or blocks. So `{{ ''.__class__ }}`, `{{ cycler.__init__ }}`,
`{{ x|attr('y') }}` and `{{ range(9) }}` are refused with the line and the reason, before any
letter is rendered. The sandbox (no globals, StrictUndefined, immutable) is the second wall.
Template text holding a digit run as long as an ID or card number is refused (R-30).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError
from jinja2.filters import FILTERS as JINJA_FILTERS
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.tests import TESTS as JINJA_TESTS

from ..rules.masking import has_full_number, scrub_numbers
from ..rules.model import LetterType
from .variables import LIST_ELEMENT, RECORD_FIELDS, VARIABLES, Kind, allowed_variables

MAX_TEMPLATE_CHARS = 64_000


@dataclass(frozen=True, slots=True)
class TemplateProblem:
    line: int | None
    code: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "code": self.code, "message": self.message}


class TemplateRejected(ValueError):
    """The service answers 422 with `problems` (line, code, message) at upload."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"line {p.line}: {p.message}" if p.line else p.message
                                   for p in problems))


@dataclass(frozen=True, slots=True)
class ValidatedTemplate:
    letter_type: LetterType
    source: str
    sha256: str
    variables: frozenset[str]


# --- filters: amounts, dates -----------------------------------------------------------------

_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_SMALL_UNITS = ("", "拾", "佰", "仟")
_GROUP_UNITS = ("", "万", "亿", "万亿")


def money(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'), ROUND_HALF_UP):,}"
    return "" if value is None else str(value)


def _group(g: int) -> str:
    out, zero = "", False
    for pos in (3, 2, 1, 0):
        d = g // 10 ** pos % 10
        if d == 0:
            zero = bool(out)
            continue
        out += ("零" if zero else "") + _DIGITS[d] + _SMALL_UNITS[pos]
        zero = False
    return out


def rmb_upper(value: Any) -> str:
    """Amount in Chinese capitals as on bank documents: 13830.50 -> 壹万叁仟捌佰叁拾元伍角整."""
    if not isinstance(value, Decimal):
        return "" if value is None else str(value)
    q = abs(value.quantize(Decimal("0.01"), ROUND_HALF_UP))
    yuan, cents = int(q), int(q * 100) % 100
    jiao, fen = divmod(cents, 10)
    text = ""
    if yuan:
        groups = []
        while yuan:
            yuan, g = divmod(yuan, 10000)
            groups.append(g)
        pending_zero = False
        for i in reversed(range(len(groups))):
            g = groups[i]
            if g == 0:
                pending_zero = bool(text)
                continue
            if text and (pending_zero or g < 1000):
                text += "零"
            text += _group(g) + _GROUP_UNITS[i]
            pending_zero = False
        text += "元"
    if not jiao and not fen:
        text = (text or "零元") + "整"
    else:
        if text and not jiao:
            text += "零"
        text += (_DIGITS[jiao] + "角" if jiao else "") + (_DIGITS[fen] + "分" if fen else "整")
    return ("负" if value < 0 else "") + text


def date_cn(value: Any) -> str:
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


def _finalize(value: Any) -> Any:
    """Printing a value without a filter still prints it the way a letter does."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, date):
        return date_cn(value)
    return value


# filter name -> (input kinds it accepts or None for any, output kind or None for "same as input")
FILTERS: dict[str, tuple[frozenset[Kind] | None, Kind | None]] = {
    "money": (frozenset({Kind.MONEY}), Kind.TEXT),
    "rmb_upper": (frozenset({Kind.MONEY}), Kind.TEXT),
    "date_cn": (frozenset({Kind.DATE}), Kind.TEXT),
    "default": (None, None),
    "trim": (frozenset({Kind.TEXT, Kind.LINES}), Kind.TEXT),
    "upper": (frozenset({Kind.TEXT, Kind.LINES}), Kind.TEXT),
    "lower": (frozenset({Kind.TEXT, Kind.LINES}), Kind.TEXT),
    "replace": (frozenset({Kind.TEXT, Kind.LINES}), Kind.TEXT),
    "truncate": (frozenset({Kind.TEXT, Kind.LINES}), Kind.TEXT),
    "length": (frozenset({Kind.TEXT, Kind.LINES, Kind.INSTALMENTS}), Kind.INT),
}
TESTS = ("defined", "undefined", "none", "odd", "even")
_CUSTOM = {"money": money, "rmb_upper": rmb_upper, "date_cn": date_cn}


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                                        lstrip_blocks=True, finalize=_finalize, cache_size=0)
    env.globals.clear()
    env.filters = {n: _CUSTOM.get(n) or JINJA_FILTERS[n] for n in FILTERS}
    env.tests = {n: JINJA_TESTS[n] for n in TESTS}
    return env


# --- upload-time validation --------------------------------------------------------------------

def validate_template(source: str, letter_type: LetterType) -> ValidatedTemplate:
    """R-27: accept a template for a letter type, or raise TemplateRejected with every problem."""
    if len(source) > MAX_TEMPLATE_CHARS:
        raise TemplateRejected([TemplateProblem(None, "too_large",
                                                f"template over {MAX_TEMPLATE_CHARS} characters")])
    try:
        tree = environment().parse(source)
    except TemplateSyntaxError as e:
        raise TemplateRejected([TemplateProblem(e.lineno, "syntax", e.message or "syntax error")]) from None
    from .template_check import Checker

    checker = Checker(allowed_variables(letter_type), letter_type)
    checker.template(tree)
    if checker.problems:
        raise TemplateRejected(checker.problems)
    return ValidatedTemplate(letter_type, source, hashlib.sha256(source.encode()).hexdigest(),
                             frozenset(checker.used))


@lru_cache(maxsize=256)
def _compiled(source: str):
    return environment().from_string(source)


def render_text(source: str, variables: dict[str, Any]) -> str:
    """Render a validated template. The output is scrubbed once more for long digit runs (a
    template concatenating two harmless values must not form a full number, R-30)."""
    text = _compiled(source).render(variables)
    return scrub_numbers(text) if has_full_number(text) else text


__all__ = ["FILTERS", "TESTS", "VARIABLES", "Kind", "LIST_ELEMENT", "RECORD_FIELDS", "TemplateProblem",
           "TemplateRejected", "ValidatedTemplate", "date_cn", "environment", "money", "render_text",
           "rmb_upper", "validate_template"]
