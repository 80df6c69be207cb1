"""Where the service's files live: the print-ready batches (R-33) and the clients' approval documents
(R-27), in one directory tree.

    <root>/batches/<batch_id>/letters_000001-000500.pdf, envelopes_…, manifest.csv, manifest.xlsx
    <root>/approvals/<template_id>/v<version>-<sha256>

A batch is rendered straight into `batch_dir(batch_id)` by print_batch.render_batch, which writes
into a staging directory beside it and renames it into place only when every file is complete:
readers never see a half-written batch. What a crash left behind (a staging directory, or a batch
directory the database never recorded) is removed by `clear_batch` before the next attempt.

Local and test profiles use a directory under RECOUP_DATA_DIR; production mounts a persistent volume
shared by the replicas (ReadWriteMany) at RECOUP_STORAGE_DIR, since any replica may render and any
may serve a download (README "Files"). All methods are blocking: call them from a worker thread.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from ..rules.errors import FileNotFound

# names the renderer and the manifest writer produce; nothing else is ever served
_BATCH_FILE = re.compile(r"^(letters|envelopes)_\d{6}-\d{6}\.pdf$|^manifest\.(csv|xlsx)$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")
_SHA = re.compile(r"^[0-9a-f]{64}$")
CHUNK = 1024 * 1024


def _checked_id(value: str) -> str:
    if not _ID.match(value or ""):
        raise ValueError(f"not a storage id: {value!r}")
    return value


class FileStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    # --- batches -----------------------------------------------------------------------------

    def batch_dir(self, batch_id: str) -> Path:
        return self.root / "batches" / _checked_id(batch_id)

    def clear_batch(self, batch_id: str) -> None:
        """Remove a batch's files and any staging directory a crashed attempt left."""
        target = self.batch_dir(batch_id)
        shutil.rmtree(target, ignore_errors=True)
        parent = target.parent
        if parent.is_dir():
            for leftover in parent.glob(f".{batch_id}.partial-*"):
                shutil.rmtree(leftover, ignore_errors=True)

    def batch_file(self, batch_id: str, name: str) -> Path:
        if not _BATCH_FILE.match(name or ""):
            raise FileNotFound("no such batch file")
        path = self.batch_dir(batch_id) / name
        if not path.is_file():
            raise FileNotFound("no such batch file")
        return path

    def batch_files(self, batch_id: str) -> list[str]:
        d = self.batch_dir(batch_id)
        return sorted(p.name for p in d.iterdir() if _BATCH_FILE.match(p.name)) if d.is_dir() else []

    def staging_dirs(self) -> list[Path]:
        parent = self.root / "batches"
        return sorted(parent.glob(".*.partial-*")) if parent.is_dir() else []

    # --- approval documents (R-27) ---------------------------------------------------------------

    def document_path(self, template_id: str, version: int, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / "approvals" / _checked_id(template_id) / f"v{int(version)}-{sha256}"

    def put_document(self, template_id: str, version: int, data: bytes) -> tuple[str, Path]:
        """Stores the document under its own digest (written once, renamed into place)."""
        sha = hashlib.sha256(data).hexdigest()
        path = self.document_path(template_id, version, sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".partial")
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        return sha, path

    def has_document(self, template_id: str, version: int, sha256: str) -> bool:
        return self.document_path(template_id, version, sha256).is_file()


def read_chunks(path: Path, chunk: int = CHUNK) -> Iterator[bytes]:
    """A file in chunks (a streamed download: memory stays flat whatever the file's size)."""
    with open(path, "rb") as f:
        while block := f.read(chunk):
            yield block
