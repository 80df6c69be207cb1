"""What the use cases are asked to do. The routes pass their request models (schemas.py), which
have these attributes; use cases depend on the shape, never on the API module."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from ..rules import Strategy


class CaseFilter(Protocol):
    """Which cases a plan is made of (R-10)."""
    client_id: str | None
    placement_id: str | None
    status: str                      # unassigned | assigned (a reassignment)
    case_ids: Sequence[str] | None
    dpd_buckets: Sequence[str] | None
    regions: Sequence[str] | None
    products: Sequence[str] | None
    amount_min: Decimal | None
    amount_max: Decimal | None
    owner_ids: Sequence[str] | None
    owner_team_ids: Sequence[str] | None


class PreviewAllocation(CaseFilter, Protocol):
    team_ids: Sequence[str] | None
    collector_ids: Sequence[str] | None
    strategy: Strategy | None


class ManualAllocation(CaseFilter, Protocol):
    collector_id: str
    force: bool                      # override capacity (never eligibility); recorded
    note: str | None
    preview: bool
    partial: bool


@dataclass(frozen=True)
class PreviewRotation:
    month: date
    client_id: str | None = None
    strategy: Strategy | None = None
    team_ids: Sequence[str] | None = None
    collector_ids: Sequence[str] | None = None


@dataclass(frozen=True)
class Pause:
    reason: str


@dataclass(frozen=True)
class Resume:
    reason: str
    return_to_previous_owner: bool = True
