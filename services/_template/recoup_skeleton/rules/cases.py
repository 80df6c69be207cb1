"""The example rule: when a case counts as stale (a real service puts its R-numbered rules here)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from .model import SeenCase


def is_stale(case: SeenCase, now: datetime, stale_after_days: int) -> bool:
    return now - case.received_at > timedelta(days=stale_after_days)


def stale_count(cases: Iterable[SeenCase], now: datetime, stale_after_days: int) -> int:
    return sum(1 for c in cases if is_stale(c, now, stale_after_days))
