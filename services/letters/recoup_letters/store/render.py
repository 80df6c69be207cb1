"""What a batch's generation reads and writes: check codes, the template versions used, and the
letters joined with their case and address, streamed in sequence order (R-32, R-33)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime

import asyncpg

_RENDER = """SELECT l.letter_id, l.sequence, l.check_code, l.letter_type, l.client_id, l.recipient_id,
           l.recipient_role, l.mail_class, l.template_id, l.template_version, l.created_on,
           c.debtor_name, c.debtor_gender, c.id_number_masked, c.account_masked, c.product, c.currency,
           c.outstanding, c.placed_amount, c.principal, c.interest, c.fees, c.overdue_since,
           c.dpd_at_placement, c.placed_on, c.instalment_plan::text AS instalment_plan,
           a.kind, a.province, a.city, a.district, a.line, a.postcode
    FROM letters l JOIN cases c USING (case_id) JOIN addresses a USING (address_id)
    WHERE l.batch_id = $1 AND l.status = 'planned'
    ORDER BY l.sequence"""


async def serials(conn: asyncpg.Connection, batch_id: str) -> list[asyncpg.Record]:
    """A fresh serial (database sequence) for every letter of the batch still without a code."""
    return await conn.fetch(
        """SELECT letter_id, sequence, nextval('letter_serial') AS serial FROM letters
           WHERE batch_id = $1 AND status = 'planned' AND check_code IS NULL ORDER BY sequence""", batch_id)


async def set_codes(conn: asyncpg.Connection, batch_id: str, rows: Sequence[tuple[str, int, str]],
                    at: datetime) -> None:
    """(letter_id, sequence, code): printed on the letter and its envelope, kept in check_codes."""
    if not rows:
        return
    ids, seqs, codes = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
    await conn.execute(
        """UPDATE letters l SET check_code = r.code, updated_at = $3
           FROM unnest($1::text[], $2::text[]) AS r(letter_id, code) WHERE l.letter_id = r.letter_id""",
        ids, codes, at)
    await conn.execute(
        """INSERT INTO check_codes (code, letter_id, batch_id, sequence, issued_at)
           SELECT code, letter_id, $4, seq, $5 FROM unnest($1::text[], $2::text[], $3::int[]) AS r(code, letter_id, seq)""",
        codes, ids, seqs, batch_id, at)


async def used_templates(conn: asyncpg.Connection, batch_id: str) -> list[asyncpg.Record]:
    """(client, letter type) pairs of the batch with the client's approved version, if any (R-27)."""
    return await conn.fetch(
        """SELECT p.client_id, p.letter_type, t.template_id, v.version, v.source, v.sha256
           FROM (SELECT DISTINCT client_id, letter_type FROM letters WHERE batch_id = $1 AND status = 'planned') p
           LEFT JOIN templates t ON t.client_id = p.client_id AND t.channel = 'letter' AND t.name = p.letter_type
           LEFT JOIN template_versions v ON v.template_id = t.template_id AND v.status = 'approved'""", batch_id)


async def set_templates(conn: asyncpg.Connection, batch_id: str, rows: Sequence[tuple[str, str, str, int]],
                        at: datetime) -> None:
    """(client_id, letter_type, template_id, version) fixed on the letters they print."""
    await conn.execute(
        """UPDATE letters l SET template_id = r.tid, template_version = r.ver, updated_at = $6
           FROM unnest($2::text[], $3::text[], $4::text[], $5::int[]) AS r(client_id, letter_type, tid, ver)
           WHERE l.batch_id = $1 AND l.status = 'planned' AND l.client_id = r.client_id
             AND l.letter_type = r.letter_type""",
        batch_id, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows], [r[3] for r in rows], at)


async def stream(conn: asyncpg.Connection, batch_id: str, prefetch: int) -> AsyncIterator[asyncpg.Record]:
    """The batch's letters to print, in sequence order, `prefetch` rows at a time (a server-side
    cursor: memory stays bounded whatever the batch size). Needs a transaction."""
    async for row in conn.cursor(_RENDER, batch_id, prefetch=prefetch):
        yield row


async def mark_generated(conn: asyncpg.Connection, batch_id: str, letter_ids: Sequence[str],
                         at: datetime) -> int:
    """The rendered letters become `generated`; one cancelled meanwhile stays cancelled (its sheet
    is pulled from the print run: the QC report lists it)."""
    got = await conn.fetch(
        """UPDATE letters SET status = 'generated', updated_at = $3
           WHERE batch_id = $1 AND letter_id = ANY($2::text[]) AND status = 'planned' RETURNING letter_id""",
        batch_id, list(letter_ids), at)
    return len(got)
