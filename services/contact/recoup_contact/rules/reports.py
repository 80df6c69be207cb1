"""Contact-record reports (催记报告, seeds 4.4.10): each client's own layout — which columns, with
which headers, the client's codes in place of ours, CSV or XLSX — as configuration (the mirror of
intake's import templates): a new client needs a template, not code."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, field_validator

from .model import DEFAULT_ZONE, ConfigModel

__all__ = ["REPORT_FIELDS", "ReportColumn", "ReportTemplate", "default_report_template", "report_row"]

# What a column may show (never a full phone, ID or card number: R-46).
REPORT_FIELDS: dict[str, str] = {
    "occurred_at": "when the contact took place (debtor's local time)",
    "occurred_on": "the debtor's day of the contact",
    "case_id": "our case id",
    "account_masked": "the account/card number, masked",
    "placement_ref": "the client's batch reference",
    "debtor_name": "the debtor's name",
    "collector_id": "who made the contact",
    "channel": "outbound_call | inbound_call | sms | visit | letter",
    "party": "debtor | contact_person | third_party",
    "relationship": "the contact person's relationship",
    "number_masked": "the phone, masked",
    "result": "connected | no_answer | ...",
    "code": "our action/result code",
    "client_code": "the client's code (code_map), else ours",
    "status": "the R-22 status after the contact",
    "notes": "the collector's notes",
    "ptp_amount": "the promise's amount",
    "ptp_due_on": "the promise's (first) date",
    "instalments": "number of instalments of a plan",
    "next_follow_up_on": "the next follow-up",
    "effective": "an effective contact (Y/N)",
    "corrected": "this line is a correction (Y/N)",
}


class ReportColumn(ConfigModel):
    header: str = Field(min_length=1, max_length=64)
    field: str

    @field_validator("field")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in REPORT_FIELDS:
            raise ValueError(f"unknown field (known: {', '.join(REPORT_FIELDS)})")
        return value


class ReportTemplate(ConfigModel):
    name: str = Field(min_length=1, max_length=100)
    format: Literal["csv", "xlsx"] = "xlsx"
    columns: tuple[ReportColumn, ...] = Field(min_length=1, max_length=60)
    code_map: dict[str, str] = Field(default_factory=dict, max_length=500)   # our code -> the client's
    timestamp_format: str = Field(default="%Y-%m-%d %H:%M:%S", max_length=40)

    @field_validator("code_map")
    @classmethod
    def _codes(cls, value: dict[str, str]) -> dict[str, str]:
        for ours, theirs in value.items():
            if not ours or not theirs or len(ours) > 32 or len(theirs) > 64:
                raise ValueError("codes are 1-32 (ours) and 1-64 (theirs) characters")
        return {k.upper(): v for k, v in value.items()}


def default_report_template() -> ReportTemplate:
    cols = (("催收时间", "occurred_at"), ("批次号", "placement_ref"), ("账号", "account_masked"),
            ("姓名", "debtor_name"), ("联系对象", "party"), ("关系", "relationship"), ("电话", "number_masked"),
            ("方式", "channel"), ("结果", "result"), ("行动码", "client_code"), ("状态", "status"),
            ("承诺金额", "ptp_amount"), ("承诺日期", "ptp_due_on"), ("下次跟进", "next_follow_up_on"),
            ("备注", "notes"), ("催收员", "collector_id"))
    return ReportTemplate(name="默认催记报告", columns=tuple(ReportColumn(header=h, field=f) for h, f in cols))


def _cell(value: Any, template: ReportTemplate, zone: ZoneInfo) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, datetime):
        return value.astimezone(zone).strftime(template.timestamp_format)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def report_row(record: Mapping[str, Any], template: ReportTemplate, zone: ZoneInfo = DEFAULT_ZONE) -> list[Any]:
    """One report line of a record (with its case and promise columns), in the template's order."""
    values = dict(record)
    values["client_code"] = template.code_map.get((record.get("code") or "").upper(), record.get("code"))
    values["corrected"] = record.get("corrects") is not None
    values["instalments"] = record.get("instalment_count") or None
    return [_cell(values.get(c.field), template, zone) for c in template.columns]
