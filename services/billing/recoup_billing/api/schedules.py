"""Fee schedules (R-39..R-41): versioned configuration with effective dates."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from recoup_shared.auth import Principal, require_roles
from recoup_shared.api import Conn
from recoup_shared.errors import Forbidden, NotFound, Unauthorized, UnprocessableInput, problem_responses

from .. import schemas as s
from ..rules import BillingRuleError, FeeSchedule, reduced_rate
from ..store import schedules as store
from .deps import READERS, SCHEDULE_WRITERS, business_today

router = APIRouter(prefix="/v1/fee-schedules", tags=["fee schedules"])

Writer = Annotated[Principal, Depends(require_roles(*SCHEDULE_WRITERS))]
Reader = Annotated[Principal, Depends(require_roles(*READERS))]
ClientId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._-]+$")]

# Rates are stored numeric(9,6) on statements: more places would be rounded away.
_MAX_RATE_PLACES = 6


def schedule_out(sc: FeeSchedule, row: Any | None = None) -> s.FeeScheduleOut:
    return s.FeeScheduleOut(
        client_id=sc.client_id, version=sc.version, effective_from=sc.effective_from,
        buckets=[s.BucketOut(name=b.name, dpd_min=b.dpd_min, dpd_max=b.dpd_max, base_rate=b.base_rate,
                             benchmark_rate=b.benchmark_rate, minimum_rate=b.minimum_rate,
                             reduction_pct=b.reduction_pct, reduced_rate=reduced_rate(b, sc))
                 for b in sc.buckets],
        reduction_pct=sc.reduction_pct, reduction_mode=sc.reduction_mode.value,
        consecutive_months_to_zero=sc.consecutive_months_to_zero, cycle_months=sc.cycle_months,
        rounding=sc.rounding, created_by=row["created_by"] if row else None,
        created_at=row["created_at"] if row else None, note=row["note"] if row else None)


def _places(d: Decimal) -> int:
    exp = d.normalize().as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def _field_of(message: str, body: s.FeeScheduleIn) -> str:
    """Point a rules error at the field it is about (best effort; the reason says it all)."""
    m = re.search(r"bucket '([^']+)'", message)
    if m:
        names = [b.name for b in body.buckets]
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


@router.put("/{client_id}", status_code=201, response_model=s.FeeScheduleOut,
            summary="Create a new fee schedule version (validated by the R-39..R-41 rules)",
            responses=problem_responses(Unauthorized, Forbidden, UnprocessableInput))
async def put_schedule(client_id: ClientId, body: s.FeeScheduleIn, conn: Conn, who: Writer) -> s.FeeScheduleOut:
    errors = []
    for i, b in enumerate(body.buckets):
        if _places(b.base_rate) > _MAX_RATE_PLACES:
            errors.append({"field": f"buckets[{i}].base_rate", "reason": f"at most {_MAX_RATE_PLACES} decimal places"})
        if b.reduction_pct is not None and _places(b.reduction_pct) > _MAX_RATE_PLACES:
            errors.append({"field": f"buckets[{i}].reduction_pct",
                           "reason": f"at most {_MAX_RATE_PLACES} decimal places"})
    if _places(body.reduction_pct) > _MAX_RATE_PLACES:
        errors.append({"field": "reduction_pct", "reason": f"at most {_MAX_RATE_PLACES} decimal places"})
    if errors:
        raise UnprocessableInput("the fee schedule is not valid", errors=errors)
    data = body.model_dump(exclude={"note"})
    try:
        schedule, row = await store.insert_schedule(conn, client_id, data, who.sub, body.note)
    except (BillingRuleError, TypeError) as exc:
        raise UnprocessableInput("the fee schedule is not valid",
                                 errors=[{"field": _field_of(str(exc), body), "reason": str(exc)}]) from None
    return schedule_out(schedule, row)


@router.get("/{client_id}", response_model=s.FeeSchedulesOut,
            summary="The schedule in force today and every version",
            responses=problem_responses(Unauthorized, Forbidden, NotFound))
async def get_schedules(client_id: ClientId, conn: Conn, request: Request, _: Reader) -> s.FeeSchedulesOut:
    rows = await store.load_schedules(conn, client_id)
    fallback = request.app.state.settings.default_schedule_fallback
    if not rows and not fallback:
        raise NotFound(f"client {client_id} has no fee schedule")
    current = store.in_force([sc for sc, _ in rows], business_today(request))
    by_version = {sc.version: row for sc, row in rows}
    return s.FeeSchedulesOut(
        client_id=client_id,
        current=schedule_out(current, by_version[current.version]) if current else None,
        versions=[schedule_out(sc, row) for sc, row in reversed(rows)],
        default_fallback=fallback)
