"""R-24 worklist queries: one statement for the page (keyset on the sort key + case id, through the
partial indexes of in_worklist cases) and one for the counts and sums of the filter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import asyncpg

from ..store.policies import LEVEL_COLUMNS

ROW_COLUMNS = """case_id, client_id, debtor_name, account_masked, id_hash, currency, placed_amount, outstanding,
    repaid_total, dpd, dpd_bucket, flags, recall_on, owner_id, team_id, contact_status, next_follow_up,
    follow_up_window, cadence_due, cadence_rule, last_contact_at, last_effective_on, last_follow_up_on,
    undialled_since, ptp_due_on, ptp_amount, seen_at, last_repayment_at, last_balance_update_at,
    last_visit_outcome_at, last_letter_returned_at, joint_case_ids, zone, follow_up_key, effective_key,
    (SELECT array_agg(j.case_id) FROM cases j WHERE c.id_hash IS NOT NULL AND j.id_hash = c.id_hash
        AND j.case_id <> c.case_id) AS joint_ids, placement_id, region, """ + LEVEL_COLUMNS

# sort -> (ORDER BY, keyset comparison, cursor key columns and their SQL types)
SORTS: dict[str, tuple[str, str, tuple[str, str]]] = {
    "follow_up": ("follow_up_key, case_id", "(follow_up_key, case_id) > (${0}::date, ${1}::text)",
                  ("follow_up_key", "date")),
    "amount": ("outstanding DESC, case_id DESC", "(outstanding, case_id) < (${0}::numeric, ${1}::text)",
               ("outstanding", "numeric")),
    "effective": ("effective_key, case_id", "(effective_key, case_id) > (${0}::date, ${1}::text)",
                  ("effective_key", "date")),
}


@dataclass
class Filter:
    owner_id: str | None = None
    team_id: str | None = None
    statuses: list[str] = field(default_factory=list)
    due_today: bool = False
    overdue: bool = False
    never_contacted: bool = False
    ptp_due: bool = False
    ptp_due_days: int = 0
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    buckets: list[str] = field(default_factory=list)
    client_id: str | None = None
    flags: list[str] = field(default_factory=list)
    recall_within: int | None = None
    today: date = date.min


def _where(f: Filter, params: list[Any]) -> str:
    clauses = ["in_worklist"]

    def p(value: Any) -> str:
        params.append(value)
        return f"${len(params)}"

    if f.owner_id is not None:
        clauses.append(f"owner_id = {p(f.owner_id)}")
    if f.team_id is not None:
        clauses.append(f"team_id = {p(f.team_id)}")
    if f.statuses:
        clauses.append(f"contact_status = ANY({p(f.statuses)}::text[])")
    if f.due_today:
        clauses.append(f"follow_up_key <= {p(f.today)}::date")
    if f.overdue:
        clauses.append(f"cadence_due < {p(f.today)}::date")
    if f.never_contacted:
        clauses.append("last_contact_at IS NULL")
    if f.ptp_due:
        clauses.append(f"ptp_due_on <= {p(f.today + timedelta(days=f.ptp_due_days))}::date")
    if f.amount_min is not None:
        clauses.append(f"outstanding >= {p(f.amount_min)}")
    if f.amount_max is not None:
        clauses.append(f"outstanding <= {p(f.amount_max)}")
    if f.buckets:
        clauses.append(f"dpd_bucket = ANY({p(f.buckets)}::text[])")
    if f.client_id is not None:
        clauses.append(f"client_id = {p(f.client_id)}")
    if f.flags:
        clauses.append(f"flags @> {p(f.flags)}::text[]")
    if f.recall_within is not None:
        clauses.append(f"recall_on <= {p(f.today + timedelta(days=f.recall_within))}::date")
    return " AND ".join(clauses)


async def page(conn: asyncpg.Connection, f: Filter, *, sort: str, after: list[Any] | None,
               limit: int) -> list[asyncpg.Record]:
    params: list[Any] = []
    where = _where(f, params)
    order, keyset, (_, key_type) = SORTS[sort]
    if after:
        key = date.fromisoformat(after[0]) if key_type == "date" else Decimal(after[0])
        params += [key, str(after[1])]
        where += " AND " + keyset.format(len(params) - 1, len(params))
    params.append(limit)
    return await conn.fetch(f"SELECT {ROW_COLUMNS} FROM cases c WHERE {where} ORDER BY {order} LIMIT ${len(params)}",
                            *params)


async def totals(conn: asyncpg.Connection, f: Filter) -> asyncpg.Record:
    params: list[Any] = []
    where = _where(f, params)
    return await conn.fetchrow(
        f"SELECT count(*) AS cases, coalesce(sum(outstanding), 0) AS outstanding FROM cases WHERE {where}", *params)


async def home_counts(conn: asyncpg.Connection, owner_id: str, today: date, ptp_due_days: int) -> asyncpg.Record:
    """The collector's home page: today's due list and what it is worth."""
    return await conn.fetchrow(
        """SELECT count(*) AS cases, coalesce(sum(outstanding), 0) AS outstanding,
                  count(*) FILTER (WHERE follow_up_key <= $2) AS due_today,
                  count(*) FILTER (WHERE cadence_due < $2) AS overdue,
                  count(*) FILTER (WHERE last_contact_at IS NULL) AS never_contacted,
                  count(*) FILTER (WHERE ptp_due_on <= $3) AS ptp_due,
                  coalesce(sum(ptp_amount) FILTER (WHERE ptp_due_on <= $3), 0) AS ptp_due_amount
           FROM cases WHERE in_worklist AND owner_id = $1""", owner_id, today, today + timedelta(days=ptp_due_days))
