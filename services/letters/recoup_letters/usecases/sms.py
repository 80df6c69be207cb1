"""Text messages with approved wording (R-27; the DM system of the seeds), through the compliance
gate like a call (issue 10).

The clerk asks for a template to be sent to cases: each gets the debtor's own mobile, parameters
filled from the same masked variables as letters, and a first decision of the gate — refused
(recorded with the reasons and the next allowed moment) or queued. The sender job decides again
right before sending, under the case's lock with the history read in the same transaction, and
reserves the attempt (counted while pending) before it calls the provider: concurrent senders never
pass more than the cap. A text the provider accepted is announced (`sms.sent`, in the transaction
that marks it sent) so that contact counts it too. Delivery receipts update the messages afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import asyncpg

from recoup_shared.auth import Principal
from recoup_shared.bus.outbox import write_outbox_records
from recoup_shared.locks import xact_lock
from recoup_shared.logging import get_logger

from .. import events
from ..adapters.sms import SmsMessage, SmsTemplate, sms_params, sms_text
from ..adapters.variables import CaseFacts, letter_variables
from ..context import Ctx
from ..rules import facts, smsgate
from ..rules.addresses import case_block
from ..rules.errors import ReceiptsRejected, SmsNotFound, StateConflict, TemplateNotFound
from ..rules.model import Address, CaseSnapshot, LetterType, Party, PartyRole
from ..store import addresses as address_store
from ..store import cases as case_store
from ..store import configs as config_store
from ..store import sms as store
from ..store import loads
from ..store import templates as template_store
from ..views import sms as view
from .common import configs, new_id, snapshots

log = get_logger(__name__)


async def _template(conn: asyncpg.Connection, template_id: str) -> tuple[asyncpg.Record, SmsTemplate, asyncpg.Record]:
    tpl = await template_store.get(conn, template_id)
    if tpl is None or tpl["channel"] != "sms":
        raise TemplateNotFound(f"SMS template {template_id} is unknown")
    v = await template_store.current(conn, template_id)
    if v is None:
        raise StateConflict("the SMS template has no approved version (R-27: approved wording only)")
    return tpl, SmsTemplate(**loads(v["sms"]), wording=v["source"]), v


def _variables(ctx: Ctx, snap: CaseSnapshot, row, client_name: str) -> dict[str, Any]:
    """The SMS-safe variables (no ID, card or address data: adapters/sms.py SMS_VARIABLES)."""
    today = ctx.clock.today()
    case = CaseFacts(row["debtor_name"], None, None, client_name, row["outstanding"], row["placed_amount"],
                     product=facts.product_name(row["product"]), currency=row["currency"],
                     overdue_since=row["overdue_since"], dpd=snap.dpd_on(today), placed_on=row["placed_on"])
    return letter_variables(letter_type=LetterType.FIRST_REMINDER,
                            recipient=Party("debtor", row["debtor_name"], PartyRole.DEBTOR, gender=row["debtor_gender"]),
                            address=Address("", "debtor", "other", ""), facts=case, agency=ctx.agency,
                            letter_date=today, check_code="", reference="", reply_by=today)


async def _gate(conn: asyncpg.Connection, ctx: Ctx, snaps: dict[str, CaseSnapshot], at: datetime) -> dict[str, dict]:
    """The gate's decision per case at `at`, from the levels and the history kept here."""
    cases = list(snaps.values())
    levels = await config_store.levels(conn, clients={c.client_id for c in cases},
                                       placements={c.placement_id for c in cases}, cases=list(snaps))
    cfgs = await configs(conn, {c.client_id for c in cases})
    out: dict[str, dict] = {}
    # the client's own flags (the snapshots' flags also carry contact's holds, which the levels hold)
    flags = {r["case_id"]: r["flags"] or () for r in await case_store.rows_for(conn, list(snaps))}
    policies = {cid: smsgate.case_policy(levels, client_id=s.client_id, placement_id=s.placement_id, case_id=cid,
                                         flags=flags.get(cid, ())) for cid, s in snaps.items()}
    horizon = max((p.horizon for p in policies.values()), default=None)
    ours, theirs = await store.history(conn, list(snaps), at - horizon) if horizon else ({}, {})
    for cid, snap in snaps.items():
        p = policies[cid]
        zones = smsgate.zones_for([a.province for a in snap.addresses if a.party_id == facts.DEBTOR], p.default_zone)
        decision = smsgate.decide_sms(p, zones, smsgate.history(ours.get(cid, []), theirs.get(cid, [])), at)
        block = case_block(snap, cfgs[snap.client_id])
        # the engine's reasons first (holds, windows, caps); else a case the letters rules block
        out[cid] = smsgate.blocked(at, block) if decision["allowed"] and block is not None else decision
    return out


