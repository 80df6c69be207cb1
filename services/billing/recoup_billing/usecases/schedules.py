"""Fee schedules (R-39..R-41): versioned configuration with effective dates; a contract change
is a new version, validated by the rules before it is stored."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.errors import UnprocessableInput

from ..context import Ctx
from ..rules import BillingRuleError, FeeSchedule, reduced_rate
from ..rules.close import in_force
from ..rules.errors import ScheduleNotFound
from ..store import schedules as store
from . import documents as d

# Rates are stored numeric(9,6) on statements: more places would be rounded away.
MAX_RATE_PLACES = 6


@dataclass(frozen=True)
class NewSchedule:
    client_id: str
    terms: dict[str, Any]    # the schedule's fields as the API received them (FeeScheduleIn)
    note: str | None = None


async def put_schedule(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, cmd: NewSchedule) -> d.Doc:
    errors = _too_many_places(cmd.terms)
    if errors:
        raise UnprocessableInput("the fee schedule is not valid", errors=errors)
    try:
        schedule, row = await store.insert_schedule(conn, cmd.client_id, cmd.terms, principal.sub, cmd.note)
    except (BillingRuleError, TypeError) as exc:
        raise UnprocessableInput("the fee schedule is not valid", errors=[
            {"field": _field_of(str(exc), cmd.terms), "reason": str(exc)}]) from None
    return schedule_doc(schedule, row)


async def get_schedules(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, client_id: str) -> d.Doc:
    """The version in force today (business date) and every version, newest first."""
    rows = await store.load_schedules(conn, client_id)
    fallback = ctx.settings.default_schedule_fallback
    if not rows and not fallback:
        raise ScheduleNotFound(f"client {client_id} has no fee schedule")
    current = in_force([sc for sc, _ in rows], ctx.clock.today())
    by_version = {sc.version: row for sc, row in rows}
    return {"client_id": client_id,
            "current": schedule_doc(current, by_version[current.version]) if current else None,
            "versions": [schedule_doc(sc, row) for sc, row in reversed(rows)], "default_fallback": fallback}


def schedule_doc(sc: FeeSchedule, row: Any | None = None) -> d.Doc:
    return {
        "client_id": sc.client_id, "version": sc.version, "effective_from": sc.effective_from,
        "buckets": [{"name": b.name, "dpd_min": b.dpd_min, "dpd_max": b.dpd_max, "base_rate": b.base_rate,
                     "benchmark_rate": b.benchmark_rate, "minimum_rate": b.minimum_rate,
                     "reduction_pct": b.reduction_pct, "reduced_rate": reduced_rate(b, sc)} for b in sc.buckets],
        "reduction_pct": sc.reduction_pct, "reduction_mode": sc.reduction_mode.value,
        "consecutive_months_to_zero": sc.consecutive_months_to_zero, "cycle_months": sc.cycle_months,
        "rounding": sc.rounding, "created_by": row["created_by"] if row else None,
        "created_at": row["created_at"] if row else None, "note": row["note"] if row else None}


def _places(value: Decimal) -> int:
    exp = value.normalize().as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def _too_many_places(terms: dict[str, Any]) -> list[dict[str, str]]:
    reason = f"at most {MAX_RATE_PLACES} decimal places"
    errors = []
    for i, b in enumerate(terms["buckets"]):
        if _places(b["base_rate"]) > MAX_RATE_PLACES:
            errors.append({"field": f"buckets[{i}].base_rate", "reason": reason})
        if b.get("reduction_pct") is not None and _places(b["reduction_pct"]) > MAX_RATE_PLACES:
            errors.append({"field": f"buckets[{i}].reduction_pct", "reason": reason})
    if _places(terms["reduction_pct"]) > MAX_RATE_PLACES:
        errors.append({"field": "reduction_pct", "reason": reason})
    return errors


def _field_of(message: str, terms: dict[str, Any]) -> str:
    """Point a rules error at the field it is about (best effort; the reason says it all)."""
    m = re.search(r"bucket '([^']+)'", message)
    if m:
        names = [b["name"] for b in terms["buckets"]]
        i = names.index(m.group(1)) if m.group(1) in names else None
        rest = message[m.end():]
        found = [(rest.find(f), f) for f in ("base_rate", "benchmark_rate", "minimum_rate", "reduction_pct",
                                            "dpd_max", "dpd_min") if f in rest]
        sub = min(found)[1] if found else None  # the field the message is about comes first
        if i is not None:
            return f"buckets[{i}]" + (f".{sub}" if sub else "")
        return "buckets"
    m = re.match(r"(buckets\[\d+\]\.\w+)", message)
    if m:
        return m.group(1)
    for f in ("reduction_pct", "reduction_mode", "consecutive_months_to_zero", "cycle_months",
              "rounding", "effective_from", "client_id"):
        if message.startswith(f):
            return f
    return "buckets"
