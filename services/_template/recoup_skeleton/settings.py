"""SkeletonSettings: the bottom floor — every value typed, with a local default (RECOUP_<FIELD>)."""

from __future__ import annotations

from pydantic import Field

from recoup_shared.settings import ServiceSettings
from recoup_shared.vocabulary import Role

# who may do what in this service (typed role dependencies are built from these: api/deps.py).
CASE_READERS = (Role.COLLECTOR, Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)


class SkeletonSettings(ServiceSettings):
    service_name: str = "skeleton"
    database_url: str = "postgresql://postgres@127.0.0.1:55432/recoup_skeleton"

    stale_after_days: int = Field(default=30, ge=1)
    stale_check_seconds: float = Field(default=60.0, gt=0)
