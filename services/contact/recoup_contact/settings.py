"""ContactSettings: every number the service uses, typed, with the domain's value as the local
default (RECOUP_<FIELD>). Per-client numbers (follow-up table, cadence, grace days, colours...) are
not here: they live in the client's contact configuration (rules/config.py, versioned in the
database); these are the agency's own operating values."""

from __future__ import annotations

import base64
import hashlib
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from recoup_shared.settings import ServiceSettings
from recoup_shared.vocabulary import Role

# The PBX webhook key of the local stack: public in the repository, refused in production.
LOCAL_PBX_SECRET = base64.b64encode(hashlib.sha256(b"recoup-local-pbx-webhook").digest()).decode()

# who may do what here (typed role dependencies are built from these: api/deps.py).
CASE_READERS = (Role.COLLECTOR, Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR,
                Role.DATA_SPECIALIST)
CONTACT_WRITERS = (Role.COLLECTOR, Role.TEAM_LEAD, Role.SUPERVISOR)
ALL_CASES = frozenset({Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR, Role.DATA_SPECIALIST})   # read any case
WRITE_ANY_CASE = frozenset({Role.SUPERVISOR})                                            # act on any case
CONFIG_ADMINS = (Role.ADMIN, Role.SUPERVISOR)
RECONCILERS = (Role.DATA_SPECIALIST, Role.SUPERVISOR, Role.ADMIN)      # 待银行对账 decisions
REPORTERS = (Role.DATA_SPECIALIST, Role.SUPERVISOR, Role.ADMIN, Role.TEAM_LEAD)
COMPLAINT_RESOLVERS = (Role.SUPERVISOR, Role.ADMIN)                     # R-47 releases a serious hold
INBOUND_LOGGERS = (Role.COLLECTOR, Role.TEAM_LEAD, Role.SUPERVISOR)    # R-25 any collector
POLICY_READERS = (Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR, Role.TEAM_LEAD, Role.DATA_SPECIALIST)
POLICY_WRITERS = (Role.SUPERVISOR, Role.ADMIN)        # system admin only, checked in the use case
INSPECTORS = (Role.AUDITOR, Role.SUPERVISOR)          # R-48 quality inspection (质检)
VIOLATION_READERS = (Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN)
HOLD_LIFTERS = (Role.COLLECTOR, Role.TEAM_LEAD, Role.SUPERVISOR, Role.ADMIN, Role.CLIENT)   # the engine decides


