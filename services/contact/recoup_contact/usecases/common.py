"""What every use case needs: the case under its lock, the object checks (OWASP API1), the client's
configuration and code table in force, the debtor's zone and day."""

from __future__ import annotations

import time
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.compliance.zones import zone as zone_info
from recoup_shared.locks import xact_lock
from recoup_shared.vocabulary import Role

from ..context import Ctx
from ..rules import CodeTable, ContactConfig, default_code_table, load_config
from ..rules.errors import CaseForbidden, CaseNotFound, CaseNotWorkable
from ..settings import ALL_CASES, WRITE_ANY_CASE
from ..store import cases as case_store
from ..store import casepage as page_store
from ..store import config as config_store

CASE_LOCK = "contact-case"


async def lock_case(conn: asyncpg.Connection, case_id: str) -> None:
    """Every write on a case (records, dials, promise matching, the expiry job) holds this lock until
    its transaction ends: the gate's count and the promise state never race."""
    await xact_lock(conn, CASE_LOCK, case_id)


async def load_case(conn: asyncpg.Connection, case_id: str) -> asyncpg.Record:
    case = await case_store.get(conn, case_id)
    if case is None:
        raise CaseNotFound(f"case {case_id} is unknown here")
    return case


def can_read(principal: Principal, case: asyncpg.Record) -> bool:
    """R-45 / R-46: a collector reaches their own cases, a team lead the team's, managers all."""
    if principal.has(*ALL_CASES):
        return True
    if principal.has(Role.TEAM_LEAD) and principal.team_id and principal.team_id == case["team_id"]:
        return True
    return principal.has(Role.COLLECTOR, Role.TEAM_LEAD) and case["owner_id"] == principal.sub


def can_act(principal: Principal, case: asyncpg.Record) -> bool:
    """Who may contact the debtor and record it: the owner, a lead of the case's team, a supervisor."""
    if principal.has(*WRITE_ANY_CASE):
        return True
    if principal.has(Role.TEAM_LEAD) and principal.team_id and principal.team_id == case["team_id"]:
        return True
    return principal.has(Role.COLLECTOR, Role.TEAM_LEAD) and case["owner_id"] == principal.sub


def check_read(principal: Principal, case: asyncpg.Record) -> None:
    if not can_read(principal, case):
        raise CaseForbidden("this case belongs to another collector or team")


def check_act(principal: Principal, case: asyncpg.Record) -> None:
    if not can_act(principal, case):
        raise CaseForbidden("only the case's collector, a lead of its team or a supervisor may do this")


def check_workable(case: asyncpg.Record) -> None:
    """R-13: a paused, closed, recalled or withdrawn case is not worked."""
    if not case["in_worklist"]:
        why = ("paused" if case["paused"] else "withdrawn" if case["withdrawn"]
               else "not allocated" if case["owner_id"] is None
               else "not received yet" if case["placement_id"] is None else case["status"])
        raise CaseNotWorkable(f"the case is {why}")


async def get_case_for(conn: asyncpg.Connection, principal: Principal, case_id: str, *,
                       act: bool = False, lock: bool = False) -> asyncpg.Record:
    """The case, checked for `principal` (read, or act on it); locked first when asked."""
    if lock:
        await lock_case(conn, case_id)
    case = await load_case(conn, case_id)
    (check_act if act else check_read)(principal, case)
    return case


async def load_for_work(conn: asyncpg.Connection, ctx: Ctx, case_id: str) -> asyncpg.Record:
    """The case with its holds, its client's configuration versions, its policy levels and the
    gate's history in one round trip (the contact form, the dial): the business day names the code
    table; `client_setup` re-reads the versions if the record's day in the debtor's zone turns out
    to be another."""
    case = await page_store.for_gate(conn, case_id, ctx.clock.today(), ctx.clock.now() - ctx.gate_horizon)
    if case is None:
        raise CaseNotFound(f"case {case_id} is unknown here")
    return case


# --- the debtor's time --------------------------------------------------------------------------

def zone_of(case: Any) -> ZoneInfo:
    return zone_info(case["zone"] or "Asia/Shanghai")


def local_now(ctx: Ctx, case: Any) -> datetime:
    return ctx.clock.now().astimezone(zone_of(case))


def local_day(at: datetime, case: Any) -> date:
    return at.astimezone(zone_of(case)).date()


# --- the client's versioned configuration (parsed once per version) ----------------------------

async def client_setup(conn: asyncpg.Connection, ctx: Ctx, client_id: str, day: date,
                       case: Any = None) -> tuple[ContactConfig, CodeTable]:
    """The client's contact configuration and the code table in force on `day` (R-20..R-24; codes);
    `case` read by `load_for_work` on `day` already carries the versions."""
    if case is not None and case.get("codes_version", ...) is not ... and day == ctx.clock.today():
        versions = {"config": case["config_version"], "codes": case["codes_version"]}
    else:
        versions = await config_store.versions(conn, client_id, day)
    return (await _parsed(conn, ctx, "config", client_id, versions["config"]),
            await _parsed(conn, ctx, "codes", client_id, versions["codes"]))


async def client_config(conn: asyncpg.Connection, ctx: Ctx, client_id: str) -> ContactConfig:
    """The client's latest configuration. Its version number is cached for CONFIG_CACHE_SECONDS
    (a new version reaches the other replicas within that time; this one at once)."""
    now = time.monotonic()
    cached = ctx.latest.get(("config", client_id))
    if cached is not None and cached[0] > now:
        version = cached[1]
    else:
        version = await config_store.latest_version(conn, "config", client_id)
        ctx.latest[("config", client_id)] = (now + ctx.settings.config_cache_seconds, version)
    return await _parsed(conn, ctx, "config", client_id, version)


async def client_config_version(conn: asyncpg.Connection, ctx: Ctx, client_id: str,
                                version: int | None) -> ContactConfig:
    return await _parsed(conn, ctx, "config", client_id, version)


async def _parsed(conn: asyncpg.Connection, ctx: Ctx, kind: str, client_id: str, version: int | None) -> Any:
    key = (kind, client_id, version or 0)   # version 0: the defaults (built once, not per request)
    found = ctx.parsed.get(key)
    if found is None and version is None:
        found = ctx.parsed[key] = ContactConfig() if kind == "config" else default_code_table(client_id)
    if found is None:
        row = await config_store.load(conn, kind, client_id, version)
        if kind == "config":
            found = load_config(row["body"])
        else:
            found = CodeTable.model_validate({"client_id": client_id, "version": version,
                                              "effective_from": row["effective_from"], "codes": row["body"]})
        ctx.parsed[key] = found
    return found
