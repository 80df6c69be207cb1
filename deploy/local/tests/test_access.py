"""recoup_local.access reads who may call a route from its role dependencies — what the fuzzing
gate calls each operation as."""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from recoup_shared.api import roles
from recoup_shared.auth import Authenticated, ClientSystem, Staff, TokenVerifier
from recoup_shared.vocabulary import STAFF_ROLES, Role

from recoup_local.access import route_access

Finance = roles(Role.FINANCE, Role.ADMIN)
Lead = roles(Role.TEAM_LEAD, Role.SUPERVISOR, Role.CLIENT)


def app() -> FastAPI:
    a = FastAPI()
    r = APIRouter(prefix="/v1")

    @r.get("/public")
    async def public() -> dict:
        return {}

    @r.get("/finance")
    async def finance(who: Finance) -> dict:
        return {}

    @r.post("/client")
    async def client(who: ClientSystem) -> dict:
        return {}

    @r.get("/staff/{x}")
    async def staff(x: str, who: Staff) -> dict:
        return {}

    @r.get("/anyone")
    async def anyone(who: Authenticated) -> dict:
        return {}

    @r.get("/both", dependencies=[Depends(roles(Role.TEAM_LEAD, Role.ADMIN).__metadata__[0].dependency)])
    async def both(who: Lead) -> dict:  # two role dependencies: only the roles in both pass
        return {}

    a.include_router(r)
    return a


def test_roles_are_read_from_the_dependencies():
    access = route_access(app())
    assert access["GET", "/v1/public"].public
    assert access["GET", "/v1/finance"].roles == {Role.FINANCE, Role.ADMIN}
    assert access["POST", "/v1/client"].roles == {Role.CLIENT}
    assert access["GET", "/v1/staff/{x}"].roles == set(STAFF_ROLES)
    assert access["GET", "/v1/anyone"].roles == set(Role)
    assert access["GET", "/v1/both"].roles == {Role.TEAM_LEAD}


def test_principals_pass_the_role_check_and_carry_the_object_claims():
    verifier = TokenVerifier(jwks_url=None, public_key_pem=None, issuer="recoup", audience="recoup",
                             allow_local=True)
    callers = route_access(app())["GET", "/v1/both"].principals(client_id="bank-1", team_id="t-1")
    assert [c.roles for c in callers] == [(Role.TEAM_LEAD,)]
    p = verifier.verify(callers[0].token())
    assert p.roles == {Role.TEAM_LEAD} and p.team_id == "t-1"
    client = route_access(app())["POST", "/v1/client"].principals(client_id="bank-1", team_id="t-1")
    p = verifier.verify(client[0].token())
    assert p.is_client and p.client_id == "bank-1"
    assert route_access(app())["GET", "/v1/public"].principals(client_id="b", team_id="t") == []
