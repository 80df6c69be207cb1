"""Templates (R-27) and the clients' letter configuration."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..adapters.templates import MAX_TEMPLATE_CHARS
from ..rules.model import LetterType

_CLIENT = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")
_TEXT = Field(min_length=1, max_length=200)


class LetterTemplateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    client_id: str = _CLIENT
    letter_type: LetterType
    source: str = Field(min_length=1, max_length=MAX_TEMPLATE_CHARS)
    note: str | None = Field(default=None, max_length=500)


class SmsTemplateIn(BaseModel):
    """An SMS template as the provider approved it: its code, the signature and the wording with
    ${param} placeholders, and which of our variables fills each parameter (R-27)."""
    model_config = ConfigDict(extra="forbid")
    client_id: str = _CLIENT
    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9_\-]*$")
    provider: Literal["aliyun"] = "aliyun"
    sign_name: str = Field(min_length=1, max_length=30)
    template_code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_\-]+$")
    wording: str = Field(min_length=1, max_length=500)
    params: dict[str, str] = Field(max_length=20)
    max_param_length: int = Field(default=35, ge=1, le=500)
    note: str | None = Field(default=None, max_length=500)


class ApprovalIn(BaseModel):
    """The client's approval of one version (R-27): who, when, its reference, and the SHA-256 of
    the approval document (the document may be uploaded as well: approval-document)."""
    model_config = ConfigDict(extra="forbid")
    approved_by: str = _TEXT
    approved_at: datetime
    reference: str = _TEXT
    document_sha256: str = Field(pattern=r"^[0-9a-fA-F]{64}$")


class RetireIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class ApprovalOut(BaseModel):
    approved_by: str
    approved_at: datetime
    reference: str
    document_sha256: str
    document_stored: bool
    recorded_by: str | None = None
    recorded_at: datetime | None = None


class VersionOut(BaseModel):
    template_id: str
    version: int
    status: Literal["draft", "approved", "retired"]
    source: str
    sms: dict[str, Any] | None = None
    sha256: str
    variables: list[str]
    note: str | None = None
    uploaded_by: str
    uploaded_at: datetime
    approval: ApprovalOut | None = None
    retired_by: str | None = None
    retired_at: datetime | None = None
    retire_reason: str | None = None


class TemplateSummary(BaseModel):
    template_id: str
    client_id: str
    channel: Literal["letter", "sms"]
    name: str
    created_by: str
    created_at: datetime
    current_version: int | None = None
    latest_version: int | None = None


class TemplateOut(TemplateSummary):
    versions: list[VersionOut]


class TemplatePage(BaseModel):
    items: list[TemplateSummary]
    next_cursor: str | None = None


class DocumentOut(BaseModel):
    template_id: str
    version: int
    sha256: str
    size: int
    approval_recorded: bool


class LetterConfigOut(BaseModel):
    client_id: str
    version: int
    updated_by: str | None = None
    updated_at: datetime | None = None
    config: dict[str, Any]
    effective_types: list[str]
