"""A raw request body (a file the post office or a client sends), read as it arrives and refused
past a limit (413) — never loaded unbounded."""

from __future__ import annotations

from fastapi import Request

from recoup_shared.errors import PayloadTooLarge, UnprocessableInput


async def read_body(request: Request, limit: int) -> bytes:
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise PayloadTooLarge(f"the file is over {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"the file is over {limit} bytes")
        chunks.append(chunk)
    if size == 0:
        raise UnprocessableInput("the body is empty", errors=[{"field": "body", "reason": "empty"}])
    return b"".join(chunks)
