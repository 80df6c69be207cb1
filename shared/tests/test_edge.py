"""The edge every service shares (issue 14.2, 14.3, 14.9, 14.10): bodies counted as they arrive,
NUL and lone surrogates refused with 422, unexpected errors as problem+json, problems documented."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from hypothesis import given, settings, strategies as st
from pydantic import BaseModel

from recoup_shared.errors import UNEXPECTED_ERRORS, install_error_handlers
from recoup_shared.web import _document_problems, _ObservabilityMiddleware

LIMIT = 64 * 1024
read_bytes: list[int] = []


class Thing(BaseModel):
    name: str


def make_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app, service="edge")
    _document_problems(app)
    router = APIRouter()

    @router.post("/things")
    async def create(thing: Thing) -> dict:
        return {"name": thing.name}

    @router.post("/raw")
    async def raw(request: Request) -> dict:
        n = 0
        async for chunk in request.stream():
            n += len(chunk)
            read_bytes.append(n)
        return {"bytes": n}

    @router.get("/search")
    async def search(q: str = "") -> dict:
        return {"q": q}

    @router.get("/boom")
    async def boom() -> dict:
        raise RuntimeError("secret internals 410105198703150030")

    @router.get("/database-away")
    async def database_away() -> dict:
        raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")

    app.include_router(router)
    app.add_middleware(_ObservabilityMiddleware, service="edge", max_bytes=LIMIT)
    return app


APP = make_app()


def client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=APP, raise_app_exceptions=False),
                             base_url="http://edge")


async def _chunks(n: int, size: int = 4096):
    for _ in range(n):
        yield b"x" * size


async def test_chunked_body_over_the_limit_is_stopped_at_the_limit():
    read_bytes.clear()
    async with client() as c:
        r = await c.post("/raw", content=_chunks(1000))  # 4 MB, no Content-Length
    assert r.status_code == 413 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/payload-too-large")
    assert max(read_bytes, default=0) <= LIMIT  # nothing past the limit reached the route
    async with client() as c:
        r = await c.post("/things", content=_chunks(100), headers={"content-type": "application/json"})
        assert r.status_code == 413
        r = await c.post("/things", content=b"{}", headers={"content-length": str(LIMIT + 1)})
        assert r.status_code == 413
        assert (await c.post("/raw", content=_chunks(4))).json() == {"bytes": 4 * 4096}


@pytest.mark.parametrize("url", ["/search?q=a%00b", "/search?q=%00", "/sea%00rch"])
async def test_nul_in_query_or_path_is_a_422(url):
    async with client() as c:
        r = await c.get(url)
    assert r.status_code == 422 and r.json()["errors"][0]["reason"].startswith("contains a NUL")


@pytest.mark.parametrize("body, ok", [
    (b'{"name": "a\\u0000b"}', False), (b'{"name": "\\ud800"}', False), (b'{"name": "\\udc00x"}', False),
    (b'{"name": "\\ud83d\\ude00"}', True), (b'{"name": "a\\\\u0000b"}', True), (b'{"name": "\\u4e2d"}', True),
])
async def test_nul_and_lone_surrogates_in_json_are_a_422(body, ok):
    async with client() as c:
        r = await c.post("/things", content=body, headers={"content-type": "application/json"})
    assert r.status_code == (200 if ok else 422), r.text
    if not ok:
        assert r.headers["content-type"] == "application/problem+json" and r.json()["errors"][0]["field"] == "body"


@settings(max_examples=200, deadline=None)
@given(st.text(st.one_of(st.characters(), st.sampled_from("\x00\ud800\udbff\udc00\udfff\\u")), max_size=20))
async def test_any_string_is_either_accepted_whole_or_refused_with_a_422(raw):
    body = json.dumps({"name": raw}).encode()  # ensure_ascii: every non-ASCII char as \u escapes
    text = json.loads(body)["name"]            # what the body means (escaped pairs combine)
    try:
        text.encode("utf-8")
        clean = "\x00" not in text
    except UnicodeEncodeError:
        clean = False
    async with client() as c:
        r = await c.post("/things", content=body, headers={"content-type": "application/json"})
    assert r.status_code == (200 if clean else 422)
    if clean:
        assert r.json() == {"name": text}


async def test_unexpected_error_is_problem_json_with_a_correlation_id_and_counted():
    before = UNEXPECTED_ERRORS.labels("edge")._value.get()
    async with client() as c:
        r = await c.get("/boom", headers={"x-correlation-id": "req-42"})
    assert r.status_code == 500 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["correlation_id"] == "req-42" and "410105" not in r.text and "secret" not in r.text
    assert UNEXPECTED_ERRORS.labels("edge")._value.get() == before + 1


async def test_a_correlation_id_that_is_not_an_id_is_replaced():
    async with client() as c:
        r = await c.get("/search", headers={"x-correlation-id": "13800138000 call me\x7f"[:20]})
    assert r.headers["x-correlation-id"] != "13800138000 call me"


async def test_every_answer_tells_the_time_spent_in_the_service():
    """Server-Timing (app;dur=<ms>): what the benchmarks and browsers' developer tools read."""
    async with client() as c:
        r = await c.get("/search")
    name, _, duration = r.headers["server-timing"].partition(";dur=")
    assert name == "app" and 0 <= float(duration) < 10_000


