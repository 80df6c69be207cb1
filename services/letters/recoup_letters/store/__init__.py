"""SQL per aggregate, set-based; never commits. Heterogeneous rows travel as one JSON array
(`jsonb_to_recordset`), so a batch of 2,000 events is one statement whatever its shape."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import orjson


def _default(o: Any) -> Any:
    if isinstance(o, Decimal):
        return str(o)
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def as_json(rows: Any) -> str:
    """Rows (dicts with dates, datetimes, Decimals) as JSON text for `$n::jsonb` parameters:
    codec-independent, so the same SQL works on a pool connection and a bare one."""
    return orjson.dumps(rows, default=_default).decode()


def loads(value: Any) -> Any:
    """A json/jsonb column read back (text without the pool's codec, Python with it)."""
    return orjson.loads(value) if isinstance(value, (str, bytes)) else value
