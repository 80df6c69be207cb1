"""Who may call which route, read from the routes themselves: the typed role dependencies of
recoup_shared.api / recoup_shared.auth (`roles(...)`, `Staff`, `ClientSystem`, `Authenticated`).

Test support (the fuzzing gate, tests/test_fuzz_openapi.py): every operation is called with a
principal that passes its role check, so the fuzzer reaches the code behind it instead of
collecting 403s — and a new service needs no table of its routes.

    access = route_access(app)                       # {("GET", "/v1/cases/{case_id}"): Access}
    for p in access["GET", "/v1/cases/{case_id}"].principals(client_id="bank-1", team_id="t-1"):
        headers = {"authorization": f"Bearer {p.token()}"}
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, routing

from recoup_shared import auth
from recoup_shared.vocabulary import STAFF_ROLES, Role

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class Caller:
    """One principal: its roles and the claims an object check looks at."""

    sub: str
    roles: tuple[str, ...]
    client_id: str | None = None
    team_id: str | None = None

    def token(self) -> str:
        return auth.mint_token(sub=self.sub, roles=self.roles, client_id=self.client_id,
                               team_id=self.team_id)


@dataclass(frozen=True)
class Access:
    """What a route requires. `public`: no principal at all; else any of `roles` passes the role
    check (the object check is the use case's, with the principal's client_id / team_id)."""

    public: bool
    roles: frozenset[str]

    def principals(self, *, client_id: str, team_id: str, sub: str = "fuzz") -> list[Caller]:
        """One caller per role that passes: a client system bound to `client_id`, staff of
        `team_id` (one role each, so a route that narrows by role is reached as each of them)."""
        if self.public:
            return []
        out = []
        for role in sorted(self.roles):
            if role == Role.CLIENT:
                out.append(Caller(sub=f"{sub}-{client_id}-system", roles=(role,), client_id=client_id))
            else:
                out.append(Caller(sub=f"{sub}-{role}", roles=(role,), team_id=team_id))
        return out


def _calls(dependant: Any) -> Iterator[Any]:
    for dep in dependant.dependencies:
        yield dep.call
        yield from _calls(dep)


def _required_roles(call: Any) -> frozenset[str] | None:
    """The roles a dependency lets through, or None if it does not check roles."""
    if call is auth._client_system:
        return frozenset({Role.CLIENT})
    if call is auth._staff:
        return frozenset(STAFF_ROLES)
    if getattr(call, "__qualname__", "") == f"{auth.require_roles.__name__}.<locals>.dep":
        roles = inspect.getclosurevars(call).nonlocals.get("roles")
        return frozenset(str(r) for r in roles) if roles is not None else None
    return None


def access_of(dependant: Any) -> Access:
    calls = list(_calls(dependant))
    if auth.principal not in calls:
        return Access(public=True, roles=frozenset())
    allowed = ALL_ROLES
    for call in calls:
        required = _required_roles(call)
        if required is not None:
            allowed = allowed & required
    return Access(public=False, roles=frozenset(str(r) for r in allowed))


def route_access(app: FastAPI) -> dict[tuple[str, str], Access]:
    """(METHOD, path template) -> Access for every route of the application."""
    out: dict[tuple[str, str], Access] = {}
    # iter_route_contexts: the routes of included routers as served (prefixes and the router's
    # own dependencies applied), the way FastAPI's OpenAPI generation walks them
    for route in routing.iter_route_contexts(app.routes):
        dependant = getattr(route, "dependant", None)
        if dependant is None:
            continue  # /docs, /openapi.json
        access = access_of(dependant)
        for method in route.methods or ():
            out[method.upper(), route.path_format] = access
    return out
