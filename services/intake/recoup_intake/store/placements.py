"""Placements, their cases (bulk), rejected rows, joint-debt links and publication state.

Every function takes the caller's connection and never commits. Bulk paths are COPY + set-based
statements: a 100,000-case placement is a handful of round trips.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.bus.outbox import outbox_pending, published_at
from recoup_shared.locks import xact_lock

from .case_rows import CASE_COLUMNS, PHONE_LOOKUP_COLUMNS


async def lock_placement_ref(conn: asyncpg.Connection, client_id: str, placement_ref: str) -> None:
    """R-1: two identical requests at once wait for each other; the second sees the first's row."""
    await xact_lock(conn, "intake-placement", client_id, placement_ref)


async def lock_client_cases(conn: asyncpg.Connection, client_id: str) -> None:
    """Serialises the insertion of a client's cases, so the open-account check (R-1 re-placement)
    cannot race with another placement of the same client."""
    await xact_lock(conn, "intake-client-cases", client_id)


async def refresh_case_statistics(conn: asyncpg.Connection, *, growth: float = 0.2,
                                  min_pages: int = 128) -> bool:
    """ANALYZE `cases` when it grew by more than `growth` since its planner statistics (and is not
    tiny); True when it did. A big placement looks its cases' account and ID-number hashes up
    part by part (R-1, R-7): planned on statistics from before a bulk load, PostgreSQL took each
    lookup for a scan of every open case — a second 100,000-case placement of the same debtors
    right after the first took 135 s instead of 7. The table's size in pages is current at once,
    unlike the statistics counters, which the backend that inserted flushes up to a second later."""
    row = await conn.fetchrow(
        """SELECT c.relpages, c.reltuples, pg_relation_size(c.oid) / current_setting('block_size')::int AS pages
           FROM pg_class c WHERE c.oid = 'cases'::regclass""")
    if row["pages"] < min_pages or (row["reltuples"] >= 0 and row["pages"] <= row["relpages"] * (1 + growth)):
        return False
    await conn.execute("ANALYZE cases")
    return True


