"""S3-compatible evidence store (R-37), on aiobotocore.

Why aiobotocore: it is botocore itself (same API, credentials chain, retries, signing) over
aiohttp, so every call is a coroutine and nothing blocks the event loop; aioboto3 only adds boto3's
resource layer and managed transfers, which we do not use (the upload must be hashed as it streams,
so we drive the multipart upload ourselves); boto3 would need a worker thread per call. Its cost:
aiobotocore pins a narrow botocore range, so boto3 (if ever added) must match it.

Commit protocol: the object is streamed into a multipart upload while its SHA-256 is computed
(in a worker thread: hashlib releases the GIL). Only when the digest matches the declared checksum
is the upload completed; otherwise, or on any error or cancellation, it is aborted — S3 never shows
an uncompleted upload, so nothing is stored. (Set a bucket lifecycle rule
AbortIncompleteMultipartUpload, e.g. 1 day, for uploads a crashed process could not abort.)

Retention: where the bucket has object lock enabled, the object version gets mode COMPLIANCE (or
GOVERNANCE, configurable) with its retain-until date — asked for when the upload is created and
verified after completion (some S3-compatible servers ignore it there; it is then set with
PutObjectRetention). Without object lock the date is kept in the object's metadata and enforced by
this class only. Never configure a default retention on the bucket: it would not change anything
for us, but would lock objects written by anything else too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from typing import Any, Literal

import anyio
from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from botocore.exceptions import ClientError

from ..rules.errors import EvidenceNotFound, RetentionActive
from .evidence import Digest, EvidenceConfig, EvidenceKind, EvidenceStore, StoredEvidence, verify

LockMode = Literal["COMPLIANCE", "GOVERNANCE"]
_NOT_FOUND = {"404", "NoSuchKey", "NotFound", "NoSuchVersion"}


def _code(err: ClientError) -> str:
    return str(err.response.get("Error", {}).get("Code", ""))


class S3EvidenceStore(EvidenceStore):
    """Evidence in one bucket. `client` is an open aiobotocore S3 client (see `open_s3_evidence`);
    `object_lock=None` asks the bucket whether it has object lock (`probe()`)."""

    def __init__(self, client: Any, bucket: str, cfg: EvidenceConfig = EvidenceConfig(), *,
                 lock_mode: LockMode = "COMPLIANCE", object_lock: bool | None = None) -> None:
        self.client, self.bucket, self.cfg = client, bucket, cfg
        self.lock_mode, self.object_lock = lock_mode, object_lock

    async def probe(self) -> bool:
        """Whether the bucket supports object lock (cached)."""
        if self.object_lock is None:
            try:
                got = await self.client.get_object_lock_configuration(Bucket=self.bucket)
                enabled = got.get("ObjectLockConfiguration", {}).get("ObjectLockEnabled")
                self.object_lock = enabled == "Enabled"
            except ClientError as err:
                if _code(err) not in {"ObjectLockConfigurationNotFoundError", "NotImplemented"}:
                    raise
                self.object_lock = False
        return self.object_lock

    async def put(self, key, data, *, sha256, kind, content_type, now, retain_until=None, size=None):
        key, sha, until = self._prepare(key, sha256, now, retain_until, size)
        locked = await self.probe()
        try:
            found = self._existing(await self.head(key), sha)
        except EvidenceNotFound:
            pass
        else:                                      # a replay: make sure the lock is there too
            if locked and not found.locked:
                await self._ensure_lock(key, found.version_id, found.retain_until)
                found = await self.head(key)
            return found
        stored_at = now.astimezone(timezone.utc).replace(microsecond=0)
        create = {"Bucket": self.bucket, "Key": key, "ContentType": content_type,
                  "Metadata": {"sha256": sha, "kind": EvidenceKind(kind).value,
                               "stored-at": stored_at.isoformat(), "retain-until": until.isoformat()}}
        if locked:
            create |= {"ObjectLockMode": self.lock_mode, "ObjectLockRetainUntilDate": until}
        upload_id = (await self.client.create_multipart_upload(**create))["UploadId"]
        try:
            digest, parts = await self._stream(key, upload_id, data)
            verify(digest, sha, size)
            done = await self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=key, UploadId=upload_id, MultipartUpload={"Parts": parts})
        except BaseException:
            with anyio.CancelScope(shield=True):   # abort even when the request was cancelled
                await self.client.abort_multipart_upload(Bucket=self.bucket, Key=key,
                                                         UploadId=upload_id)
            raise
        if locked:
            await self._ensure_lock(key, done.get("VersionId"), until)
        return await self.head(key)

    async def _stream(self, key: str, upload_id: str, data) -> tuple[Digest, list[dict]]:
        digest, parts, buffer = Digest(self.cfg.max_bytes), [], bytearray()

        async def flush() -> None:
            number = len(parts) + 1
            got = await self.client.upload_part(Bucket=self.bucket, Key=key, UploadId=upload_id,
                                                PartNumber=number, Body=bytes(buffer))
            parts.append({"PartNumber": number, "ETag": got["ETag"]})
            buffer.clear()

        async for chunk in data:
            await anyio.to_thread.run_sync(digest.update, chunk)
            buffer += chunk
            if len(buffer) >= self.cfg.part_size:
                await flush()
        if buffer or not parts:
            await flush()
        return digest, parts

    async def _ensure_lock(self, key: str, version_id: str | None, until: datetime) -> None:
        head = await self.client.head_object(Bucket=self.bucket, Key=key,
                                             **({"VersionId": version_id} if version_id else {}))
        have = head.get("ObjectLockRetainUntilDate")
        if head.get("ObjectLockMode") == self.lock_mode and have is not None and have >= until:
            return
        await self.client.put_object_retention(
            Bucket=self.bucket, Key=key, VersionId=head.get("VersionId"),
            Retention={"Mode": self.lock_mode, "RetainUntilDate": until})

    async def head(self, key):
        try:
            h = await self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as err:
            if _code(err) in _NOT_FOUND:
                raise EvidenceNotFound(key=key) from None
            raise
        meta = h.get("Metadata", {})
        lock_until = h.get("ObjectLockRetainUntilDate")
        lock_until = lock_until.astimezone(timezone.utc) if lock_until else None
        until = datetime.fromisoformat(meta["retain-until"])
        return StoredEvidence(key=key, sha256=meta["sha256"], size=h["ContentLength"],
                              kind=EvidenceKind(meta["kind"]), content_type=h.get("ContentType", ""),
                              stored_at=datetime.fromisoformat(meta["stored-at"]),
                              retain_until=max(until, lock_until) if lock_until else until,
                              locked=lock_until is not None, version_id=h.get("VersionId"))

    async def read(self, key) -> AsyncIterator[bytes]:
        try:
            got = await self.client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as err:
            if _code(err) in _NOT_FOUND:
                raise EvidenceNotFound(key=key) from None
            raise
        async with got["Body"] as body:
            async for chunk in body.iter_chunks(self.cfg.chunk_size):
                yield chunk

    async def delete(self, key, *, now):
        found = await self.head(key)
        if now < found.retain_until:
            raise RetentionActive(f"kept until {found.retain_until.isoformat()}", key=key,
                                  retain_until=found.retain_until.isoformat())
        listed = await self.client.list_object_versions(Bucket=self.bucket, Prefix=key)
        versions = [v["VersionId"] for group in ("Versions", "DeleteMarkers")
                    for v in listed.get(group, ()) if v["Key"] == key]
        try:
            for version in versions or [None]:
                await self.client.delete_object(Bucket=self.bucket, Key=key,
                                                **({"VersionId": version} if version else {}))
        except ClientError as err:
            if _code(err) == "AccessDenied":      # the bucket's lock says otherwise
                raise RetentionActive("the object store refuses: retention active", key=key) from err
            raise


@asynccontextmanager
async def open_s3_evidence(bucket: str, *, endpoint_url: str | None = None,
                           region: str | None = None, access_key_id: str | None = None,
                           secret_access_key: str | None = None,
                           cfg: EvidenceConfig = EvidenceConfig(), lock_mode: LockMode = "COMPLIANCE",
                           object_lock: bool | None = None,
                           path_style: bool = True) -> AsyncIterator[S3EvidenceStore]:
    """An S3EvidenceStore with its own client for the life of the block (the service's context
    opens it at start and closes it at stop). Credentials default to botocore's chain."""
    config = AioConfig(s3={"addressing_style": "path" if path_style else "auto"},
                       retries={"max_attempts": 3, "mode": "standard"})
    async with get_session().create_client(
            "s3", endpoint_url=endpoint_url, region_name=region, aws_access_key_id=access_key_id,
            aws_secret_access_key=secret_access_key, config=config) as client:
        store = S3EvidenceStore(client, bucket, cfg, lock_mode=lock_mode, object_lock=object_lock)
        await store.probe()
        yield store
