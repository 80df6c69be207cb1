"""Ctx: built once in the lifespan, handed to routes (api/deps.Context), handlers and jobs.

Besides the shared part it holds the letters service's long-lived parts:
- `renderers`: the pool of PDF worker processes (R-33: rendering is CPU-bound and never runs on the
  event loop); processes start on the first batch and live until shutdown. None with pdf_workers=0
  (rendering then runs in a worker thread of the service process);
- `files`: the file store of batches and approval documents (adapters/files.py);
- `sms`: the SMS provider adapter (R-27) — recording in local/test, the cloud provider in production;
- `agency` and `pdf`: the sender as printed, and the print options, from the settings.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

import httpx

from recoup_shared.context import Context

from .adapters.files import FileStore, LocalFileStore
from .adapters.files_s3 import open_s3_files
from .adapters.manifest import ManifestOptions
from .adapters.pdf import C5_ENVELOPE, DL_ENVELOPE, PdfOptions
from .adapters.print_batch import worker_pool
from .adapters.sms import AliyunSmsProvider, RecordingSmsProvider, SmsProvider
from .adapters.variables import Agency
from .settings import LettersSettings


def agency_of(s: LettersSettings) -> Agency:
    return Agency(s.agency_name, s.agency_phone, s.agency_address, s.agency_hours, s.agency_contact,
                  s.agency_postcode)


def pdf_options(s: LettersSettings) -> PdfOptions:
    return PdfOptions(letters_per_file=s.letters_per_file,
                      envelope_size=C5_ENVELOPE if s.envelope == "C5" else DL_ENVELOPE,
                      sender_lines=tuple(x for x in (s.agency_address, s.agency_name) if x),
                      sender_postcode=s.agency_postcode)


def manifest_options(s: LettersSettings) -> ManifestOptions:
    return ManifestOptions(csv_encoding=s.manifest_csv_encoding)


def sms_provider(s: LettersSettings, clock, client: httpx.AsyncClient | None) -> SmsProvider | None:
    if s.sms_provider == "aliyun":
        assert s.aliyun_access_key_id and s.aliyun_access_key_secret  # settings validated
        return AliyunSmsProvider(s.aliyun_access_key_id, s.aliyun_access_key_secret.get_secret_value(),
                                 endpoint=s.aliyun_endpoint, region_id=s.aliyun_region,
                                 timeout=s.sms_timeout_seconds, client=client, clock=clock.now)
    if s.sms_provider == "recording":
        s.sms_recording_path.parent.mkdir(parents=True, exist_ok=True)
        return RecordingSmsProvider(path=s.sms_recording_path)
    return None


@dataclass
class Ctx(Context):
    settings: LettersSettings
    files: FileStore | None = None
    renderers: ProcessPoolExecutor | None = None
    sms: SmsProvider | None = None
    agency: Agency = field(default_factory=lambda: Agency("", ""))
    pdf: PdfOptions = field(default_factory=PdfOptions)
    manifest: ManifestOptions = field(default_factory=ManifestOptions)
    _resources: AsyncExitStack = field(default_factory=AsyncExitStack)

    async def close(self) -> None:
        if self.renderers is not None:
            pool, self.renderers = self.renderers, None
            await asyncio.to_thread(pool.shutdown, True, cancel_futures=True)
        await self._resources.aclose()


async def file_store(s: LettersSettings, resources: AsyncExitStack) -> FileStore:
    """The bucket in production (S3-compatible), a directory otherwise."""
    if s.files_backend == "s3":
        s.render_path.mkdir(parents=True, exist_ok=True)
        secret = s.files_s3_secret_access_key.get_secret_value() if s.files_s3_secret_access_key else None
        return await resources.enter_async_context(open_s3_files(
            s.files_s3_bucket, s.render_path, endpoint_url=s.files_s3_endpoint_url, region=s.files_s3_region,
            access_key_id=s.files_s3_access_key_id, secret_access_key=secret, path_style=s.files_s3_path_style))
    s.storage_path.mkdir(parents=True, exist_ok=True)
    return LocalFileStore(s.storage_path)


async def build(base: Context) -> Ctx:
    s: LettersSettings = base.settings
    resources = AsyncExitStack()
    http = None
    if s.sms_provider == "aliyun":
        http = await resources.enter_async_context(httpx.AsyncClient(timeout=s.sms_timeout_seconds))
    return Ctx.extend(base, files=await file_store(s, resources),
                      renderers=worker_pool(s.pdf_workers) if s.pdf_workers > 0 else None,
                      sms=sms_provider(s, base.clock, http), agency=agency_of(s), pdf=pdf_options(s),
                      manifest=manifest_options(s), _resources=resources)
