"""Allocation's part of `recoup demo`: a demo team of collectors and the demo client's rules
(automatic allocation on, comprehensive strategy), so every demo case gets an owner.

    await setup_demo_team("http://127.0.0.1:8002", "demo-bank")

Everything goes through the allocation service's staff API with an admin token signed by the
local key. Idempotent: run it twice and the second run changes nothing (existing team and
collectors are brought back to the demo values, never duplicated).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

import httpx

DEMO_TEAM_ID = "demo-team"
DEMO_TEAM_NAME = "演示催收一组"
DEMO_LEAD = ("demo-lead", "赵建国")
DEMO_COLLECTORS = (
    ("demo-c01", "王芳"), ("demo-c02", "李娜"), ("demo-c03", "张伟"), ("demo-c04", "刘洋"),
    ("demo-c05", "陈静"), ("demo-c06", "杨磊"), ("demo-c07", "黄丽"), ("demo-c08", "周杰"),
)
DEMO_STRATEGY = "comprehensive"


class DemoSetupError(RuntimeError):
    pass


def _admin_headers() -> dict[str, str]:
    from recoup_shared.auth import mint_token

    return {"authorization": f"Bearer {mint_token(sub='recoup-demo', roles=['admin'])}"}


def _check(r: httpx.Response, what: str, ok: tuple[int, ...] = (200, 201)) -> dict[str, Any]:
    if r.status_code not in ok:
        raise DemoSetupError(f"{what}: HTTP {r.status_code} {r.text[:500]}")
    return r.json() if r.content else {}


async def wait_ready(c: httpx.AsyncClient, timeout: float, service: str = "allocation") -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if (await c.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            raise DemoSetupError(f"the {service} service at {c.base_url} did not answer within {timeout:.0f}s")
        await asyncio.sleep(0.5)


async def _ensure_collector(c: httpx.AsyncClient, collector_id: str, name: str, role: str) -> None:
    wanted = {"name": name, "team_id": DEMO_TEAM_ID, "role": role, "active": True}
    r = await c.post("/v1/collectors", json={"collector_id": collector_id, **wanted})
    if r.status_code == 409:  # already there: bring it back to the demo values
        _check(await c.patch(f"/v1/collectors/{collector_id}", json=wanted), f"update collector {collector_id}")
    else:
        _check(r, f"create collector {collector_id}")


async def setup_demo_team(base_url: str, client_id: str, *, timeout: float = 60.0) -> None:
    """The demo team (a team lead and eight collectors) and `client_id`'s rules: automatic
    allocation on, default strategy comprehensive, the demo team dedicated to the client."""
    async with httpx.AsyncClient(base_url=base_url.rstrip("/"), headers=_admin_headers(),
                                 timeout=30) as c:
        await wait_ready(c, timeout)
        team = {"team_id": DEMO_TEAM_ID, "name": DEMO_TEAM_NAME, "lead_id": DEMO_LEAD[0]}
        r = await c.post("/v1/teams", json=team)
        if r.status_code == 409:
            _check(await c.patch(f"/v1/teams/{DEMO_TEAM_ID}",
                                 json={"name": DEMO_TEAM_NAME, "lead_id": DEMO_LEAD[0], "active": True}),
                   "update the demo team")
        else:
            _check(r, "create the demo team")
        await _ensure_collector(c, DEMO_LEAD[0], DEMO_LEAD[1], "team_lead")
        for collector_id, name in DEMO_COLLECTORS:
            await _ensure_collector(c, collector_id, name, "collector")
        _check(await c.put(f"/v1/client-rules/{client_id}", json={
            "dedicated_team_ids": [DEMO_TEAM_ID], "default_strategy": DEMO_STRATEGY,
            "auto_allocate": True, "rotation_enabled": True}), f"set {client_id}'s rules")


def main(argv: list[str] | None = None) -> int:
    """`python -m recoup_local.demo_allocation [--base-url URL] [--client-id ID]`"""
    p = argparse.ArgumentParser(prog="demo_allocation", description=__doc__.split("\n\n")[0])
    p.add_argument("--base-url", default="http://127.0.0.1:8002", help="the allocation service")
    p.add_argument("--client-id", default="demo-bank")
    args = p.parse_args(argv)
    try:
        asyncio.run(setup_demo_team(args.base_url, args.client_id))
    except DemoSetupError as exc:
        print(f"demo allocation setup failed: {exc}", file=sys.stderr)
        return 1
    print(f"demo team {DEMO_TEAM_ID} with {len(DEMO_COLLECTORS)} collectors ready; "
          f"{args.client_id}: automatic allocation, strategy {DEMO_STRATEGY}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
