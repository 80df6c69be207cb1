"""Fixtures of fieldops' tests: its own fresh database on the session's throw-away stack, the
service running in-process against it (real pool, real broker, real lifespan, evidence in a
temporary directory, the business clock at a Friday evening), and factories of the events that
describe a case to fieldops."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta, timezone
from typing import Any

import asyncpg
import pytest
import pytest_asyncio

from recoup_local.factories import as_envelopes, received
from recoup_local.inprocess import running_service
from recoup_shared.bus import new_envelope
from recoup_shared.context import base_context

SERVICE = "fieldops"
# 2026-10-09 is a Friday, a working day after the National Day holidays; 19:30 is in the evening band.
NOW = "2026-10-09T19:30:00+08:00"
DAY = date(2026, 10, 9)
CST = timezone(timedelta(hours=8))
SMALL_EVIDENCE = 256 * 1024

HOME = {"kind": "home", "province": "河南省", "city": "郑州市", "district": "金水区",
        "line": "花园路 88 号 3 单元 502"}
WORK = {"kind": "work", "province": "河南省", "city": "郑州市", "district": "中原区",
        "line": "建设西路 11 号", "employer": "郑州某某机械有限公司"}
FAR = {"kind": "home", "province": "海南省", "city": "三亚市", "district": "吉阳区", "line": "某路 1 号"}


def in_city(city: str, *addresses: dict[str, Any]) -> tuple[dict[str, Any], ...]:
    """The addresses moved to a city of their own (tests sharing a database stay apart)."""
    return tuple({**a, "city": city} for a in addresses)


def settings_overrides(tmp_path) -> dict[str, Any]:
    # its own clock, not the session stack's clock file (another module may move that one)
    return {"clock": f"from:{NOW}", "clock_file": None, "auto_plan": False, "evidence_dir": str(tmp_path / "evidence"),
            "evidence_max_bytes": SMALL_EVIDENCE, "max_request_bytes": 4 * 1024 * 1024,
            "release_check_seconds": 3600.0}


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def db_dsn(stack) -> str:
    return await stack.new_database(package=f"recoup_{SERVICE}")


@pytest.fixture(scope="module")
def evidence_root(tmp_path_factory):
    return tmp_path_factory.mktemp("fieldops")


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def service(stack, db_dsn, evidence_root):
    async with running_service(stack, SERVICE, database_url=db_dsn,
                               **settings_overrides(evidence_root)) as svc:
        yield svc


@pytest_asyncio.fixture(loop_scope="session")
async def ctx(db_dsn, tmp_path):
    """The service's context without the app (use case, handler and store tests)."""
    from recoup_fieldops.context import build
    from recoup_fieldops.settings import FieldopsSettings

    settings = FieldopsSettings(profile="test", database_url=db_dsn, **settings_overrides(tmp_path))
    c = await build(base_context(SERVICE, settings))
    yield c
    await c.close()


@pytest_asyncio.fixture(loop_scope="session")
async def conn(db_dsn):
    c = await asyncpg.connect(db_dsn)
    yield c
    await c.close()


def tag() -> str:
    return uuid.uuid4().hex[:8]


def case_envelopes(case_id: str, *, collector: str, team: str, client_id: str = "zhbank",
                   amount: str = "13830.50", addresses=(HOME, WORK), flags=(),
                   at: datetime | None = None) -> list[dict[str, Any]]:
    """case.received (with addresses) and case.allocated for one case."""
    at = at or datetime(2026, 10, 1, 9, tzinfo=CST)
    rec = received(case_id, client_id, amount=amount, flags=list(flags), occurred_at=at)
    rec["payload"]["addresses"] = [dict(a) for a in addresses]
    alloc = new_envelope(event_type="case.allocated", producer="allocation", client_id=client_id,
                         case_id=case_id, occurred_at=at, payload={
                             "collector_id": collector, "team_id": team, "strategy": "comprehensive",
                             "allocated_at": at.isoformat(), "first_contact_due": "2026-10-12"})
    return [rec, alloc]


async def seed_case(conn: asyncpg.Connection, ctx, case_id: str, **kw) -> None:
    from recoup_fieldops.handlers import HANDLERS

    for env in as_envelopes(case_envelopes(case_id, **kw)):
        async with conn.transaction():
            await HANDLERS[env.event_type](conn, ctx, [env])


async def seed_team(conn: asyncpg.Connection, team_id: str, agents: int = 2, *,
                    province: str = "河南省", city: str | None = "郑州市", capacity: int | None = None) -> list[str]:
    from recoup_fieldops.rules.plan_model import Coverage
    from recoup_fieldops.store import teams

    now = datetime.now(timezone.utc)
    await teams.upsert_team(conn, team_id, f"外访{team_id}", capacity, True, [Coverage(province, city)], now)
    ids = [f"{team_id}-a{i}" for i in range(agents)]
    for a in ids:
        await teams.upsert_agent(conn, a, f"外访员{a}", team_id, True, now)
    return ids


async def address_ids(conn: asyncpg.Connection, case_id: str) -> dict[str, str]:
    rows = await conn.fetch("SELECT kind, address_id FROM case_addresses WHERE case_id = $1", case_id)
    return {r["kind"]: r["address_id"] for r in rows}


async def outbox(conn: asyncpg.Connection, case_id: str, topic: str | None = None) -> list[dict]:
    import orjson

    rows = await conn.fetch("SELECT topic, value FROM outbox WHERE key = $1 ORDER BY id", case_id)
    out = [orjson.loads(r["value"]) for r in rows]
    return [e for e in out if topic is None or e["event_type"] == topic]


class Support:
    """The helpers above, for test modules (importlib mode: they cannot import conftest)."""
    NOW, DAY, CST, HOME, WORK, FAR = NOW, DAY, CST, HOME, WORK, FAR
    SMALL_EVIDENCE = SMALL_EVIDENCE
    tag = staticmethod(tag)
    in_city = staticmethod(in_city)
    case_envelopes = staticmethod(case_envelopes)
    seed_case = staticmethod(seed_case)
    seed_team = staticmethod(seed_team)
    address_ids = staticmethod(address_ids)
    outbox = staticmethod(outbox)


@pytest.fixture(scope="session")
def fo() -> type[Support]:
    return Support
