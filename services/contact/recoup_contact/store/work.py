"""Holds (R-17, R-47), disputes, complaints, payments the debtor claims (待银行对账) and letters."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID, uuid4

import asyncpg

# --- holds --------------------------------------------------------------------------------------


async def active_holds(conn: asyncpg.Connection, case_id: str) -> list[asyncpg.Record]:
    return await conn.fetch(
        "SELECT hold_id, kind, since, placed_by, note FROM case_holds WHERE case_id = $1 AND lifted_at IS NULL "
        "ORDER BY since", case_id)


async def place_hold(conn: asyncpg.Connection, case_id: str, kind: str, *, since: datetime, by: str,
                     note: str | None) -> bool:
    result = await conn.execute(
        """INSERT INTO case_holds (hold_id, case_id, kind, since, placed_by, note) VALUES ($1, $2, $3, $4, $5, $6)
           ON CONFLICT (case_id, kind) WHERE lifted_at IS NULL DO NOTHING""",
        uuid4(), case_id, kind, since, by, note)
    return result.endswith("1")


async def lift_hold(conn: asyncpg.Connection, case_id: str, kind: str, *, at: datetime, by: str,
                    note: str | None) -> bool:
    result = await conn.execute(
        """UPDATE case_holds SET lifted_at = $3, lifted_by = $4, lift_note = $5
           WHERE case_id = $1 AND kind = $2 AND lifted_at IS NULL""", case_id, kind, at, by, note)
    return result.endswith("1")


# --- disputes (R-17) ---------------------------------------------------------------------------

_DISPUTE = """d.dispute_id, d.case_id, d.client_id, d.reason, d.raised_by, d.raised_at, d.record_id, d.state,
    d.instructed_at, d.instructed_by, d.instruction_note"""


async def open_dispute(conn: asyncpg.Connection, *, case_id: str, client_id: str, reason: str, by: str,
                       at: datetime, record_id: UUID | None) -> UUID | None:
    dispute_id = uuid4()
    result = await conn.execute(
        """INSERT INTO disputes (dispute_id, case_id, client_id, reason, raised_by, raised_at, record_id)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (case_id) WHERE state = 'open' DO NOTHING""",
        dispute_id, case_id, client_id, reason, by, at, record_id)
    return dispute_id if result.endswith("1") else None


async def get_dispute(conn: asyncpg.Connection, dispute_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_DISPUTE} FROM disputes d WHERE d.dispute_id = $1", dispute_id)


async def disputes(conn: asyncpg.Connection, *, client_id: str | None, state: str | None, case_id: str | None,
                   after: tuple[datetime, UUID] | None, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""SELECT {_DISPUTE}, c.account_masked, c.outstanding, c.currency FROM disputes d
            JOIN cases c ON c.case_id = d.case_id
            WHERE ($1::text IS NULL OR d.client_id = $1) AND ($2::text IS NULL OR d.state = $2)
              AND ($3::text IS NULL OR d.case_id = $3)
              AND ($4::timestamptz IS NULL OR (d.raised_at, d.dispute_id) > ($4::timestamptz, $5::uuid))
            ORDER BY d.raised_at, d.dispute_id LIMIT $6""",
        client_id, state, case_id, after[0] if after else None, after[1] if after else None, limit)


async def instruct(conn: asyncpg.Connection, dispute_id: UUID, state: str, *, at: datetime, by: str,
                   note: str | None) -> bool:
    result = await conn.execute(
        """UPDATE disputes SET state = $2, instructed_at = $3, instructed_by = $4, instruction_note = $5
           WHERE dispute_id = $1 AND state = 'open'""", dispute_id, state, at, by, note)
    return result.endswith("1")


# --- complaints (R-47) -------------------------------------------------------------------------

_COMPLAINT = """complaint_id, case_id, client_id, channel, allegations, calmed, client_pursues, grade, description,
    escalate_to, escalate_by, held, pause_requested, notify_client, recorded_by, recorded_at, resolved_at,
    resolved_by, resolution"""


async def add_complaint(conn: asyncpg.Connection, **row) -> None:
    names = list(row)
    await conn.execute(
        f"INSERT INTO complaints ({', '.join(names)}) VALUES ({', '.join(f'${i + 1}' for i in range(len(names)))})",
        *row.values())


async def get_complaint(conn: asyncpg.Connection, complaint_id: UUID) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_COMPLAINT} FROM complaints WHERE complaint_id = $1", complaint_id)


