"""Bearer JWT auth (R-45): RS256, verified against a JWKS URL in production or the shipped
local key pair in the local stack. Role checks per route, object checks per case."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any, Iterable

import jwt
from fastapi import Depends, Request

from .errors import Forbidden, Unauthorized
from .vocabulary import MANAGER_ROLES, STAFF_ROLES, Role  # noqa: F401 - re-exported


@dataclass(frozen=True)
class Principal:
    sub: str
    roles: frozenset[str]
    client_id: str | None = None
    team_id: str | None = None
    claims: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_client(self) -> bool:
        return Role.CLIENT in self.roles

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def require(self, *roles: str) -> "Principal":
        if not self.has(*roles):
            raise Forbidden(f"requires one of the roles: {', '.join(sorted(roles))}")
        return self

    def require_client(self, client_id: str) -> None:
        """Object check: a client system reaches only its own client's data."""
        if self.is_client and self.client_id != client_id:
            raise Forbidden("this client system may not access another client's data")


def _key_text(name: str) -> str:
    return (resources.files("recoup_shared") / "keys" / name).read_text()


@lru_cache(maxsize=1)
def local_private_key() -> str:
    return _key_text("local-signing-key.pem")


@lru_cache(maxsize=1)
def local_public_key() -> str:
    return _key_text("local-signing-key.pub.pem")


@lru_cache(maxsize=8)
def _signing_key(pem: str) -> Any:
    # Parsing an RSA private key checks it (~30 ms); signing with the parsed key takes ~0.3 ms.
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    return load_pem_private_key(pem.encode(), password=None)


def mint_token(*, sub: str, roles: Iterable[str], client_id: str | None = None,
               team_id: str | None = None, ttl_seconds: int = 12 * 3600,
               issuer: str = "recoup", audience: str = "recoup", private_key: str | None = None) -> str:
    """Local stack and tests only: sign with the shipped local key."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub, "roles": sorted(set(roles)), "iat": now, "exp": now + ttl_seconds,
        "iss": issuer, "aud": audience, "jti": str(uuid.uuid4()),
    }
    if client_id:
        claims["client_id"] = client_id
    if team_id:
        claims["team_id"] = team_id
    return jwt.encode(claims, _signing_key(private_key or local_private_key()), algorithm="RS256",
                      headers={"kid": "local"})


class TokenVerifier:
    """Verifies bearer tokens; remembers a verified token until it expires (a browser sends the
    same token with every request: one RS256 verification per token, not per request). A token
    that failed is never remembered."""

    def __init__(self, *, jwks_url: str | None, public_key_pem: str | None, issuer: str,
                 audience: str, allow_local: bool, cache_size: int = 20_000) -> None:
        self.issuer, self.audience = issuer, audience
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True, lifespan=300) if jwks_url else None
        self._static_key = public_key_pem or (local_public_key() if allow_local else None)
        self._seen: dict[str, tuple[float, Principal]] = {}
        self._cache_size = cache_size

    def verify(self, token: str) -> Principal:
        hit = self._seen.get(token)
        if hit is not None and hit[0] > time.time():
            return hit[1]
        principal = self._verify(token)
        if len(self._seen) >= self._cache_size:
            self._seen.clear()
        self._seen[token] = (float(principal.claims.get("exp", 0)), principal)
        return principal

    def _verify(self, token: str) -> Principal:
        try:
            key: Any = self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._static_key
            if key is None:
                raise Unauthorized("no verification key configured")
            claims = jwt.decode(token, key, algorithms=["RS256"], audience=self.audience,
                                issuer=self.issuer, options={"require": ["exp", "sub"]})
        except jwt.ExpiredSignatureError:
            raise Unauthorized("token expired") from None
        except (jwt.PyJWTError, ValueError) as exc:
            raise Unauthorized(f"invalid token: {exc.__class__.__name__}") from None
        roles = frozenset(str(r) for r in claims.get("roles", []) if r in Role._value2member_map_)
        if not roles:
            raise Forbidden("token carries no known role")
        principal = Principal(sub=str(claims["sub"]), roles=roles, client_id=claims.get("client_id"),
                              team_id=claims.get("team_id"), claims=claims)
        if principal.is_client and not principal.client_id:
            raise Forbidden("a client token must be bound to a client_id")
        return principal


def verifier_from_settings(settings: Any) -> TokenVerifier:
    return TokenVerifier(jwks_url=settings.jwt_jwks_url, public_key_pem=settings.jwt_public_key_pem,
                         issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                         allow_local=settings.is_local)


async def principal(request: Request) -> Principal:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("a bearer token is required")
    verifier: TokenVerifier = request.app.state.verifier
    return verifier.verify(token.strip())


async def _staff(p: Annotated[Principal, Depends(principal)]) -> Principal:
    if not p.has(*STAFF_ROLES):
        raise Forbidden("staff route: client systems are not allowed")
    return p


async def _client_system(p: Annotated[Principal, Depends(principal)]) -> Principal:
    if not p.is_client:
        raise Forbidden("client route: requires a client system token")
    return p


Authenticated = Annotated[Principal, Depends(principal)]
Staff = Annotated[Principal, Depends(_staff)]
ClientSystem = Annotated[Principal, Depends(_client_system)]


def require_roles(*roles: str):
    """Dependency factory: `Annotated[Principal, Depends(require_roles(Role.FINANCE, ...))]`."""
    async def dep(p: Annotated[Principal, Depends(principal)]) -> Principal:
        return p.require(*roles)
    return dep
