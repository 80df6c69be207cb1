"""`gc_paused()`: pause Python's cyclic garbage collector around a bulk CPU stage.

Building or planning 100,000 cases makes millions of container objects; each threshold crossing
runs a collection and a few per stage scan the whole heap — measured at a fifth to a half of a
bulk stage. Those stages make no reference cycles (reference counting frees everything), so the
collector is paused and resumes when the last stage ends. Nesting- and thread-safe; stdlib only,
so pure rule modules may use it.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = True


@contextmanager
def gc_paused(when: bool = True) -> Iterator[None]:
    """`when` False: no pause (small stages)."""
    global _depth, _was_enabled
    if not when:
        yield
        return
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
