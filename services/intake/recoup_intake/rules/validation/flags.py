"""Client flags of a case (R-2, R-17): the vocabulary of recoup_shared.vocabulary, each flag once."""

from __future__ import annotations

from typing import Any

from ..model import FLAGS
from .common import Errs

_UNKNOWN = "unknown flag (allowed: " + ", ".join(FLAGS) + ")"


def validate_flags(value: Any, errs: Errs, not_a_list: str = "must be a list") -> list[str]:
    """The `flags` list (None when absent: no flags); unknown flags are errors, repeats dropped."""
    flags: list[str] = []
    if value is None:
        return flags
    if type(value) is not list:
        errs.append((".flags", not_a_list))
        return flags
    for j, f in enumerate(value):
        if f not in FLAGS:  # also refuses non-strings
            errs.append((f".flags[{j}]", _UNKNOWN))
        elif f not in flags:
            flags.append(f)
    return flags
