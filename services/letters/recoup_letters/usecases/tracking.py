"""Tracking numbers the post office assigns (R-33): its file (CSV or XLSX) is matched to the batch's
letters by check code or sequence; good rows are applied, bad ones come back as (row, field,
reason), and a file that cannot be read at all is refused whole (422). Importing the same file again
changes nothing. Also the manifest as the post office wants it, current with the numbers."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from typing import Any

import anyio.to_thread
import asyncpg

from recoup_shared.auth import Principal

from ..adapters.manifest import COLUMNS, ManifestOptions, ManifestRow, write_manifest
from ..adapters.tracking import ExpectedLetter, RowError, import_tracking
from ..context import Ctx
from ..rules import lifecycle
from ..rules.errors import BatchNotFound, TrackingFileRejected
from ..rules.lifecycle import BatchStatus
from ..rules.model import MailClass
from ..store import batches as store
from .batches import locked, refused


def _errors(errors: list[RowError]) -> list[dict[str, Any]]:
    return [{"row": e.row, "field": e.field, "reason": e.reason} for e in errors]


async def import_file(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, batch_id: str,
                      data: bytes) -> dict[str, Any]:
    batch = await locked(conn, batch_id)
    try:
        lifecycle.check_tracking(BatchStatus(batch["status"]))
    except lifecycle.Refused as e:
        raise refused(e) from None
    letters = await store.manifest_rows(conn, batch_id)
    expected = [ExpectedLetter(r["sequence"], r["check_code"], r["tracking_no"]) for r in letters]
    result = await anyio.to_thread.run_sync(import_tracking, data, expected)
    if result.fatal:
        raise TrackingFileRejected("the file cannot be used", errors=_errors(result.errors))
    taken = await store.tracking_taken(conn, batch_id, [a.tracking_no for a in result.assignments])
    good = []
    for a in result.assignments:
        if a.tracking_no in taken:
            result.errors.append(RowError(a.row, "tracking_no", f"{a.tracking_no} belongs to a letter of another batch"))
        else:
            good.append((a.sequence, a.tracking_no))
    at = ctx.clock.now()
    assigned = await store.set_tracking(conn, batch_id, good, at)
    await store.log(conn, batch_id, at, principal.sub, "tracking_imported",
                    {"assigned": assigned, "unchanged": result.unchanged, "errors": len(result.errors)})
    return {"batch_id": batch_id, "assigned": assigned, "unchanged": result.unchanged,
            "errors": _errors(sorted(result.errors, key=lambda e: e.row))}


def _rows(letters) -> list[ManifestRow]:
    return [ManifestRow(r["sequence"], r["debtor_name"],
                        "".join(x for x in (r["province"], r["city"], r["district"], r["line"]) if x),
                        r["postcode"] or "", MailClass(r["mail_class"]), r["tracking_no"] or "", r["check_code"] or "")
            for r in letters]


async def manifest(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, batch_id: str,
                   fmt: str) -> tuple[Iterator[bytes], str]:
    """The dispatch manifest as it stands (tracking numbers included, cancelled letters left out):
    (chunks, file name). CSV is built in memory (a row is ~150 bytes); XLSX in a temporary file."""
    batch = await store.get(conn, batch_id)
    if batch is None:
        raise BatchNotFound(f"batch {batch_id} is unknown")
    if batch["status"] in ("queued", "rendering", "failed", "revoked"):
        raise refused(lifecycle.Refused(f"a {batch['status']} batch has no manifest"))
    rows = _rows(await store.manifest_rows(conn, batch_id))
    await store.log(conn, batch_id, ctx.clock.now(), principal.sub, "downloaded", {"file": f"manifest.{fmt}"})
    if fmt == "csv":
        return _csv(rows, ctx.settings.manifest_csv_encoding), f"manifest-{batch_id}.csv"
    data = await anyio.to_thread.run_sync(_xlsx, rows)
    return iter([data]), f"manifest-{batch_id}.xlsx"


def _csv(rows: list[ManifestRow], encoding: str) -> Iterator[bytes]:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.cells())
    yield buf.getvalue().encode(encoding)


def _xlsx(rows: list[ManifestRow]) -> bytes:
    with tempfile.TemporaryDirectory(prefix="manifest-") as d:
        write_manifest(rows, d, ManifestOptions(formats=("xlsx",)))
        with open(os.path.join(d, "manifest.xlsx"), "rb") as f:
            return f.read()
