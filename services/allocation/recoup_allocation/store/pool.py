"""The case pool (built from case.received / case.updated) and its ownership history.

Every statement here is set-based: a consumer batch of 2,000 events is a handful of statements
(unnest of column arrays), never one round trip per event. `version` is bumped by every change of
status or owner, which is what a plan's optimistic check at commit compares (R-10).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NamedTuple

import asyncpg

from .scope import lead_reaches
from .staff import WAKE_CHANNEL

FLAG_SEP = "\x1f"  # flags travel as one text per row through unnest (ragged arrays cannot)
FLAG_PAUSED_BY = "client"  # who paused a case a client flag paused

# R-17 client flags (dispute, fraud_claim, stolen_card, do_not_contact) stop *collection*, which the
# contact service enforces; by default the case keeps its owner, who reports to the client and acts
# on the client's instruction. An agency that wants flagged cases out of every worklist lists the
# flags in RECOUP_PAUSE_ON_FLAGS: such cases are paused (owner released) and return to the pool
# when the client lifts the flag.

CASE_COLUMNS = """c.case_id, c.client_id, c.placement_id, c.placement_ref, c.product, c.placed_amount,
    c.outstanding, c.dpd, c.dpd_bucket, c.region, c.flags, c.status, c.collector_id, c.team_id,
    c.previous_collector_id, c.received_at, c.allocated_at, c.first_allocated_at,
    c.first_contact_due, c.recall_on, c.pause_reason, c.paused_by, c.paused_at"""

JOINT_CASE_IDS = """COALESCE((SELECT array_agg(j.case_id ORDER BY j.case_id) FROM cases j
        WHERE c.joint_key IS NOT NULL AND j.joint_key = c.joint_key AND j.case_id <> c.case_id
          AND j.status IN ('unassigned', 'assigned', 'paused')), '{}') AS joint_case_ids"""


def join_flags(flags: Sequence[str] | None) -> str | None:
    return None if flags is None else FLAG_SEP.join(sorted(set(flags)))


# --- case.received ---------------------------------------------------------------------------
@dataclass(slots=True)
class ReceivedRow:
    case_id: str
    client_id: str
    placement_id: str
    placement_ref: str
    product: str
    placed_amount: Decimal
    dpd: int
    dpd_bucket: str
    region: str | None
    flags: list[str]
    joint_key: str | None
    recall_on: Any
    received_at: datetime


async def upsert_received(conn: asyncpg.Connection, rows: Sequence[ReceivedRow]) -> int:
    """Insert new cases as unassigned; a case we already hold is refreshed, never duplicated.

    A re-delivered or repeated case.received for an open case changes its description only
    (status, owner, outstanding and the SLA clock stay). A re-placement of a closed or recalled
    case (newer than the reception we know) reopens it: unassigned, new SLA clock.
    Returns the number of new cases."""
    if not rows:
        return 0
    cols = list(zip(*[(r.case_id, r.client_id, r.placement_id, r.placement_ref, r.product,
                       r.placed_amount, r.dpd, r.dpd_bucket, r.region, join_flags(r.flags),
                       r.joint_key, r.recall_on, r.received_at) for r in rows]))
    result = await conn.fetch(
        """WITH src AS (
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                    $6::numeric[], $7::int[], $8::text[], $9::text[], $10::text[],
                                    $11::text[], $12::date[], $13::timestamptz[])
                 AS t(case_id, client_id, placement_id, placement_ref, product, placed_amount, dpd,
                      dpd_bucket, region, flags, joint_key, recall_on, received_at))
           INSERT INTO cases AS c (case_id, client_id, placement_id, placement_ref, product,
                                   placed_amount, outstanding, dpd, dpd_bucket, region, flags,
                                   joint_key, recall_on, status, received_at)
           SELECT case_id, client_id, placement_id, placement_ref, product, placed_amount,
                  placed_amount, dpd, dpd_bucket, region,
                  COALESCE(string_to_array(NULLIF(flags, ''), E'\\x1f'), '{}'), joint_key,
                  recall_on, 'unassigned', received_at
           FROM src
           ON CONFLICT (case_id) DO UPDATE SET
               placement_id = EXCLUDED.placement_id, placement_ref = EXCLUDED.placement_ref,
               product = EXCLUDED.product, placed_amount = EXCLUDED.placed_amount,
               dpd = EXCLUDED.dpd, dpd_bucket = EXCLUDED.dpd_bucket, region = EXCLUDED.region,
               flags = EXCLUDED.flags, joint_key = EXCLUDED.joint_key, recall_on = EXCLUDED.recall_on,
               outstanding = CASE WHEN c.status IN ('closed', 'recalled') AND EXCLUDED.received_at > c.received_at
                                  THEN EXCLUDED.outstanding ELSE c.outstanding END,
               first_allocated_at = CASE WHEN c.status IN ('closed', 'recalled') AND EXCLUDED.received_at > c.received_at
                                         THEN NULL ELSE c.first_allocated_at END,
               allocated_at = CASE WHEN c.status IN ('closed', 'recalled') AND EXCLUDED.received_at > c.received_at
                                   THEN NULL ELSE c.allocated_at END,
               first_contact_due = CASE WHEN c.status IN ('closed', 'recalled') AND EXCLUDED.received_at > c.received_at
                                        THEN NULL ELSE c.first_contact_due END,
               version = c.version + CASE WHEN c.status IN ('closed', 'recalled') AND EXCLUDED.received_at > c.received_at
                                          THEN 1 ELSE 0 END,
               received_at = CASE WHEN c.status IN ('closed', 'recalled') AND EXCLUDED.received_at > c.received_at
                                  THEN EXCLUDED.received_at ELSE c.received_at END,
               status = CASE WHEN c.status IN ('closed', 'recalled') AND EXCLUDED.received_at > c.received_at
                             THEN 'unassigned' ELSE c.status END,
               auto_retry_at = NULL,
               updated_at = now()
           RETURNING (xmax = 0) AS inserted""",
        *[list(c) for c in cols])
    return sum(1 for r in result if r["inserted"])


# --- releasing owners (R-13) ------------------------------------------------------------------
class Released(NamedTuple):
    """A case that left its owner (or the pool) by `release`."""
    case_id: str
    client_id: str
    at: datetime
    collector_id: str | None     # the owner released (None: the case had none)
    team_id: str | None


async def release(conn: asyncpg.Connection, case_ids: Sequence[str], ats: Sequence[datetime],
                  new_status: str, *, end_reason: str | None = None,
                  from_statuses: Sequence[str] = ("unassigned", "assigned", "paused"),
                  pause: tuple[str, str, str] | None = None,
                  pauses: Sequence[tuple[str, str, str]] | None = None) -> list[Released]:
    """Move cases to `new_status` (paused / closed / recalled), releasing the owner: the current
    ownership interval ends at the event's time (never before it began). Returns the cases that
    changed, each with the owner its closed interval names. `pause` = (source, reason, by) for all,
    or `pauses` one per case."""
    if not case_ids:
        return []
    per_case = list(pauses) if pauses is not None else [pause or (None, None, None)] * len(case_ids)
    sources, reasons, bys = ([list(x) for x in zip(*per_case)])
    rows = await conn.fetch(
        """WITH u AS (SELECT * FROM unnest($1::text[], $2::timestamptz[], $5::text[], $6::text[], $7::text[])
                      AS t(case_id, at, source, reason, by)),
           upd AS (
               UPDATE cases c SET status = $3,
                   previous_collector_id = COALESCE(c.collector_id, c.previous_collector_id),
                   collector_id = NULL, team_id = NULL,
                   pause_source = u.source, pause_reason = u.reason, paused_by = u.by,
                   paused_at = CASE WHEN u.source IS NULL THEN NULL ELSE u.at END,
                   version = c.version + 1, updated_at = now()
               FROM u WHERE c.case_id = u.case_id AND c.status = ANY($4::text[]) AND c.status <> $3
               RETURNING c.case_id, c.client_id, u.at),
           closed AS (
               UPDATE ownership o SET valid_to = GREATEST(o.valid_from, upd.at), end_reason = $8
               FROM upd WHERE o.case_id = upd.case_id AND o.valid_to IS NULL
               RETURNING o.case_id, o.collector_id, o.team_id)
           SELECT upd.case_id, upd.client_id, upd.at, closed.collector_id, closed.team_id
           FROM upd LEFT JOIN closed USING (case_id)""",
        list(case_ids), list(ats), new_status, list(from_statuses), sources, reasons, bys,
        end_reason or new_status)
    return [Released(*r) for r in rows]


async def reopen(conn: asyncpg.Connection, case_ids: Sequence[str], ats: Sequence[datetime],
                 *, from_statuses: Sequence[str] = ("closed", "recalled")) -> list[str]:
    """Back to the pool (unassigned): a reopened case gets a new SLA clock."""
    if not case_ids:
        return []
    rows = await conn.fetch(
        """UPDATE cases c SET status = 'unassigned', received_at = GREATEST(c.received_at, u.at),
               first_allocated_at = NULL, allocated_at = NULL, first_contact_due = NULL,
               pause_source = NULL, pause_reason = NULL, paused_by = NULL, paused_at = NULL,
               auto_retry_at = NULL, version = c.version + 1, updated_at = now()
           FROM unnest($1::text[], $2::timestamptz[]) AS u(case_id, at)
           WHERE c.case_id = u.case_id AND c.status = ANY($3::text[])
           RETURNING c.case_id""",
        list(case_ids), list(ats), list(from_statuses))
    return [r["case_id"] for r in rows]


async def resume_paused(conn: asyncpg.Connection, case_ids: Sequence[str], *,
                        source: str | None = None) -> list[str]:
    """Paused → unassigned (the SLA clock is not restarted: the case was already allocated)."""
    if not case_ids:
        return []
    rows = await conn.fetch(
        """UPDATE cases SET status = 'unassigned', pause_source = NULL, pause_reason = NULL,
               paused_by = NULL, paused_at = NULL, auto_retry_at = NULL,
               version = version + 1, updated_at = now()
           WHERE case_id = ANY($1) AND status = 'paused' AND ($2::text IS NULL OR pause_source = $2)
           RETURNING case_id""",
        list(case_ids), source)
    return [r["case_id"] for r in rows]


@dataclass(slots=True)
class FlagPauses:
    """What `apply_flag_pauses` did: cases paused (with the reason recorded) and cases resumed
    (case_id, client_id, at) — back to the pool."""
    paused: list[tuple[Released, str]]
    resumed: list[tuple[str, str, datetime]]


async def apply_flag_pauses(conn: asyncpg.Connection, case_ats: dict[str, datetime],
                            pausing_flags: Sequence[str]) -> FlagPauses:
    """R-17: pause open cases carrying a pausing client flag (owner released at the event's time);
    give back to the pool the ones a flag had paused once the client lifted every pausing flag.
    A case a staff member paused stays paused."""
    if not case_ats:
        return FlagPauses([], [])
    ids = list(case_ats)
    flagged = await conn.fetch(
        """SELECT case_id, array_to_string(ARRAY(SELECT unnest(flags) INTERSECT SELECT unnest($2::text[])
                                                 ORDER BY 1), ', ') AS why
           FROM cases WHERE case_id = ANY($1) AND status IN ('unassigned', 'assigned')
             AND flags && $2::text[]""", ids, list(pausing_flags))
    paused: list[tuple[Released, str]] = []
    by_reason: dict[str, list[str]] = {}
    for r in flagged:
        by_reason.setdefault(r["why"], []).append(r["case_id"])
    for why, group in sorted(by_reason.items()):
        reason = f"client flag: {why} (R-17)"
        paused += [(r, reason) for r in await release(
            conn, group, [case_ats[c] for c in group], "paused", end_reason="paused",
            from_statuses=("unassigned", "assigned"), pause=("flag", reason, FLAG_PAUSED_BY))]
    lifted = {r["case_id"]: r["client_id"] for r in await conn.fetch(
        """SELECT case_id, client_id FROM cases WHERE case_id = ANY($1) AND status = 'paused'
             AND pause_source = 'flag' AND NOT (flags && $2::text[])""", ids, list(pausing_flags))}
    resumed = await resume_paused(conn, list(lifted), source="flag")
    return FlagPauses(paused, [(c, lifted[c], case_ats[c]) for c in resumed])


async def update_attributes(conn: asyncpg.Connection, case_ids: Sequence[str],
                            placed: Sequence[Decimal | None], outstanding: Sequence[Decimal | None],
                            flags: Sequence[str | None]) -> int:
    """Balance and flag changes (case.updated); NULL = unchanged."""
    if not case_ids:
        return 0
    status = await conn.execute(
        """UPDATE cases c SET placed_amount = COALESCE(u.placed, c.placed_amount),
               outstanding = COALESCE(u.outstanding, c.outstanding),
               flags = CASE WHEN u.flags IS NULL THEN c.flags
                            ELSE COALESCE(string_to_array(NULLIF(u.flags, ''), E'\\x1f'), '{}') END,
               updated_at = now()
           FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::text[]) AS u(case_id, placed, outstanding, flags)
           WHERE c.case_id = u.case_id""",
        list(case_ids), list(placed), list(outstanding), list(flags))
    return int(status.split()[-1])


async def update_recall_on(conn: asyncpg.Connection, recall_on: Mapping[str, date]) -> int:
    """The placement's recall date moved (case.updated recall_extended): case id -> the new date."""
    if not recall_on:
        return 0
    status = await conn.execute(
        """UPDATE cases c SET recall_on = u.recall_on, updated_at = now()
           FROM unnest($1::text[], $2::date[]) AS u(case_id, recall_on)
           WHERE c.case_id = u.case_id AND c.recall_on IS DISTINCT FROM u.recall_on""",
        list(recall_on), list(recall_on.values()))
    return int(status.split()[-1])


