#!/usr/bin/env python3
"""Mint a bearer token for the docker-compose demo (and only for it).

Signs with deploy/docker/demo-keys/jwt-demo-private.pem, whose public half is in
deploy/compose.env. That key pair is public in the repository: no real deployment trusts it.

    python deploy/docker/mint_demo_token.py --role admin
    python deploy/docker/mint_demo_token.py --role client --client-id zhbank
    curl -H "Authorization: Bearer $(python deploy/docker/mint_demo_token.py --role supervisor)" \
         http://localhost:8001/v1/...

Needs only PyJWT with cryptography (`pip install 'pyjwt[crypto]'`, or the project's .venv).
"""

from __future__ import annotations

import argparse
import time
import uuid
from pathlib import Path

import jwt

HERE = Path(__file__).resolve().parent
PRIVATE_KEY = HERE / "demo-keys" / "jwt-demo-private.pem"
ISSUER = "recoup-compose-demo"   # = RECOUP_JWT_ISSUER in deploy/compose.env
AUDIENCE = "recoup"              # = RECOUP_JWT_AUDIENCE


def mint(sub: str, roles: list[str], client_id: str | None = None, team_id: str | None = None,
         ttl_seconds: int = 12 * 3600) -> str:
    now = int(time.time())
    claims: dict[str, object] = {"sub": sub, "roles": sorted(set(roles)), "iat": now,
                                 "exp": now + ttl_seconds, "iss": ISSUER, "aud": AUDIENCE,
                                 "jti": str(uuid.uuid4())}
    if client_id:
        claims["client_id"] = client_id
    if team_id:
        claims["team_id"] = team_id
    return jwt.encode(claims, PRIVATE_KEY.read_text(), algorithm="RS256",
                      headers={"kid": "compose-demo"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--role", action="append", required=True,
                        help="collector, team_lead, supervisor, field_agent, letters_clerk, "
                             "data_specialist, finance, auditor, admin or client (repeatable)")
    parser.add_argument("--sub", default="demo-user")
    parser.add_argument("--client-id", help="required for --role client")
    parser.add_argument("--team-id")
    parser.add_argument("--ttl", type=int, default=12 * 3600, help="seconds")
    args = parser.parse_args()
    print(mint(args.sub, args.role, args.client_id, args.team_id, args.ttl))


if __name__ == "__main__":
    main()
