"""FieldopsSettings: every number of R-34..R-38 configurable (RECOUP_<FIELD>), the domain value as
the default; and who may do what (R-45), as role sets the typed dependencies are built from.

How the two approvers of R-34 map to R-45 roles (README "Roles"):
- the field manager (外访经理) is a `supervisor` (seed 001: 外访催收人员在业务上服从分公司催收主管的领导;
  外出需要催收主管的批准), or a `team_lead` whose token `team_id` is a field team kept here;
- the phone manager (电访经理 / 电催组长) is the `team_lead` of the collector's phone team (the
  `team_id` of the case's last `case.allocated`), or a `supervisor`.
Four eyes: one person never gives both approvals, whatever roles they hold.
"""

from __future__ import annotations

import re
from datetime import time
from decimal import Decimal
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from recoup_shared.settings import ServiceSettings
from recoup_shared.vocabulary import Role

MiB = 1024 * 1024

# who may do what (api/deps.py builds the typed dependencies from these; the object checks —
# whose case, which team, on which visit — are in the use cases).
REQUESTERS = (Role.COLLECTOR,)                                   # the case's collector
FIELD_MANAGERS = (Role.SUPERVISOR, Role.TEAM_LEAD)               # team_lead: of a field team
PHONE_MANAGERS = (Role.SUPERVISOR, Role.TEAM_LEAD)               # team_lead: of the case's team
APPROVERS = tuple(dict.fromkeys(FIELD_MANAGERS + PHONE_MANAGERS))
FIELD_AGENTS = (Role.FIELD_AGENT,)
PLANNERS = (Role.SUPERVISOR, Role.TEAM_LEAD, Role.ADMIN)         # team_lead: of a field team
TEAM_ADMINS = (Role.SUPERVISOR, Role.TEAM_LEAD, Role.ADMIN)
VISIT_READERS = (Role.COLLECTOR, Role.TEAM_LEAD, Role.SUPERVISOR, Role.FIELD_AGENT,
                 Role.AUDITOR, Role.ADMIN)
PLAN_READERS = (Role.SUPERVISOR, Role.TEAM_LEAD, Role.ADMIN, Role.AUDITOR)
CANCELLERS = (Role.COLLECTOR, Role.TEAM_LEAD, Role.SUPERVISOR)
EVIDENCE_READERS = (Role.SUPERVISOR, Role.TEAM_LEAD, Role.FIELD_AGENT, Role.AUDITOR)
EVIDENCE_DELETERS = (Role.ADMIN,)
COMPLIANCE_READERS = (Role.SUPERVISOR, Role.TEAM_LEAD, Role.AUDITOR, Role.ADMIN)
ESCALATION_READERS = (Role.SUPERVISOR, Role.TEAM_LEAD, Role.AUDITOR, Role.ADMIN)

DayKindName = Literal["calendar", "working"]
_BAND = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


def parse_band(text: str | None) -> tuple[time, time] | None:
    """"HH:MM-HH:MM" → (start, end), start before end; None/"" → no band (no visits then)."""
    if not text:
        return None
    m = _BAND.match(text.strip())
    if not m or m.group(3) == "24" and m.group(4) != "00":
        raise ValueError(f"time band {text!r}: use HH:MM-HH:MM")
    end = time(23, 59, 59) if m.group(3) == "24" else time(int(m.group(3)), int(m.group(4)))
    start = time(int(m.group(1)), int(m.group(2)))
    if not start < end:
        raise ValueError(f"time band {text!r}: the start must be before the end")
    return start, end


