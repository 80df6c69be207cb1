"""LettersSettings: every number of the letters service configurable (RECOUP_<FIELD>), with the
domain value or a local default; and who may do what (R-45, R-26), as role sets the typed
dependencies in api/deps.py are built from.

Per-client letter rules (R-28..R-31: schedule, notice window, express threshold, guarantor types,
re-send limit) are not here but in each client's `ClientLetterConfig` (PUT /v1/clients/{id}/letter-config),
whose defaults are the domain's; these settings are the agency's and the service's own.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator

from recoup_shared.settings import ServiceSettings
from recoup_shared.vocabulary import Role

MiB = 1024 * 1024

# one designated role produces, sends, registers and files letters and records returns.
CLERKS = (Role.LETTERS_CLERK,)
# the clerk registers a client's approved wording; an admin may too (configuration).
TEMPLATE_EDITORS = (Role.LETTERS_CLERK, Role.ADMIN)
CONFIG_EDITORS = (Role.LETTERS_CLERK, Role.ADMIN)
# the scan at the envelope table (the clerk, or a supervisor of quality control, seed 003)
QC_SCANNERS = (Role.LETTERS_CLERK, Role.SUPERVISOR)
# a mismatch is a serious breach: a second person, not the clerk, clears it
QC_RESOLVERS = (Role.SUPERVISOR, Role.ADMIN)
READERS = (Role.LETTERS_CLERK, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR)
# downloads contain full addresses: only the role that prints them
FILE_READERS = (Role.LETTERS_CLERK,)
SMS_SENDERS = (Role.LETTERS_CLERK,)
# the provider's delivery receipts, when pushed by staff rather than by the provider itself
RECEIPT_POSTERS = (Role.LETTERS_CLERK, Role.ADMIN)


class LettersSettings(ServiceSettings):
    service_name: str = "letters"
    database_url: str = "postgresql://postgres@127.0.0.1:55432/recoup_letters"

    # --- where files go (README "Files"): a local directory in local/test; in production an
    # S3-compatible bucket (batches rendered in the pod's /tmp, then uploaded), or a volume shared by
    # the replicas (ReadWriteMany) mounted at an explicit storage_dir
    data_dir: str = ".local/data/letters"
    files_backend: Literal["local", "s3"] = "local"
    storage_dir: str | None = None                      # local: default <data_dir>/files
    render_dir: str | None = None                       # s3: where batches render; default <tmp>/recoup-letters
    files_s3_bucket: str | None = None
    files_s3_endpoint_url: str | None = None
    files_s3_region: str | None = None
    files_s3_access_key_id: str | None = None
    files_s3_secret_access_key: SecretStr | None = None
    files_s3_path_style: bool = True

    # --- batches
    letters_per_file: int = Field(default=500, ge=1, le=10_000)           # N letters per PDF file
    max_letters_per_batch: int = Field(default=20_000, ge=1, le=200_000)
    pdf_workers: int = Field(default=2, ge=0, le=32)    # worker processes; 0 = in a thread
    envelope: Literal["DL", "C5"] = "DL"
    manifest_csv_encoding: Literal["utf-8-sig", "gb18030"] = "utf-8-sig"
    generation_check_seconds: float = Field(default=5.0, gt=0, le=3600)
    generation_timeout_seconds: int = Field(default=1800, ge=60, le=86_400)
    render_fetch_rows: int = Field(default=500, ge=10, le=10_000)        # rows per cursor fetch
    qc_required_for_dispatch: bool = True               # every letter matched before it leaves
    tracking_required_for_dispatch: bool = True         # every letter has its post-office number
    max_tracking_file_bytes: int = Field(default=20 * MiB, ge=1024, le=512 * MiB)
    max_approval_document_bytes: int = Field(default=20 * MiB, ge=1024, le=512 * MiB)
    reply_days: int = Field(default=15, ge=1, le=90)    # "please reply by" = letter date + this

    # --- planning (R-28..R-31), in the business zone of ctx.clock
    planning_hour: int = Field(default=6, ge=0, le=23)  # the day's planning runs from this hour
    planning_check_seconds: float = Field(default=300.0, gt=0, le=86_400)
    planning_chunk: int = Field(default=500, ge=1, le=10_000)             # cases per transaction
    planning_timeout_seconds: int = Field(default=3600, ge=60, le=86_400)
    resend_check_seconds: float = Field(default=600.0, gt=0, le=86_400)
    # R-29 "proven valid": a letter dispatched this long ago that did not come back was delivered
    delivery_presumed_after_days: int = Field(default=30, ge=1, le=365)

    # --- the agency as printed on letters and envelopes (sender)
    agency_name: str = "郑州某某信用管理有限公司"
    agency_phone: str = "400-820-8888"
    agency_address: str = "郑州市金水区经三路 1 号"
    agency_hours: str = "每日 9:00-21:00"
    agency_contact: str = "客服中心"
    agency_postcode: str = "450000"

    # --- SMS: the provider that sends approved templates; the compliance gate before it
    sms_provider: Literal["recording", "aliyun", "disabled"] = "recording"
    sms_recording_file: str | None = None               # default: <data_dir>/sms-sent.jsonl
    aliyun_access_key_id: str | None = None
    aliyun_access_key_secret: SecretStr | None = None
    aliyun_endpoint: str = "https://dysmsapi.aliyuncs.com/"
    aliyun_region: str = "cn-hangzhou"
    sms_timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    sms_max_cases_per_request: int = Field(default=1000, ge=1, le=100_000)
    sms_send_check_seconds: float = Field(default=5.0, gt=0, le=3600)
    sms_send_batch: int = Field(default=200, ge=1, le=10_000)
    sms_max_attempts: int = Field(default=3, ge=1, le=20)
    sms_retry_seconds: int = Field(default=60, ge=1, le=86_400)      # after a provider's temporary failure
    sms_receipt_token: SecretStr | None = None          # the provider's push, without a JWT

    # --- lists
    page_max: int = Field(default=1000, ge=1, le=10_000)

    @model_validator(mode="after")
    def _coherent(self) -> "LettersSettings":
        if self.sms_provider == "aliyun" and not (self.aliyun_access_key_id and self.aliyun_access_key_secret):
            raise ValueError("RECOUP_SMS_PROVIDER=aliyun needs RECOUP_ALIYUN_ACCESS_KEY_ID and _SECRET")
        if self.profile == "production" and self.sms_provider == "recording":
            raise ValueError("production refuses the recording SMS provider: set RECOUP_SMS_PROVIDER "
                             "to aliyun (or disabled)")
        if self.files_backend == "s3" and not self.files_s3_bucket:
            raise ValueError("RECOUP_FILES_BACKEND=s3 needs RECOUP_FILES_S3_BUCKET")
        if self.profile == "production" and self.files_backend == "local" and not self.storage_dir:
            raise ValueError("production keeps batches in S3 (RECOUP_FILES_BACKEND=s3) or on a volume shared "
                             "by the replicas mounted at an explicit RECOUP_STORAGE_DIR")
        return self

    @property
    def storage_path(self) -> Path:
        return Path(self.storage_dir) if self.storage_dir else Path(self.data_dir) / "files"

    @property
    def render_path(self) -> Path:
        return Path(self.render_dir) if self.render_dir else Path(tempfile.gettempdir()) / "recoup-letters"

    @property
    def sms_recording_path(self) -> Path:
        return Path(self.sms_recording_file) if self.sms_recording_file else Path(self.data_dir) / "sms-sent.jsonl"
