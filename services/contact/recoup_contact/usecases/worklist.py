"""R-24 worklist (员工个人案件) and the collector's home page (seeds 4.4.2, 4.4.6).

Scopes: a collector sees their own list; a team lead their team's (or one collector of it); managers
(supervisor, admin, auditor, data specialist) everyone's. Each row carries its colour (days since
the last follow-up against the case's R-20 cadence, per-client thresholds), its reminders, its
joint-debt links; the page carries the counts and amount sums of the filter and an opaque cursor."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.clock import add_months, month_label, month_start
from recoup_shared.errors import Forbidden
from recoup_shared.paging import encode_cursor
from recoup_shared.vocabulary import Role

from ..context import Ctx
from ..rules import CadenceRule, CadenceState, ReminderFacts, days_since, reminders, row_colour
from ..settings import ALL_CASES
from ..store import promises as promise_store
from ..views import worklist as q
from . import gate
from .common import client_config, client_config_version, zone_of


@dataclass(frozen=True, slots=True)
class WorklistCmd:
    scope: str = "own"                 # own | team | all
    collector_id: str | None = None
    team_id: str | None = None
    filter: q.Filter = field(default_factory=q.Filter)
    sort: str = "follow_up"
    after: list[Any] | None = None
    limit: int = 50
    totals: bool = True
    callable: bool = True


def _scope(principal: Principal, cmd: WorklistCmd) -> q.Filter:
    """Object check of the scope: own list, own team, or (managers) anyone's."""
    f = replace(cmd.filter)
    manager = principal.has(*ALL_CASES)
    if cmd.scope == "own":
        if cmd.collector_id and cmd.collector_id != principal.sub and not manager and not principal.has(Role.TEAM_LEAD):
            raise Forbidden("a collector sees their own worklist")
        f.owner_id = cmd.collector_id or principal.sub
        if not manager and cmd.collector_id and cmd.collector_id != principal.sub:
            f.team_id = principal.team_id or ""   # a lead: only collectors of the lead's team
    elif cmd.scope == "team":
        if not (manager or principal.has(Role.TEAM_LEAD)):
            raise Forbidden("the team list is for team leads and managers")
        team = cmd.team_id or principal.team_id
        if not manager and team != principal.team_id:
            raise Forbidden("a team lead sees their own team")
        if team is None:
            raise Forbidden("no team in the token: name team_id")
        f.team_id = team
        f.owner_id = cmd.collector_id
    else:
        if not manager:
            raise Forbidden("all cases are for managers")
        f.team_id, f.owner_id = cmd.team_id, cmd.collector_id
    return f


def cadence_state(row: Any, today: date, calendar: Any) -> CadenceState:
    """The stored R-20 due date as the rules' state on `today` (the colour needs nothing more)."""
    due = row["cadence_due"]
    first = row["undialled_since"] is not None
    rule = CadenceRule(row["cadence_rule"]) if row["cadence_rule"] else None
    if due is None or today <= due:
        return CadenceState(due, rule, False, None, 0, 0, first)
    return CadenceState(due, rule, True, due + timedelta(days=1), (today - due).days,
                        calendar.working_days_between(due, today), first)