async def get_placement(conn: asyncpg.Connection, client_id: str, placement_ref: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM placements WHERE client_id = $1 AND placement_ref = $2", client_id, placement_ref)


async def open_accounts(conn: asyncpg.Connection, client_id: str,
                        account_hashes: Sequence[str]) -> dict[str, str]:
    """account_hash -> placement_ref of the placement where that account is still open."""
    if not account_hashes:
        return {}
    rows = await conn.fetch(
        """SELECT c.account_hash, p.placement_ref
           FROM cases c JOIN placements p ON p.id = c.placement_id
           WHERE c.client_id = $1 AND c.status = 'open' AND c.account_hash = ANY($2::text[])""",
        client_id, list(account_hashes))
    return {r["account_hash"]: r["placement_ref"] for r in rows}


async def insert_placement(conn: asyncpg.Connection, *, placement_id: str, client_id: str,
                           placement_ref: str, product: str, placed_on: Any, recall_on: Any,
                           source: str, template_name: str | None, template_version: int | None,
                           body_sha256: str, received: int, accepted: int, rejected: int,
                           response: dict[str, Any], received_by: str, received_at: datetime,
                           now: datetime) -> None:
    await conn.execute(
        """INSERT INTO placements (id, client_id, placement_ref, product, placed_on, recall_on, source,
               template_name, template_version, body_sha256, received_count, accepted_count,
               rejected_count, response, received_by, received_at, imported_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)""",
        placement_id, client_id, placement_ref, product, placed_on, recall_on, source, template_name,
        template_version, body_sha256, received, accepted, rejected, response, received_by, received_at, now)


async def copy_rejected_rows(conn: asyncpg.Connection, placement_id: str,
                             errors: Sequence[dict[str, Any]]) -> None:
    if not errors:
        return
    await conn.copy_records_to_table(
        "rejected_rows", columns=["placement_id", "ordinal", "row_no", "field", "reason"],
        records=[(placement_id, i, e["row"], e["field"], e["reason"]) for i, e in enumerate(errors)])


async def copy_row_warnings(conn: asyncpg.Connection, placement_id: str,
                            warnings: Sequence[dict[str, Any]]) -> None:
    """R-4: the accepted rows' warnings (and an upload's file-level notes, row 0 or the header
    row), in the order of the answer."""
    if not warnings:
        return
    await conn.copy_records_to_table(
        "row_warnings", columns=["placement_id", "ordinal", "row_no", "field", "reason"],
        records=[(placement_id, i, w["row"], w["field"], w["reason"]) for i, w in enumerate(warnings)])


async def copy_cases(conn: asyncpg.Connection, cases: bytes, phones: bytes) -> None:
    """COPY case rows and their phone-lookup rows, written as COPY text (case_rows.CaseRows)."""
    if cases:
        await conn.copy_to_table("cases", columns=list(CASE_COLUMNS), source=_pieces(cases), format="text")
    if phones:
        await conn.copy_to_table("phone_lookup", columns=list(PHONE_LOOKUP_COLUMNS), source=_pieces(phones),
                                 format="text")


async def _pieces(data: bytes, size: int = 1 << 20):
    view = memoryview(data)
    for i in range(0, len(view), size):
        yield view[i:i + size]


async def open_cases_by_id_hash(conn: asyncpg.Connection, id_hashes: Sequence[str], *,
                                exclude_placement: str | None = None) -> dict[str, list[str]]:
    """R-7: id_hash -> ids of stored open cases of that debtor, any client (oldest first); not
    those of `exclude_placement` (the one being imported)."""
    if not id_hashes:
        return {}
    rows = await conn.fetch(
        """SELECT c.id_hash, c.id::text AS case_id
           FROM unnest($1::text[]) AS h(id_hash) JOIN cases c ON c.id_hash = h.id_hash
           WHERE c.status = 'open' AND ($2::uuid IS NULL OR c.placement_id <> $2::uuid)
           ORDER BY c.id""", list(set(id_hashes)), exclude_placement)
    out: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        out[r["id_hash"]].append(r["case_id"])
    return out


async def copy_joint_links(conn: asyncpg.Connection, rows: Sequence[tuple[str, str, str]]) -> None:
    if rows:
        await conn.copy_records_to_table("joint_debt_links", records=rows,
                                         columns=["case_id", "linked_case_id", "id_hash"])


async def finish_placement(conn: asyncpg.Connection, placement_id: str, *, outbox_after: int | None,
                           outbox_upto: int | None, nothing_to_publish: bool, now: datetime) -> datetime:
    """The import is done (`now`): its outbox rows lie in (outbox_after, outbox_upto]; a placement
    without accepted cases has nothing to publish (published at once)."""
    return await conn.fetchval(
        """UPDATE placements SET imported_at = $5, outbox_after = $2, outbox_upto = $3,
                  published_at = CASE WHEN $4 THEN $5::timestamptz END
           WHERE id = $1 RETURNING imported_at""",
        placement_id, outbox_after, outbox_upto, nothing_to_publish, now)


async def rejected_rows(conn: asyncpg.Connection, placement_id: Any, *, after: int = -1,
                        limit: int | None = None) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT ordinal, row_no, field, reason FROM rejected_rows
           WHERE placement_id = $1 AND ordinal > $2 ORDER BY ordinal LIMIT $3""",
        placement_id, after, limit)
    return [{"ordinal": r["ordinal"], "row": r["row_no"], "field": r["field"], "reason": r["reason"]}
            for r in rows]


async def row_warnings(conn: asyncpg.Connection, placement_id: Any, *, after: int = -1,
                       limit: int | None = None) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT ordinal, row_no, field, reason FROM row_warnings
           WHERE placement_id = $1 AND ordinal > $2 ORDER BY ordinal LIMIT $3""",
        placement_id, after, limit)
    return [{"ordinal": r["ordinal"], "row": r["row_no"], "field": r["field"], "reason": r["reason"]}
            for r in rows]


