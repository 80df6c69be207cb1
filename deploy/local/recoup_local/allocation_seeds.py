"""Allocation's tables seeded in bulk by COPY, for its big tests and its benchmark (never shipped in
a production image: recoup_local is not). Writes straight into allocation's schema, so it moves
with that schema; events for any service are in factories.py."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import asyncpg

from recoup_shared.vocabulary import dpd_bucket

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平"]


def chinese_name(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)]


async def seed_team_and_collectors(conn: asyncpg.Connection, *, n: int, team_id: str = "t1",
                                   prefix: str = "col", **skills: Any) -> list[str]:
    await conn.execute("INSERT INTO teams (team_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                       team_id, f"{team_id} 组")
    ids = [f"{prefix}-{i:04d}" for i in range(n)]
    await conn.copy_records_to_table(
        "collectors", records=[(cid, chinese_name(i), team_id, True, skills.get("max_open_cases"))
                               for i, cid in enumerate(ids)],
        columns=["collector_id", "name", "team_id", "active", "max_open_cases"])
    return ids


async def seed_cases(conn: asyncpg.Connection, *, n: int, client_id: str = "zhbank",
                     seed: int = 7, joint_every: int = 0, prefix: str | None = None) -> list[str]:
    """n unassigned cases by COPY: amounts 1,000.00–50,000.00, mixed buckets; every
    `joint_every`-th pair shares a debtor."""
    rng = random.Random(seed)
    prefix = prefix or uuid.uuid4().hex[:8]
    now = datetime.now(timezone.utc)
    records = []
    for i in range(n):
        amount = Decimal(rng.randint(100_000, 5_000_000)).scaleb(-2)
        dpd = rng.randint(1, 200)
        joint = f"{prefix}-j{i // 2}" if joint_every and (i // 2) % joint_every == 0 else None
        records.append((f"{prefix}-{i:06d}", client_id, "pl-bench", "product", amount, amount, dpd,
                        dpd_bucket(dpd), "河南省", joint, "unassigned", now))
    await conn.copy_records_to_table(
        "cases", records=[(r[0], r[1], r[2], "credit_card", r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11])
                          for r in records],
        columns=["case_id", "client_id", "placement_id", "product", "placed_amount", "outstanding",
                 "dpd", "dpd_bucket", "region", "joint_key", "status", "received_at"])
    return [r[0] for r in records]