def test_openapi_documents_problems_as_problem_json():
    spec = APP.openapi()
    assert "HTTPValidationError" not in json.dumps(spec)
    post = spec["paths"]["/things"]["post"]["responses"]
    for code in ("400", "401", "403", "413", "415", "422", "500"):
        assert post[code]["content"] == {"application/problem+json": {
            "schema": {"$ref": "#/components/schemas/Problem"}}}, code
    assert "422" not in spec["paths"]["/boom"]["get"]["responses"]


async def test_the_database_out_of_reach_is_a_503_to_retry_not_a_500():
    """The fault suite's PostgreSQL restart: the client is told to retry (503, Retry-After), as
    problem+json with the correlation id; not counted as an unexpected error."""
    before = UNEXPECTED_ERRORS.labels("edge")._value.get()
    async with client() as c:
        r = await c.get("/database-away", headers={"x-correlation-id": "req-42"})
    assert r.status_code == 503 and r.headers["retry-after"] == "1"
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"].endswith("/service-unavailable") and body["correlation_id"] == "req-42"
    assert "5432" not in r.text
    assert UNEXPECTED_ERRORS.labels("edge")._value.get() == before
    responses = APP.openapi()["paths"]["/database-away"]["get"]["responses"]
    assert list(responses["503"]["content"]) == ["application/problem+json"]


def test_operations_routes_document_what_they_answer():
    """The fuzzing gate found /metrics documented as JSON: it is Prometheus' text format. /readyz
    answers 503 (problem+json) while a dependency is down."""
    from recoup_shared.web import health_router

    app = FastAPI()
    install_error_handlers(app, service="edge")
    _document_problems(app)
    app.include_router(health_router())
    paths = app.openapi()["paths"]
    assert list(paths["/metrics"]["get"]["responses"]["200"]["content"]) == ["text/plain"]
    assert list(paths["/readyz"]["get"]["responses"]["503"]["content"]) == ["application/problem+json"]


@settings(max_examples=300, deadline=None)
@given(st.text(st.one_of(st.characters(), st.sampled_from("\x00\ud800\udbff\udc00\udfff\\u")), max_size=30),
       st.lists(st.integers(1, 40), min_size=1, max_size=10))
def test_the_scan_judges_a_body_the_same_however_it_is_cut(raw, sizes):
    from recoup_shared.web import BodyRefused, _JsonEscapeScan

    body = json.dumps({"name": raw}).encode()
    text = json.loads(body)["name"]
    try:
        clean = "\x00" not in text and bool(text.encode("utf-8") or True)
    except UnicodeEncodeError:
        clean = False
    chunks, pos, k = [], 0, 0
    while pos < len(body):
        chunks.append(body[pos:pos + sizes[k % len(sizes)]])
        pos += sizes[k % len(sizes)]
        k += 1
    scan = _JsonEscapeScan()
    try:
        for i, chunk in enumerate(chunks + [b""]):
            scan.feed(chunk, last=i == len(chunks))
        refused = False
    except BodyRefused:
        refused = True
    assert refused == (not clean)
