"""The file store, local and S3 (against a moto S3 server started here: a real HTTP server): a
rendered batch published whole, read back in chunks, cleared; a failed upload leaves nothing; and the
generation use case end to end on the bucket (rendered in the work directory, uploaded, served)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from moto.server import ThreadedMotoServer

from recoup_letters.adapters.files import LocalFileStore
from recoup_letters.adapters.files_s3 import S3FileStore, open_s3_files
from recoup_letters.adapters.pdf import PdfOptions
from recoup_letters.adapters.print_batch import render_batch
from recoup_letters.rules import ClientLetterConfig, LetterType, plan_case
from recoup_letters.rules.errors import FileNotFound
from recoup_letters.samples import sample_template
from recoup_local.letters_samples import case, print_letter

TODAY = date(2026, 11, 25)
TEMPLATES = {t.value: sample_template(t) for t in LetterType}


def letters(n: int):
    for i in range(n):
        planned = plan_case(case(f"c{i}"), [], ClientLetterConfig(), TODAY).letters[0]
        yield print_letter(planned, i + 1, 1000 + i, TODAY)


@pytest.fixture(scope="module")
def s3_url():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(params=["local", "s3"])
async def store(request, tmp_path, s3_url):
    if request.param == "local":
        yield LocalFileStore(tmp_path / "files")
        return
    bucket = f"letters-{uuid.uuid4().hex[:12]}"
    async with open_s3_files(bucket, tmp_path / "work", endpoint_url=s3_url, region="us-east-1",
                             access_key_id="test", secret_access_key="test") as s3:
        await s3.client.create_bucket(Bucket=bucket)
        yield s3


async def read(store, batch_id: str, name: str) -> bytes:
    chunks, size = await store.open(batch_id, name)
    data = b"".join([c async for c in chunks])
    assert len(data) == size
    return data


async def test_a_batch_is_published_whole_read_back_and_cleared(store):
    batch_id = f"bt-{uuid.uuid4().hex[:8]}"
    await store.clear(batch_id)
    rendered = render_batch(letters(5), TEMPLATES, store.render_dir(batch_id), PdfOptions(letters_per_file=2))
    await store.publish(batch_id)
    for f in rendered.files:
        data = await read(store, batch_id, f.path.rsplit("/", 1)[1])
        assert data[:5] == b"%PDF-" and len(data) == f.size
    assert (await read(store, batch_id, "manifest.csv")).decode("utf-8-sig").startswith("序号")
    with pytest.raises(FileNotFound):
        await store.open(batch_id, "../../etc/passwd")
    await store.clear(batch_id)
    with pytest.raises(FileNotFound):
        await store.open(batch_id, "manifest.csv")


async def test_approval_documents_are_kept_under_their_digest(store):
    sha = await store.put_document("tp-1", 2, "委托方确认函".encode())
    assert await store.has_document("tp-1", 2, sha) and not await store.has_document("tp-1", 3, sha)


async def test_a_failed_upload_leaves_nothing(tmp_path, s3_url):
    bucket = f"letters-{uuid.uuid4().hex[:12]}"
    async with open_s3_files(bucket, tmp_path / "work", endpoint_url=s3_url, region="us-east-1",
                             access_key_id="test", secret_access_key="test") as s3:
        await s3.client.create_bucket(Bucket=bucket)
        batch_id = "bt-fails"
        render_batch(letters(3), TEMPLATES, s3.render_dir(batch_id), PdfOptions(letters_per_file=1))
        broken = S3FileStore(_FailingAfter(s3.client, 2), bucket, tmp_path / "work")
        with pytest.raises(ConnectionError):
            await broken.publish(batch_id)
        listed = await s3.client.list_objects_v2(Bucket=bucket, Prefix=f"batches/{batch_id}/")
        assert listed.get("KeyCount", 0) == 0 and not s3.render_dir(batch_id).exists()


class _FailingAfter:
    """The S3 client, whose connection breaks after `n` uploads."""

    def __init__(self, client, n: int) -> None:
        self._client, self._left = client, n

    async def put_object(self, **kw):
        if self._left == 0:
            raise ConnectionError("connection reset by the object store")
        self._left -= 1
        return await self._client.put_object(**kw)

    def __getattr__(self, name):
        return getattr(self._client, name)


async def test_the_generation_use_case_on_the_bucket(db_dsn, tmp_path, s3_url, client_id):
    """files_backend=s3 as in production: the batch renders in the work directory and is served
    from the bucket; the work directory is left empty."""
    from datetime import datetime, timezone

    import asyncpg

    from recoup_letters.context import build
    from recoup_letters.handlers import HANDLERS
    from recoup_letters.settings import LettersSettings
    from recoup_local.letters_samples import approve_templates_directly, received_envelope
    from recoup_letters.usecases import batches, generation
    from recoup_letters.usecases.planning import plan_cases
    from recoup_local.factories import as_envelopes
    from recoup_shared.auth import Principal
    from recoup_shared.context import base_context
    from recoup_shared.db import create_pool

    bucket = f"letters-{uuid.uuid4().hex[:12]}"
    settings = LettersSettings(profile="test", database_url=db_dsn, data_dir=str(tmp_path), pdf_workers=0,
                               files_backend="s3", files_s3_bucket=bucket, files_s3_endpoint_url=s3_url,
                               files_s3_region="us-east-1", files_s3_access_key_id="test",
                               files_s3_secret_access_key="test", render_dir=str(tmp_path / "render"))
    pool = await create_pool(db_dsn, min_size=1, max_size=2)
    ctx = await build(base_context("letters", settings, pool=pool))
    clerk = Principal(sub="clerk-s3", roles=frozenset({"letters_clerk"}))
    try:
        await ctx.files.client.create_bucket(Bucket=bucket)
        async with pool.acquire() as conn, conn.transaction():
            await approve_templates_directly(conn, ctx, clerk, client_id, [LetterType.NOTICE])
            cases = [received_envelope(str(uuid.uuid4()), client_id, placed_on=ctx.clock.today(),
                                       occurred_at=datetime.now(timezone.utc)) for _ in range(3)]
            await HANDLERS["case.received"](conn, ctx, as_envelopes(cases))
            await plan_cases(conn, ctx, [c["case_id"] for c in cases], ctx.clock.today())
            batch = await batches.create(conn, ctx, clerk, client_id=client_id, types=None, max_letters=None,
                                         label=None)
        assert await generation.generate_next(ctx) == 0
        conn = await asyncpg.connect(db_dsn)
        try:
            done = await batches.get(conn, ctx, clerk, batch["batch_id"])
        finally:
            await conn.close()
        assert done["status"] == "generated", done["error"]
        data = await read(ctx.files, batch["batch_id"], "envelopes_000001-000003.pdf")
        assert data[:5] == b"%PDF-" and list((tmp_path / "render").iterdir()) == []
    finally:
        await ctx.close()
        await pool.close()
