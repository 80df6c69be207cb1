"""Object-level checks on every route (issue 14, OWASP API1): two teams, X and Y; client A's
rules dedicate it to team Y, client B has none. A team lead of X and a collector of X are refused
every object of team Y (403: it exists, it is not theirs; 404 only for what does not exist), and
lists and filters give them nothing of Y's — while Y's own lead reaches all of it (the control).
`test_every_route_is_covered` keeps the table complete: a new route fails it until listed."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
import pytest_asyncio

from recoup_local.allocation_seeds import seed_cases
from recoup_local.inprocess import running_service

PROBLEM = "application/problem+json"
N_A = 24   # client A's cases (dedicated to team Y): allocated to Y, one paused
N_POOL = 5  # left in the pool, of A (Y's only) and of B (anyone's)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def svc(stack):
    dsn = await stack.new_database(package="recoup_allocation")
    async with running_service(stack, "allocation", database_url=dsn, auto_allocate_enabled=False,
                               rotation_enabled=False) as s:
        yield s


class Two:
    """Teams X and Y with a lead and two collectors each; client A dedicated to Y, client B free."""

    def __init__(self, svc: Any) -> None:
        t = uuid.uuid4().hex[:6]
        self.svc, self.t = svc, t
        self.X, self.Y = f"x-{t}", f"y-{t}"
        self.A, self.B = f"bank-a-{t}", f"bank-b-{t}"
        self.x = [f"x{i}-{t}" for i in range(2)]
        self.y = [f"y{i}-{t}" for i in range(2)]
        self.admin = svc.auth("admin", sub="admin-1")
        self.lead_x = svc.auth("team_lead", sub=f"lx-{t}", team_id=self.X)
        self.lead_y = svc.auth("team_lead", sub=f"ly-{t}", team_id=self.Y)
        self.col_x = svc.auth("collector", sub=self.x[0])
        self.col_y = svc.auth("collector", sub=self.y[0])
        self.values: dict[str, str] = {}

    async def post(self, path: str, headers: dict, body: dict, ok: int = 200) -> dict:
        r = await self.svc.client.post(path, headers=headers, json=body)
        assert r.status_code == ok, r.text
        return r.json()

    async def build(self) -> "Two":
        c = self.svc.client
        for team, lead, cols in ((self.X, f"lx-{self.t}", self.x), (self.Y, f"ly-{self.t}", self.y)):
            await self.post("/v1/teams", self.admin, {"team_id": team, "name": team, "lead_id": lead}, 201)
            for cid in cols:
                await self.post("/v1/collectors", self.admin, {"collector_id": cid, "name": "王芳", "team_id": team}, 201)
        r = await c.put(f"/v1/client-rules/{self.A}", headers=self.admin, json={
            "dedicated_team_ids": [self.Y], "default_strategy": "by_count", "auto_allocate": False})
        assert r.status_code == 201, r.text
        async with self.svc.pool.acquire() as conn:
            a_cases = await seed_cases(conn, n=N_A, client_id=self.A, prefix=f"a{self.t}")
        plan_y = await self.post("/v1/allocations/preview", self.lead_y, {"client_id": self.A}, 201)
        await self.post(f"/v1/allocations/{plan_y['plan_id']}/commit", self.lead_y, {})
        await self.post(f"/v1/cases/{a_cases[1]}/pause", self.lead_y, {"reason": "债务人住院"})
        async with self.svc.pool.acquire() as conn:
            pool_a = await seed_cases(conn, n=N_POOL, client_id=self.A, prefix=f"pa{self.t}")
            pool_b = await seed_cases(conn, n=N_POOL, client_id=self.B, prefix=f"pb{self.t}")
            await conn.execute("INSERT INTO rotation_runs (month, client_id, plan_id, status) "
                               "VALUES ('2026-10-01', $1, $2, 'previewed')", self.A, uuid.UUID(plan_y["plan_id"]))
        open_y = await self.post("/v1/allocations/preview", self.lead_y, {"client_id": self.A}, 201)
        both = await self.post("/v1/allocations/preview", self.admin, {"client_id": self.B}, 201)
        assert {x["team_id"] for x in both["collectors"]} == {self.X, self.Y}
        self.values = {"X": self.X, "Y": self.Y, "A": self.A, "B": self.B, "x0": self.x[0], "y0": self.y[0],
                       "case_y": a_cases[0], "paused_y": a_cases[1], "pool_a": pool_a[0], "pool_b": pool_b[0],
                       "plan_y": plan_y["plan_id"], "open_y": open_y["plan_id"], "plan_both": both["plan_id"]}
        self.pool_a, self.pool_b = set(pool_a), set(pool_b)
        self.a_cases = set(a_cases)
        return self


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def two(svc) -> Two:
    return await Two(svc).build()


def who(two: Two, name: str) -> dict[str, str]:
    return {"lead_x": two.lead_x, "col_x": two.col_x, "lead_y": two.lead_y, "col_y": two.col_y}[name]


MONTH = date.today().strftime("%Y-%m")

# (method, route template, {body}, foreign principal, expected status for them, Y's principal
# for the control, expected status for that one). Bodies and paths take {names} of Two.values.
REFUSED = [
    ("post", "/v1/teams", {"team_id": "z", "name": "z"}, "lead_x", 403, None, None),
    ("get", "/v1/teams/{Y}", None, "lead_x", 403, "lead_y", 200),
    ("patch", "/v1/teams/{Y}", {"name": "z"}, "lead_x", 403, None, None),
    ("post", "/v1/collectors", {"collector_id": "z-{Y}", "name": "z", "team_id": "{Y}"}, "lead_x", 403, None, None),
    ("get", "/v1/collectors?team_id={Y}", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/collectors/{y0}", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/collectors/{y0}", None, "col_x", 403, "col_y", 200),
    ("patch", "/v1/collectors/{y0}", {"name": "张伟"}, "lead_x", 403, "lead_y", 200),
    ("put", "/v1/client-rules/{A}", {}, "lead_x", 403, None, None),
    ("get", "/v1/client-rules", None, "col_x", 403, "lead_y", 200),
    ("get", "/v1/client-rules/{A}", None, "col_x", 403, "lead_y", 200),
    ("post", "/v1/allocations/preview", {"team_ids": ["{Y}"]}, "lead_x", 403, "lead_y", 201),
    ("post", "/v1/allocations/preview", {"collector_ids": ["{y0}"]}, "lead_x", 403, "lead_y", 201),
    ("post", "/v1/allocations/{open_y}/commit", None, "lead_x", 403, None, None),
    ("post", "/v1/allocations/manual", {"case_ids": ["{case_y}"], "collector_id": "{y0}", "preview": True},
     "lead_x", 403, "lead_y", 200),
    ("get", "/v1/allocations", None, "col_x", 403, "lead_y", 200),
    ("get", "/v1/allocations/{plan_y}", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/allocations/{plan_both}", None, "lead_x", 403, None, None),
    ("get", "/v1/allocations/{plan_y}/items", None, "lead_x", 403, "lead_y", 200),
    ("post", "/v1/rotations/preview", {"month": MONTH, "team_ids": ["{Y}"]}, "lead_x", 403, "lead_y", 201),
    ("get", "/v1/rotations/runs", None, "col_x", 403, "lead_y", 200),
    ("get", "/v1/cases/{case_y}", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/cases/{case_y}", None, "col_x", 403, None, None),
    ("get", "/v1/cases/{pool_a}", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/cases/{paused_y}", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/cases/{case_y}/owner", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/cases/{case_y}/owner", None, "col_x", 403, None, None),
    ("post", "/v1/cases/{case_y}/pause", {"reason": "x"}, "lead_x", 403, None, None),
    ("post", "/v1/cases/{pool_a}/pause", {"reason": "x"}, "lead_x", 403, None, None),
    ("post", "/v1/cases/{paused_y}/resume", {"reason": "x"}, "lead_x", 403, None, None),
    ("get", "/v1/cases?status=unassigned", None, "col_x", 403, "lead_y", 200),
    ("get", "/v1/collectors/{y0}/cases", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/collectors/{y0}/cases", None, "col_x", 403, "col_y", 200),
    ("get", "/v1/teams/{Y}/cases", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/teams/{Y}/load", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/reports/sla?client_id={A}", None, "lead_x", 403, "lead_y", 200),
    ("get", "/v1/teams", None, "col_x", 403, "lead_y", 200),
    ("get", "/v1/collectors", None, "col_x", 403, "lead_y", 200),
]


def fill(value: Any, values: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**values)
    if isinstance(value, list):
        return [fill(v, values) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, values) for k, v in value.items()}
    return value


async def call(two: Two, method: str, path: str, body: Any, headers: dict):
    kwargs = {"headers": headers}
    if body is not None:
        kwargs["json"] = fill(body, two.values)
    return await getattr(two.svc.client, method)(fill(path, two.values), **kwargs)


@pytest.mark.parametrize("method,path,body,foreign,status,home,home_status", REFUSED,
                         ids=[f"{m} {p} as {f}" for m, p, _, f, *_ in REFUSED])
async def test_a_foreign_principal_is_refused(two, method, path, body, foreign, status, home, home_status):
    r = await call(two, method, path, body, who(two, foreign))
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    assert set(r.json()) <= {"type", "title", "status", "detail"}  # nothing of the object itself
    if home is not None:  # the control: the owner's side reaches it
        r = await call(two, method, path, body, who(two, home))
        assert r.status_code == home_status, r.text


async def test_a_missing_object_is_404_for_everyone_and_a_foreign_one_403(two):
    c = two.svc.client
    for path in ("/v1/cases/no-such-case", f"/v1/allocations/{uuid.uuid4()}", "/v1/teams/no-such-team",
                 "/v1/collectors/no-such-collector"):
        assert (await c.get(path, headers=two.lead_x)).status_code == 404, path
    assert (await c.get(f"/v1/cases/{two.values['case_y']}", headers=two.lead_x)).status_code == 403


# --- lists and filters: nothing of Y's, though X's own side is there ---------------------------------
async def test_manual_preview_with_a_foreign_filter_lists_no_case_ids(two):
    """The reproduction of issue 14 item 8: team X's lead previews a manual allocation with client
    A's filter (A is team Y's) — 200 before with every case id of team Y."""
    c = two.svc.client
    for status in ("unassigned", "assigned"):
        r = await c.post("/v1/allocations/manual", headers=two.lead_x, json={
            "client_id": two.A, "status": status, "collector_id": two.x[0], "preview": True})
        assert r.status_code == 200, r.text
        plan = r.json()
        assert (plan["cases_selected"], plan["cases_unassigned"], plan["unassigned_cases"]) == (0, 0, [])
        assert not two.a_cases & {x["case_id"] for x in plan["notes"]}
    r = await c.post("/v1/allocations/manual", headers=two.lead_x, json={
        "client_id": two.B, "collector_id": two.x[0], "preview": True})
    assert r.json()["cases_selected"] == N_POOL  # B's pool is theirs to allocate


async def test_manual_by_id_refuses_foreign_cases_without_their_data(two):
    r = await two.svc.client.post("/v1/allocations/manual", headers=two.lead_x, json={
        "case_ids": [two.values["case_y"], two.values["pool_a"]], "collector_id": two.x[0]})
    assert r.status_code == 409 and r.json()["unassigned"] == {"other_team": 2}


async def test_previews_select_only_what_the_lead_reaches(two):
    c = two.svc.client
    plan = (await c.post("/v1/allocations/preview", headers=two.lead_x, json={"client_id": two.A})).json()
    assert (plan["cases_selected"], plan["unassigned_cases"]) == (0, [])
    plan = (await c.post("/v1/allocations/preview", headers=two.lead_x,
                         json={"client_id": two.A, "status": "assigned", "owner_ids": [two.y[0]]})).json()
    assert plan["cases_selected"] == 0
    plan = (await c.post("/v1/rotations/preview", headers=two.lead_x, json={"month": MONTH, "client_id": two.A})).json()
    assert (plan["cases_selected"], plan["cases_planned"], plan["unassigned_cases"]) == (0, 0, [])
    plan = (await c.post("/v1/allocations/preview", headers=two.lead_y, json={"client_id": two.A})).json()
    assert plan["cases_selected"] == N_POOL  # the control: Y's lead takes A's pool


async def test_lists_hold_nothing_of_another_team(two):
    c = two.svc.client
    assert [t["team_id"] for t in (await c.get("/v1/teams", headers=two.lead_x)).json()] == [two.X]
    r = await c.get("/v1/cases", headers=two.lead_x, params={"status": ["unassigned", "paused"], "limit": 1000})
    seen = {x["case_id"] for x in r.json()["items"]}
    assert two.pool_b <= seen and not seen & (two.pool_a | two.a_cases)
    r = await c.get("/v1/cases", headers=two.lead_y, params={"status": ["unassigned", "paused"], "limit": 1000})
    seen = {x["case_id"] for x in r.json()["items"]}
    assert two.pool_a | {two.values["paused_y"]} <= seen  # Y's pool and Y's paused case
    plans = {p["plan_id"] for p in (await c.get("/v1/allocations", headers=two.lead_x)).json()}
    assert not plans & {two.values[k] for k in ("plan_y", "open_y", "plan_both")}
    plans = {p["plan_id"] for p in (await c.get("/v1/allocations", headers=two.lead_y)).json()}
    assert {two.values["plan_y"], two.values["open_y"]} <= plans and two.values["plan_both"] not in plans
    runs = (await c.get("/v1/rotations/runs", headers=two.lead_x)).json()
    assert not [r for r in runs if r["client_id"] == two.A]
    runs = (await c.get("/v1/rotations/runs", headers=two.lead_y)).json()
    assert [r["plan_id"] for r in runs if r["client_id"] == two.A] == [two.values["plan_y"]]
    rows = (await c.get("/v1/reports/sla", headers=two.lead_x)).json()["rows"]
    assert {r["client_id"] for r in rows} & {two.A, two.B} == {two.B}
    assert {r["client_id"] for r in (await c.get("/v1/reports/sla", headers=two.lead_y)).json()["rows"]} >= {two.A, two.B}


async def test_every_route_is_covered(svc):
    """Each /v1 route appears in REFUSED (a new route must say who is refused there)."""
    covered = {(m.upper(), p.split("?")[0]) for m, p, *_ in REFUSED}
    covered = {(m, p.replace("{Y}", "{team_id}").replace("{y0}", "{collector_id}").replace("{A}", "{client_id}")
                .replace("{case_y}", "{case_id}").replace("{pool_a}", "{case_id}").replace("{paused_y}", "{case_id}")
                .replace("{plan_y}", "{plan_id}").replace("{open_y}", "{plan_id}").replace("{plan_both}", "{plan_id}"))
               for m, p in covered}
    routes = {(m.upper(), p) for p, ops in (await svc.client.get("/openapi.json")).json()["paths"].items()
              if p.startswith("/v1/") for m in ops}
    assert routes - covered == set()