async def send(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, template_id: str,
               case_ids: Sequence[str]) -> dict[str, Any]:
    """Queue the template for the cases (each through the gate first); 202 with one result per case."""
    tpl, template, version = await _template(conn, template_id)
    ids = list(dict.fromkeys(case_ids))
    snaps = await snapshots(conn, ids)
    rows = {r["case_id"]: r for r in await case_store.rows_for(conn, ids)}
    phones: dict[str, list] = {}
    for p in await address_store.phones_for(conn, ids):
        phones.setdefault(p["case_id"], []).append(dict(p))
    cfgs = await configs(conn, {s.client_id for s in snaps.values()})
    at = ctx.clock.now()
    decisions = await _gate(conn, ctx, snaps, at)
    results, inserts = [], []
    for cid in ids:
        result = _one(ctx, cid, snaps.get(cid), rows.get(cid), phones.get(cid, []), tpl, template, version,
                      decisions.get(cid), cfgs, principal, at)
        results.append(result["out"])
        if result.get("row"):
            inserts.append(result["row"])
    await store.insert(conn, inserts)
    if any(r["status"] == "queued" for r in inserts):
        await conn.execute("SELECT pg_notify('letters_sms', '')")
    return {"template_id": template_id, "template_version": version["version"], "results": results}


def _one(ctx: Ctx, cid: str, snap, row, phones, tpl, template: SmsTemplate, version, decision, cfgs,
         principal: Principal, at: datetime) -> dict[str, Any]:
    if snap is None:
        return {"out": {"case_id": cid, "status": "unknown_case"}}
    if snap.client_id != tpl["client_id"]:
        return {"out": {"case_id": cid, "status": "wrong_client",
                        "detail": "the template was approved by another client (R-27)"}}
    mobile = smsgate.choose_mobile(phones)
    if mobile is None:
        return {"out": {"case_id": cid, "status": "no_mobile", "detail": "the debtor has no mobile number here"}}
    cfg = cfgs[snap.client_id]
    try:
        params = sms_params(template, _variables(ctx, snap, row, cfg.client_name or snap.client_id))
    except ValueError as e:
        return {"out": {"case_id": cid, "status": "parameter_too_long", "detail": str(e)}}
    status = "queued" if decision["allowed"] else "refused"
    sms_id = new_id("sm")
    db_row = {"sms_id": sms_id, "case_id": cid, "client_id": snap.client_id, "template_id": tpl["template_id"],
              "template_version": version["version"], "phone_hash": mobile["number_hash"],
              "phone_masked": mobile["number_masked"], "params": params, "text": sms_text(template, params),
              "status": status, "decision": decision, "requested_by": principal.sub, "at": at}
    return {"row": db_row, "out": {"case_id": cid, "sms_id": sms_id, "status": status,
                                   "phone_masked": mobile["number_masked"], "decision": decision}}


async def send_next(ctx: Ctx) -> float | None:
    """The sender job: queued messages decided again and reserved (one transaction), then sent."""
    async with ctx.pool.acquire() as conn:
        async with conn.transaction():
            queued = await store.claim_queued(conn, ctx.settings.sms_send_batch, ctx.clock.now())
            if not queued:
                return None
            reserved = await _reserve(conn, ctx, queued)
        for m in reserved:
            await _deliver(conn, ctx, m)
    return 0


