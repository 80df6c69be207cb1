"""What every area's request and response models share: id and money types, strict input."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

Id = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9_.:@\-]+$")]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Word = Annotated[str, Field(min_length=1, max_length=64)]
Reason = Annotated[str, Field(min_length=1, max_length=500)]


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


def flatten(data: Any, nested: tuple[str, ...]) -> Any:
    """Accept both {"client_id": ..} and {"filter": {"client_id": ..}} (and "collectors")."""
    if not isinstance(data, dict):
        return data
    data = dict(data)
    for key in nested:
        inner = data.pop(key, None)
        if inner is None:
            continue
        if not isinstance(inner, dict):
            raise ValueError(f"{key} must be an object")
        clash = sorted(set(inner) & set(data))
        if clash:
            raise ValueError(f"{', '.join(clash)} given both at the top level and in {key}")
        data.update(inner)
    return data
