"""Visit evidence storage (R-37): door-plate photos, audio and video, behind one interface.

Seed 004 (2.1): 外访录音与摄像由专人统一进行保存, 保存期限需五年以上. So every object is
- checked on arrival: the upload is streamed, its SHA-256 computed as it comes, and compared with
  the checksum the client declared; on a mismatch nothing is stored (error 422);
- bounded: over `max_bytes` the upload stops and nothing is stored (error 413);
- kept: a retain-until date (now + `retention_years`, never less than `min_retention_years`) is
  stored with the object, and deletion before it is refused (409).

Two implementations: `LocalEvidenceStore` (a directory, for the local stack and tests) here, and
`S3EvidenceStore` (S3-compatible, production) in evidence_s3.py. Both commit only after the hash
matched: the local one writes into a staging directory and renames it into place (atomic), the S3
one streams into a multipart upload and completes it only then (an uncompleted upload is invisible
and is aborted). Keys are chosen by the caller; `evidence_key()` gives the recommended shape.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import shutil
import uuid
from abc import ABC, abstractmethod
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread

from ..rules.errors import (
    ChecksumMismatch,
    EvidenceExists,
    EvidenceNotFound,
    EvidenceTooLarge,
    InvalidEvidence,
    RetentionActive,
)

MiB = 1024 * 1024
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$")
_SHA = re.compile(r"^[0-9a-f]{64}$")


class EvidenceKind(StrEnum):
    DOOR_PLATE_PHOTO = "door_plate_photo"   # 门牌照片
    AUDIO = "audio"                         # 录音
    VIDEO = "video"                         # 录像


@dataclass(frozen=True, slots=True)
class EvidenceConfig:
    max_bytes: int = 2 * 1024 * MiB      # a 1080p video of a long visit fits; the API maps over → 413
    retention_years: int = 5             # at least five years
    min_retention_years: int = 5
    chunk_size: int = 1 * MiB            # reads
    part_size: int = 8 * MiB             # S3 multipart parts (S3 minimum 5 MiB)

    def __post_init__(self) -> None:
        if self.retention_years < self.min_retention_years:
            raise ValueError(f"retention_years must be at least {self.min_retention_years} (R-37)")
        if self.part_size < 5 * MiB or self.max_bytes <= 0:
            raise ValueError("part_size must be >= 5 MiB and max_bytes > 0")


@dataclass(frozen=True, slots=True)
class StoredEvidence:
    key: str
    sha256: str
    size: int
    kind: EvidenceKind
    content_type: str
    stored_at: datetime
    retain_until: datetime
    locked: bool = False                  # the store itself enforces retention (S3 object lock)
    version_id: str | None = None


def evidence_key(visit_id: str, kind: EvidenceKind | str, sha256: str) -> str:
    """Recommended key: one visit's evidence together, content-addressed (a replay is idempotent)."""
    return f"visits/{visit_id}/{EvidenceKind(kind).value}/{sha256}"


def check_key(key: str) -> str:
    if len(key) > 512 or not _KEY.match(key) or ".." in key:
        raise InvalidEvidence("evidence key must be path segments of [A-Za-z0-9._-]", field="key")
    return key


def check_sha256(declared: str) -> str:
    sha = (declared or "").strip().lower()
    if not _SHA.match(sha):
        raise InvalidEvidence("sha256 must be 64 hexadecimal characters", field="sha256")
    return sha


def add_years(moment: datetime, years: int) -> datetime:
    """Same day and time `years` later; 29 February becomes 1 March (never shorter)."""
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, month=3, day=1)


