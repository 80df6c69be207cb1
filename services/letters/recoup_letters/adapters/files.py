"""Where the service's files live: the print-ready batches (R-33) and the clients' approval documents
(R-27), behind one interface with two implementations:

- `LocalFileStore` (local and test profiles, or a volume shared by the replicas): a directory tree
      <root>/batches/<batch_id>/letters_000001-000500.pdf, envelopes_…, manifest.csv, manifest.xlsx
      <root>/approvals/<template_id>/v<version>-<sha256>
- `S3FileStore` (production, files_s3.py): the same keys in an S3-compatible bucket; batches are
  rendered in a local work directory (the pod's /tmp) and uploaded whole.

A batch is rendered into `render_dir(batch_id)` by print_batch.render_batch, which writes a staging
directory beside it and renames it into place only when every file is complete; `publish` then
makes it the batch's files (nothing to do locally, the upload for S3, all or nothing). What a crash
left behind (a staging directory, files the database never recorded) is removed by `clear` before
the next attempt. Readers are given files only of batches the database says are generated.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from pathlib import Path

import anyio.to_thread

from ..rules.errors import FileNotFound

# names the renderer and the manifest writer produce; nothing else is ever served
BATCH_FILE = re.compile(r"^(letters|envelopes)_\d{6}-\d{6}\.pdf$|^manifest\.(csv|xlsx)$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


def checked_id(value: str) -> str:
    if not _ID.match(value or ""):
        raise ValueError(f"not a storage id: {value!r}")
    return value


def checked_name(name: str) -> str:
    if not BATCH_FILE.match(name or ""):
        raise FileNotFound("no such batch file")
    return name


def document_name(template_id: str, version: int, sha256: str) -> str:
    if not _SHA.match(sha256):
        raise ValueError("not a SHA-256 hex digest")
    return f"approvals/{checked_id(template_id)}/v{int(version)}-{sha256}"


def clear_dir(target: Path) -> None:
    """A directory and the staging directories render_batch leaves beside it when killed."""
    shutil.rmtree(target, ignore_errors=True)
    if target.parent.is_dir():
        for leftover in target.parent.glob(f".{target.name}.partial-*"):
            shutil.rmtree(leftover, ignore_errors=True)


class FileStore(ABC):
    @abstractmethod
    def render_dir(self, batch_id: str) -> Path:
        """Where render_batch writes the batch (it must not exist: `clear` first)."""

    @abstractmethod
    async def publish(self, batch_id: str) -> None:
        """The rendered files become the batch's files: all of them, or none (raises)."""

    @abstractmethod
    async def clear(self, batch_id: str) -> None:
        """No file of the batch remains (revoked, failed, or before a new attempt)."""

    @abstractmethod
    async def open(self, batch_id: str, name: str) -> tuple[AsyncIterator[bytes], int]:
        """A batch file as chunks, and its size (FileNotFound if absent)."""

    @abstractmethod
    async def put_document(self, template_id: str, version: int, data: bytes) -> str:
        """Stores an approval document under its own SHA-256, which it returns."""

    @abstractmethod
    async def has_document(self, template_id: str, version: int, sha256: str) -> bool: ...


class LocalFileStore(FileStore):
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def render_dir(self, batch_id: str) -> Path:
        return self.root / "batches" / checked_id(batch_id)

    async def publish(self, batch_id: str) -> None:
        return None                     # render_batch renamed the complete directory into place

    async def clear(self, batch_id: str) -> None:
        await anyio.to_thread.run_sync(clear_dir, self.render_dir(batch_id))

    def path(self, batch_id: str, name: str) -> Path:
        path = self.render_dir(batch_id) / checked_name(name)
        if not path.is_file():
            raise FileNotFound("no such batch file")
        return path

    async def open(self, batch_id: str, name: str) -> tuple[AsyncIterator[bytes], int]:
        path = await anyio.to_thread.run_sync(self.path, batch_id, name)
        return _chunks(path), path.stat().st_size

    def staging_dirs(self) -> list[Path]:
        parent = self.root / "batches"
        return sorted(parent.glob(".*.partial-*")) if parent.is_dir() else []

    async def put_document(self, template_id: str, version: int, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        await anyio.to_thread.run_sync(_write_once, self.root / document_name(template_id, version, sha), data)
        return sha

    async def has_document(self, template_id: str, version: int, sha256: str) -> bool:
        return (self.root / document_name(template_id, version, sha256)).is_file()


def _write_once(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".partial")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    """A file in chunks read in a worker thread (a streamed download: memory stays flat)."""
    f = await anyio.to_thread.run_sync(open, path, "rb")
    try:
        while block := await anyio.to_thread.run_sync(f.read, CHUNK):
            yield block
    finally:
        f.close()
