"""Batches (R-33): the letters they hold in dispatch order, their files and their log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import asyncpg

from . import as_json

_COLUMNS = """batch_id, label, client_id, letter_types, status, letters, pages, bytes, preview::text AS preview,
    error, attempts, created_by, created_at, render_started_at, generated_at, approved_by, approved_at,
    revoked_by, revoked_at, revoke_reason, dispatched_by, dispatched_at, updated_at"""

_UNBATCHED = """l.status = 'planned' AND l.batch_id IS NULL
    AND ($1::text IS NULL OR l.client_id = $1) AND ($2::text[] IS NULL OR l.letter_type = ANY($2))"""
# only letters whose client has an approved template of their type can be printed
_HAS_TEMPLATE = """EXISTS (SELECT 1 FROM templates t JOIN template_versions v USING (template_id)
    WHERE t.client_id = l.client_id AND t.channel = 'letter' AND t.name = l.letter_type AND v.status = 'approved')"""


async def preview_counts(conn: asyncpg.Connection, client_id: str | None,
                         types: Sequence[str] | None) -> list[asyncpg.Record]:
    """Planned letters not in a batch, counted by type, mail class and province (R-33 preview)."""
    return await conn.fetch(
        f"""SELECT l.letter_type, l.mail_class, COALESCE(a.province, '未知') AS province,
                   l.origin, (l.due_type IS NOT NULL) AS replacement, {_HAS_TEMPLATE} AS has_template,
                   count(*) AS n
            FROM letters l JOIN addresses a USING (address_id)
            WHERE {_UNBATCHED}
            GROUP BY 1, 2, 3, 4, 5, 6""", client_id, list(types) if types else None)


async def candidates(conn: asyncpg.Connection, client_id: str | None, types: Sequence[str] | None,
                     limit: int) -> list[asyncpg.Record]:
    """The oldest planned letters not in a batch, locked (a concurrent batch skips them)."""
    return await conn.fetch(
        f"""SELECT l.letter_id, l.letter_type, l.mail_class, l.case_id, l.recipient_id, l.origin, l.due_type,
                   a.postcode, a.province, a.city, a.district
            FROM letters l JOIN addresses a USING (address_id)
            WHERE {_UNBATCHED} AND {_HAS_TEMPLATE}
            ORDER BY l.created_at, l.letter_id LIMIT $3
            FOR UPDATE OF l SKIP LOCKED""", client_id, list(types) if types else None, limit)


async def insert(conn: asyncpg.Connection, row: dict[str, Any]) -> None:
    await conn.execute(
        """INSERT INTO batches (batch_id, label, client_id, letter_types, status, letters, preview, created_by,
               created_at, updated_at)
           VALUES ($1, $2, $3, $4, 'queued', $5, $6::text::jsonb, $7, $8, $8)""",
        row["batch_id"], row["label"], row["client_id"], row["letter_types"], row["letters"],
        as_json(row["preview"]), row["created_by"], row["at"])


async def attach(conn: asyncpg.Connection, batch_id: str, letter_ids: Sequence[str], at: datetime) -> None:
    """The letters join the batch with their sequence numbers 1..n, in the given (dispatch) order."""
    await conn.execute(
        """UPDATE letters l SET batch_id = $1, sequence = r.seq, updated_at = $3
           FROM unnest($2::text[]) WITH ORDINALITY AS r(letter_id, seq) WHERE l.letter_id = r.letter_id""",
        batch_id, list(letter_ids), at)


async def get(conn: asyncpg.Connection, batch_id: str, *, lock: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_COLUMNS} FROM batches WHERE batch_id = $1"
                               + (" FOR UPDATE" if lock else ""), batch_id)


async def update(conn: asyncpg.Connection, batch_id: str, at: datetime, **fields: Any) -> None:
    names = sorted(fields)
    sets = ", ".join(f"{n} = ${i}" for i, n in enumerate(names, 3))
    await conn.execute(f"UPDATE batches SET updated_at = $2{', ' + sets if sets else ''} WHERE batch_id = $1",
                       batch_id, at, *[fields[n] for n in names])


async def log(conn: asyncpg.Connection, batch_id: str, at: datetime, actor: str, action: str,
              detail: dict[str, Any] | None = None) -> None:
    await conn.execute(
        "INSERT INTO batch_log (batch_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5::text::jsonb)",
        batch_id, at, actor, action, as_json(detail) if detail is not None else None)


async def next_queued(conn: asyncpg.Connection, stale_before: datetime) -> asyncpg.Record | None:
    """A batch waiting for its files, or one whose renderer died (rendering since before
    `stale_before`), claimed so no other replica takes it."""
    return await conn.fetchrow(
        f"""SELECT {_COLUMNS} FROM batches
            WHERE status = 'queued' OR (status = 'rendering' AND render_started_at < $1)
            ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED""", stale_before)


async def save_files(conn: asyncpg.Connection, batch_id: str, files: Sequence[dict[str, Any]]) -> None:
    await conn.execute("DELETE FROM batch_files WHERE batch_id = $1", batch_id)
    await conn.execute(
        """INSERT INTO batch_files (batch_id, name, kind, first_sequence, last_sequence, letters, pages, size, sha256)
           SELECT $1, name, kind, first_sequence, last_sequence, letters, pages, size, sha256
           FROM jsonb_to_recordset($2::text::jsonb) AS r(name text, kind text, first_sequence int,
               last_sequence int, letters int, pages int, size bigint, sha256 text)""",
        batch_id, as_json(list(files)))


async def files(conn: asyncpg.Connection, batch_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        """SELECT name, kind, first_sequence, last_sequence, letters, pages, size, sha256 FROM batch_files
           WHERE batch_id = $1 ORDER BY kind <> 'manifest', name""", batch_id)


async def release(conn: asyncpg.Connection, batch_id: str, at: datetime) -> int:
    """Revoke: the batch's letters not yet gone go back to be batched again (new check codes next
    time: the printed ones are void)."""
    await conn.execute("UPDATE check_codes SET void_at = $2 WHERE batch_id = $1 AND void_at IS NULL", batch_id, at)
    got = await conn.fetch(
        """UPDATE letters SET status = 'planned', batch_id = NULL, sequence = NULL, check_code = NULL,
               template_id = NULL, template_version = NULL, tracking_no = NULL, updated_at = $2
           WHERE batch_id = $1 AND status IN ('planned', 'generated', 'approved')
           RETURNING letter_id""", batch_id, at)
    await conn.execute(
        """UPDATE letters SET batch_id = NULL, sequence = NULL, updated_at = $2
           WHERE batch_id = $1 AND status = 'cancelled'""", batch_id, at)
    return len(got)


TO_GO = ("generated", "approved")
SENT = ("generated", "approved", "dispatched", "returned")


async def qc_state(conn: asyncpg.Connection, batch_id: str, statuses: Sequence[str] = TO_GO) -> asyncpg.Record:
    """Counts the dispatch checks need: letters to go (`statuses`), matched, tracked, open
    mismatches. The batch screen counts SENT: after dispatch its letters are no longer "to go", and
    its QC summary must still say what was checked."""
    return await conn.fetchrow(
        """SELECT
             (SELECT count(*) FROM letters WHERE batch_id = $1 AND status = ANY($2::text[])) AS letters,
             (SELECT count(*) FROM letters l WHERE l.batch_id = $1 AND l.status = ANY($2::text[])
                AND EXISTS (SELECT 1 FROM qc_scans s WHERE s.letter_id = l.letter_id AND s.outcome = 'match'
                            AND s.letter_code = l.check_code)) AS matched,
             (SELECT count(*) FROM letters WHERE batch_id = $1 AND status = ANY($2::text[])
                AND tracking_no IS NOT NULL) AS tracked,
             (SELECT count(*) FROM qc_scans WHERE (batch_id = $1 OR other_batch_id = $1)
                AND outcome = 'mismatch' AND resolved_at IS NULL) AS open_mismatches""", batch_id, list(statuses))


async def set_letters_status(conn: asyncpg.Connection, batch_id: str, from_: Sequence[str], to: str,
                             at: datetime) -> list[str]:
    got = await conn.fetch(
        """UPDATE letters SET status = $3, updated_at = $4 WHERE batch_id = $1 AND status = ANY($2::text[])
           RETURNING letter_id""", batch_id, list(from_), to, at)
    return [r["letter_id"] for r in got]


_LETTER_ADDRESS = """SELECT l.letter_id, l.case_id, l.client_id, l.letter_type, l.recipient_role, l.mail_class,
           l.status, l.sequence, l.check_code, l.template_id, l.template_version, l.tracking_no, l.resend_of,
           l.cancel_reason, c.debtor_name, a.party_id, a.kind, a.province, a.city, a.district, a.line,
           a.postcode, a.verified_on
    FROM letters l JOIN addresses a USING (address_id) JOIN cases c ON c.case_id = l.case_id"""


async def dispatch(conn: asyncpg.Connection, batch_id: str, at: datetime) -> list[asyncpg.Record]:
    """The batch's approved letters become dispatched (cancelled ones stay behind); returns them
    with their addresses for the letter.dispatched events."""
    ids = await conn.fetch(
        """UPDATE letters SET status = 'dispatched', dispatched_at = $2, updated_at = $2
           WHERE batch_id = $1 AND status = 'approved' RETURNING letter_id""", batch_id, at)
    return await conn.fetch(_LETTER_ADDRESS + " WHERE l.letter_id = ANY($1::text[]) ORDER BY l.sequence",
                            [r["letter_id"] for r in ids])


async def manifest_rows(conn: asyncpg.Connection, batch_id: str) -> list[asyncpg.Record]:
    """The post office's rows: every letter of the batch that still goes, in sequence order."""
    return await conn.fetch(_LETTER_ADDRESS + """ WHERE l.batch_id = $1
        AND l.status IN ('generated', 'approved', 'dispatched', 'returned') ORDER BY l.sequence""", batch_id)