async def complaints(conn: asyncpg.Connection, *, grade: str | None, open_only: bool, case_id: str | None,
                     after: tuple[datetime, UUID] | None, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""SELECT {_COMPLAINT} FROM complaints
            WHERE ($1::text IS NULL OR grade = $1) AND (NOT $2 OR resolved_at IS NULL)
              AND ($3::text IS NULL OR case_id = $3)
              AND ($4::timestamptz IS NULL OR (recorded_at, complaint_id) > ($4::timestamptz, $5::uuid))
            ORDER BY recorded_at, complaint_id LIMIT $6""",
        grade, open_only, case_id, after[0] if after else None, after[1] if after else None, limit)


async def resolve_complaint(conn: asyncpg.Connection, complaint_id: UUID, *, at: datetime, by: str,
                            resolution: str) -> bool:
    result = await conn.execute(
        """UPDATE complaints SET resolved_at = $2, resolved_by = $3, resolution = $4
           WHERE complaint_id = $1 AND resolved_at IS NULL""", complaint_id, at, by, resolution)
    return result.endswith("1")


# --- claimed payments (待银行对账) ---------------------------------------------------------------

_CLAIM = """claim_id, case_id, client_id, collector_id, amount, paid_on, channel, proof_ref, note, state, txn_ref,
    decided_by, decided_at, decision_note, record_id, created_at"""


async def add_claim(conn: asyncpg.Connection, *, claim_id: UUID, case_id: str, client_id: str, collector_id: str,
                    amount: Decimal, paid_on: date, channel: str | None, proof_ref: str | None, note: str | None,
                    record_id: UUID | None, now: datetime) -> None:
    await conn.execute(
        """INSERT INTO claimed_payments (claim_id, case_id, client_id, collector_id, amount, paid_on, channel,
               proof_ref, note, record_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
        claim_id, case_id, client_id, collector_id, amount, paid_on, channel, proof_ref, note, record_id, now)


async def get_claim(conn: asyncpg.Connection, claim_id: UUID, *, for_update: bool = False) -> asyncpg.Record | None:
    return await conn.fetchrow(f"SELECT {_CLAIM} FROM claimed_payments WHERE claim_id = $1"
                               + (" FOR UPDATE" if for_update else ""), claim_id)


async def claims(conn: asyncpg.Connection, *, state: str | None, client_id: str | None, collector_id: str | None,
                 case_id: str | None, after: tuple[datetime, UUID] | None, limit: int) -> list[asyncpg.Record]:
    return await conn.fetch(
        f"""SELECT {_CLAIM} FROM claimed_payments
            WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR client_id = $2)
              AND ($3::text IS NULL OR collector_id = $3) AND ($4::text IS NULL OR case_id = $4)
              AND ($5::timestamptz IS NULL OR (created_at, claim_id) > ($5::timestamptz, $6::uuid))
            ORDER BY created_at, claim_id LIMIT $7""",
        state, client_id, collector_id, case_id, after[0] if after else None, after[1] if after else None, limit)


async def decide_claim(conn: asyncpg.Connection, claim_id: UUID, state: str, *, by: str, at: datetime,
                       note: str | None, txn_ref: str | None = None) -> bool:
    result = await conn.execute(
        """UPDATE claimed_payments SET state = $2, decided_by = $3, decided_at = $4, decision_note = $5,
               txn_ref = coalesce($6, txn_ref) WHERE claim_id = $1 AND state = 'pending'""",
        claim_id, state, by, at, note, txn_ref)
    return result.endswith("1")


async def match_claims(conn: asyncpg.Connection, repayments: Sequence[tuple[str, str, Decimal, date]],
                       days: int, now: datetime) -> list[asyncpg.Record]:
    """A posted repayment (case, txn_ref, amount, paid_on) matches the oldest pending claim of the
    same case and amount paid within ±days; each repayment matches at most one claim."""
    out = []
    for case_id, txn_ref, amount, paid_on in repayments:
        row = await conn.fetchrow(
            """UPDATE claimed_payments SET state = 'matched', txn_ref = $2, decided_by = 'system:payment.posted',
                   decided_at = $5
               WHERE claim_id = (SELECT claim_id FROM claimed_payments WHERE case_id = $1 AND state = 'pending'
                                 AND amount = $3 AND abs(paid_on - $4::date) <= $6
                                 ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
               RETURNING claim_id, case_id, collector_id, amount""", case_id, txn_ref, amount, paid_on, now, days)
        if row is not None:
            out.append(row)
    return out


# --- letters ------------------------------------------------------------------------------------

async def add_letters(conn: asyncpg.Connection, rows: Sequence[tuple[str, str, str | None, datetime]]) -> None:
    if rows:
        await conn.executemany(
            """INSERT INTO letters (letter_id, case_id, address_kind, dispatched_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (letter_id) DO NOTHING""", list(rows))


async def letter(conn: asyncpg.Connection, letter_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow("SELECT letter_id, case_id, address_kind FROM letters WHERE letter_id = $1", letter_id)
