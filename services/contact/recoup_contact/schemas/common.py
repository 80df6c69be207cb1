"""Shared field types: money as decimal strings (never floats), bounded texts."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Money = Annotated[Decimal, Field(max_digits=18, decimal_places=2, allow_inf_nan=False,
                                 description="decimal string, at most two decimals")]
ShortText = Annotated[str, Field(max_length=200)]
Note = Annotated[str, Field(max_length=2000)]


class In(BaseModel):
    """Request bodies: unknown fields are refused (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid")


class Totals(BaseModel):
    cases: int
    outstanding: Decimal
