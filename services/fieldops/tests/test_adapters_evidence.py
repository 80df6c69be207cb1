"""Evidence store (R-37), both implementations through the one interface, for real: the local one
on a temporary directory, the S3 one against a moto S3 server started here (a real HTTP server,
with object lock), on a bucket with object lock and on one without."""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from moto.server import ThreadedMotoServer
from recoup_fieldops.adapters.evidence import (
    EvidenceConfig,
    EvidenceKind,
    LocalEvidenceStore,
    MiB,
    evidence_key,
    iter_file,
    retention,
)
from recoup_fieldops.adapters.evidence_s3 import S3EvidenceStore, open_s3_evidence
from recoup_fieldops.rules.errors import (
    ChecksumMismatch,
    EvidenceExists,
    EvidenceNotFound,
    EvidenceTooLarge,
    InvalidEvidence,
    RetentionActive,
)

SHANGHAI = timezone(timedelta(hours=8))
NOW = datetime(2026, 10, 9, 20, 15, 30, 250000, tzinfo=SHANGHAI)
CFG = EvidenceConfig(max_bytes=12 * MiB, part_size=5 * MiB, chunk_size=256 * 1024)
PHOTO = b"\xff\xd8\xff\xe0" + "门牌 花园路 88 号 ".encode() * 1000


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def stream(data: bytes, chunk: int = 64 * 1024, fail_at: int | None = None):
    for i in range(0, len(data), chunk):
        if fail_at is not None and i >= fail_at:
            raise ConnectionResetError("client went away")
        yield data[i:i + chunk]


@pytest.fixture(scope="module")
def s3_url():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="module")
async def s3_client(s3_url):
    """One client for the module (building one costs ~0.2 s); each test gets its own bucket."""
    async with open_s3_evidence("unused", endpoint_url=s3_url, region="us-east-1",
                                access_key_id="test", secret_access_key="test",
                                object_lock=False) as s3:
        yield s3.client


@pytest.fixture(params=["local", "s3-locked", "s3-plain"])
async def store(request, tmp_path, s3_client):
    if request.param == "local":
        return LocalEvidenceStore(tmp_path / "evidence", CFG)
    client = s3_client
    bucket = f"evidence-{uuid.uuid4().hex[:12]}"
    await client.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=request.param == "s3-locked")
    s3 = S3EvidenceStore(client, bucket, CFG)       # object_lock=None: ask the bucket, as in production
    assert await s3.probe() is (request.param == "s3-locked")
    return s3


async def stored_anything(store) -> bool:
    """Whether the backend holds any object, version, staged file or open upload."""
    if isinstance(store, LocalEvidenceStore):
        return any(p.is_file() for p in store.root.rglob("*"))
    c, b = store.client, store.bucket
    versions = await c.list_object_versions(Bucket=b)
    uploads = await c.list_multipart_uploads(Bucket=b)
    return bool(versions.get("Versions") or versions.get("DeleteMarkers") or uploads.get("Uploads"))


async def put(store, key, data, **kw):
    args = {"sha256": sha(data), "kind": EvidenceKind.DOOR_PLATE_PHOTO, "content_type": "image/jpeg",
            "now": NOW} | kw
    return await store.put(key, stream(data), **args)


async def read_all(store, key) -> bytes:
    return b"".join([c async for c in store.read(key)])


async def test_store_head_and_read_back(store):
    key = evidence_key("v1", "door_plate_photo", sha(PHOTO))
    got = await put(store, key, PHOTO)
    assert (got.key, got.sha256, got.size, got.kind) == (key, sha(PHOTO), len(PHOTO),
                                                          EvidenceKind.DOOR_PLATE_PHOTO)
    assert got.retain_until == datetime(2031, 10, 9, 12, 15, 31, tzinfo=timezone.utc)  # R-37, 5 years
    assert got.locked is (store.__class__.__name__ == "S3EvidenceStore" and store.object_lock)
    assert await store.head(key) == got
    assert await read_all(store, key) == PHOTO


async def test_checksum_mismatch_stores_nothing(store):
    with pytest.raises(ChecksumMismatch) as err:
        await put(store, "visits/v1/photo", PHOTO, sha256=sha(PHOTO + b"x"))
    assert err.value.status == 422 and err.value.extra["received"] == sha(PHOTO)
    with pytest.raises(EvidenceNotFound):
        await store.head("visits/v1/photo")
    assert not await stored_anything(store)


