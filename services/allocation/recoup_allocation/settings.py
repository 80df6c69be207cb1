"""AllocationSettings: the bottom floor — every value typed, with a local default (RECOUP_<FIELD>,
e.g. RECOUP_AUTO_ALLOCATE_INTERVAL_SECONDS=10) — and who may do what here (R-45)."""

from __future__ import annotations

from pydantic import Field, field_validator

from recoup_shared.settings import ServiceSettings
from recoup_shared.vocabulary import COLLECTION_STOP_FLAGS, Role

from .rules import FIRST_CONTACT_WORKING_DAYS, Strategy

# who may do what in this service (typed role dependencies are built from these: api/deps.py).
ALLOCATE = (Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN)           # preview, commit, manual, pause
MANAGE = (Role.SUPERVISOR, Role.ADMIN)                             # teams, client rules
READ_ALL = (Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)             # every team's data
READERS = (*ALLOCATE, Role.AUDITOR)                                # plans, teams, pool, reports
CASE_READERS = (Role.COLLECTOR, *READERS, Role.FINANCE)            # one case, a worklist
PEOPLE = (Role.COLLECTOR, *READERS)                                # a collector's own record


class AllocationSettings(ServiceSettings):
    service_name: str = "allocation"
    database_url: str = "postgresql://postgres@127.0.0.1:55432/recoup_allocation"

    # R-8 automatic allocation: woken by NOTIFY after new cases, plus this periodic poll.
    auto_allocate_enabled: bool = True
    auto_allocate_interval_seconds: float = Field(default=30.0, gt=0)
    auto_allocate_debounce_seconds: float = Field(default=0.3, ge=0)
    # A case no collector could take is retried after this back-off (or at once when staff,
    # collectors or client rules change).
    auto_allocate_retry_seconds: float = Field(default=300.0, ge=0)
    auto_allocate_max_cases: int = Field(default=200_000, gt=0)
    # Clients with no client_rules row: allocated automatically (so nothing silently misses the
    # SLA) with this strategy. A client row overrides both.
    auto_allocate_unconfigured_clients: bool = True
    default_strategy: Strategy = Strategy.AUTO_MATCH

    # R-8 SLA: allocated within this many working days of arrival (end of that day, local time).
    sla_working_days: int = Field(default=1, ge=0)
    # R-20 first contact due-by: working days after allocation.
    first_contact_working_days: int = Field(default=FIRST_CONTACT_WORKING_DAYS, ge=0)

    # Previews: a plan not committed within this many minutes expires.
    plan_ttl_minutes: int = Field(default=30, gt=0)
    plan_retention_days: int = Field(default=30, gt=0)   # items of uncommitted plans are purged
    preview_max_cases: int = Field(default=200_000, gt=0)
    housekeeping_seconds: float = Field(default=60.0, gt=0)  # expiry of previews, purge

    # R-12 monthly rotation: checked by a background job; runs once per month and client on or
    # after the month's first working day, evaluating the month just ended.
    rotation_enabled: bool = True
    rotation_auto_commit: bool = False   # otherwise the run leaves a preview for the team lead
    rotation_strategy: Strategy = Strategy.BY_AMOUNT
    rotation_check_interval_seconds: float = Field(default=3600.0, gt=0)
    rotation_plan_ttl_minutes: int = Field(default=3 * 24 * 60, gt=0)
    # Cases whose collection a client flag stopped are not rotated.
    rotation_skip_flags: list[str] = [str(f) for f in COLLECTION_STOP_FLAGS]

    # R-17 client flags stop collection (the contact service enforces it); by default the case
    # keeps its owner. Flags listed here pause the case instead (owner released) until lifted.
    pause_on_flags: list[str] = []

    page_size_max: int = Field(default=500, gt=0)

    @field_validator("default_strategy", "rotation_strategy")
    @classmethod
    def _planning_strategy(cls, v: Strategy) -> Strategy:
        if v is Strategy.MANUAL:
            raise ValueError("manual needs a collector: choose a planning strategy")
        return v
