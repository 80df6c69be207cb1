"""Billing test fixtures: the billing database of the session's throw-away stack, the service's
context (a real Ctx, built as the app builds it, on a fixed business clock), event factories and
a way to apply events straight through the handlers (no broker needed)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import pytest
import pytest_asyncio

from recoup_billing.context import Ctx, build
from recoup_billing.settings import BillingSettings
from recoup_shared.auth import Principal
from recoup_shared.bus.envelope import Envelope
from recoup_shared.context import base_context
from recoup_shared.db import create_pool

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Business today of the use-case tests: every month up to October 2026 is over.
CLOCK = "fixed:2026-11-24T10:00:00+08:00"
FINANCE = Principal(sub="fin-1", roles=frozenset({"finance"}))

# A schedule with the domain.md defaults and example base rates 10/18/25/33%, 20% relative reduction.
SCHEDULE_BODY: dict[str, Any] = {
    "effective_from": "2026-01-01",
    "buckets": [
        {"name": "<=90", "dpd_min": 0, "dpd_max": 90, "base_rate": "0.10", "benchmark_rate": "0.85",
         "minimum_rate": "0.60"},
        {"name": "91-180", "dpd_min": 91, "dpd_max": 180, "base_rate": "0.18", "benchmark_rate": "0.65",
         "minimum_rate": "0.30"},
        {"name": "181-360", "dpd_min": 181, "dpd_max": 360, "base_rate": "0.25", "benchmark_rate": "0.45",
         "minimum_rate": "0.15"},
        {"name": ">=361", "dpd_min": 361, "dpd_max": None, "base_rate": "0.33", "benchmark_rate": "0.40",
         "minimum_rate": "0.05"},
    ],
    "reduction_pct": "0.20",
    "reduction_mode": "relative",
    "consecutive_months_to_zero": 3,
    "cycle_months": 3,
    "rounding": "ROUND_HALF_UP",
}


def at(day: date, hour: int = 10) -> datetime:
    """A Shanghai wall-clock time on a business day."""
    return datetime.combine(day, time(hour), SHANGHAI)


class Events:
    """Envelope factories for one client. Every call makes a fresh event_id."""

    def __init__(self, client_id: str) -> None:
        self.client_id = client_id

    def env(self, event_type: str, case_id: uuid.UUID, payload: dict[str, Any],
            occurred_at: datetime | None = None, event_id: uuid.UUID | None = None) -> Envelope:
        return Envelope(event_id=event_id or uuid.uuid4(), event_type=event_type, event_version=1,
                        occurred_at=occurred_at or datetime.now(timezone.utc), producer="test",
                        client_id=self.client_id, case_id=str(case_id), payload=payload)

    def received(self, case_id: uuid.UUID, *, placed_on: date, amount: str, dpd: int,
                 recall_on: date | None = None, placement_id: str = "P1") -> Envelope:
        amt = Decimal(amount)
        return self.env("case.received", case_id, {
            "placement_id": placement_id, "placement_ref": f"REF-{placement_id}", "product": "credit_card",
            "placed_on": placed_on.isoformat(),
            "recall_on": (recall_on or placed_on + timedelta(days=91)).isoformat(),
            "account_masked": "6222********3344", "account_hash": "h" * 16,
            "debtor": {"name": "张伟", "id_number_masked": "410105********0030", "id_hash": "i" * 16},
            "principal": str(amt), "interest": "0.00", "fees": "0.00", "placed_amount": str(amt),
            "dpd": dpd, "dpd_bucket": "M4"}, occurred_at=at(placed_on, 9))

    def paid(self, case_id: uuid.UUID, *, on: date, amount: str, txn_ref: str | None = None,
             closes_case: bool = False, hour: int = 11) -> Envelope:
        return self.env("payment.posted", case_id, {
            "account_masked": "6222********3344", "amount": amount, "paid_at": at(on, hour).isoformat(),
            "txn_ref": txn_ref or f"T-{uuid.uuid4().hex[:12]}", "channel": "bank",
            "repaid_total": amount, "outstanding": "0.00", "closes_case": closes_case},
            occurred_at=at(on, hour + 1))

    def updated(self, case_id: uuid.UUID, *, change: str, status: str, on: date,
                placed_amount: str | None = None) -> Envelope:
        payload: dict[str, Any] = {"change": change, "status": status, "effective_on": on.isoformat()}
        if placed_amount is not None:
            payload["placed_amount"] = placed_amount
        return self.env("case.updated", case_id, payload, occurred_at=at(on, 12))

    def allocated(self, case_id: uuid.UUID, *, collector_id: str, when: datetime,
                  team_id: str | None = "T1") -> Envelope:
        return self.env("case.allocated", case_id, {
            "collector_id": collector_id, "team_id": team_id, "strategy": "by_count",
            "allocated_at": when.isoformat(), "first_contact_due": (when.date() + timedelta(days=2)).isoformat()},
            occurred_at=when)

    def contact(self, case_id: uuid.UUID, *, collector_id: str, when: datetime, effective: bool = True,
                channel: str = "call", ptp: tuple[str, date] | None = None, contact_id: str | None = None,
                corrects: str | None = None, promise_id: str | None = None,
                record_kind: str | None = None) -> Envelope:
        """A contact record; `corrects` makes it a correction (record_kind "correction", as the
        contact service's events.contact_logged sends it), `promise_id` names the promise it made."""
        payload: dict[str, Any] = {
            "contact_id": contact_id or f"C-{uuid.uuid4().hex[:12]}", "collector_id": collector_id,
            "channel": channel, "party": "debtor", "result": "connected" if effective else "no_answer",
            "effective": effective, "occurred_at": when.isoformat()}
        if ptp:
            payload["ptp"] = {"amount": ptp[0], "due_on": ptp[1].isoformat()}
        if record_kind or corrects:
            payload["record_kind"] = record_kind or "correction"
        if corrects:
            payload["corrects"] = corrects
        if promise_id:
            payload["promise_id"] = promise_id
        return self.env("contact.logged", case_id, payload, occurred_at=when)

    def outcome(self, case_id: uuid.UUID, *, collector_id: str, promise_id: str, outcome: str, on: date,
                promised: str, paid: str, instalment: int | None = None, when: datetime | None = None) -> Envelope:
        """An R-23 promise outcome exactly as the contact service's events.promise_outcome sends it."""
        when = when or at(on, 0)
        part = "all" if instalment is None else str(instalment)
        return self.env("contact.logged", case_id, {
            "contact_id": f"{promise_id}:{part}:{outcome}", "collector_id": collector_id, "channel": "other",
            "party": "none", "result": f"ptp_{outcome}", "effective": False, "occurred_at": when.isoformat(),
            "record_kind": "promise_outcome", "promise_id": promise_id,
            "promise_outcome": {"promise_id": promise_id, "instalment": instalment, "outcome": outcome,
                                "on": on.isoformat(), "promised": promised, "paid": paid}}, occurred_at=when)


@pytest.fixture
def client_id() -> str:
    return f"bank-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def ev(client_id: str) -> Events:
    return Events(client_id)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def billing_pool(stack) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(stack.dsn("billing"), min_size=1, max_size=4)
    try:
        yield pool
    finally:
        await pool.close()


async def billing_context(pool: asyncpg.Pool | None = None, **settings: Any) -> Ctx:
    """The Ctx the app builds, from BillingSettings (test profile, fixed clock) and `settings`."""
    values = {"profile": "test", "clock": CLOCK, **settings}
    return await build(base_context("billing", BillingSettings(**values), pool=pool))


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def ctx(billing_pool: asyncpg.Pool) -> Ctx:
    return await billing_context(billing_pool, not_counted_sample=10)


@pytest.fixture
def make_ctx(billing_pool: asyncpg.Pool) -> Callable[..., Any]:
    """make_ctx(**settings): a Ctx with other settings (e.g. default_schedule_fallback=True)."""
    async def make(**settings: Any) -> Ctx:
        return await billing_context(billing_pool, **settings)
    return make


@pytest.fixture
def finance() -> Principal:
    return FINANCE


@pytest.fixture
def apply(billing_pool: asyncpg.Pool, ctx: Ctx) -> Callable[..., Any]:
    """apply(*envelopes): runs each run of one event type through its handler `(conn, ctx,
    envelopes)` in one transaction, as the consumer does (without the inbox, to show the
    handlers are idempotent themselves)."""
    from recoup_billing.handlers import HANDLERS

    async def run(*envelopes: Envelope) -> None:
        async with billing_pool.acquire() as conn, conn.transaction():
            batch: list[Envelope] = []
            for e in envelopes:
                if batch and batch[-1].event_type != e.event_type:
                    await HANDLERS[batch[0].event_type](conn, ctx, batch)
                    batch = []
                batch.append(e)
            if batch:
                await HANDLERS[batch[0].event_type](conn, ctx, batch)

    return run


@pytest.fixture
def put_schedule(billing_pool: asyncpg.Pool) -> Callable[..., Any]:
    from recoup_billing.store import schedules

    async def run(client_id: str, **changes: Any) -> None:
        body = {**SCHEDULE_BODY, **changes}
        from recoup_billing.schemas import FeeScheduleIn

        data = FeeScheduleIn.model_validate(body).model_dump(exclude={"note"})
        async with billing_pool.acquire() as conn, conn.transaction():
            await schedules.insert_schedule(conn, client_id, data, "test", None)

    return run


# --- the worked scenario used by the store, API and export tests ------------------------------
#
# Client with SCHEDULE_BODY; statement month 2026-08, cycle window 2026-06-01 .. 2026-08-31.
#   A 91-180  placed 06-10 30,000.00; paid 06-20 5,000.00, 08-05 7,000.00
#   B <=90    placed 07-01 10,000.00; paid 07-15 4,000.00, 08-10 5,000.00
#   C 181-360 placed 05-20  5,000.00 (before the window), recall_on 08-19; paid 08-15 1,000.00
#             (fee base, not cohort), 08-25 2,000.00 (after the placement ended: not counted)
#   D >=361   placed 06-05  8,000.00, recalled 07-31; paid 06-20 500.00, 07-31 100.00 (recall day:
#             counted), 08-02 300.00 (after recall: not counted)
#   E 91-180  placed 06-15 20,000.00, death exclusion → leaves the August denominator (placed in
#             the window's first month); no repayments
#   F         unknown case: paid 08-03 50.00 (not counted: case unknown)
#   G 91-180  placed 08-01  5,000.00, balance change effective 08-20 → 6,000.00; paid 08-21 600.00
#   H <=90    placed 08-10  1,000.00; paid 08-05 200.00 (before placement: not counted)
#   I 181-360 placed 06-01 100,000.00; paid 06-10, 07-10, 08-10 1,000.00 each (below minimum in
#             June, July and August → no fee, R-41)
#
# Expected August lines (by hand):
#   <=90    placed 11,000.00, cycle 9,000.00 → 81.81% < 85% → reduced 10%×0.8 = 8%;
#           recovered 5,000.00 → fee 400.00
#   91-180  placed 56,000.00 − 20,000.00 excluded = 36,000.00, cycle 12,000+600 = 12,600.00 → 35.00%
#           (≥ 30% minimum, < 65%) → reduced 18%×0.8 = 14.4%; recovered 7,000+600 = 7,600.00 → 1,094.40;
#           June and July were below minimum (5,000 ÷ 50,000 = 10%): run broken in August
#   181-360 placed 100,000.00, cycle 3,000.00 → 3.00% < 15% for 3 months → no fee; recovered
#           1,000 (I) + 1,000 (C) = 2,000.00 → fee 0.00
#   >=361   placed 8,000.00, cycle 600.00 → 7.50% (≥ 5%, < 40%) → reduced 33%×0.8 = 26.4%;
#           recovered 0.00 → fee 0.00
#   totals  placed 175,000.00 / 20,000.00 / 155,000.00, cycle 25,200.00, recovered 14,600.00,
#           fee 1,494.40; not counted 4 repayments, 2,550.00

AUG = date(2026, 8, 1)
EVIDENCE = "ab" * 32


@pytest.fixture
def scenario(ev: Events, apply, put_schedule, billing_pool, client_id) -> Callable[..., Any]:
    async def build(*, with_exclusion: bool = True) -> dict[str, uuid.UUID]:
        await put_schedule(client_id)
        ids = {k: uuid.uuid4() for k in "ABCDEFGHI"}
        d = lambda m, day: date(2026, m, day)  # noqa: E731
        await apply(
            ev.received(ids["A"], placed_on=d(6, 10), amount="30000.00", dpd=120),
            ev.received(ids["B"], placed_on=d(7, 1), amount="10000.00", dpd=45),
            ev.received(ids["C"], placed_on=d(5, 20), amount="5000.00", dpd=200, recall_on=d(8, 19)),
            ev.received(ids["D"], placed_on=d(6, 5), amount="8000.00", dpd=400),
            ev.received(ids["E"], placed_on=d(6, 15), amount="20000.00", dpd=150),
            ev.received(ids["G"], placed_on=d(8, 1), amount="5000.00", dpd=100),
            ev.received(ids["H"], placed_on=d(8, 10), amount="1000.00", dpd=10),
            ev.received(ids["I"], placed_on=d(6, 1), amount="100000.00", dpd=300),
        )
        await apply(
            ev.updated(ids["D"], change="recall", status="recalled", on=d(7, 31)),
            ev.updated(ids["G"], change="balance", status="open", on=d(8, 20), placed_amount="6000.00"),
        )
        await apply(
            ev.paid(ids["A"], on=d(6, 20), amount="5000.00"), ev.paid(ids["A"], on=d(8, 5), amount="7000.00"),
            ev.paid(ids["B"], on=d(7, 15), amount="4000.00"), ev.paid(ids["B"], on=d(8, 10), amount="5000.00"),
            ev.paid(ids["C"], on=d(8, 15), amount="1000.00"), ev.paid(ids["C"], on=d(8, 25), amount="2000.00"),
            ev.paid(ids["D"], on=d(6, 20), amount="500.00"), ev.paid(ids["D"], on=d(7, 31), amount="100.00"),
            ev.paid(ids["D"], on=d(8, 2), amount="300.00"),
            ev.paid(ids["F"], on=d(8, 3), amount="50.00"),
            ev.paid(ids["G"], on=d(8, 21), amount="600.00"),
            ev.paid(ids["H"], on=d(8, 5), amount="200.00"),
            ev.paid(ids["I"], on=d(6, 10), amount="1000.00"), ev.paid(ids["I"], on=d(7, 10), amount="1000.00"),
            ev.paid(ids["I"], on=d(8, 10), amount="1000.00"),
        )
        if with_exclusion:
            from recoup_billing.store import exclusions

            async with billing_pool.acquire() as conn, conn.transaction():
                await exclusions.insert_exclusion(conn, case_id=ids["E"], placement_id="P1", client_id=client_id,
                                             kind="death", evidence_ref="doc://death-cert/E",
                                             evidence_sha256=EVIDENCE, note=None, recorded_by="test")
        return ids

    return build


EXPECTED_AUG = {
    # bucket: (cases, placed_before, excluded, placed, cycle, rate, tier, fee_rate, recovered, fee, run)
    "<=90": (2, "11000.00", "0.00", "11000.00", "9000.00", "0.8181", "reduced", "0.08", "5000.00", "400.00", 0),
    "91-180": (3, "56000.00", "20000.00", "36000.00", "12600.00", "0.3500", "reduced", "0.144", "7600.00",
               "1094.40", 0),
    "181-360": (1, "100000.00", "0.00", "100000.00", "3000.00", "0.0300", "no_fee", "0", "2000.00", "0.00", 3),
    ">=361": (1, "8000.00", "0.00", "8000.00", "600.00", "0.0750", "reduced", "0.264", "0.00", "0.00", 0),
}


def check_expected_aug(lines: list[Any]) -> None:
    """Lines as dicts (API JSON) or LineOut models."""
    for ln in lines:
        get = (lambda k: ln[k]) if isinstance(ln, dict) else (lambda k: getattr(ln, k))
        cases, before, excl, placed, cycle, rate, tier, fee_rate, rec, fee, run = EXPECTED_AUG[get("bucket")]
        assert get("cases") == cases, get("bucket")
        assert Decimal(str(get("placed_before_exclusions"))) == Decimal(before), get("bucket")
        assert Decimal(str(get("excluded_placed"))) == Decimal(excl), get("bucket")
        assert Decimal(str(get("placed"))) == Decimal(placed), get("bucket")
        assert Decimal(str(get("recovered_in_cycle"))) == Decimal(cycle), get("bucket")
        assert Decimal(str(get("recovery_rate"))) == Decimal(rate), get("bucket")
        assert get("tier") == tier, get("bucket")
        assert Decimal(str(get("fee_rate"))) == Decimal(fee_rate), get("bucket")
        assert Decimal(str(get("recovered"))) == Decimal(rec), get("bucket")
        assert Decimal(str(get("fee"))) == Decimal(fee), get("bucket")
        assert get("months_below_minimum") == run, get("bucket")


@pytest.fixture
def check_aug() -> Callable[[list[Any]], None]:
    return check_expected_aug
