"""Cases from intake's and allocation's events, set-based per consumed batch: case.received (cases,
their phones and addresses), case.updated (balance, contacts, recall / close / reopen, flags),
case.allocated (owner, team), case.paused / case.resumed (R-13: out of, and back into, worklists).
Every case whose follow-up or cadence depends on what changed gets its plan recomputed here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import asyncpg

from recoup_shared.bus.events import CaseAllocated, CasePaused, CaseReceived, CaseUpdated
from recoup_shared.compliance import SourceKind, ZoneSource, resolve_zones

from ..context import Ctx
from ..store import Columns
from ..store import cases as case_store
from ..store import points as point_store
from ..store import promises as promise_store
from ..store import records as record_store
from .common import client_config, zone_of
from .plan import cadence_values, status_of
from .points import AddressIn, PhoneIn, add_address, add_phone

Event = tuple[str, str, datetime, Any]   # (case_id, client_id, occurred_at, payload)


def debtor_zone(addresses: Iterable[Any], region: str | None, default: str) -> str:
    """R-14: the debtor's primary zone from the case's addresses and region (Asia/Shanghai unless
    the case says otherwise; Xinjiang keeps Shanghai as primary, the gate checks both)."""
    sources = [ZoneSource(SourceKind.ADDRESS, region=a.province) for a in addresses if a.province]
    if region:
        sources.append(ZoneSource(SourceKind.ADDRESS, region=region))
    return resolve_zones(sources, default).names[0]


def _phones(cols: Columns, ctx: Ctx, case_id: str, phones: Iterable[Any], *, source: str, at: datetime,
            day: Any) -> None:
    for p in phones:   # a malformed number is kept, marked invalid, never dialled
        add_phone(cols, ctx, case_id, PhoneIn(number=p.number, kind=p.kind, party=p.owner, name=p.name,
                                              relationship=p.relationship, knows_debt=p.knows_debt,
                                              extension=p.extension),
                  source=source, at=at, day=day, by=None, strict=False,
                  known_invalid=not getattr(p, "valid", True))


def _addresses(cols: Columns, ctx: Ctx, case_id: str, addresses: Iterable[Any], *, source: str, at: datetime,
               day: Any) -> None:
    for a in addresses:
        add_address(cols, ctx, case_id, AddressIn(line=a.line, kind=a.kind, party=getattr(a, "owner", "debtor"),
                                                  province=a.province, city=a.city, district=a.district,
                                                  employer=a.employer, verified=a.verified),
                    source=source, at=at, day=day, by=None)


async def apply_received(conn: asyncpg.Connection, ctx: Ctx, batch: Sequence[Event]) -> None:
    now = ctx.clock.now()
    latest: dict[str, Event] = {}
    for ev in batch:   # partition order: the last event of a case wins
        latest[ev[0]] = ev
    cases, points, timeline = Columns(), Columns(), Columns()
    for case_id, client_id, at, p in latest.values():
        p: CaseReceived
        zone = debtor_zone(p.addresses, p.region, ctx.settings.timezone)
        cases.add(case_id=case_id, client_id=client_id, placement_id=p.placement_id, placement_ref=p.placement_ref,
                  product=p.product, account_masked=p.account_masked, account_hash=p.account_hash,
                  debtor_name=p.debtor.name, id_masked=p.debtor.id_number_masked, id_hash=p.debtor.id_hash,
                  gender=p.debtor.gender, currency=p.currency, placed_amount=p.placed_amount, dpd=p.dpd,
                  dpd_bucket=p.dpd_bucket, placed_on=p.placed_on, recall_on=p.recall_on, flags=",".join(p.flags),
                  region=p.region, zone=zone, employer=p.employer, remarks=p.remarks,
                  joint=",".join(p.joint_case_ids), status=p.status, occurred_at=at)
        day = now.astimezone(zone_of({"zone": zone})).date()
        _phones(points, ctx, case_id, p.phones, source="placement", at=now, day=day)
        _addresses(points, ctx, case_id, p.addresses, source="placement", at=now, day=day)
        timeline.add(case_id=case_id, at=at, kind="received", actor="intake", ref=p.placement_ref,
                     data={"placed_amount": str(p.placed_amount), "dpd_bucket": p.dpd_bucket, "flags": p.flags})
    await case_store.upsert_received(conn, cases, now)
    added = await point_store.add(conn, points)
    await record_store.timeline_add(conn, timeline)
    await replan(conn, ctx, {r["case_id"] for r in added if r["kind"] != "address"}, now)


async def apply_updated(conn: asyncpg.Connection, ctx: Ctx, batch: Sequence[Event]) -> None:
    now = ctx.clock.now()
    balance, status, points, timeline = Columns(), Columns(), Columns(), Columns()
    ended: list[str] = []
    recall_on: dict[str, Any] = {}
    day = now.astimezone(zone_of({"zone": ctx.settings.timezone})).date()
    for case_id, _client_id, at, p in batch:
        p: CaseUpdated
        if p.change == "recall_extended":     # only the date moves (the status is no change)
            recall_on[case_id] = p.recall_on
            timeline.add(case_id=case_id, at=at, kind="case_recall_extended", actor="intake", ref=None,
                         data={"recall_on": p.recall_on.isoformat() if p.recall_on else None, "reason": p.reason})
            continue
        if p.change == "balance":
            balance.add(case_id=case_id, placed=p.placed_amount, outstanding=p.outstanding, at=at)
        elif p.change == "contacts":
            _phones(points, ctx, case_id, p.phones_added, source="client_update", at=now, day=day)
            _addresses(points, ctx, case_id, p.addresses_added, source="client_update", at=now, day=day)
        if p.change in ("recall", "closed", "reopened") or p.change == "flags" or p.flags is not None:
            status.add(case_id=case_id, status=p.status if p.change != "flags" else None,
                       set_flags=p.flags is not None, flags=",".join(p.flags or ()))
        if p.change in ("recall", "closed"):
            ended.append(case_id)
        timeline.add(case_id=case_id, at=at, kind=f"case_{p.change}", actor="intake", ref=None,
                     data={"status": p.status, "outstanding": str(p.outstanding) if p.outstanding is not None else None,
                           "reason": p.reason, "flags": p.flags})
    await case_store.apply_balance(conn, balance, now)
    await case_store.apply_status(conn, status, now)
    await case_store.apply_recall_on(conn, recall_on, now)
    added = await point_store.add(conn, points)
    if ended:   # a recalled or closed case's open promises are never judged
        await promise_store.cancel_open(conn, ended, now)
    await record_store.timeline_add(conn, timeline)
    touched = set(balance.data.get("case_id", [])) | {r["case_id"] for r in added if r["kind"] != "address"}
    await replan(conn, ctx, touched, now)


async def apply_allocated(conn: asyncpg.Connection, ctx: Ctx, batch: Sequence[Event]) -> None:
    now = ctx.clock.now()
    cols, timeline = Columns(), Columns()
    business = zone_of({"zone": ctx.settings.timezone})
    for case_id, client_id, at, p in batch:
        p: CaseAllocated
        cols.add(case_id=case_id, client_id=client_id, owner_id=p.collector_id, team_id=p.team_id,
                 at=p.allocated_at, due=p.first_contact_due, on_day=p.allocated_at.astimezone(business).date())
        timeline.add(case_id=case_id, at=p.allocated_at, kind="owner_change", actor="allocation", ref=p.plan_id,
                     data={"collector_id": p.collector_id, "team_id": p.team_id, "reason": p.reason,
                           "previous_collector_id": p.previous_collector_id, "strategy": p.strategy})
    changed = await case_store.allocate(conn, cols, now)
    await record_store.timeline_add(conn, timeline)
    await replan(conn, ctx, set(changed), now)   # the cadence clock restarts at allocation


async def apply_paused(conn: asyncpg.Connection, ctx: Ctx, batch: Sequence[Event]) -> None:
    now = ctx.clock.now()
    cols, timeline = Columns(), Columns()
    for case_id, client_id, at, p in batch:
        paused = isinstance(p, CasePaused)
        day = now.astimezone(zone_of({"zone": ctx.settings.timezone})).date()
        cols.add(case_id=case_id, client_id=client_id, paused=paused,
                 owner_id=None if paused else p.collector_id, team_id=None if paused else p.team_id, today=day)
        timeline.add(case_id=case_id, at=at, kind="paused" if paused else "resumed", actor="allocation",
                     ref=None, data={"by": p.paused_by if paused else p.resumed_by, "reason": p.reason,
                                     "source": p.source, "collector_id": None if paused else p.collector_id})
    await case_store.set_paused(conn, cols, now)
    await record_store.timeline_add(conn, timeline)
    await replan(conn, ctx, {c for c, p in zip(cols.data.get("case_id", []), cols.data.get("paused", [])) if not p},
                 now)


async def replan(conn: asyncpg.Connection, ctx: Ctx, case_ids: set[str], now: datetime) -> None:
    """R-20: the cadence due date (and the first-dial clock) of cases whose facts changed."""
    if not case_ids:
        return
    plans = Columns()
    configs: dict[str, Any] = {}
    for f in await case_store.plan_facts(conn, sorted(case_ids)):
        if f["client_id"] not in configs:
            configs[f["client_id"]] = await client_config(conn, ctx, f["client_id"])
        cfg = configs[f["client_id"]]
        today = now.astimezone(zone_of(f)).date()
        undialled = None
        if f["allocated_on"] is not None and f["undialled_from"] is not None:
            undialled = max(f["undialled_from"], f["allocated_on"])
        cad = cadence_values(ctx, cfg, status=status_of(f["contact_status"]), allocated_on=f["allocated_on"],
                             outstanding=f["outstanding"], last_effective_on=f["last_effective_on"],
                             undialled_since=undialled, today=today)
        plans.add(case_id=f["case_id"], next_follow_up=f["next_follow_up"], earliest=f["follow_up_earliest"],
                  latest=f["follow_up_latest"], cadence_due=cad["cadence_due"], cadence_rule=cad["cadence_rule"],
                  undialled_since=undialled)
    await case_store.update_plans(conn, plans, now)