class FieldopsSettings(ServiceSettings):
    service_name: str = "fieldops"
    database_url: str = "postgresql://postgres@127.0.0.1:55432/recoup_fieldops"
    # the request limit sits just above the evidence limit (multipart framing), see the validator
    max_request_bytes: int = Field(default=2048 * MiB + MiB, ge=MiB, le=64 * 1024 * MiB)

    # R-35 deadlines (以上 includes the number; "within N days" from the day after the anchor)
    deadline_local_min_amount: Decimal = Field(default=Decimal("5000"), ge=0)
    deadline_local_days: int = Field(default=2, ge=0, le=366)
    deadline_local_day_kind: DayKindName = "calendar"
    deadline_lost_contact_min_amount: Decimal = Field(default=Decimal("5000"), ge=0)
    deadline_lost_contact_max_amount: Decimal = Field(default=Decimal("20000"), ge=0)
    deadline_repaired_days: int = Field(default=3, ge=0, le=366)
    deadline_repaired_day_kind: DayKindName = "calendar"
    deadline_unrepaired_days: int = Field(default=10, ge=0, le=366)
    deadline_unrepaired_day_kind: DayKindName = "calendar"
    deadline_default_days: int | None = Field(default=5, ge=0, le=366)
    deadline_default_day_kind: DayKindName = "calendar"
    escalation_days: int = Field(default=5, ge=1, le=366)         # not done 5 days after approval
    escalation_day_kind: DayKindName = "calendar"
    # "local": the target address lies in one of these areas ("省", "省/市", "省/市/区");
    # empty: in an area an active field team covers
    local_areas: tuple[str, ...] = ()

    # R-36 bands in the debtor's local time ("" = no visits of that kind that day)
    min_agents: int = Field(default=2, ge=2, le=20)
    workplace_working_day_band: str | None = "09:00-17:30"
    workplace_rest_day_band: str | None = None
    home_working_day_band: str | None = "18:00-21:00"
    home_rest_day_band: str | None = "09:00-21:00"

    # daily plans
    team_capacity: int = Field(default=8, ge=0, le=500)            # visits per team per day
    slot_minutes: int = Field(default=60, ge=5, le=480)            # one visit, travel included
    agents_per_visit: int | None = Field(default=None, ge=2, le=20)   # None: the whole team goes
    special_population_agents: int = Field(default=2, ge=2, le=20)    # R-16 at most two
    plan_days_back: int = Field(default=1, ge=0, le=7)
    plan_days_ahead: int = Field(default=14, ge=0, le=60)

    # visit records
    max_visit_hours: int = Field(default=12, ge=1, le=24)
    max_promise_days: int = Field(default=90, ge=1, le=366)
    mark_skew_minutes: int = Field(default=10, ge=0, le=120)       # a marked time may lead the clock

    # jobs
    escalation_check_seconds: float = Field(default=60.0, gt=0, le=86400)
    release_check_seconds: float = Field(default=300.0, gt=0, le=86400)
    auto_plan: bool = True                                         # plan tomorrow each evening
    auto_plan_at: str = "18:00"                                    # business zone
    auto_plan_check_seconds: float = Field(default=300.0, gt=0, le=86400)

    # evidence: a local directory in local/test, S3-compatible in production
    data_dir: str = ".local/data/fieldops"
    evidence_backend: Literal["local", "s3"] = "local"
    evidence_dir: str | None = None                                # default: <data_dir>/evidence
    evidence_max_bytes: int = Field(default=2048 * MiB, ge=1024, le=64 * 1024 * MiB)
    evidence_retention_years: int = Field(default=5, ge=5, le=100)  # at least five years
    evidence_s3_bucket: str | None = None
    evidence_s3_endpoint_url: str | None = None
    evidence_s3_region: str | None = None
    evidence_s3_access_key_id: str | None = None
    evidence_s3_secret_access_key: SecretStr | None = None
    evidence_s3_lock_mode: Literal["COMPLIANCE", "GOVERNANCE"] = "COMPLIANCE"
    evidence_s3_path_style: bool = True

    @field_validator("workplace_working_day_band", "workplace_rest_day_band", "home_working_day_band",
                     "home_rest_day_band", "auto_plan_at")
    @classmethod
    def _times_parse(cls, v: str | None, info) -> str | None:
        if info.field_name == "auto_plan_at":
            time.fromisoformat(v)
        else:
            parse_band(v)
        return v

    @field_validator("local_areas")
    @classmethod
    def _areas(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if len(v) > 500 or any(not a.strip() or a.count("/") > 2 or len(a) > 100 for a in v):
            raise ValueError("local areas are 省, 省/市 or 省/市/区 (at most 500)")
        return v

    @model_validator(mode="after")
    def _coherent(self) -> "FieldopsSettings":
        if self.deadline_lost_contact_min_amount > self.deadline_lost_contact_max_amount:
            raise ValueError("deadline_lost_contact_min_amount exceeds the max amount")
        for a, b in ((self.workplace_working_day_band, self.home_working_day_band),
                     (self.workplace_rest_day_band, self.home_rest_day_band)):
            x, y = parse_band(a), parse_band(b)
            if x and y and x[0] < y[1] and y[0] < x[1]:      # a team is in one place at a time
                raise ValueError(f"time bands {a} and {b} of the same kind of day overlap")
        if self.max_request_bytes < self.evidence_max_bytes + 64 * 1024:
            raise ValueError("max_request_bytes must exceed evidence_max_bytes (multipart framing)")
        if self.profile == "production" and (self.evidence_backend != "s3" or not self.evidence_s3_bucket):
            raise ValueError("production keeps evidence in S3: set RECOUP_EVIDENCE_BACKEND=s3 and "
                             "RECOUP_EVIDENCE_S3_BUCKET (a local directory is no compliance store)")
        return self

    @property
    def evidence_path(self) -> Path:
        return Path(self.evidence_dir) if self.evidence_dir else Path(self.data_dir) / "evidence"
