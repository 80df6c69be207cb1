"""Configuration and back-office work: the client's contact configuration, code tables and report
templates (versioned); payments the debtor claims (待银行对账, seeds 4.4.14) and their decision;
the collectors' PBX lines; the 催记报告 export in the client's layout."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import asyncpg
from pydantic import ValidationError

from recoup_shared.auth import Principal
from recoup_shared.errors import Forbidden
from recoup_shared.locks import xact_lock
from recoup_shared.vocabulary import Role

from ..adapters import reports as report_files
from ..context import Ctx
from ..rules import (CodeTable, FieldError, ReportTemplate, config_errors, default_code_table,
                     default_report_template, report_row)
from ..rules.errors import AlreadyDecided, InvalidConfig, InvalidRecord, NotFoundHere
from ..settings import RECONCILERS
from ..store import calls as call_store
from ..store import config as config_store
from ..store import records as record_store
from ..store import work as work_store
from .common import client_config, client_setup, get_case_for, zone_of


def _errors(exc: ValidationError, prefix: str = "") -> list[FieldError]:
    out = []
    for e in exc.errors():
        loc = ".".join(str(p) for p in e["loc"])
        out.append(FieldError(f"{prefix}{loc}" if loc else prefix.rstrip(".") or "body",
                              e["msg"].removeprefix("Value error, ")))
    return out


# --- contact configuration (R-20..R-24, R-47) ----------------------------------------------------

async def get_config(conn: asyncpg.Connection, ctx: Ctx, client_id: str) -> dict[str, Any]:
    cfg = await client_config(conn, ctx, client_id)
    return {"client_id": client_id, "version": await config_store.latest_version(conn, "config", client_id),
            "config": cfg.model_dump(mode="json")}


async def put_config(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, client_id: str,
                     body: dict[str, Any]) -> dict[str, Any]:
    errors = config_errors(body)
    if errors:
        raise InvalidConfig(errors)
    await xact_lock(conn, "contact-config", client_id)
    await config_store.add(conn, "config", client_id, body, principal.sub, ctx.clock.now())
    ctx.latest.pop(("config", client_id), None)   # this replica: at once
    return await get_config(conn, ctx, client_id)


# --- code tables ---------------------------------------------------------------------------------

async def code_table(conn: asyncpg.Connection, ctx: Ctx, client_id: str, on: date | None) -> dict[str, Any]:
    _, table = await client_setup(conn, ctx, client_id, on or ctx.clock.today())
    return table.model_dump(mode="json")


async def case_code_table(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str) -> dict[str, Any]:
    """The contact form's codes: the table in force today for the case's client."""
    case = await get_case_for(conn, principal, case_id)
    return await code_table(conn, ctx, case["client_id"], ctx.clock.now().astimezone(zone_of(case)).date())


async def add_code_table(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, client_id: str,
                         effective_from: date, codes: list[dict[str, Any]]) -> dict[str, Any]:
    await xact_lock(conn, "contact-codes", client_id)
    version = (await config_store.latest_version(conn, "codes", client_id) or 0) + 1
    try:
        table = CodeTable.model_validate({"client_id": client_id, "version": version,
                                          "effective_from": effective_from, "codes": codes})
    except ValidationError as exc:
        raise InvalidConfig(_errors(exc)) from None
    body = [c.model_dump(mode="json") for c in table.codes]
    await config_store.add(conn, "codes", client_id, body, principal.sub, ctx.clock.now(), effective_from)
    return table.model_dump(mode="json")


async def code_tables(conn: asyncpg.Connection, client_id: str) -> list[dict[str, Any]]:
    rows = await config_store.history(conn, "codes", client_id)
    if not rows:
        return [default_code_table(client_id).model_dump(mode="json")]
    return [{"client_id": client_id, "version": r["version"], "effective_from": r["effective_from"],
             "codes": r["body"], "created_by": r["created_by"], "created_at": r["created_at"]} for r in rows]


# --- report templates and the export (催记报告) ----------------------------------------------------

async def report_template(conn: asyncpg.Connection, client_id: str) -> tuple[int | None, ReportTemplate]:
    version = await config_store.latest_version(conn, "report", client_id)
    if version is None:
        return None, default_report_template()
    row = await config_store.load(conn, "report", client_id, version)
    return version, ReportTemplate.model_validate(row["body"])


async def put_report_template(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, client_id: str,
                              body: dict[str, Any]) -> dict[str, Any]:
    try:
        template = ReportTemplate.model_validate(body)
    except ValidationError as exc:
        raise InvalidConfig(_errors(exc)) from None
    await xact_lock(conn, "contact-report", client_id)
    version = await config_store.add(conn, "report", client_id, template.model_dump(mode="json"), principal.sub,
                                     ctx.clock.now())
    return {"client_id": client_id, "version": version, "template": template.model_dump(mode="json")}


async def export_records(conn: asyncpg.Connection, ctx: Ctx, client_id: str, day_from: date,
                         day_to: date, fmt: str | None) -> tuple[bytes, str, str]:
    """The client's contact records of a period, in its own layout: (file, media type, file name)."""
    if day_to < day_from:
        raise InvalidRecord([FieldError("to", "must not be before from")])
    version, template = await report_template(conn, client_id)
    limit = ctx.settings.report_max_rows
    rows = await record_store.for_report(conn, client_id, day_from, day_to, limit + 1)
    if len(rows) > limit:
        raise InvalidRecord([FieldError("to", f"more than {limit} records: export a shorter period")])
    fmt = fmt or template.format
    data = report_files.write(fmt, [c.header for c in template.columns],
                              (report_row(r, template, zone_of({"zone": ctx.settings.timezone})) for r in rows),
                              title=template.name)
    name = f"contact-records-{client_id}-{day_from:%Y%m%d}-{day_to:%Y%m%d}-v{version or 0}.{fmt}"
    return data, report_files.MEDIA_TYPES[fmt], name