async def letters_of(conn: asyncpg.Connection, batch_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(_LETTER_ADDRESS + " WHERE l.batch_id = $1 ORDER BY l.sequence", batch_id)


async def set_tracking(conn: asyncpg.Connection, batch_id: str, rows: Sequence[tuple[int, str]],
                       at: datetime) -> int:
    """(sequence, tracking number) for the batch's letters."""
    if not rows:
        return 0
    got = await conn.fetch(
        """UPDATE letters l SET tracking_no = r.no, updated_at = $4
           FROM unnest($2::int[], $3::text[]) AS r(seq, no)
           WHERE l.batch_id = $1 AND l.sequence = r.seq RETURNING l.letter_id""",
        batch_id, [r[0] for r in rows], [r[1] for r in rows], at)
    return len(got)


async def tracking_taken(conn: asyncpg.Connection, batch_id: str, numbers: Sequence[str]) -> dict[str, int]:
    """Numbers already given to letters of other batches (a post-office number is unique)."""
    rows = await conn.fetch(
        """SELECT tracking_no, sequence FROM letters WHERE tracking_no = ANY($2::text[])
           AND batch_id IS DISTINCT FROM $1""", batch_id, list(numbers))
    return {r["tracking_no"]: r["sequence"] or 0 for r in rows}