def retention(now: datetime, cfg: EvidenceConfig, retain_until: datetime | None = None) -> datetime:
    """R-37: the retain-until date, UTC, whole seconds rounded up (S3 keeps seconds)."""
    if now.tzinfo is None or (retain_until is not None and retain_until.tzinfo is None):
        raise ValueError("now and retain_until must be timezone-aware")
    floor = add_years(now, cfg.min_retention_years)
    until = retain_until if retain_until is not None else add_years(now, cfg.retention_years)
    if until < floor:
        raise InvalidEvidence(f"retention must be at least {cfg.min_retention_years} years",
                              field="retain_until")
    until = until.astimezone(timezone.utc)
    if until.microsecond:
        until = until.replace(microsecond=0) + timedelta(seconds=1)
    return until


class Digest:
    """SHA-256 and byte count of a stream as it arrives; raises once the size limit is passed."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes, self.size, self._h = max_bytes, 0, hashlib.sha256()

    def update(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise EvidenceTooLarge(f"over the limit of {self.max_bytes} bytes", max_bytes=self.max_bytes)
        self._h.update(chunk)             # hashlib releases the GIL: callers run this in a thread

    def hexdigest(self) -> str:
        return self._h.hexdigest()


def verify(digest: Digest, declared_sha: str, declared_size: int | None) -> None:
    if digest.size == 0:
        raise InvalidEvidence("the evidence file is empty", field="file")
    if declared_size is not None and digest.size != declared_size:
        raise InvalidEvidence(f"{digest.size} bytes arrived, {declared_size} declared", field="size")
    if digest.hexdigest() != declared_sha:
        raise ChecksumMismatch(f"declared {declared_sha}, received {digest.hexdigest()}",
                               declared=declared_sha, received=digest.hexdigest())


async def iter_file(fileobj: Any, chunk_size: int = MiB) -> AsyncIterator[bytes]:
    """Chunks of an upload: an object with `async read(n)` (Starlette's UploadFile) or a plain
    binary file (read in a worker thread)."""
    is_async = inspect.iscoroutinefunction(fileobj.read)
    while True:
        chunk = (await fileobj.read(chunk_size) if is_async
                 else await anyio.to_thread.run_sync(fileobj.read, chunk_size))
        if not chunk:
            return
        yield chunk


class EvidenceStore(ABC):
    """One interface for every backend. All methods are coroutines that never block the loop."""

    cfg: EvidenceConfig

    @abstractmethod
    async def put(self, key: str, data: AsyncIterable[bytes], *, sha256: str,
                  kind: EvidenceKind | str, content_type: str, now: datetime,
                  retain_until: datetime | None = None, size: int | None = None) -> StoredEvidence:
        """Store `data` under `key` iff its SHA-256 equals `sha256` (and its size `size`, when
        declared). The same key with the same checksum again returns the stored object."""

    @abstractmethod
    async def head(self, key: str) -> StoredEvidence:
        """What is stored under `key` (EvidenceNotFound if nothing)."""

    @abstractmethod
    def read(self, key: str) -> AsyncIterator[bytes]:
        """The object's bytes, in chunks."""

    @abstractmethod
    async def delete(self, key: str, *, now: datetime) -> None:
        """Remove the object; refused with RetentionActive before its retain-until."""

    def _prepare(self, key: str, sha256: str, now: datetime, retain_until: datetime | None,
                 size: int | None) -> tuple[str, str, datetime]:
        if size is not None and size > self.cfg.max_bytes:       # fail before reading a byte
            raise EvidenceTooLarge(f"{size} bytes declared, limit {self.cfg.max_bytes}",
                                   max_bytes=self.cfg.max_bytes)
        return check_key(key), check_sha256(sha256), retention(now, self.cfg, retain_until)

    @staticmethod
    def _existing(found: StoredEvidence, sha: str) -> StoredEvidence:
        if found.sha256 != sha:
            raise EvidenceExists("other evidence is stored under this key", key=found.key)
        return found


# --- local directory -----------------------------------------------------------------------------

class LocalEvidenceStore(EvidenceStore):
    """A directory: objects/<h[:2]>/<h> (h = SHA-256 of the key) holding `data` (read-only) and
    `meta.json`; uploads are staged in .staging/ and renamed into place once verified. Retention
    is metadata enforced by this class only: fine for the local stack, not a compliance store."""

    def __init__(self, root: str | os.PathLike[str], cfg: EvidenceConfig = EvidenceConfig()) -> None:
        self.root, self.cfg = Path(root), cfg
        (self.root / "objects").mkdir(parents=True, exist_ok=True)
        (self.root / ".staging").mkdir(parents=True, exist_ok=True)

    def _dir(self, key: str) -> Path:
        h = hashlib.sha256(check_key(key).encode()).hexdigest()
        return self.root / "objects" / h[:2] / h

    async def put(self, key, data, *, sha256, kind, content_type, now, retain_until=None, size=None):
        key, sha, until = self._prepare(key, sha256, now, retain_until, size)
        final = self._dir(key)
        if await anyio.to_thread.run_sync(final.exists):
            return self._existing(await self.head(key), sha)
        stage = self.root / ".staging" / uuid.uuid4().hex
        await anyio.to_thread.run_sync(stage.mkdir)
        try:
            digest = Digest(self.cfg.max_bytes)
            async with await anyio.open_file(stage / "data", "xb") as out:
                async for chunk in data:
                    await anyio.to_thread.run_sync(_hash_and_write, digest, out.wrapped, chunk)
                await anyio.to_thread.run_sync(_sync, out.wrapped)
            verify(digest, sha, size)
            found = StoredEvidence(key, sha, digest.size, EvidenceKind(kind), content_type,
                                   now.astimezone(timezone.utc), until)
            committed = await anyio.to_thread.run_sync(_commit, stage, final, found)
        finally:
            await anyio.to_thread.run_sync(shutil.rmtree, stage, True)
        return found if committed else self._existing(await self.head(key), sha)

    async def head(self, key):
        path = self._dir(key) / "meta.json"
        try:
            raw = await anyio.to_thread.run_sync(path.read_bytes)
        except FileNotFoundError:
            raise EvidenceNotFound(key=key) from None
        return _from_meta(json.loads(raw))

    async def read(self, key):
        await self.head(key)
        async with await anyio.open_file(self._dir(key) / "data", "rb") as f:
            async for chunk in iter_file(f, self.cfg.chunk_size):
                yield chunk

    async def delete(self, key, *, now):
        found = await self.head(key)
        if now < found.retain_until:
            raise RetentionActive(f"kept until {found.retain_until.isoformat()}", key=key,
                                  retain_until=found.retain_until.isoformat())
        await anyio.to_thread.run_sync(shutil.rmtree, self._dir(key))


def _hash_and_write(digest: Digest, out, chunk: bytes) -> None:
    digest.update(chunk)
    out.write(chunk)


def _sync(f) -> None:
    f.flush()
    os.fsync(f.fileno())


def _commit(stage: Path, final: Path, found: StoredEvidence) -> bool:
    """Write the metadata, freeze the data, and rename the staging directory into place.
    False when another upload committed the same key first."""
    meta = {**asdict(found), "stored_at": found.stored_at.isoformat(),
            "retain_until": found.retain_until.isoformat()}
    with open(stage / "meta.json", "x", encoding="utf-8") as f:
        json.dump(meta, f, ensure_ascii=False)
        _sync(f)
    os.chmod(stage / "data", 0o444)
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(stage, final)           # atomic; fails if the key was committed meanwhile
    except OSError:
        if final.exists():
            return False
        raise
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    return True


def _from_meta(meta: dict[str, Any]) -> StoredEvidence:
    return StoredEvidence(key=meta["key"], sha256=meta["sha256"], size=meta["size"],
                          kind=EvidenceKind(meta["kind"]), content_type=meta["content_type"],
                          stored_at=datetime.fromisoformat(meta["stored_at"]),
                          retain_until=datetime.fromisoformat(meta["retain_until"]),
                          locked=meta.get("locked", False), version_id=meta.get("version_id"))
