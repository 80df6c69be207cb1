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


def problem_responses(*errors: type[ServiceError]) -> dict[int | str, dict[str, Any]]:
    """For a route's `responses=`: declares the problem+json answers in the OpenAPI."""
    out: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        out[err.status] = {"description": err.title, "content": {PROBLEM_JSON: {}}}
    return out


def _loc(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    out = ""
    for p in parts:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out or "body"


UNEXPECTED_ERRORS = Counter("recoup_unexpected_errors_total",
                            "Requests that ended in an unexpected error (500)", ["service"])


def install_error_handlers(app: FastAPI, service: str = "recoup") -> None:
    @app.exception_handler(ServiceError)
    async def _service_error(_: Request, exc: ServiceError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        return problem_response(exc.status, exc.body(), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"field": _loc(tuple(e.get("loc", ()))), "reason": e.get("msg", "invalid")}
            for e in exc.errors()[:1000]
        ]
        body = UnprocessableInput("The request body does not match the schema", errors=errors).body()
        return problem_response(422, body)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug = {404: "not-found", 405: "method-not-allowed", 413: "payload-too-large",
                415: "unsupported-media-type"}.get(exc.status_code, "http-error")
        body = {"type": TYPE_BASE + slug, "title": str(exc.detail), "status": exc.status_code}
        return problem_response(exc.status_code, body)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Every unexpected error: problem+json with the correlation id, never internals; counted.
        # Starlette re-raises after this response so the server logs the traceback.
        UNEXPECTED_ERRORS.labels(service).inc()
        correlation_id = request.scope.get("state", {}).get("correlation_id")
        body = {"type": TYPE_BASE + "internal-error", "title": "Internal error", "status": 500,
                "detail": "The service failed unexpectedly; quote the correlation id to support.",
                "correlation_id": correlation_id}
        headers = {"x-correlation-id": correlation_id} if correlation_id else None
        return problem_response(500, body, headers)