class ContactSettings(ServiceSettings):
    service_name: str = "contact"
    database_url: str = "postgresql://postgres@127.0.0.1:55432/recoup_contact"

    # --- worklist and case page
    worklist_max_limit: int = Field(default=200, ge=10, le=1000)
    ptp_due_days: int = Field(default=0, ge=0, le=30)          # "PTP due": next instalment within N days
    timeline_limit: int = Field(default=50, ge=5, le=500)     # entries on the case page
    lookup_max_results: int = Field(default=20, ge=1, le=200)
    home_months: int = Field(default=6, ge=1, le=24)          # seeds 4.4.2: recovered amounts, last 6 months

    config_cache_seconds: float = Field(default=5.0, ge=0, le=300)   # a client's latest configuration version

    # --- contact records
    record_backdate_hours: int = Field(default=72, ge=0, le=24 * 30)   # how old an attempt may be when logged
    record_future_seconds: int = Field(default=300, ge=0, le=3600)     # clock skew allowed the other way

    # --- promises: the breaking job
    ptp_expiry_every_seconds: float = Field(default=300.0, gt=0)
    ptp_expiry_batch: int = Field(default=200, ge=1, le=10_000)

    # --- the gate: reservations whose outcome never came are settled as unanswered attempts
    attempt_pending_minutes: int = Field(default=30, ge=1, le=24 * 60)
    settle_every_seconds: float = Field(default=60.0, gt=0)
    # The system level of the contact policy (recoup_shared.compliance keys), e.g.
    # RECOUP_COMPLIANCE_SYSTEM_POLICY='{"caps": {"call_attempts_per_day": 8}}'. Validated at start.
    compliance_system_policy: dict[str, Any] = Field(default_factory=dict)
    evaluate_max_days: int = Field(default=366, ge=1, le=3660)   # how far from now an evaluation may look

    # --- quality inspection: the weekly sample of contact records
    quality_sample_rate: float = Field(default=0.05, gt=0, le=1)        # share of each collector's records
    quality_min_per_collector: int = Field(default=1, ge=1, le=100)     # every collector represented
    quality_sample_every_seconds: float = Field(default=3600.0, gt=0)   # the job looks for a week to sample

    # --- telephony
    # local (the local stack's PBX) under the local/test profiles; none (dials answer 503) in
    # production until RECOUP_PBX_KIND=ari and RECOUP_PBX_URL say where the PBX is
    pbx_kind: Literal["local", "ari", "none"] = "local"
    pbx_url: str | None = None                  # ari: http://pbx:8088/ari
    pbx_username: str | None = None
    pbx_password: str | None = None
    pbx_agent_endpoint: str = "PJSIP/{extension}"   # the collector's line, rung first
    pbx_context: str = "recoup-outbound"            # dialplan context that dials the debtor
    pbx_caller_id: str | None = None
    pbx_request_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    pbx_ring_timeout_seconds: int = Field(default=30, ge=5, le=120)
    pbx_webhook_secret: str = LOCAL_PBX_SECRET
    pbx_signature_tolerance_seconds: int = Field(default=300, ge=10, le=3600)
    local_pbx_delay_seconds: float = Field(default=0.2, ge=0, le=60)
    local_pbx_answer_pct: int = Field(default=70, ge=0, le=100)
    local_pbx_callback_url: str | None = None   # None: the local PBX calls this very app in-process
    call_record_grace_minutes: int = Field(default=30, ge=1, le=24 * 60)   # a call with no record after this is flagged
    call_check_every_seconds: float = Field(default=60.0, gt=0)
    recording_retention_days: int = Field(default=730, ge=730)   # at least 2 years

    # --- disputes, payments the debtor claims, reports
    dispute_resume_status: str = "URGENT"        # the client said resume: handle it within the URGENT bound
    claim_match_days: int = Field(default=3, ge=0, le=30)   # a posted repayment matches a claim paid within ±N days
    report_max_rows: int = Field(default=200_000, ge=1, le=2_000_000)

    @field_validator("compliance_system_policy")
    @classmethod
    def _system_policy(cls, value: dict[str, Any]) -> dict[str, Any]:
        from recoup_shared.compliance import PolicyInvalid, validate_level

        try:
            return validate_level(value, "system").values
        except PolicyInvalid as exc:
            raise ValueError(f"RECOUP_COMPLIANCE_SYSTEM_POLICY: {exc}") from None

    @field_validator("dispute_resume_status")
    @classmethod
    def _resume_status(cls, value: str) -> str:
        from recoup_shared.vocabulary import ContactStatus

        if value not in ContactStatus.__members__ or value == ContactStatus.DISPUTE:
            raise ValueError("an R-22 status other than DISPUTE")
        return value

    @model_validator(mode="before")
    @classmethod
    def _pbx_by_profile(cls, data: Any) -> Any:
        if isinstance(data, dict) and "pbx_kind" not in data and data.get("profile") == "production":
            data = {**data, "pbx_kind": "none"}
        return data

    @model_validator(mode="after")
    def _production_pbx(self) -> "ContactSettings":
        if self.profile == "production" and self.pbx_kind != "none":
            if self.pbx_webhook_secret == LOCAL_PBX_SECRET:
                raise ValueError("production profile refuses the local RECOUP_PBX_WEBHOOK_SECRET")
            if self.pbx_kind == "local":
                raise ValueError("production profile refuses RECOUP_PBX_KIND=local (set ari or none)")
        if self.pbx_kind == "ari" and not self.pbx_url:
            raise ValueError("RECOUP_PBX_URL is required with RECOUP_PBX_KIND=ari")
        return self
