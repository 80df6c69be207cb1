"""The console's local gateway (recoup_local/console.py) against a real upstream HTTP server:
proxying with streamed bodies and kept headers, the SPA's files and fallback, the development
sign-in and its refusal outside the local/test profile, and logs without query strings."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import jwt
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from recoup_local import procs
from recoup_local.console import ConsoleSettings, create_app
from recoup_local.console_build import build_stale, deps_stale, newest_source_mtime
from recoup_shared.auth import local_public_key


async def _echo(request: Request):
    body = await request.body()
    return JSONResponse({"method": request.method, "path": request.url.path, "query": request.url.query,
                         "size": len(body), "sha": __import__("hashlib").sha256(body).hexdigest(),
                         "auth": request.headers.get("authorization"),
                         "cid": request.headers.get("x-correlation-id"),
                         "ctype": request.headers.get("content-type")},
                        headers={"x-upstream": "yes"})


async def _big(_: Request):
    async def chunks():
        for _ in range(64):
            yield b"x" * 65536
    return StreamingResponse(chunks(), media_type="application/pdf",
                             headers={"content-disposition": 'attachment; filename="s.pdf"'})


async def _problem(_: Request):
    return JSONResponse({"type": "https://recoup.example/problems/conflict", "title": "Conflict", "status": 409},
                        status_code=409, media_type="application/problem+json")


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    """A real HTTP server (uvicorn in a thread) standing in for a service."""
    app = Starlette(routes=[Route("/v1/big.pdf", _big), Route("/v1/conflict", _problem, methods=["POST"]),
                            Route("/{path:path}", _echo, methods=["GET", "POST", "PUT", "PATCH", "DELETE"])])
    port = procs.free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture()
def dist(tmp_path: Path) -> Path:
    d = tmp_path / "dist"
    (d / "assets").mkdir(parents=True)
    (d / "index.html").write_text("<!doctype html><div id=app></div>")
    (d / "assets" / "index-abc123.js").write_text("console.log(1)")
    (d / "favicon.svg").write_text("<svg/>")
    (d / ".vite").mkdir()
    (d / ".vite" / "manifest.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("outside dist")
    return d


def _client(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console")


async def _with_lifespan(app, fn):
    from asgi_lifespan import LifespanManager

    async with LifespanManager(app):
        async with _client(app) as c:
            return await fn(c)


def _settings(**kw) -> ConsoleSettings:
    return ConsoleSettings(profile=kw.pop("profile", "test"), **kw)


async def test_proxies_to_the_service_with_body_headers_and_query(upstream, dist):
    app = create_app(_settings(), upstreams={"intake": upstream}, dist=dist)
    body = os.urandom(3 * 1024 * 1024)  # streamed through, byte for byte

    async def run(c: httpx.AsyncClient):
        r = await c.post("/api/intake/v1/placements?client_id=demo-bank&x=1", content=body,
                         headers={"authorization": "Bearer t", "content-type": "application/octet-stream",
                                  "x-correlation-id": "cid-1", "connection": "keep-alive"})
        return r

    r = await _with_lifespan(app, run)
    assert r.status_code == 200
    got = r.json()
    assert got["path"] == "/v1/placements" and got["query"] == "client_id=demo-bank&x=1"
    assert got["size"] == len(body) and got["sha"] == __import__("hashlib").sha256(body).hexdigest()
    assert got["auth"] == "Bearer t" and got["cid"] == "cid-1" and got["ctype"] == "application/octet-stream"
    assert r.headers["x-upstream"] == "yes"


async def test_streams_downloads_and_passes_problems_through(upstream, dist):
    app = create_app(_settings(), upstreams={"billing": upstream}, dist=dist)

    async def run(c: httpx.AsyncClient):
        big = await c.get("/api/billing/v1/big.pdf")
        conflict = await c.post("/api/billing/v1/conflict")
        return big, conflict

    big, conflict = await _with_lifespan(app, run)
    assert big.status_code == 200 and len(big.content) == 64 * 65536
    assert big.headers["content-type"] == "application/pdf"
    assert big.headers["content-disposition"] == 'attachment; filename="s.pdf"'
    assert big.headers["x-correlation-id"]  # one is made when the caller sent none
    assert conflict.status_code == 409
    assert conflict.headers["content-type"] == "application/problem+json"
    assert conflict.json()["title"] == "Conflict"


async def test_unknown_stopped_and_unreachable_services(dist):
    app = create_app(_settings(), upstreams={"billing": f"http://127.0.0.1:{procs.free_port()}"}, dist=dist)

    async def run(c: httpx.AsyncClient):
        return [await c.get(p) for p in ("/api/nope/v1/x", "/api/contact/v1/x", "/api/billing/v1/x")]

    nope, contact, billing = await _with_lifespan(app, run)
    assert (nope.status_code, contact.status_code, billing.status_code) == (404, 503, 502)
    for r in (nope, contact, billing):
        assert r.headers["content-type"] == "application/problem+json"
    assert "not running" in contact.json()["detail"]


async def test_serves_the_spa_with_caching_and_fallback(dist):
    app = create_app(_settings(), upstreams={}, dist=dist)

    async def run(c: httpx.AsyncClient):
        return {p: await c.get(p) for p in ("/", "/billing/statements/demo-bank/2026-11", "/assets/index-abc123.js",
                                            "/assets/missing-1.js", "/favicon.svg", "/.vite/manifest.json",
                                            "/../secret.txt", "/%2e%2e/secret.txt")}

    r = await _with_lifespan(app, run)
    assert r["/"].text.startswith("<!doctype html>") and r["/"].headers["cache-control"] == "no-cache"
    assert "script-src 'self'" in r["/"].headers["content-security-policy"]
    assert r["/billing/statements/demo-bank/2026-11"].text.startswith("<!doctype html>")  # the router's page
    assert r["/assets/index-abc123.js"].headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r["/assets/missing-1.js"].status_code == 404  # never index.html for a missing asset
    assert r["/favicon.svg"].headers["cache-control"] == "no-cache"
    assert "{}" not in r["/.vite/manifest.json"].text  # dot paths are not served
    for p in ("/../secret.txt", "/%2e%2e/secret.txt"):
        assert "outside dist" not in r[p].text


async def test_without_a_build_it_says_how_to_build(tmp_path):
    app = create_app(_settings(), upstreams={}, dist=tmp_path / "nothing")
    r = await _with_lifespan(app, lambda c: c.get("/"))
    assert r.status_code == 503 and "make up" in r.text


async def test_development_sign_in_mints_tokens_for_demo_users(dist):
    app = create_app(_settings(), upstreams={}, dist=dist)

    async def run(c: httpx.AsyncClient):
        return (await c.get("/config.json"), await c.get("/auth/dev/users"),
                await c.post("/auth/dev/token", json={"sub": "demo-lead"}),
                await c.post("/auth/dev/token", json={"sub": "someone-else"}))

    config, users, token, unknown = await _with_lifespan(app, run)
    assert config.json()["auth"] == {"mode": "dev"}
    roles = {r for u in users.json()["users"] for r in u["roles"]}
    assert roles == {"collector", "team_lead", "supervisor", "field_agent", "letters_clerk",
                     "data_specialist", "finance", "auditor", "admin"}  # every R-45 staff role
    claims = jwt.decode(token.json()["access_token"], local_public_key(), algorithms=["RS256"], audience="recoup")
    assert claims["sub"] == "demo-lead" and claims["roles"] == ["team_lead"] and claims["team_id"] == "demo-team"
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "sub"


async def test_development_sign_in_is_refused_outside_local_and_test(dist):
    # the gateway never talks to the broker; the production profile still wants its settings coherent
    prod = ConsoleSettings(profile="production", data_keys="k1:" + "A" * 44, blind_index_key="B" * 44,
                           jwt_jwks_url="https://id.example/jwks", kafka_allow_plaintext=True)
    app = create_app(prod, upstreams={}, dist=dist)

    async def run(c: httpx.AsyncClient):
        return (await c.get("/config.json"), await c.get("/auth/dev/users"),
                await c.post("/auth/dev/token", json={"sub": "demo-admin"}))

    config, users, token = await _with_lifespan(app, run)
    assert config.json()["auth"] == {"mode": "none"}
    assert users.status_code == 403 and token.status_code == 403
    assert "access_token" not in token.text


async def test_the_log_has_no_query_strings(upstream, dist, caplog):
    app = create_app(_settings(), upstreams={"intake": upstream}, dist=dist)
    with caplog.at_level(logging.INFO, logger="recoup.console"):
        await _with_lifespan(app, lambda c: c.get("/api/intake/v1/cases", params={"id_number": "11010519491231002X"}))
    ours = [r.getMessage() for r in caplog.records if r.name == "recoup.console"]
    assert any("/api/intake/v1/cases" in line for line in ours)
    every = [r.getMessage() for r in caplog.records]  # the HTTP client's lines included
    assert not any("11010519491231002X" in line or "id_number" in line for line in every)


def test_build_stamps(tmp_path: Path):
    c = tmp_path / "console"
    (c / "src" / "views").mkdir(parents=True)
    (c / "node_modules").mkdir()
    (c / "package-lock.json").write_text('{"lockfileVersion": 3}')
    (c / "src" / "main.ts").write_text("x")
    assert deps_stale(c) and build_stale(c)
    import hashlib

    (c / "node_modules" / ".recoup-lock.sha256").write_text(hashlib.sha256(b'{"lockfileVersion": 3}').hexdigest())
    assert not deps_stale(c)
    (c / "package-lock.json").write_text('{"lockfileVersion": 3, "x": 1}')
    assert deps_stale(c)

    (c / "dist").mkdir()
    stamp = c / "dist" / ".recoup-build-stamp"
    stamp.write_text("")
    later = newest_source_mtime(c) + 10
    os.utime(stamp, (later, later))
    assert not build_stale(c)
    (c / "src" / "auto-imports.d.ts").write_text("generated by the build")  # its own output
    os.utime(c / "src" / "auto-imports.d.ts", (later + 5, later + 5))
    assert not build_stale(c)
    (c / "src" / "views" / "New.vue").write_text("<template/>")
    os.utime(c / "src" / "views" / "New.vue", (later + 5, later + 5))
    assert build_stale(c)
    (c / "src" / "views" / "New.vue").unlink()  # a deletion changes its directory
    os.utime(c / "src" / "views", (later + 6, later + 6))
    assert build_stale(c)
    assert json.loads((c / "package-lock.json").read_text())["x"] == 1
