"""The file store in an S3-compatible bucket (production: any replica renders, any serves a
download; the pods' root filesystems are read-only), on aiobotocore as fieldops' evidence store.

A batch is rendered in a local work directory (the pod's /tmp, sized in services.yaml) and
uploaded file by file under batches/<batch_id>/; if any upload fails, the ones made are deleted
and the error raised: the batch fails whole (the database records it generated only after
`publish` returned). The work directory is removed either way. Approval documents are kept under
approvals/<template_id>/v<version>-<sha256>.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
import anyio.to_thread
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import ClientError

from ..rules.errors import FileNotFound
from .files import BATCH_FILE, CHUNK, FileStore, checked_id, checked_name, clear_dir, document_name

_NOT_FOUND = {"404", "NoSuchKey", "NotFound"}
_TYPES = {".pdf": "application/pdf", ".csv": "text/csv; charset=utf-8",
          ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _missing(err: ClientError) -> bool:
    return str(err.response.get("Error", {}).get("Code", "")) in _NOT_FOUND


class S3FileStore(FileStore):
    def __init__(self, client, bucket: str, work_root: str | Path) -> None:
        self.client, self.bucket, self.work_root = client, bucket, Path(work_root)

    def render_dir(self, batch_id: str) -> Path:
        return self.work_root / checked_id(batch_id)

    def _key(self, batch_id: str, name: str) -> str:
        return f"batches/{checked_id(batch_id)}/{checked_name(name)}"

    async def publish(self, batch_id: str) -> None:
        local = self.render_dir(batch_id)
        done: list[str] = []
        try:
            for path in sorted(p for p in local.iterdir() if BATCH_FILE.match(p.name)):
                data = await anyio.to_thread.run_sync(path.read_bytes)
                key = self._key(batch_id, path.name)
                await self.client.put_object(Bucket=self.bucket, Key=key, Body=data,
                                             ContentType=_TYPES[path.suffix])
                done.append(key)
        except BaseException:
            with anyio.CancelScope(shield=True):
                for key in done:
                    await self.client.delete_object(Bucket=self.bucket, Key=key)
            raise
        finally:
            await anyio.to_thread.run_sync(clear_dir, local)

    async def clear(self, batch_id: str) -> None:
        await anyio.to_thread.run_sync(clear_dir, self.render_dir(batch_id))
        prefix = f"batches/{checked_id(batch_id)}/"
        listed = await self.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        keys = [{"Key": o["Key"]} for o in listed.get("Contents", ())]
        if keys:
            await self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys, "Quiet": True})

    async def open(self, batch_id: str, name: str) -> tuple[AsyncIterator[bytes], int]:
        key = self._key(batch_id, name)
        try:
            got = await self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as err:
            if _missing(err):
                raise FileNotFound("no such batch file") from None
            raise

        async def chunks() -> AsyncIterator[bytes]:
            async with got["Body"] as body:
                async for chunk in body.iter_chunks(CHUNK):
                    yield chunk
        return chunks(), got["ContentLength"]

    async def put_document(self, template_id: str, version: int, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        await self.client.put_object(Bucket=self.bucket, Key=document_name(template_id, version, sha), Body=data)
        return sha

    async def has_document(self, template_id: str, version: int, sha256: str) -> bool:
        try:
            await self.client.head_object(Bucket=self.bucket, Key=document_name(template_id, version, sha256))
        except ClientError as err:
            if _missing(err):
                return False
            raise
        return True


@asynccontextmanager
async def open_s3_files(bucket: str, work_root: str | Path, *, endpoint_url: str | None = None,
                        region: str | None = None, access_key_id: str | None = None,
                        secret_access_key: str | None = None, path_style: bool = True) -> AsyncIterator[S3FileStore]:
    """An S3FileStore with its own client for the life of the block (the context opens it at start
    and closes it at stop). Credentials default to botocore's chain (e.g. the pod's role)."""
    config = AioConfig(s3={"addressing_style": "path" if path_style else "auto"},
                       retries={"max_attempts": 3, "mode": "standard"})
    async with get_session().create_client(
            "s3", endpoint_url=endpoint_url, region_name=region, aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key, config=config) as client:
        yield S3FileStore(client, bucket, work_root)
