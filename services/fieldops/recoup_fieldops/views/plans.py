"""Daily plans as the console shows them: a day's team plans grouped by area (province / city /
district, in visiting order), the not-planned list with reasons, and an agent's own day on a
phone-sized screen (compact items, the full address to find the door — audited, R-46)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import asyncpg

from recoup_shared.auth import Principal

from ..store import records
from .visits import _FIELDS, shape


def _areas(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive runs of one district (a district may recur in a later band)."""
    runs: list[dict[str, Any]] = []
    for x in items:
        a = x["address"]
        key = (a["province"], a["city"], a["district"])
        if runs and runs[-1]["key"] == key:
            runs[-1]["visit_ids"].append(x["visit_id"])
        else:
            runs.append({"key": key, "visit_ids": [x["visit_id"]]})
    return [{"province": r["key"][0], "city": r["key"][1], "district": r["key"][2],
             "visit_ids": r["visit_ids"]} for r in runs]


async def day_plan(conn: asyncpg.Connection, day: date, *, team_id: str | None = None) -> dict[str, Any]:
    run = await conn.fetchrow(
        "SELECT run_id, run_at, run_by, planned, not_planned, teams FROM plan_runs WHERE day = $1 "
        "ORDER BY run_id DESC LIMIT 1", day)
    rows = await conn.fetch(
        f"""SELECT {_FIELDS}, t.name AS team_name FROM visits v LEFT JOIN field_teams t USING (team_id)
            WHERE v.planned_on = $1 AND v.state IN ('planned', 'in_progress', 'done')
              AND ($2::text IS NULL OR v.team_id = $2)
            ORDER BY v.team_id, v.plan_seq, v.visit_id""", day, team_id)
    teams: dict[str, dict[str, Any]] = {}
    for r in rows:
        t = teams.setdefault(r["team_id"], {"team_id": r["team_id"], "name": r["team_name"], "visits": []})
        t["visits"].append(shape(r))
    for t in teams.values():
        t["areas"] = _areas(t["visits"])
    return {"day": day, "run": dict(run) if run else None, "teams": list(teams.values()),
            "not_planned": await not_planned(conn, day, team_id=team_id)}


async def not_planned(conn: asyncpg.Connection, day: date, *, team_id: str | None = None) -> list[dict]:
    if team_id is not None:
        return []                      # the list is the day's, not a team's
    rows = await conn.fetch(
        """SELECT n.visit_id, n.reason, n.details, v.case_id, v.due_on, v.state, v.address_kind,
                  v.province, v.city, v.district
           FROM plan_not_planned n JOIN visits v USING (visit_id)
           WHERE n.day = $1 ORDER BY v.due_on NULLS LAST, n.visit_id""", day)
    return [{**dict(r), "visit_id": str(r["visit_id"]), "details": list(r["details"])} for r in rows]


async def my_day(conn: asyncpg.Connection, who: Principal, day: date, now: datetime) -> dict[str, Any]:
    """GET /v1/me/plan: the agent's visits of the day in order, what they need at the door."""
    rows = await conn.fetch(
        f"""SELECT {_FIELDS}, c.debtor_name, 'special_population' = ANY(c.flags) AS special,
                   t.name AS team_name
            FROM visits v JOIN cases c USING (case_id) LEFT JOIN field_teams t ON t.team_id = v.team_id
            WHERE v.planned_on = $1 AND $2 = ANY(v.agent_ids)
              AND v.state IN ('planned', 'in_progress', 'done')
            ORDER BY v.slot_start, v.plan_seq""", day, who.sub)
    items = []
    for r in rows:
        x = shape(r, full_address=True)
        items.append({"seq": r["plan_seq"], "visit_id": x["visit_id"], "state": r["state"],
                      "band": r["band"], "slot_start": r["slot_start"], "slot_end": r["slot_end"],
                      "address": x["address"], "purpose": r["purpose"], "reason": r["reason"],
                      "due_on": r["due_on"], "debtor_name": r["debtor_name"],
                      "special_population": r["special"], "agent_ids": list(r["agent_ids"]),
                      "arrived_at": r["arrived_at"], "left_at": r["left_at"]})
    await records.audit_read(conn, who.sub, "agent_plan", [i["visit_id"] for i in items], now)
    team = rows[0]["team_name"] if rows else None
    return {"day": day, "agent_id": who.sub, "team": team, "visits": items}
