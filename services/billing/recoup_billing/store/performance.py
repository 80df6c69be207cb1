"""Collector performance for the agency's pay scheme (R-43), set-based.

- Recovered: the repayments the statements count (inside a placement spell, see close.py),
  with paid_on in the month, each attributed to the case's owner at ``paid_at`` — the ownership
  interval [valid_from, valid_to) from case.allocated that contains it. None → "unattributed".
- Contacts (contact.logged): calls = channel call or inbound_call; effective = effective contacts;
  PTPs made = contacts carrying a promise, by the day the contact was logged.
- PTP kept (R-23): the case's repayments from the day the promise was made up to its due date
  reach the promised amount. A PTP is *decided* once kept or once its due date has passed; the
  kept rate is kept ÷ decided (None while nothing is decided).
"""

from __future__ import annotations

from datetime import date

import asyncpg

_RECOVERED = """
SELECT o.collector_id, min(o.team_id) AS team_id, count(*) AS repayments, sum(r.amount) AS recovered,
       count(DISTINCT r.case_id) AS cases
FROM billing_repayments r
JOIN billing_cases c ON c.case_id = r.case_id AND c.client_id = r.client_id
     AND r.paid_on BETWEEN c.placed_on AND c.end_on
LEFT JOIN billing_ownership o ON o.case_id = r.case_id AND o.valid_from <= r.paid_at
     AND (o.valid_to IS NULL OR r.paid_at < o.valid_to)
WHERE r.paid_on >= $1 AND r.paid_on < $2
  AND ($3::text IS NULL OR r.client_id = $3)
  AND ($4::text IS NULL OR o.team_id = $4)
GROUP BY o.collector_id
"""

_CONTACTS = """
WITH k AS (
    SELECT k.*, t.team_id
    FROM billing_contacts k LEFT JOIN billing_collectors t ON t.collector_id = k.collector_id
    WHERE k.day >= $1 AND k.day < $2 AND ($3::text IS NULL OR k.client_id = $3)
      AND ($4::text IS NULL OR t.team_id = $4)
), ptp AS (
    SELECT k.collector_id, k.ptp_amount, k.ptp_due_on,
           COALESCE((SELECT sum(r.amount) FROM billing_repayments r
                     WHERE r.case_id = k.case_id AND r.paid_on BETWEEN k.day AND k.ptp_due_on), 0) AS paid
    FROM k WHERE k.ptp_amount IS NOT NULL AND k.ptp_due_on IS NOT NULL
), ptp_by AS (
    SELECT collector_id, count(*) AS ptps_made,
           count(*) FILTER (WHERE paid >= ptp_amount) AS ptps_kept,
           count(*) FILTER (WHERE paid >= ptp_amount OR ptp_due_on < $5) AS ptps_decided
    FROM ptp GROUP BY 1
), by_collector AS (
    SELECT k.collector_id, min(k.team_id) AS team_id, count(*) AS contacts,
           count(*) FILTER (WHERE k.channel IN ('call', 'inbound_call')) AS calls,
           count(*) FILTER (WHERE k.effective) AS effective_contacts,
           count(DISTINCT k.day) AS active_days
    FROM k GROUP BY 1
)
SELECT b.*, COALESCE(p.ptps_made, 0) AS ptps_made, COALESCE(p.ptps_kept, 0) AS ptps_kept,
       COALESCE(p.ptps_decided, 0) AS ptps_decided
FROM by_collector b LEFT JOIN ptp_by p USING (collector_id)
"""

_DAILY = """
SELECT k.collector_id, k.day, count(*) AS contacts,
       count(*) FILTER (WHERE k.channel IN ('call', 'inbound_call')) AS calls,
       count(*) FILTER (WHERE k.effective) AS effective_contacts,
       count(*) FILTER (WHERE k.ptp_amount IS NOT NULL) AS ptps_made
FROM billing_contacts k LEFT JOIN billing_collectors t ON t.collector_id = k.collector_id
WHERE k.day >= $1 AND k.day < $2 AND ($3::text IS NULL OR k.client_id = $3)
  AND ($4::text IS NULL OR t.team_id = $4)
GROUP BY 1, 2 ORDER BY 1, 2
"""


async def recovered(conn: asyncpg.Connection, start: date, end: date, client_id: str | None,
                    team_id: str | None) -> list[asyncpg.Record]:
    return await conn.fetch(_RECOVERED, start, end, client_id, team_id)


async def contacts(conn: asyncpg.Connection, start: date, end: date, client_id: str | None,
                   team_id: str | None, today: date) -> list[asyncpg.Record]:
    return await conn.fetch(_CONTACTS, start, end, client_id, team_id, today)


async def daily(conn: asyncpg.Connection, start: date, end: date, client_id: str | None,
                team_id: str | None) -> list[asyncpg.Record]:
    return await conn.fetch(_DAILY, start, end, client_id, team_id)


async def teams(conn: asyncpg.Connection, collector_ids: list[str]) -> dict[str, str | None]:
    rows = await conn.fetch(
        "SELECT collector_id, team_id FROM billing_collectors WHERE collector_id = ANY($1::text[])",
        collector_ids)
    return {r["collector_id"]: r["team_id"] for r in rows}