async def publication_time(conn: asyncpg.Connection, placement: asyncpg.Record) -> datetime | None:
    """R-6: when every case.received of the placement was acknowledged by the broker, or None.

    Computed lazily from the outbox (the relay is shared code and knows nothing of placements):
    this placement's rows lie in (outbox_after, outbox_upto]; the relay deletes rows as it
    publishes them, so "no row left in that id range" means all were published, and the time is
    when the relay's last batch overlapping the range was acknowledged (recoup_shared.bus.outbox
    answers both; intake never reads the outbox's tables). The result is stored on the placement:
    later reads cost nothing."""
    if placement["published_at"] is not None:
        return placement["published_at"]
    lo, hi = placement["outbox_after"], placement["outbox_upto"]
    if lo is None or hi is None:
        return None
    if await outbox_pending(conn, lo, hi):
        return None
    published = await conn.fetchval(
        """UPDATE placements p SET published_at = COALESCE($2, p.imported_at)
           WHERE p.id = $1 AND p.published_at IS NULL RETURNING published_at""",
        placement["id"], await published_at(conn, lo, hi))
    if published is None:  # a concurrent reader stored it first
        published = await conn.fetchval("SELECT published_at FROM placements WHERE id = $1", placement["id"])
    return published


async def case_status_counts(conn: asyncpg.Connection, placement_id: Any) -> dict[str, int]:
    rows = await conn.fetch(
        "SELECT status, count(*) AS n FROM cases WHERE placement_id = $1 GROUP BY status", placement_id)
    counts = {"open": 0, "recalled": 0, "closed": 0}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


# --- recalls on their date (R-5, R-13) -----------------------------------------------------------

async def recall_candidates(conn: asyncpg.Connection, today: Any) -> list[asyncpg.Record]:
    """Placements whose recall date is today or past and that the job has not recalled yet."""
    return await conn.fetch(
        """SELECT id, client_id, placement_ref, recall_on FROM placements
           WHERE recall_run_at IS NULL AND recall_on <= $1 ORDER BY recall_on, id""", today)


async def lock_for_recall(conn: asyncpg.Connection, placement_id: Any) -> asyncpg.Record | None:
    """The placement's row, locked, if no one has it (another replica's job, an extension) and
    the job has not recalled it yet."""
    return await conn.fetchrow(
        """SELECT id, client_id, placement_ref, recall_on FROM placements
           WHERE id = $1 AND recall_run_at IS NULL FOR UPDATE SKIP LOCKED""", placement_id)


async def record_recall_run(conn: asyncpg.Connection, placement_id: Any, *, on: Any, cases: int,
                            now: datetime) -> None:
    await conn.execute(
        "UPDATE placements SET recall_run_at = $2, recall_run_on = $3, recall_run_cases = $4 WHERE id = $1",
        placement_id, now, on, cases)


async def lock_placement(conn: asyncpg.Connection, client_id: str, placement_ref: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        "SELECT * FROM placements WHERE client_id = $1 AND placement_ref = $2 FOR UPDATE", client_id, placement_ref)


async def extend_recall(conn: asyncpg.Connection, placement_id: Any, *, previous: Any, recall_on: Any,
                        reason: str | None, by: str, now: datetime) -> None:
    await conn.execute("UPDATE placements SET recall_on = $2 WHERE id = $1", placement_id, recall_on)
    await conn.execute(
        """INSERT INTO recall_extensions (placement_id, previous_recall_on, recall_on, reason, extended_by,
                                          extended_at) VALUES ($1, $2, $3, $4, $5, $6)""",
        placement_id, previous, recall_on, reason, by, now)


async def recall_extensions(conn: asyncpg.Connection, placement_id: Any) -> list[dict[str, Any]]:
    rows = await conn.fetch(
        """SELECT previous_recall_on, recall_on, reason, extended_by, extended_at FROM recall_extensions
           WHERE placement_id = $1 ORDER BY extended_at LIMIT 100""", placement_id)
    return [dict(r) for r in rows]
