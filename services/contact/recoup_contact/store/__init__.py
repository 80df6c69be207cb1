"""SQL per aggregate, set-based; never commits (the caller's transaction does).

`Columns` gathers rows as column arrays for one `unnest(...)`; `insert` writes them with one
statement (COPY for large batches): a consumer batch of 2,000 events costs a few statements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import asyncpg

COPY_FROM = 200   # rows from which COPY beats a multi-row INSERT


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


async def insert(conn: asyncpg.Connection, table: str, names: Sequence[str], cols: Columns) -> None:
    """Append the rows of `cols` (only `names`) to `table`."""
    if not cols:
        return
    arrays = cols.args(*names)
    records = list(zip(*arrays))
    if len(records) >= COPY_FROM:
        await conn.copy_records_to_table(table, records=records, columns=list(names))
    else:
        placeholders = ", ".join(f"${i + 1}" for i in range(len(names)))
        await conn.executemany(f"INSERT INTO {table} ({', '.join(names)}) VALUES ({placeholders})", records)
