import httpx
import pytest
from fastapi import FastAPI
from pydantic import BaseModel

from recoup_shared.auth import Role, Staff, TokenVerifier, mint_token, require_roles
from recoup_shared.errors import Conflict, install_error_handlers


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)
    app.state.verifier = TokenVerifier(jwks_url=None, public_key_pem=None, issuer="recoup",
                                       audience="recoup", allow_local=True)

    class Body(BaseModel):
        amount: int

    @app.post("/things")
    async def things(body: Body, who: Staff) -> dict:
        if body.amount == 409:
            raise Conflict("already there", placement_ref="X")
        return {"sub": who.sub}

    from typing import Annotated
    from fastapi import Depends
    from recoup_shared.auth import Principal

    @app.get("/finance")
    async def finance(who: Annotated[Principal, Depends(require_roles(Role.FINANCE))]) -> dict:
        return {"ok": True}

    return app


@pytest.fixture
def client():
    return httpx.AsyncClient(transport=httpx.ASGITransport(make_app()), base_url="http://t")


def bearer(**kw) -> dict:
    return {"authorization": "Bearer " + mint_token(**kw)}


async def test_problem_json_for_validation_and_domain_errors(client):
    r = await client.post("/things", json={"amount": "x"}, headers=bearer(sub="u", roles=["admin"]))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["errors"][0]["field"] == "amount"
    r = await client.post("/things", json={"amount": 409}, headers=bearer(sub="u", roles=["admin"]))
    assert r.status_code == 409 and r.json()["placement_ref"] == "X"
    r = await client.post("/things", content=b"{not json", headers={**bearer(sub="u", roles=["admin"]), "content-type": "application/json"})
    assert r.status_code == 422


async def test_auth(client):
    assert (await client.post("/things", json={"amount": 1})).status_code == 401
    r = await client.post("/things", json={"amount": 1}, headers={"authorization": "Bearer junk"})
    assert r.status_code == 401 and r.json()["type"].endswith("unauthorized")
    r = await client.post("/things", json={"amount": 1}, headers=bearer(sub="bank", roles=["client"], client_id="b"))
    assert r.status_code == 403
    assert (await client.get("/finance", headers=bearer(sub="c1", roles=["collector"]))).status_code == 403
    assert (await client.get("/finance", headers=bearer(sub="f1", roles=["finance"]))).status_code == 200
    expired = mint_token(sub="u", roles=["admin"], ttl_seconds=-10)
    r = await client.get("/finance", headers={"authorization": f"Bearer {expired}"})
    assert r.status_code == 401 and "expired" in r.json()["detail"]


def test_a_verified_token_is_remembered_until_it_expires_and_a_bad_one_never():
    import time as _time

    from recoup_shared.auth import TokenVerifier, mint_token

    verifier = TokenVerifier(jwks_url=None, public_key_pem=None, issuer="recoup", audience="recoup",
                             allow_local=True)
    token = mint_token(sub="c-1", roles=["collector"], ttl_seconds=60)
    first = verifier.verify(token)
    calls = []
    real = verifier._verify
    verifier._verify = lambda t: calls.append(t) or real(t)  # type: ignore[method-assign]
    assert verifier.verify(token) is first and calls == []
    short = mint_token(sub="c-2", roles=["collector"], ttl_seconds=1)
    verifier.verify(short)
    _time.sleep(2.1)
    import pytest
    from recoup_shared.errors import Unauthorized
    with pytest.raises(Unauthorized):
        verifier.verify(short)  # expired: verified again, and refused
    with pytest.raises(Unauthorized):
        verifier.verify(token[:-2] + "xx")
    assert token[:-2] + "xx" not in verifier._seen
