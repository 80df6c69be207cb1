"""The commands and answers of the placement use cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ...adapters.json_body import SplitBody
from ...rules.model import PlacementHeader, RowError


@dataclass
class LoadedRows:
    """The rows of a placement, ready for validation. For uploads `row_numbers[i]` is the file row
    of `raw_cases[i]` and `errors` the rows the file parser already rejected."""
    raw_cases: list[Any]
    row_numbers: list[int] | None = None
    errors: list[RowError] = field(default_factory=list)
    received: int | None = None          # rows received (defaults to len(raw_cases))
    field_of: Callable[[RowError], str] | None = None  # rewrite a field path (uploads: column names)
    source: str | None = None            # the file format found (uploads)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # file-level notes (uploads)


@dataclass
class PlacementSubmission:
    """The command: a placement as received (`received_at`: when the request arrived, R-6)."""
    header: PlacementHeader
    received_at: datetime
    body_sha256: str | None              # None for a split body until its pieces are decoded
    load: Callable[[], LoadedRows] | None  # CPU work, run in a worker thread after the replay check
    source: str = "json"                 # json | csv | xlsx
    template_name: str | None = None
    template_version: int | None = None
    # A big JSON body cut into pieces (adapters.json_body.split_placement_body) for the worker
    # processes, and how to decode it whole instead: () -> (body_sha256, load) — for a replay, or
    # when a piece turns out not to be whole cases.
    split: SplitBody | None = None
    decode_whole: Callable[[], tuple[str, Callable[[], LoadedRows]]] | None = None

    def ensure_whole(self) -> None:
        """Decode a split body whole (CPU: a worker thread); sets body_sha256 and load."""
        if self.load is None:
            assert self.decode_whole is not None
            self.body_sha256, self.load = self.decode_whole()
        self.split = None


@dataclass
class PlacementAnswer:
    body: dict[str, Any]
    replayed: bool
