"""Field operations' part of `recoup demo`: a field team covering the demo's cities and its agents,
so visit requests for demo cases have someone to plan them for (R-33..R-37).

    await setup_field_team("http://127.0.0.1:8005")

Through the fieldops staff API with an admin token signed by the local key. Idempotent: both are
PUTs, so a second run brings the team and agents back to the demo values and duplicates nothing.
"""

from __future__ import annotations

import httpx

from .demo import REGIONS
from .demo_allocation import _admin_headers, _check, wait_ready

FIELD_TEAM_ID = "demo-field"
FIELD_TEAM_NAME = "演示外访组"
FIELD_AGENTS = (("demo-f01", "孙强"), ("demo-f02", "马丽"), ("demo-f03", "朱军"))
FIELD_CAPACITY = 24          # visits a day for the team


def coverage() -> list[dict[str, str]]:
    """Every city the demo's addresses fall in, once."""
    seen: dict[tuple[str, str], None] = {}
    for _code, province, city, _district, _area in REGIONS:
        seen.setdefault((province, city), None)
    return [{"province": p, "city": c} for p, c in seen]


async def setup_field_team(base_url: str, *, timeout: float = 60.0) -> None:
    async with httpx.AsyncClient(base_url=base_url.rstrip("/"), headers=_admin_headers(), timeout=30) as c:
        await wait_ready(c, timeout, "fieldops")
        _check(await c.put(f"/v1/field-teams/{FIELD_TEAM_ID}", json={
            "name": FIELD_TEAM_NAME, "capacity": FIELD_CAPACITY, "active": True, "coverage": coverage()}),
            "the demo field team")
        for agent_id, name in FIELD_AGENTS:
            _check(await c.put(f"/v1/field-agents/{agent_id}", json={
                "name": name, "team_id": FIELD_TEAM_ID, "active": True}), f"field agent {agent_id}")
