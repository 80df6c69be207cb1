"""SQL per aggregate, set-based; never commits (the caller's transaction does).

`Columns` gathers rows as column arrays for one `unnest(...)`; `insert` writes them with one
statement: a consumer batch of 2,000 events costs a few statements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg
import orjson

@dataclass
class Columns:
    """Column arrays: `add(**row)` appends one row, `args(*names)` gives the lists in that order."""

    rows: int = 0
    data: dict[str, list[Any]] = field(default_factory=dict)

    def add(self, **row: Any) -> None:
        for k, v in row.items():
            self.data.setdefault(k, [None] * self.rows).append(v)
        self.rows += 1
        for k, values in self.data.items():   # a column this row did not name stays aligned
            if len(values) < self.rows:
                values.append(None)

    def args(self, *names: str) -> list[list[Any]]:
        return [self.data.get(n, [None] * self.rows) for n in names]

    def __bool__(self) -> bool:
        return self.rows > 0


async def insert(conn: asyncpg.Connection, table: str, columns: Sequence[tuple[str, str]], cols: Columns) -> None:
    """Append the rows of `cols` to `table` in one INSERT ... SELECT FROM unnest(...). `columns` are
    (name, SQL type); jsonb travels as text and is cast (asyncpg's COPY has no binary jsonb encoder)."""
    if not cols:
        return
    names = [n for n, _ in columns]
    args = []
    for (name, sql_type), values in zip(columns, cols.args(*names)):
        if sql_type == "jsonb":
            values = [None if v is None else orjson.dumps(v, default=str).decode() for v in values]
        args.append(values)
    arrays = ", ".join(f"${i + 1}::{'text' if t == 'jsonb' else t}[]" for i, (_, t) in enumerate(columns))
    select = ", ".join(f"u.{n}::jsonb" if t == "jsonb" else f"u.{n}" for n, t in columns)
    await conn.execute(f"INSERT INTO {table} ({', '.join(names)}) SELECT {select} "
                       f"FROM unnest({arrays}) AS u({', '.join(names)})", *args)
