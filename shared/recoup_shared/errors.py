"""One error model for every service: application/problem+json (RFC 9457).

Domain errors subclass `ServiceError`; one exception handler renders them. Request validation
errors from FastAPI/pydantic are rendered the same way, with per-field details, always as 4xx.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from prometheus_client import Counter
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://recoup.example/problems/"


class ServiceError(Exception):
    status: int = 400
    type: str = "bad-request"
    title: str = "Bad request"
    # True: the request's writes before this error are committed (api.Conn), e.g. a recorded refusal
    keeps_writes: bool = False

    def __init__(self, detail: str | None = None, *, errors: list[dict[str, Any]] | None = None,
                 status: int | None = None, type: str | None = None, title: str | None = None,
                 **extra: Any) -> None:
        super().__init__(detail or title or self.title)
        if status is not None:
            self.status = status
        if type is not None:
            self.type = type
        if title is not None:
            self.title = title
        self.detail = detail
        self.errors = errors
        self.extra = extra

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"type": TYPE_BASE + self.type, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class NotFound(ServiceError):
    status, type, title = 404, "not-found", "Not found"


class Conflict(ServiceError):
    status, type, title = 409, "conflict", "Conflict"


class Unauthorized(ServiceError):
    status, type, title = 401, "unauthorized", "Authentication required"


class Forbidden(ServiceError):
    status, type, title = 403, "forbidden", "Forbidden"


class PayloadTooLarge(ServiceError):
    status, type, title = 413, "payload-too-large", "Payload too large"


class UnprocessableInput(ServiceError):
    status, type, title = 422, "validation-error", "The request is not valid"


def problem_response(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object", "title": "Problem", "required": ["type", "title", "status"],
    "description": "RFC 9457 problem details; `errors` lists per-field reasons of a 4xx.",
    "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "detail": {"type": "string"}, "correlation_id": {"type": ["string", "null"]},
        "errors": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
    },
    "additionalProperties": True,
}


def problem_responses(*errors: type[ServiceError]) -> dict[int | str, dict[str, Any]]:
    """For a route's `responses=`: declares the problem+json answers in the OpenAPI."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        out[err.status] = {"description": err.title, "content": {PROBLEM_JSON: {"schema": _PROBLEM_REF}}}
    return out


# What every operation may answer besides its own declarations (issue 14.10): the error handlers
# below send these as problem+json, so the OpenAPI says so.
_COMMON = {"500": "Internal error", "503": "Temporarily unavailable (a dependency is down): retry"}
_WITH_INPUT = {"422": "The request is not valid"}
_AUTHENTICATED = {"401": "Authentication required", "403": "Forbidden"}
_WITH_BODY = {"400": "Malformed request", "413": "Payload too large", "415": "Unsupported media type"}
_PUBLIC_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def declare_problems(openapi: dict[str, Any]) -> dict[str, Any]:
    """Every 4xx/5xx of every operation documented as application/problem+json with the Problem
    schema (FastAPI's default 422 says application/json and HTTPValidationError)."""
    openapi.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for schemas in ("HTTPValidationError", "ValidationError"):
        openapi["components"]["schemas"].pop(schemas, None)
    for path, item in openapi.get("paths", {}).items():
        for method, op in item.items():
            if not isinstance(op, dict) or "responses" not in op:
                continue
            wanted = dict(_COMMON)
            if op.get("parameters") or "requestBody" in op:
                wanted.update(_WITH_INPUT)
            if path not in _PUBLIC_PATHS:
                wanted.update(_AUTHENTICATED)
            if "requestBody" in op:
                wanted.update(_WITH_BODY)
            responses = op["responses"]
            for code, description in wanted.items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code[:1] in "45":
                    response["content"] = {PROBLEM_JSON: {"schema": _PROBLEM_REF}}
    return openapi


def _loc(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "body"


UNEXPECTED_ERRORS = Counter("recoup_unexpected_errors_total",
                            "Requests that ended in an unexpected error (500)", ["service"])
DEPENDENCY_UNAVAILABLE = Counter("recoup_dependency_unavailable_total",
                                 "Requests answered 503 because the database was out of reach", ["service"])


def install_error_handlers(app: FastAPI, service: str = "recoup") -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(_: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(exc.status, exc.body(), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _loc(tuple(e.get("loc", ()))),
             "reason": (f"malformed JSON: {e['ctx']['error']}" if e.get("type") == "json_invalid"
                        and isinstance(e.get("ctx"), dict) and "error" in e["ctx"] else e.get("msg", "invalid"))}
            for e in exc.errors()[:1000]
        ]
        body = UnprocessableInput("The request body does not match the schema", errors=errors).body()
        return problem_response(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        problem = getattr(exc, "problem", None)
        if isinstance(problem, ServiceError):  # web.BodyRefused: refused while the body arrived
            return problem_response(problem.status, problem.body())
        slug = {404: "not-found", 405: "method-not-allowed", 413: "payload-too-large",
                415: "unsupported-media-type"}.get(exc.status_code, "http-error")
        body = {"type": TYPE_BASE + slug, "title": str(exc.detail), "status": exc.status_code}
        return problem_response(exc.status_code, body)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Every unexpected error: problem+json with the correlation id, never internals; counted.
        # Starlette re-raises after this response so the server logs the traceback.
        from .db import is_transient  # asyncpg: not for the problem classes rules/ import

        correlation_id = request.scope.get("state", {}).get("correlation_id")
        if is_transient(exc):
            # the database out of reach (a restart, a failover): nothing wrong with the request,
            # and nothing was committed (the request's transaction rolled back) — retry it
            DEPENDENCY_UNAVAILABLE.labels(service).inc()
            body = {"type": TYPE_BASE + "service-unavailable", "title": "Temporarily unavailable",
                    "status": 503, "detail": "A dependency of the service is unavailable; retry shortly.",
                    "correlation_id": correlation_id}
            headers = {"Retry-After": "1", **({"x-correlation-id": correlation_id} if correlation_id else {})}
            return problem_response(503, body, headers)
        UNEXPECTED_ERRORS.labels(service).inc()
        body = {"type": TYPE_BASE + "internal-error", "title": "Internal error", "status": 500,
                "detail": "The service failed unexpectedly; quote the correlation id to support.",
                "correlation_id": correlation_id}
        headers = {"x-correlation-id": correlation_id} if correlation_id else None
        return problem_response(500, body, headers)
