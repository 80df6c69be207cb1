"""The console's local gateway: one origin (http://127.0.0.1:8000) for the staff console and the APIs.

    /                       console/dist: unknown paths fall back to index.html (the SPA's router);
                            hashed files under /assets/ are cached for a year, the rest revalidated
    /config.json            the console's runtime configuration (here: development sign-in)
    /api/<service>/<path>   proxied to that service of the stack, bodies streamed both ways
    /auth/dev/users         development sign-in: the demo users per R-45 role
    /auth/dev/token         a token for one of them, minted with the local key
    /healthz

The development sign-in exists only in the local and test profiles (ServiceSettings.profile); in
any other profile its routes answer 403 and /config.json names no sign-in at all. In production
the console is a static container and the Ingress routes /api/<service> (console/Dockerfile).

Logs: one JSON line per request with method, path, status and duration — never a query string
or a body (both may carry ID, card or phone numbers: R-46).

Building the console and running this app as a child of the stack: console_build.py.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from recoup_shared.settings import ServiceSettings

from .demo_allocation import DEMO_COLLECTORS, DEMO_LEAD, DEMO_TEAM_ID
from .services import SERVICES

log = logging.getLogger("recoup.console")

PROBLEM = "application/problem+json"
TYPE_BASE = "https://recoup.example/problems/"
# Hop-by-hop headers (RFC 9110 §7.6.1) are the proxy's own business; host is set by httpx.
HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "proxy-authorization",
                        "te", "trailer", "transfer-encoding", "upgrade", "host"})
ASSET_CACHE = "public, max-age=31536000, immutable"  # file names carry a content hash
DEV_TOKEN_TTL_SECONDS = 8 * 3600  # one working day
# The policy console/deploy/security-headers.inc gives in production, so that the browser tests
# run the console under it.
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' https:; "
                               "frame-ancestors 'none'; base-uri 'self'; form-action 'self' https:",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}

# The demo users of the development sign-in, one or more role. The team lead and the
# collectors are those `recoup demo` registers in allocation (demo_allocation.py).
DEMO_USERS: tuple[dict[str, Any], ...] = (
    {"sub": DEMO_COLLECTORS[0][0], "name": DEMO_COLLECTORS[0][1], "roles": ["collector"], "team_id": DEMO_TEAM_ID},
    {"sub": DEMO_COLLECTORS[1][0], "name": DEMO_COLLECTORS[1][1], "roles": ["collector"], "team_id": DEMO_TEAM_ID},
    {"sub": DEMO_LEAD[0], "name": DEMO_LEAD[1], "roles": ["team_lead"], "team_id": DEMO_TEAM_ID},
    {"sub": "demo-supervisor", "name": "孙志明", "roles": ["supervisor"]},
    {"sub": "demo-field", "name": "钱勇", "roles": ["field_agent"]},
    {"sub": "demo-field2", "name": "孙浩", "roles": ["field_agent"]},  # agents go in twos
    {"sub": "demo-letters", "name": "吴敏", "roles": ["letters_clerk"]},
    {"sub": "demo-data", "name": "郑晓燕", "roles": ["data_specialist"]},
    {"sub": "demo-finance", "name": "冯丽华", "roles": ["finance"]},
    {"sub": "demo-auditor", "name": "何审", "roles": ["auditor"]},
    {"sub": "demo-admin", "name": "系统管理员", "roles": ["admin"]},
)
DEMO_CLIENTS = ({"id": "demo-bank", "name": "演示银行"},)


class ConsoleSettings(ServiceSettings):
    """RECOUP_CONSOLE_DIST: the built console; RECOUP_CONSOLE_UPSTREAMS: {"intake": "http://…"};
    RECOUP_CONSOLE_CLIENTS: the clients the console offers first ([{"id": …, "name": …}])."""

    service_name: str = "console"
    console_dist: str | None = None
    console_upstreams: str = "{}"
    console_clients: str = ""


def problem(status: int, slug: str, title: str, detail: str | None = None,
            errors: list[dict[str, str]] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"type": TYPE_BASE + slug, "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


# --- the proxy --------------------------------------------------------------------------------

def _upstream_headers(request: Request, correlation_id: str) -> list[tuple[str, str]]:
    out = [(k, v) for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP]
    out = [(k, v) for k, v in out if k.lower() not in ("x-correlation-id", "x-forwarded-for",
                                                          "x-forwarded-proto", "x-forwarded-host")]
    client = request.client.host if request.client else ""
    out += [("x-correlation-id", correlation_id), ("x-forwarded-for", client),
            ("x-forwarded-proto", request.url.scheme),
            ("x-forwarded-host", request.headers.get("host", ""))]
    return out


async def proxy(request: Request) -> Response:
    service, path = request.path_params["service"], request.path_params["path"]
    upstreams: dict[str, str] = request.app.state.upstreams
    if service not in upstreams:
        if service in SERVICES:
            return problem(503, "service-unavailable", "Service not running",
                           f"the {service} service is not running in this stack")
        return problem(404, "not-found", "Not found", f"no service called {service}")
    correlation_id = request.headers.get("x-correlation-id") or str(uuid.uuid4())
    url = httpx.URL(upstreams[service].rstrip("/") + "/" + path, query=request.url.query.encode())
    client: httpx.AsyncClient = request.app.state.http
    has_body = request.method not in ("GET", "HEAD", "OPTIONS", "DELETE") or "content-length" in request.headers
    upstream_request = client.build_request(
        request.method, url, headers=_upstream_headers(request, correlation_id),
        content=request.stream() if has_body else None)
    try:
        upstream = await client.send(upstream_request, stream=True)
    except httpx.TransportError as exc:
        return problem(502, "bad-gateway", "Service did not answer",
                       f"the {service} service did not answer ({exc.__class__.__name__})")
    headers = [(k, v) for k, v in upstream.headers.multi_items() if k.lower() not in HOP_BY_HOP]
    if not any(k.lower() == "x-correlation-id" for k, _ in headers):
        headers.append(("x-correlation-id", correlation_id))
    response = StreamingResponse(upstream.aiter_raw(), status_code=upstream.status_code,
                                 background=BackgroundTask(upstream.aclose))
    response.raw_headers = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
    return response


# --- the console's files ------------------------------------------------------------------------

def _dist(request: Request) -> Path | None:
    dist: Path | None = request.app.state.dist
    return dist if dist is not None and (dist / "index.html").is_file() else None


async def spa(request: Request) -> Response:
    dist = _dist(request)
    if dist is None:
        return Response("The console is not built: `make up` builds it (Node.js 20 and npm are needed); "
                        "or run `npm ci && npm run build` in console/.\n",
                        status_code=503, media_type="text/plain; charset=utf-8")
    rel = request.path_params.get("path", "")
    if rel and not any(part.startswith(".") for part in rel.split("/")):
        candidate = (dist / rel).resolve()
        if candidate.is_relative_to(dist) and candidate.is_file():
            cache = ASSET_CACHE if rel.startswith("assets/") else "no-cache"
            return FileResponse(candidate, headers={"cache-control": cache, **SECURITY_HEADERS})
    if rel.startswith("assets/") or rel.startswith("api/"):
        return problem(404, "not-found", "Not found")  # a missing asset is not the SPA
    return FileResponse(dist / "index.html", headers={"cache-control": "no-cache", **SECURITY_HEADERS})


async def runtime_config(request: Request) -> Response:
    settings: ConsoleSettings = request.app.state.settings
    auth = {"mode": "dev"} if settings.is_local else {"mode": "none"}
    clients = json.loads(settings.console_clients) if settings.console_clients else list(DEMO_CLIENTS)
    body = {"environment": settings.profile, "auth": auth, "clients": clients,
            "timezone": settings.timezone}
    return JSONResponse(body, headers={"cache-control": "no-store"})


# --- development sign-in (local and test profiles only) -----------------------------------------

def _dev_refused(request: Request) -> Response | None:
    if request.app.state.settings.is_local:
        return None
    return problem(403, "forbidden", "Development sign-in is disabled",
                   "the development sign-in exists only in the local and test profiles")


async def dev_users(request: Request) -> Response:
    if (refused := _dev_refused(request)) is not None:
        return refused
    return JSONResponse({"users": list(DEMO_USERS)}, headers={"cache-control": "no-store"})


async def dev_token(request: Request) -> Response:
    if (refused := _dev_refused(request)) is not None:
        return refused
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        body = None
    sub = body.get("sub") if isinstance(body, dict) else None
    user = next((u for u in DEMO_USERS if u["sub"] == sub), None)
    if user is None:
        return problem(422, "validation-error", "The request is not valid", "unknown demo user",
                       errors=[{"field": "sub", "reason": "not one of the demo users"}])
    from recoup_shared.auth import mint_token

    token = mint_token(sub=user["sub"], roles=user["roles"], team_id=user.get("team_id"),
                       ttl_seconds=DEV_TOKEN_TTL_SECONDS)
    log.info("development sign-in as %s (%s)", user["sub"], ",".join(user["roles"]))
    return JSONResponse({"access_token": token, "token_type": "Bearer", "expires_in": DEV_TOKEN_TTL_SECONDS,
                         "user": user}, headers={"cache-control": "no-store"})


async def healthz(_: Request) -> Response:
    return JSONResponse({"status": "ok"})


# --- the app ----------------------------------------------------------------------------------

class _AccessLog:
    """Method, path, status and milliseconds; never the query string or a body (R-46)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0, status = time.perf_counter(), [0]

        async def send_wrapper(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            if not scope["path"].startswith("/assets/"):
                log.info("%s %s %s %.1fms", scope["method"], scope["path"], status[0],
                         (time.perf_counter() - t0) * 1000)


def create_app(settings: ConsoleSettings | None = None, *, upstreams: dict[str, str] | None = None,
               dist: Path | None = None) -> Any:
    """The gateway; arguments override the environment (RECOUP_CONSOLE_*), for tests."""
    settings = settings or ConsoleSettings()
    from recoup_shared.logging import configure_logging

    configure_logging("console", settings.log_level, settings.log_file)
    # Ours is the access log (_AccessLog); uvicorn's and httpx's request lines carry query strings.
    logging.getLogger("uvicorn.access").disabled = True
    logging.getLogger("httpx").setLevel(logging.WARNING)
    ups = upstreams if upstreams is not None else json.loads(settings.console_upstreams or "{}")
    dist_dir = dist if dist is not None else (Path(settings.console_dist) if settings.console_dist else None)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        timeout = httpx.Timeout(connect=5.0, read=600.0, write=600.0, pool=10.0)
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as http:
            app.state.http = http
            yield

    app = Starlette(routes=[
        Route("/healthz", healthz),
        Route("/config.json", runtime_config),
        Route("/auth/dev/users", dev_users),
        Route("/auth/dev/token", dev_token, methods=["POST"]),
        Route("/api/{service}/{path:path}", proxy,
              methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
        Route("/{path:path}", spa, methods=["GET", "HEAD"]),
    ], lifespan=lifespan)
    app.state.settings = settings
    app.state.upstreams = dict(ups)
    app.state.dist = dist_dir.resolve() if dist_dir is not None else None
    return _AccessLog(app)
