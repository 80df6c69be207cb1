"""Ids of what intake stores and publishes (cases, events, repayments): time-ordered, so the
primary-key and event_id indexes stay append-only when 100,000 rows arrive at once."""

from __future__ import annotations

import os
import time


def new_uuids(n: int, *, start: int = 0, ms: int | None = None) -> list[str]:
    """n new ids as strings, time-ordered (UUID version 7 layout: 48-bit Unix milliseconds, then
    a counter within this batch, then random bits); ~4x faster than uuid.uuid4() in a loop.
    Parts of one batch made apart (worker processes) share `ms` and continue the counter (`start`).
    The milliseconds are the machine's real time (an id's order, not a business date)."""
    if ms is None:
        ms = time.time_ns() // 1_000_000
    head = ms << 80 | 7 << 76 | 0b10 << 62
    raw = os.urandom(6 * n)
    from_bytes = int.from_bytes
    out = []
    for k in range(n):
        i = start + k
        # 30-bit counter: 12 bits in rand_a, 18 bits at the top of rand_b (after the variant)
        value = head | (i >> 18 & 0xFFF) << 64 | (i & 0x3FFFF) << 44 | from_bytes(raw[6 * k:6 * k + 6]) >> 4
        h = f"{value:032x}"
        out.append(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}")
    return out
