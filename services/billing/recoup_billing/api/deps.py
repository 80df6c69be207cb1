"""Shared route helpers: role sets, month parsing, the close configuration, business today."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi import Request

from recoup_shared.auth import Principal, Role
from recoup_shared.errors import UnprocessableInput

from ..closing import CloseConfig

# who may do what in billing.
SCHEDULE_WRITERS = (Role.FINANCE, Role.ADMIN)
READERS = (Role.FINANCE, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)
ISSUERS = (Role.FINANCE, Role.ADMIN)
EXCLUSION_WRITERS = (Role.FINANCE, Role.SUPERVISOR, Role.ADMIN)
PERFORMANCE_READERS = (*READERS, Role.TEAM_LEAD)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(value: str, field: str = "month") -> date:
    """`YYYY-MM` → the month's first day; anything else → 422 problem+json with the field."""
    m = _MONTH.match(value or "")
    if not m or not (1 <= int(m.group(2)) <= 12) or not (2000 <= int(m.group(1)) <= 2100):
        raise UnprocessableInput(f"{field} must be YYYY-MM (e.g. 2026-11), got {value!r}",
                                 errors=[{"field": field, "reason": "expected YYYY-MM, month 01-12"}])
    return date(int(m.group(1)), int(m.group(2)), 1)


def close_config(request: Request) -> CloseConfig:
    st = request.app.state.settings
    return CloseConfig(default_schedule_fallback=st.default_schedule_fallback,
                       not_counted_sample=st.not_counted_sample,
                       allow_issue_open_month=st.allow_issue_open_month,
                       work_mem=st.close_work_mem or None)


def business_today(request: Request) -> date:
    return datetime.now(ZoneInfo(request.app.state.settings.timezone)).date()


def statement_reader(p: Principal, client_id: str) -> bool:
    """Returns whether drafts may be shown. A client system reads only its own client's issued
    statements; finance, supervisor, admin and auditor read everything; nobody else."""
    if p.is_client:
        p.require_client(client_id)
        return False
    p.require(*READERS)
    return True
