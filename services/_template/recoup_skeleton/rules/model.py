"""The types the rules work on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class SeenCase:
    case_id: str
    client_id: str
    placed_amount: Decimal
    received_at: datetime
