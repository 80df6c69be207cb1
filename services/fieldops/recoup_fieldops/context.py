"""Ctx: built once in the lifespan, handed to routes (api/deps.Context), handlers and jobs.

Besides the shared part it holds the rule configurations made from the settings (R-35 deadlines,
R-36 bands, the planner, R-37 records) and the evidence store chosen by the settings: a local
directory in the local and test profiles, an S3-compatible bucket in production (settings refuse
anything else there). `close()` closes the S3 client."""

from __future__ import annotations

from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import time

import anyio.to_thread

from recoup_shared.context import Context

from .adapters.evidence import EvidenceConfig, EvidenceStore, LocalEvidenceStore
from .rules.deadlines import DeadlineConfig, Within
from .rules.model import DayKind, TimeBand
from .rules.plan_model import PlannerConfig
from .rules.records import RecordConfig
from .rules.slots import SlotConfig
from .settings import FieldopsSettings, parse_band


def _band(name: str, text: str | None) -> TimeBand | None:
    parsed = parse_band(text)
    return TimeBand(name, *parsed) if parsed else None


def deadline_config(s: FieldopsSettings, zone) -> DeadlineConfig:
    """R-35 from the settings."""
    default = (Within(s.deadline_default_days, DayKind(s.deadline_default_day_kind))
               if s.deadline_default_days is not None else None)
    return DeadlineConfig(
        local_min_amount=s.deadline_local_min_amount,
        local=Within(s.deadline_local_days, DayKind(s.deadline_local_day_kind)),
        lost_contact_min_amount=s.deadline_lost_contact_min_amount,
        lost_contact_max_amount=s.deadline_lost_contact_max_amount,
        repaired=Within(s.deadline_repaired_days, DayKind(s.deadline_repaired_day_kind)),
        unrepaired=Within(s.deadline_unrepaired_days, DayKind(s.deadline_unrepaired_day_kind)),
        default=default, escalation=Within(s.escalation_days, DayKind(s.escalation_day_kind)),
        zone=zone)


def slot_config(s: FieldopsSettings) -> SlotConfig:
    """R-36 bands from the settings."""
    return SlotConfig(min_agents=s.min_agents,
                      workplace_working_day=_band("daytime", s.workplace_working_day_band),
                      workplace_rest_day=_band("rest_day_workplace", s.workplace_rest_day_band),
                      home_working_day=_band("evening", s.home_working_day_band),
                      home_rest_day=_band("rest_day", s.home_rest_day_band))


def planner_config(s: FieldopsSettings) -> PlannerConfig:
    return PlannerConfig(team_capacity=s.team_capacity, slot_minutes=s.slot_minutes,
                         agents_per_visit=s.agents_per_visit,
                         special_population_agents=s.special_population_agents, slots=slot_config(s))


def evidence_config(s: FieldopsSettings) -> EvidenceConfig:
    return EvidenceConfig(max_bytes=s.evidence_max_bytes, retention_years=s.evidence_retention_years)


@dataclass
class Ctx(Context):
    settings: FieldopsSettings
    evidence: EvidenceStore | None = None
    deadlines: DeadlineConfig = field(default_factory=DeadlineConfig)
    planner: PlannerConfig = field(default_factory=PlannerConfig)
    records: RecordConfig = field(default_factory=RecordConfig)
    auto_plan_at: time = time(18)
    _resources: AsyncExitStack = field(default_factory=AsyncExitStack)

    @property
    def slots(self) -> SlotConfig:
        return self.planner.slots

    async def close(self) -> None:
        await self._resources.aclose()


async def open_evidence(s: FieldopsSettings, resources: AsyncExitStack) -> EvidenceStore:
    cfg = evidence_config(s)
    if s.evidence_backend == "s3":
        from .adapters.evidence_s3 import open_s3_evidence   # aiobotocore only where it is used

        secret = s.evidence_s3_secret_access_key
        return await resources.enter_async_context(open_s3_evidence(
            s.evidence_s3_bucket or "", endpoint_url=s.evidence_s3_endpoint_url,
            region=s.evidence_s3_region, access_key_id=s.evidence_s3_access_key_id,
            secret_access_key=secret.get_secret_value() if secret else None, cfg=cfg,
            lock_mode=s.evidence_s3_lock_mode, path_style=s.evidence_s3_path_style))
    path = s.evidence_path
    return await anyio.to_thread.run_sync(LocalEvidenceStore, path, cfg)


async def build(base: Context) -> Ctx:
    s: FieldopsSettings = base.settings
    zone = base.clock.zone
    resources = AsyncExitStack()
    evidence = await open_evidence(s, resources)
    return Ctx.extend(base, evidence=evidence, deadlines=deadline_config(s, zone),
                      planner=planner_config(s),
                      records=RecordConfig(max_visit_hours=s.max_visit_hours,
                                           max_promise_days=s.max_promise_days, zone=zone),
                      auto_plan_at=time.fromisoformat(s.auto_plan_at), _resources=resources)
