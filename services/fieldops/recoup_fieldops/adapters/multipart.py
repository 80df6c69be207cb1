"""A multipart/form-data body read as it arrives: the short text fields first, then the one file
part's bytes streamed on (to the evidence store, hashed on the way) — never spooled to disk or
memory as Starlette's UploadFile does. Built on python-multipart's push parser (the parser FastAPI
itself uses for forms).

The evidence form: `kind`, `sha256` (and optionally `size`) before the `file` part; fields after
the file are not read. Everything malformed is a 422 naming the field (InvalidEvidence).
"""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from python_multipart.multipart import MultipartParser, parse_options_header

from ..rules.errors import InvalidEvidence

MAX_FIELDS = 16
MAX_FIELD_BYTES = 4096


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    name: str = ""
    filename: str | None = None
    content_type: str = "application/octet-stream"
    buffer: bytearray = field(default_factory=bytearray)


@dataclass(frozen=True, slots=True)
class Head:
    fields: dict[str, str]
    filename: str | None
    content_type: str


def _bad(reason: str, where: str = "body") -> InvalidEvidence:
    return InvalidEvidence(reason, errors=[{"field": where, "reason": reason}])


class MultipartForm:
    def __init__(self, stream: AsyncIterator[bytes], content_type: str | None) -> None:
        kind, params = parse_options_header(content_type or "")
        boundary = params.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise _bad("send multipart/form-data with a boundary", "content-type")
        self._stream = stream
        self._fields: dict[str, str] = {}
        self._chunks: deque[bytes] = deque()
        self._part = _Part()
        self._header_field = bytearray()
        self._header_value = bytearray()
        self._file: _Part | None = None
        self._file_done = False
        self._eof = False
        self._parser = MultipartParser(boundary, {
            "on_part_begin": self._begin, "on_part_data": self._data, "on_part_end": self._end,
            "on_header_field": lambda d, s, e: self._header_field.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._header_value.extend(d[s:e]),
            "on_header_end": self._header_end, "on_headers_finished": self._headers_done})

    # --- parser callbacks ------------------------------------------------------------------
    def _begin(self) -> None:
        self._part = _Part()

    def _header_end(self) -> None:
        self._part.headers[bytes(self._header_field).lower()] = bytes(self._header_value)
        self._header_field.clear()
        self._header_value.clear()

    def _headers_done(self) -> None:
        part = self._part
        _, params = parse_options_header(part.headers.get(b"content-disposition", b""))
        part.name = params.get(b"name", b"").decode("utf-8", "replace")
        filename = params.get(b"filename")
        part.filename = filename.decode("utf-8", "replace") if filename is not None else None
        if part.filename is not None:
            if self._file is not None:
                raise _bad("one file per upload", part.name or "file")
            ctype = part.headers.get(b"content-type", b"application/octet-stream").decode("latin-1")
            part.content_type = ctype.strip()[:200] or "application/octet-stream"
            self._file = part

    def _data(self, data: bytes, start: int, end: int) -> None:
        if self._part is self._file:
            self._chunks.append(bytes(data[start:end]))
        elif self._file is None:
            self._part.buffer.extend(data[start:end])
            if len(self._part.buffer) > MAX_FIELD_BYTES:
                raise _bad(f"a form field is at most {MAX_FIELD_BYTES} bytes", self._part.name or "body")

    def _end(self) -> None:
        if self._part is self._file:
            self._file_done = True
        elif self._file is None:
            if len(self._fields) >= MAX_FIELDS:
                raise _bad("too many form fields")
            try:
                self._fields[self._part.name] = self._part.buffer.decode("utf-8")
            except UnicodeDecodeError:
                raise _bad("a form field is not UTF-8 text", self._part.name) from None

    # --- reading -------------------------------------------------------------------------------
    async def _pump(self) -> bool:
        if self._eof:
            return False
        try:
            chunk = await anext(self._stream)
        except StopAsyncIteration:
            self._eof = True
            self._parser.finalize()
            return False
        if chunk:
            self._parser.write(chunk)
        return True

    async def head(self) -> Head:
        """The fields before the file part, and the file's name and type (nothing of its bytes
        is consumed beyond what arrived with its headers)."""
        while self._file is None:
            if not await self._pump():
                raise _bad("no file part in the form", "file")
        return Head(dict(self._fields), self._file.filename, self._file.content_type)

    async def file(self) -> AsyncIterator[bytes]:
        """The file part's bytes, as they arrive."""
        if self._file is None:
            await self.head()
        while True:
            while self._chunks:
                yield self._chunks.popleft()
            if self._file_done:
                return
            if not await self._pump():
                raise _bad("the body ended inside the file part", "file")