# --- payments the debtor claims (待银行对账) --------------------------------------------------------

async def claim(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, case_id: str, amount: Decimal,
                paid_on: date, channel: str | None, proof_ref: str | None, note: str | None) -> dict[str, Any]:
    """R-49: only a record of what the debtor says was paid to the client; the bank decides."""
    case = await get_case_for(conn, principal, case_id, act=True, lock=True)
    errors = []
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        errors.append(FieldError("amount", "greater than 0, at most two decimals"))
    if paid_on > ctx.clock.now().astimezone(zone_of(case)).date():
        errors.append(FieldError("paid_on", "is in the future"))
    if errors:
        raise InvalidRecord(errors)
    claim_id = uuid4()
    now = ctx.clock.now()
    await work_store.add_claim(conn, claim_id=claim_id, case_id=case_id, client_id=case["client_id"],
                               collector_id=principal.sub, amount=amount, paid_on=paid_on, channel=channel,
                               proof_ref=proof_ref, note=note, record_id=None, now=now)
    await record_store.timeline_one(conn, case_id, now, "claim", actor=principal.sub, ref=str(claim_id),
                                    data={"amount": str(amount), "paid_on": paid_on.isoformat()})
    return dict(await work_store.get_claim(conn, claim_id))


async def claims(conn: asyncpg.Connection, principal: Principal, *, state: str | None, client_id: str | None,
                 after: tuple[str, str] | None, limit: int) -> list[dict[str, Any]]:
    """The reconciliation list: data specialists and managers see all; a collector their own."""
    mine = None if principal.has(*RECONCILERS, Role.AUDITOR, Role.TEAM_LEAD) else principal.sub
    return [dict(r) for r in await work_store.claims(conn, state=state, client_id=client_id, collector_id=mine,
                                                      case_id=None, after=after, limit=limit)]


async def decide_claim(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, claim_id: UUID, decision: str,
                       note: str | None, txn_ref: str | None) -> dict[str, Any]:
    c = await work_store.get_claim(conn, claim_id, for_update=True)
    if c is None:
        raise NotFoundHere("no such claimed payment")
    now = ctx.clock.now()
    state = "confirmed" if decision == "confirm" else "rejected"
    if not await work_store.decide_claim(conn, claim_id, state, by=principal.sub, at=now, note=note, txn_ref=txn_ref):
        raise AlreadyDecided(f"the claim is already {c['state']}")
    await record_store.timeline_one(conn, c["case_id"], now, f"claim_{state}", actor=principal.sub, ref=str(claim_id),
                                    data={"amount": str(c["amount"])})
    return dict(await work_store.get_claim(conn, claim_id))


# --- PBX lines ------------------------------------------------------------------------------------

async def set_agent_line(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, collector_id: str,
                         extension: str) -> dict[str, Any]:
    if not principal.has(Role.ADMIN, Role.SUPERVISOR) and principal.sub != collector_id:
        raise Forbidden("only an admin or supervisor sets another collector's line")
    await call_store.set_agent_line(conn, collector_id, extension, principal.sub, ctx.clock.now())
    return {"collector_id": collector_id, "extension": extension}
