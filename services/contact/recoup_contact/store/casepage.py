"""The case and what hangs off it in one round trip: the case page, the contact form and the dial
read everything they need about a case with one statement (holds, versions of the client's
configuration and code table, the contact-policy levels in force, and for the page its lists as JSON)."""

from __future__ import annotations

from datetime import date, datetime

import asyncpg

from .cases import CASE_COLUMNS
from .points import WITH_CASE as POINTS
from .policies import LEVEL_COLUMNS

_WORK = f"""
SELECT {CASE_COLUMNS},
    (SELECT max(version) FROM client_configs cc WHERE cc.client_id = c.client_id) AS config_version,
    (SELECT t.version FROM code_tables t WHERE t.client_id = c.client_id AND t.effective_from <= $2
     ORDER BY t.effective_from DESC, t.version DESC LIMIT 1) AS codes_version,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('kind', h.kind, 'since', h.since, 'placed_by', h.placed_by,
                                                  'note', h.note) ORDER BY h.since), '[]'::jsonb)
     FROM case_holds h WHERE h.case_id = c.case_id AND h.lifted_at IS NULL) AS holds,
""" + LEVEL_COLUMNS


async def for_work(conn: asyncpg.Connection, case_id: str, day: date) -> asyncpg.Record | None:
    """The case with its active holds and the client's configuration / code-table versions on `day`."""
    return await conn.fetchrow(_WORK + " FROM cases c WHERE c.case_id = $1", case_id, day)


_PAGE = _WORK + """,
    (SELECT coalesce(jsonb_agg(x ORDER BY x.at DESC, x.id DESC), '[]'::jsonb) FROM (
        SELECT t.id, t.at, t.kind, t.actor, t.ref, t.data FROM timeline t WHERE t.case_id = c.case_id
        ORDER BY t.at DESC, t.id DESC LIMIT $3) x) AS timeline,
    (SELECT coalesce(jsonb_agg(jsonb_build_object(
        'promise_id', p.promise_id, 'state', p.state, 'made_on', p.made_on, 'amount', p.amount::text,
        'collector_id', p.collector_id, 'record_id', p.record_id, 'settlement', p.settlement,
        'settled_on', p.settled_on, 'instalments', p.instalments) ORDER BY p.made_on, p.promise_id), '[]'::jsonb)
     FROM promises p WHERE p.case_id = c.case_id) AS promises,
    (SELECT coalesce(jsonb_agg(jsonb_build_object(
        'case_id', j.case_id, 'client_id', j.client_id, 'owner_id', j.owner_id, 'outstanding', j.outstanding::text,
        'status', j.status, 'contact_status', j.contact_status) ORDER BY j.case_id), '[]'::jsonb)
     FROM cases j WHERE c.id_hash IS NOT NULL AND j.id_hash = c.id_hash AND j.case_id <> c.case_id) AS joint,
    (SELECT to_jsonb(d) FROM (
        SELECT dispute_id, case_id, client_id, reason, raised_by, raised_at, record_id, state, instructed_at,
               instructed_by, instruction_note FROM disputes WHERE case_id = c.case_id AND state = 'open') d) AS dispute,
    (SELECT coalesce(jsonb_agg(to_jsonb(k) ORDER BY k.recorded_at), '[]'::jsonb) FROM (
        SELECT complaint_id, grade, channel, allegations, escalate_to, escalate_by, held, pause_requested,
               recorded_by, recorded_at FROM complaints WHERE case_id = c.case_id AND resolved_at IS NULL) k)
        AS complaints,
    (SELECT coalesce(jsonb_agg(to_jsonb(m) ORDER BY m.created_at), '[]'::jsonb) FROM (
        SELECT claim_id, amount::text AS amount, paid_on, channel, proof_ref, state, collector_id, created_at
        FROM claimed_payments WHERE case_id = c.case_id AND state = 'pending') m) AS claims,
    (SELECT coalesce(jsonb_agg(to_jsonb(k) ORDER BY k.requested_at DESC), '[]'::jsonb) FROM (
        SELECT call_id, point_id, collector_id, requested_at, state, answered, ring_seconds, talk_seconds,
               ended_at, recording_uri, recording_sha256, recording_bytes, retain_until, record_id
        FROM calls WHERE case_id = c.case_id ORDER BY requested_at DESC LIMIT 5) k) AS calls,
""" + POINTS + """
FROM cases c WHERE c.case_id = $1
"""


async def page(conn: asyncpg.Connection, case_id: str, day: date, timeline_limit: int) -> asyncpg.Record | None:
    """Everything of the case page (contact points: `points.with_case`) but the gate's history, whose
    horizon depends on the case's policy."""
    return await conn.fetchrow(_PAGE, case_id, day, timeline_limit)


# The gate's history with the case (R-14..R-18): every attempt since $3, as compact JSON arrays
# [at, channel, party, point_id, contact_person, outcome, direction, exemption, agents] in time order.
HISTORY = """
    (SELECT coalesce(jsonb_agg(jsonb_build_array(a.at, a.channel, a.party, a.point_id, a.contact_person, a.outcome,
                                                 a.direction, a.exemption, a.agents) ORDER BY a.at), '[]'::jsonb)
     FROM attempts a WHERE a.case_id = c.case_id AND a.at > $3) AS history,
    $3::timestamptz AS history_since
"""


async def for_gate(conn: asyncpg.Connection, case_id: str, day: date, since: datetime) -> asyncpg.Record | None:
    """`for_work` plus the gate's attempt history since `since` and the contact points
    (`points.with_case`): the contact form and the dial read the case, its holds, its configuration
    versions, its policy levels, its history and its points in one statement (issues 9 and 10:
    round trips on the logging path)."""
    return await conn.fetchrow(_WORK + "," + HISTORY + "," + POINTS + " FROM cases c WHERE c.case_id = $1",
                               case_id, day, since)