async def wake(conn: asyncpg.Connection) -> None:
    """Wake the auto-allocation loop once this transaction commits."""
    await conn.execute(f"NOTIFY {WAKE_CHANNEL}")


# --- reads ------------------------------------------------------------------------------------
async def get_case(conn: asyncpg.Connection, case_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {CASE_COLUMNS}, c.joint_key, c.version, {JOINT_CASE_IDS} FROM cases c WHERE c.case_id = $1",
        case_id)


async def lock_case(conn: asyncpg.Connection, case_id: str) -> asyncpg.Record | None:
    return await conn.fetchrow(
        f"SELECT {CASE_COLUMNS}, c.joint_key, c.version FROM cases c WHERE c.case_id = $1 FOR UPDATE",
        case_id)


PLAN_CASE_COLUMNS = """case_id, client_id, product, placed_amount, dpd_bucket, region, joint_key, status,
    collector_id, team_id, previous_collector_id, version"""


async def select_for_plan(conn: asyncpg.Connection, *, statuses: Sequence[str] | None,
                          client_id: str | None = None, placement_id: str | None = None,
                          case_ids: Sequence[str] | None = None,
                          dpd_buckets: Sequence[str] | None = None,
                          regions: Sequence[str] | None = None, products: Sequence[str] | None = None,
                          amount_min: Decimal | None = None, amount_max: Decimal | None = None,
                          owner_ids: Sequence[str] | None = None,
                          owner_team_ids: Sequence[str] | None = None,
                          lead_team: str | None = None, limit: int) -> list[asyncpg.Record]:
    """The cases a plan is made of (filter of the preview / manual request); `lead_team`: only
    what that team's lead reaches (store/scope.py)."""
    def arr(v: Sequence[str] | None) -> list[str] | None:
        return None if v is None else list(v)

    return await conn.fetch(
        f"""SELECT {PLAN_CASE_COLUMNS} FROM cases c
            WHERE ($1::text[] IS NULL OR status = ANY($1)) AND ($2::text IS NULL OR client_id = $2)
              AND ($3::text IS NULL OR placement_id = $3) AND ($4::text[] IS NULL OR case_id = ANY($4))
              AND ($5::text[] IS NULL OR dpd_bucket = ANY($5)) AND ($6::text[] IS NULL OR region = ANY($6))
              AND ($7::text[] IS NULL OR product = ANY($7))
              AND ($8::numeric IS NULL OR placed_amount >= $8) AND ($9::numeric IS NULL OR placed_amount <= $9)
              AND ($10::text[] IS NULL OR collector_id = ANY($10))
              AND ($11::text[] IS NULL OR team_id = ANY($11))
              AND ($13::text IS NULL OR {lead_reaches("$13::text")})
            ORDER BY case_id LIMIT $12""",
        arr(statuses), client_id, placement_id, arr(case_ids), arr(dpd_buckets), arr(regions),
        arr(products), amount_min, amount_max, arr(owner_ids), arr(owner_team_ids), limit, lead_team)


async def auto_candidates(conn: asyncpg.Connection, *, unconfigured: bool, default_strategy: str,
                          now: datetime, limit: int) -> list[asyncpg.Record]:
    """Unassigned cases of clients allocated automatically (R-8), oldest first, with the
    client's default strategy; cases no one could take wait out their back-off."""
    return await conn.fetch(
        f"""SELECT {', '.join('c.' + x.strip() for x in PLAN_CASE_COLUMNS.split(','))},
                   COALESCE(r.default_strategy, $2) AS strategy
            FROM cases c LEFT JOIN client_rules r ON r.client_id = c.client_id
            WHERE c.status = 'unassigned' AND (c.auto_retry_at IS NULL OR c.auto_retry_at <= $4)
              AND COALESCE(r.auto_allocate, $1)
            ORDER BY c.received_at, c.case_id LIMIT $3""", unconfigured, default_strategy, limit, now)
