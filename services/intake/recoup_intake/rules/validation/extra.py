"""Client-specific fields of a case (R-3, `extra.<name>`): what a bank sends that has no place in
the model (申请号, 合同编号, 逾期金额, its own codes) — kept on the case and carried to contact's
case detail, never used by a rule. A template types them (text, amount, date: rules/templates);
a JSON placement sends them as an object of names to strings, numbers or booleans."""

from __future__ import annotations

import math
import re
from typing import Any

from ..model import ValidationLimits
from .common import WS, Errs

# A name: letters (Chinese too), digits, _ - . and brackets as bank headers have them (逾期金额(元)).
_NAME_RE = re.compile(r"[\w\-.()（）]+")


def validate_extra(value: Any, errs: Errs, limits: ValidationLimits) -> dict[str, Any] | None:
    """The `extra` object: None when absent or empty; wrong types and over-long values are row
    errors (a client system's structure, not a debtor's data)."""
    if value is None:
        return None
    if type(value) is not dict:
        errs.append((".extra", "must be an object of client field names to values"))
        return None
    if len(value) > limits.max_extra:
        errs.append((".extra", f"more than {limits.max_extra} client fields"))
        return None
    out: dict[str, Any] = {}
    for name, v in value.items():
        if not 0 < len(name) <= limits.extra_name_max or _NAME_RE.fullmatch(name) is None:
            errs.append((".extra", f"field name must be 1..{limits.extra_name_max} letters, digits, _ - . ( )"))
            continue
        t = type(v)
        if v is None:
            continue                                  # no value: nothing to keep
        if t is str:
            v = v.strip(WS)
            if len(v) > limits.extra_value_max:
                errs.append((f".extra.{name}", f"longer than {limits.extra_value_max} characters"))
                continue
            if not v:
                continue
        elif t is float:
            if not math.isfinite(v):
                errs.append((f".extra.{name}", "must be a finite number"))
                continue
        elif t is not int and t is not bool:
            errs.append((f".extra.{name}", "must be a string, a number or true/false"))
            continue
        elif t is int and abs(v) >= 2**63:
            errs.append((f".extra.{name}", "number too large"))
            continue
        out[name] = v
    return out or None
