"""Request and response models of the API (never imported by rules/)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel


class CaseOut(BaseModel):
    case_id: str
    client_id: str
    placement_id: str
    placed_amount: Decimal
    received_at: datetime


class CasePage(BaseModel):
    items: list[CaseOut]
    next_cursor: str | None = None
