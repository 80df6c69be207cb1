"""Letters, returns and planning runs."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..rules.model import LetterType


class AddressView(BaseModel):
    address_id: str
    kind: str
    region: str | None = None
    line_masked: str | None = None
    postcode: str | None = None
    source: str
    verified_on: date | None = None
    invalid_since: date | None = None
    invalid_reason: str | None = None


class LetterOut(BaseModel):
    letter_id: str
    case_id: str
    client_id: str
    letter_type: str
    letter_title: str
    recipient_role: str
    mail_class: str
    status: str
    origin: str
    why: str
    due_type: str | None = None
    resend_of: str | None = None
    requested_by: str | None = None
    created_on: date
    created_at: datetime
    batch_id: str | None = None
    sequence: int | None = None
    check_code: str | None = None
    template_id: str | None = None
    template_version: int | None = None
    tracking_no: str | None = None
    dispatched_at: datetime | None = None
    returned_at: datetime | None = None
    return_reason: str | None = None
    cancelled_at: datetime | None = None
    cancel_reason: str | None = None
    cancel_detail: str | None = None
    address: AddressView


class LetterPage(BaseModel):
    items: list[LetterOut]
    next_cursor: str | None = None


class LetterRequestIn(BaseModel):
    """R-26: a letter the clerk asks for; the rules decide whether it may go (R-27..R-31)."""
    model_config = ConfigDict(extra="forbid")
    letter_type: LetterType
    recipient_id: str = Field(default="debtor", min_length=1, max_length=64)


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500)


class ReturnIn(BaseModel):
    """A returned letter (R-31), found by its check code (scan the envelope), its tracking number or
    its id; `reason` is a code or the post office's wording (地址不详, 查无此人, 拒收, 迁移新址不明...)."""
    model_config = ConfigDict(extra="forbid")
    letter_id: str | None = Field(default=None, min_length=1, max_length=64)
    check_code: str | None = Field(default=None, min_length=1, max_length=32)
    tracking_no: str | None = Field(default=None, min_length=1, max_length=40)
    reason: str = Field(min_length=1, max_length=40)
    note: str | None = Field(default=None, max_length=500)
    returned_at: datetime | None = None

    @model_validator(mode="after")
    def _one_key(self) -> "ReturnIn":
        if sum(x is not None for x in (self.letter_id, self.check_code, self.tracking_no)) != 1:
            raise ValueError("give exactly one of letter_id, check_code, tracking_no")
        return self


class ResendPending(BaseModel):
    reason: str
    detail: str


class ReturnOut(BaseModel):
    letter: LetterOut
    address_invalidated: bool | None = None
    already_recorded: bool = False
    resend: LetterOut | None = None
    resend_pending: ResendPending | None = None


class PlanningRunOut(BaseModel):
    run_id: int
    day: date
    kind: str
    status: str
    requested_by: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    cases: int
    planned: int
    cancelled: int
    resends: int
    planned_by_type: dict[str, int]
    skipped: dict[str, int]
    error: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _json(cls, data: Any) -> Any:
        from ..store import loads

        if isinstance(data, dict):
            data = {**data, **{k: loads(data[k]) for k in ("planned_by_type", "skipped") if k in data}}
        return data


class PlanningRunPage(BaseModel):
    items: list[PlanningRunOut]
    next_cursor: str | None = None
