"""Batches (R-33), QC (R-32), tracking imports and SMS."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..rules.model import LetterType


class PreviewOut(BaseModel):
    """R-33: the planned letters a batch would take, by type, mail class and province."""
    total: int
    by_type: dict[str, int]
    by_mail_class: dict[str, int]
    by_province: dict[str, int]
    by_type_and_class: dict[str, dict[str, int]]
    resends: int
    callback_replacements: int
    without_template: int = 0
    last_planning: dict[str, Any] | None = None


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_id: str | None = Field(default=None, min_length=1, max_length=64)
    letter_types: list[LetterType] | None = Field(default=None, min_length=1, max_length=len(LetterType))
    max_letters: int | None = Field(default=None, ge=1, le=200_000)
    label: str | None = Field(default=None, min_length=1, max_length=200)


class RevokeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class BatchFileOut(BaseModel):
    name: str
    kind: str
    first_sequence: int | None = None
    last_sequence: int | None = None
    letters: int
    pages: int | None = None
    size: int
    sha256: str


class QcSummary(BaseModel):
    letters: int
    matched: int
    tracked: int
    open_mismatches: int
    blocked: bool


class BatchLogOut(BaseModel):
    at: datetime
    actor: str
    action: str
    detail: dict[str, Any] | None = None


class BatchSummary(BaseModel):
    batch_id: str
    label: str
    client_id: str | None = None
    letter_types: list[str] | None = None
    status: Literal["queued", "rendering", "generated", "failed", "approved", "dispatched", "revoked"]
    letters: int
    pages: int | None = None
    bytes: int | None = None
    error: str | None = None
    attempts: int
    preview: dict[str, Any]
    created_by: str
    created_at: datetime
    render_started_at: datetime | None = None
    generated_at: datetime | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    revoked_by: str | None = None
    revoked_at: datetime | None = None
    revoke_reason: str | None = None
    dispatched_by: str | None = None
    dispatched_at: datetime | None = None


class BatchOut(BatchSummary):
    letters_by_status: dict[str, int]
    qc: QcSummary
    files: list[BatchFileOut]
    log: list[BatchLogOut]


class BatchPage(BaseModel):
    items: list[BatchSummary]
    next_cursor: str | None = None


class RowErrorOut(BaseModel):
    row: int
    field: str
    reason: str


class TrackingOut(BaseModel):
    batch_id: str
    assigned: int
    unchanged: int
    errors: list[RowErrorOut]


class ScanIn(BaseModel):
    """R-32: the code scanned (or typed) from the letter and from its envelope."""
    model_config = ConfigDict(extra="forbid")
    letter_scan: str = Field(min_length=1, max_length=40)
    envelope_scan: str = Field(min_length=1, max_length=40)


class ScanSide(BaseModel):
    letter_id: str
    batch_id: str
    sequence: int
    check_code: str
    letter_status: str


class ScanOut(BaseModel):
    scan_id: int
    outcome: Literal["match", "mismatch", "same_sheet"]
    detail: str
    letter: ScanSide
    envelope: ScanSide | None = None
    batch_blocked: bool
    pull: list[int]


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resolution: str = Field(min_length=1, max_length=500)


class QcReportOut(BaseModel):
    batch_id: str
    status: str
    blocked: bool
    open_mismatches: int
    letters: int
    matched: int
    unscanned: list[int]
    unscanned_count: int
    cancelled: list[dict[str, Any]]
    scans: int
    mismatches: list[dict[str, Any]]
    same_sheet: int


class SmsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    template_id: str = Field(min_length=1, max_length=64)
    case_ids: list[Annotated[str, StringConstraints(min_length=1, max_length=64)]] = Field(
        min_length=1, max_length=100_000)


class SmsResult(BaseModel):
    case_id: str
    status: str
    sms_id: str | None = None
    phone_masked: str | None = None
    detail: str | None = None
    decision: dict[str, Any] | None = None


class SmsSendOut(BaseModel):
    template_id: str
    template_version: int
    results: list[SmsResult]


class SmsOut(BaseModel):
    sms_id: str
    case_id: str
    client_id: str
    template_id: str
    template_version: int
    phone_masked: str
    text: str
    status: str
    attempts: int
    requested_by: str
    requested_at: datetime
    attempt_at: datetime | None = None
    sent_at: datetime | None = None
    provider: str | None = None
    provider_message_id: str | None = None
    provider_code: str | None = None
    provider_message: str | None = None
    delivered_at: datetime | None = None
    receipt_code: str | None = None
    receipt_at: datetime | None = None
    decision: dict[str, Any] | None = None


class SmsPage(BaseModel):
    items: list[SmsOut]
    next_cursor: str | None = None


class ReceiptsOut(BaseModel):
    receipts: int
    applied: int