async def test_multipart_upload_of_a_video(store):
    video = bytes(range(256)) * (11 * MiB // 256)          # 11 MiB: three parts of 5/5/1 MiB
    got = await put(store, "visits/v2/video", video, kind="video", content_type="video/mp4")
    assert got.size == len(video) and await read_all(store, "visits/v2/video") == video
    with pytest.raises(ChecksumMismatch):                  # the same, corrupted in the last part
        await put(store, "visits/v3/video", video[:-1] + b"\x00", sha256=sha(video), kind="video")
    with pytest.raises(EvidenceNotFound):
        await store.head("visits/v3/video")


async def test_over_the_size_limit_is_413_and_stores_nothing(store):
    big = b"\x00" * (12 * MiB + 1)
    with pytest.raises(EvidenceTooLarge) as err:
        await put(store, "visits/v1/video", big, kind="video")
    assert err.value.status == 413
    assert not await stored_anything(store)

    async def must_not_be_read():
        raise AssertionError("read although the declared size is over the limit")
        yield b""
    with pytest.raises(EvidenceTooLarge):
        await store.put("visits/v1/video", must_not_be_read(), sha256=sha(big), kind="video",
                        content_type="video/mp4", now=NOW, size=len(big))


async def test_a_broken_upload_stores_nothing(store):
    data = b"a" * (6 * MiB)
    with pytest.raises(ConnectionResetError):
        await store.put("visits/v1/audio", stream(data, fail_at=5 * MiB + 1), sha256=sha(data),
                        kind="audio", content_type="audio/mpeg", now=NOW)
    with pytest.raises(InvalidEvidence):                   # declared size differs from the bytes
        await put(store, "visits/v1/audio", data, size=len(data) - 1)
    with pytest.raises(InvalidEvidence):                   # an empty file is no evidence
        await put(store, "visits/v1/audio", b"")
    assert not await stored_anything(store)


async def test_deletion_is_refused_before_retain_until(store):
    got = await put(store, "visits/v1/photo", PHOTO)
    for now in (NOW, got.retain_until - timedelta(seconds=1)):
        with pytest.raises(RetentionActive) as err:
            await store.delete("visits/v1/photo", now=now)
        assert err.value.status == 409
    assert await read_all(store, "visits/v1/photo") == PHOTO
    if getattr(store, "object_lock", False):
        # the bucket enforces it too: the version cannot be deleted, whatever clock we claim
        with pytest.raises(Exception) as denied:
            await store.client.delete_object(Bucket=store.bucket, Key="visits/v1/photo",
                                             VersionId=got.version_id)
        assert "AccessDenied" in str(denied.value)
        with pytest.raises(RetentionActive):
            await store.delete("visits/v1/photo", now=got.retain_until + timedelta(days=1))
        head = await store.client.head_object(Bucket=store.bucket, Key="visits/v1/photo")
        assert head["ObjectLockMode"] == "COMPLIANCE"
    else:
        await store.delete("visits/v1/photo", now=got.retain_until)
        with pytest.raises(EvidenceNotFound):
            await store.head("visits/v1/photo")
        assert not await stored_anything(store)


async def test_retention_is_configurable_but_never_under_five_years(store):
    seven = await put(store, "visits/v1/photo", PHOTO, retain_until=NOW + timedelta(days=7 * 366))
    assert seven.retain_until > NOW + timedelta(days=7 * 365)
    with pytest.raises(InvalidEvidence):
        await put(store, "visits/v2/photo", PHOTO, retain_until=NOW + timedelta(days=4 * 365))
    with pytest.raises(ValueError):
        EvidenceConfig(retention_years=3)
    assert retention(NOW, replace(CFG, retention_years=10)).year == 2036


async def test_replay_is_idempotent_and_a_key_is_never_overwritten(store):
    first = await put(store, "visits/v1/photo", PHOTO)
    assert await put(store, "visits/v1/photo", PHOTO, now=NOW + timedelta(hours=1)) == first
    with pytest.raises(EvidenceExists):
        await put(store, "visits/v1/photo", PHOTO + b"other")
    assert await read_all(store, "visits/v1/photo") == PHOTO


async def test_bad_keys_and_checksums_are_refused(store):
    for key in ("../etc/passwd", "/abs", "a//b", "a/../b", "", "a b", "x" * 513):
        with pytest.raises(InvalidEvidence):
            await put(store, key, PHOTO)
    with pytest.raises(InvalidEvidence):
        await put(store, "visits/v1/photo", PHOTO, sha256="not-a-sha")
    assert not await stored_anything(store)


async def test_iter_file_reads_sync_and_async_files():
    data = b"x" * (3 * 1024 + 5)
    assert b"".join([c async for c in iter_file(io.BytesIO(data), 1024)]) == data

    class Upload:                                           # Starlette's UploadFile shape
        def __init__(self):
            self.f = io.BytesIO(data)

        async def read(self, n):
            return self.f.read(n)
    assert [len(c) async for c in iter_file(Upload(), 1024)] == [1024, 1024, 1024, 5]