async def _reserve(conn: asyncpg.Connection, ctx: Ctx, queued: list) -> list[dict]:
    ids = sorted({m["case_id"] for m in queued})
    for cid in ids:                                    # the gate reads history and reserves under the lock
        await xact_lock(conn, "letters-sms", cid)
    snaps = await snapshots(conn, ids)
    numbers = {(p["case_id"], p["number_hash"]): p["number"] for p in await address_store.phones_for(conn, ids)}
    out = []
    for m in queued:
        at = ctx.clock.now()
        decision = (await _gate(conn, ctx, {m["case_id"]: snaps[m["case_id"]]}, at))[m["case_id"]]
        if not decision["allowed"]:
            await store.update(conn, m["sms_id"], at, status="refused", decision=decision)
            continue
        await store.update(conn, m["sms_id"], at, status="sending", decision=decision, attempt_at=at,
                           attempts=m["attempts"] + 1)
        out.append({**dict(m), "number": numbers.get((m["case_id"], m["phone_hash"]))})
    return out


async def _deliver(conn: asyncpg.Connection, ctx: Ctx, m: dict) -> None:
    at = ctx.clock.now()
    provider = ctx.sms
    if provider is None or not m["number"]:
        await store.update(conn, m["sms_id"], at, status="failed", provider_code="unavailable",
                           provider_message="no SMS provider configured" if provider is None else "number gone")
        return
    v = await template_store.version(conn, m["template_id"], m["template_version"])
    t = SmsTemplate(**loads(v["sms"]), wording=v["source"])
    msg = SmsMessage(m["number"], t.sign_name, t.template_code, loads(m["params"]), m["sms_id"])
    try:
        result = await provider.send(msg)
    except Exception as exc:  # noqa: BLE001 - a provider failure is the message's state, never the job's
        result = None
        log.warning("sms provider failed", sms_id=m["sms_id"], error=type(exc).__name__)
    at = ctx.clock.now()
    if result is not None and result.accepted:
        tpl = await template_store.get(conn, m["template_id"])
        async with conn.transaction():     # the state and its event together (outbox)
            await store.update(conn, m["sms_id"], at, status="sent", sent_at=at, provider=provider.name,
                               provider_message_id=result.provider_message_id, provider_code=result.code,
                               provider_message=result.message[:500])
            await write_outbox_records(conn, [events.sms_sent(
                m, purpose=tpl["name"] if tpl else None, at=at, provider=provider.name, provider_status=result.code,
                provider_message_id=result.provider_message_id)])
    elif (result is None or result.retryable) and m["attempts"] + 1 < ctx.settings.sms_max_attempts:
        # not sent: the reservation is released and the gate decides again at the retry
        await store.update(conn, m["sms_id"], at, status="queued", attempt_at=None,
                           next_attempt_at=at + timedelta(seconds=ctx.settings.sms_retry_seconds),
                           provider_code=result.code if result else "error")
    else:
        await store.update(conn, m["sms_id"], at, status="failed", provider=provider.name,
                           provider_code=result.code if result else "error",
                           provider_message=(result.message if result else "provider error")[:500])


async def receipts(conn: asyncpg.Connection, ctx: Ctx, body: bytes) -> dict[str, Any]:
    """The provider's delivery receipts (its JSON push, or a file the clerk posts)."""
    try:
        parsed = ctx.sms.parse_receipts(body) if ctx.sms else []
    except (ValueError, TypeError, AttributeError) as e:
        raise ReceiptsRejected(f"not a receipt document: {e}",
                               errors=[{"field": "body", "reason": str(e)[:200]}]) from None
    at = ctx.clock.now()
    rows = [{"provider_message_id": r.provider_message_id, "out_id": r.out_id, "delivered": r.delivered,
             "code": r.status_code, "reported_at": r.reported_at, "at": at} for r in parsed]
    return {"receipts": len(rows), "applied": await store.apply_receipts(conn, rows)}


async def get(conn: asyncpg.Connection, ctx: Ctx, principal: Principal, sms_id: str) -> dict[str, Any]:
    found = await view.sms(conn, sms_id)
    if found is None:
        raise SmsNotFound(f"text message {sms_id} is unknown")
    return found