async def row_out(conn: asyncpg.Connection, ctx: Ctx, row: Any, joints: dict[str, list[str]],
                  configs: dict[str, Any], now: datetime) -> dict[str, Any]:
    if row["client_id"] not in configs:
        known = row.get("config_version", ...)   # the case page read it with the case
        configs[row["client_id"]] = (await client_config(conn, ctx, row["client_id"]) if known is ...
                                     else await client_config_version(conn, ctx, row["client_id"], known))
    cfg = configs[row["client_id"]]
    today = now.astimezone(zone_of(row)).date()
    state = cadence_state(row, today, ctx.calendar)
    facts = ReminderFacts(seen_at=row["seen_at"], last_repayment_at=row["last_repayment_at"],
                          last_balance_update_at=row["last_balance_update_at"],
                          last_visit_outcome_at=row["last_visit_outcome_at"],
                          last_letter_returned_at=row["last_letter_returned_at"], recall_on=row["recall_on"])
    found = row.get("joint_ids") or joints.get(row["id_hash"], [])   # same debtor (ID blind index)
    joint = sorted((set(found) | set(row["joint_case_ids"])) - {row["case_id"]})
    return {
        "case_id": row["case_id"], "client_id": row["client_id"], "debtor_name": row["debtor_name"],
        "account_masked": row["account_masked"], "currency": row["currency"], "placed_amount": row["placed_amount"],
        "outstanding": row["outstanding"], "repaid_total": row["repaid_total"], "dpd": row["dpd"],
        "dpd_bucket": row["dpd_bucket"], "flags": list(row["flags"]), "recall_on": row["recall_on"],
        "owner_id": row["owner_id"], "team_id": row["team_id"], "status": row["contact_status"],
        "next_follow_up": row["next_follow_up"], "follow_up_window": row["follow_up_window"],
        "cadence_due": row["cadence_due"], "overdue": state.overdue, "days_overdue": state.days_overdue,
        "days_since_follow_up": days_since(row["last_follow_up_on"], today),
        "days_since_effective": days_since(row["last_effective_on"], today),
        "last_contact_at": row["last_contact_at"], "never_contacted": row["last_contact_at"] is None,
        "colour": row_colour(state, today, cfg.colours, ctx.calendar).value,
        "ptp_due_on": row["ptp_due_on"], "ptp_amount": row["ptp_amount"],
        "reminders": [{"kind": r.kind.value, "since": r.since, "days_left": r.days_left}
                      for r in reminders(facts, now, today, cfg.reminders)],
        "joint_case_ids": joint,
    }


def _cursor_key(sort: str, row: Any) -> list[Any]:
    key = q.SORTS[sort][2][0]
    return [str(row[key]), row["case_id"]]


async def worklist(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, cmd: WorklistCmd) -> dict[str, Any]:
    f = _scope(principal, cmd)
    now = ctx.clock.now()
    f.today = ctx.clock.today()
    f.ptp_due_days = ctx.settings.ptp_due_days
    rows = await q.page(conn, f, sort=cmd.sort, after=cmd.after, limit=cmd.limit + 1)
    more = len(rows) > cmd.limit
    rows = rows[:cmd.limit]
    configs: dict[str, Any] = {}
    items = [await row_out(conn, ctx, r, {}, configs, now) for r in rows]
    if cmd.callable:   # "callable now / next at": the gate's evaluation, side-effect free
        decisions = await gate.evaluate_cases(conn, ctx, rows, now)
        for item in items:
            d = decisions[item["case_id"]]
            item["callable"] = {"allowed": d.allowed, "next_allowed": d.next_allowed,
                                "reasons": [r.to_dict() for r in d.reasons], "notices": []}
    out: dict[str, Any] = {"items": items,
                           "next_cursor": encode_cursor(_cursor_key(cmd.sort, rows[-1])) if more and rows else None,
                           "totals": None}
    if cmd.totals:
        t = await q.totals(conn, f)
        out["totals"] = {"cases": t["cases"], "outstanding": t["outstanding"]}
    return out


async def home(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, collector_id: str | None) -> dict[str, Any]:
    """The collector's home: recovered amounts of the last N months, today's due list counts."""
    who = collector_id or principal.sub
    if who != principal.sub and not (principal.has(*ALL_CASES) or principal.has(Role.TEAM_LEAD)):
        raise Forbidden("a collector sees their own home page")
    today = ctx.clock.today()
    first = add_months(month_start(today), -(ctx.settings.home_months - 1))
    by_month = {r["month"]: r for r in await promise_store.recovered_by_month(conn, who, first)}
    months = []
    for i in range(ctx.settings.home_months):
        m = add_months(first, i)
        r = by_month.get(m)
        months.append({"month": month_label(m), "recovered": r["amount"] if r else 0,
                       "repayments": r["repayments"] if r else 0})
    c = await q.home_counts(conn, who, today, ctx.settings.ptp_due_days)
    return {"collector_id": who, "today": today, "recovered_by_month": months,
            "worklist": {"cases": c["cases"], "outstanding": c["outstanding"]},
            "due_today": c["due_today"], "overdue": c["overdue"], "never_contacted": c["never_contacted"],
            "ptp_due": {"cases": c["ptp_due"], "amount": c["ptp_due_amount"]}}
