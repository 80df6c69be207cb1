"""Teams, collectors and client rules (R-9)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from ..rules import Strategy
from .common import Id, In, Money, Name, Word

# --- teams --------------------------------------------------------------------------------------
class TeamIn(In):
    team_id: Id
    name: Name
    lead_id: Id | None = None
    active: bool = True


class TeamPatch(In):
    name: Name | None = None
    lead_id: Id | None = None
    active: bool | None = None


class TeamOut(BaseModel):
    team_id: str
    name: str
    lead_id: str | None
    active: bool
    created_at: datetime
    updated_at: datetime


# --- collectors ---------------------------------------------------------------------------------
class _Skills(In):
    clients: list[Word] | None = Field(default=None, description="clients they may work; null = any")
    products: list[Word] | None = None
    dpd_buckets: list[Word] | None = None
    regions: list[Word] | None = None
    max_open_cases: int | None = Field(default=None, ge=0)
    max_open_amount: Money | None = None
    capacity_weight: Decimal | None = Field(default=None, ge=0, max_digits=12, decimal_places=4)


class CollectorIn(_Skills):
    collector_id: Id = Field(description="the `sub` of the collector's tokens")
    name: Name
    team_id: Id | None = None
    role: Literal["collector", "team_lead"] = "collector"
    active: bool = True


class CollectorPatch(_Skills):
    """Only the fields sent are changed; send null to clear a skill list (= any) or a cap."""
    name: Name | None = None
    team_id: Id | None = None
    role: Literal["collector", "team_lead"] | None = None
    active: bool | None = None


class CollectorOut(BaseModel):
    collector_id: str
    name: str
    team_id: str | None
    role: str
    active: bool
    clients: list[str] | None
    products: list[str] | None
    dpd_buckets: list[str] | None
    regions: list[str] | None
    max_open_cases: int | None
    max_open_amount: Decimal | None
    capacity_weight: Decimal | None
    created_at: datetime
    updated_at: datetime


# --- client rules (R-9) -------------------------------------------------------------------------
class ClientRulesIn(In):
    dedicated_team_ids: list[Id] = Field(default_factory=list, description="empty = any team")
    excluded_collector_ids: list[Id] = Field(default_factory=list)
    default_strategy: Strategy = Strategy.COMPREHENSIVE
    auto_allocate: bool = True
    rotation_enabled: bool = True
    team_products: dict[Id, list[Word]] = Field(default_factory=dict)
    team_dpd_buckets: dict[Id, list[Word]] = Field(default_factory=dict)

    @field_validator("default_strategy")
    @classmethod
    def _not_manual(cls, v: Strategy) -> Strategy:
        if v is Strategy.MANUAL:
            raise ValueError("manual is not a default strategy: it needs a collector")
        return v


class ClientRulesOut(BaseModel):
    client_id: str
    dedicated_team_ids: list[str]
    excluded_collector_ids: list[str]
    default_strategy: str
    auto_allocate: bool
    rotation_enabled: bool
    team_products: dict[str, list[str]]
    team_dpd_buckets: dict[str, list[str]]
    updated_by: str | None
    updated_at: datetime
