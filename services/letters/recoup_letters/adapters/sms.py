"""SMS with approved wording (R-27; the DM system of the seeds).

Chinese SMS providers approve the wording of every template in advance and send only by its
template code with parameters; an SmsTemplate is bound to that code, and our side fills the
parameters from the same fixed, masked variables as letters (never ID, card or address data).
Providers: `AliyunSmsProvider` (HTTP, the dysms SendSms RPC API with its HMAC-SHA1 signature) and
`RecordingSmsProvider` (local stack: records what it would send). Delivery receipts are parsed into
SmsReceipt. The compliance gate (calling windows, caps) is the service's job before `send`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import quote
from zoneinfo import ZoneInfo

import httpx
from pydantic import BaseModel, ConfigDict

from recoup_shared.crypto import mask_phone

from ..rules.masking import scrub_numbers
from .templates import TemplateProblem, TemplateRejected, date_cn, money
from .variables import VARIABLES

# What an SMS may carry: no ID, card or address data (anyone may see a phone's screen).
SMS_VARIABLES = frozenset({"recipient_name", "salutation", "client_name", "product", "outstanding",
                           "overdue_since", "dpd", "reply_by", "letter_date", "agency_name",
                           "agency_phone", "agency_hours", "reference"})
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
SHANGHAI = ZoneInfo("Asia/Shanghai")


class SmsTemplate(BaseModel):
    """An approved SMS template: the provider's template code and its wording (with ${param}
    placeholders, exactly as the provider approved it), and which of our variables fills each."""
    model_config = ConfigDict(frozen=True)

    provider: str = "aliyun"
    sign_name: str                       # 签名, approved with the provider (e.g. 某某信用)
    template_code: str                   # e.g. SMS_123456789
    wording: str
    params: dict[str, str]               # provider parameter -> our variable
    max_param_length: int = 35           # the provider's limit per parameter value


def validate_sms_template(t: SmsTemplate) -> SmsTemplate:
    """R-27 at upload: placeholders and parameter map agree; only SMS-safe variables."""
    problems: list[TemplateProblem] = []
    placeholders = set(_PLACEHOLDER.findall(t.wording))
    for name in sorted(placeholders - t.params.keys()):
        problems.append(TemplateProblem(None, "unmapped_parameter", f"${{{name}}} has no variable"))
    for name in sorted(t.params.keys() - placeholders):
        problems.append(TemplateProblem(None, "unused_parameter", f"parameter {name} is not in the wording"))
    for param, var in sorted(t.params.items()):
        if var not in VARIABLES:
            problems.append(TemplateProblem(None, "unknown_variable", f"unknown variable '{var}' ({param})"))
        elif var not in SMS_VARIABLES:
            problems.append(TemplateProblem(None, "variable_not_allowed",
                                            f"'{var}' may not be sent by SMS (R-30, R-46)"))
    if not t.sign_name.strip() or not t.template_code.strip():
        problems.append(TemplateProblem(None, "binding", "sign name and provider template code are required"))
    if problems:
        raise TemplateRejected(problems)
    return t


class SmsParamTooLong(ValueError):
    pass


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return money(value)
    if isinstance(value, date):
        return date_cn(value)
    return "" if value is None else scrub_numbers(str(value))


def sms_params(t: SmsTemplate, variables: Mapping[str, Any]) -> dict[str, str]:
    out = {p: _text(variables.get(v)) for p, v in t.params.items()}
    for p, v in out.items():
        if len(v) > t.max_param_length:
            raise SmsParamTooLong(f"parameter {p} is {len(v)} characters; the provider allows "
                                  f"{t.max_param_length}")
    return out


def sms_text(t: SmsTemplate, params: Mapping[str, str]) -> str:
    """The text the debtor receives, for the contact record."""
    return f"【{t.sign_name}】" + _PLACEHOLDER.sub(lambda m: params.get(m.group(1), ""), t.wording)


def normalise_mobile(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    if not re.fullmatch(r"1[3-9]\d{9}", digits):
        raise ValueError(f"not a mainland mobile number: {mask_phone(phone)}")
    return digits


@dataclass(frozen=True, slots=True)
class SmsMessage:
    phone: str
    sign_name: str
    template_code: str
    params: dict[str, str]
    out_id: str                          # our id, echoed in delivery receipts


@dataclass(frozen=True, slots=True)
class SmsSendResult:
    accepted: bool
    provider_message_id: str | None      # Aliyun BizId
    request_id: str | None
    code: str
    message: str
    retryable: bool = False


@dataclass(frozen=True, slots=True)
class SmsReceipt:
    provider_message_id: str | None
    out_id: str | None
    phone_masked: str
    delivered: bool
    status_code: str
    message: str
    sent_at: datetime | None
    reported_at: datetime | None


class SmsProvider(Protocol):
    name: str

    async def send(self, msg: SmsMessage) -> SmsSendResult: ...

    def parse_receipts(self, body: bytes) -> list[SmsReceipt]: ...


# --- Alibaba Cloud dysms ---------------------------------------------------------------------

RETRYABLE_CODES = frozenset({"Throttling", "Throttling.User", "Throttling.Api", "isv.BUSINESS_LIMIT_CONTROL",
                             "ServiceUnavailable", "InternalError", "isp.SYSTEM_ERROR"})


def percent_encode(value: str) -> str:
    """RFC 3986 as the RPC signature wants it: space %20, * %2A, ~ kept."""
    return quote(value, safe="~")


def aliyun_signature(params: Mapping[str, str], secret: str, method: str = "GET") -> str:
    """Signature V1: HMAC-SHA1 over METHOD&%2F&encode(sorted, encoded query), key secret + '&'."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new((secret + "&").encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _parse_local(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=SHANGHAI)
    except ValueError:
        return None


def parse_aliyun_receipts(body: bytes) -> list[SmsReceipt]:
    """SmsReport push: a JSON array of {phone_number, send_time, report_time, success, err_code,
    err_msg, biz_id, out_id}. Times are Beijing time."""
    items = json.loads(body)
    if isinstance(items, dict):
        items = [items]
    out = []
    for it in items:
        out.append(SmsReceipt(it.get("biz_id"), it.get("out_id"), mask_phone(str(it.get("phone_number", ""))) or "",
                              bool(it.get("success")), str(it.get("err_code", "")), str(it.get("err_msg", "")),
                              _parse_local(it.get("send_time")), _parse_local(it.get("report_time"))))
    return out


@dataclass
class AliyunSmsProvider:
    access_key_id: str
    access_key_secret: str
    endpoint: str = "https://dysmsapi.aliyuncs.com/"
    region_id: str = "cn-hangzhou"
    timeout: float = 10.0
    client: httpx.AsyncClient | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(timezone.utc))
    name: str = "aliyun"

    def signed_query(self, msg: SmsMessage) -> dict[str, str]:
        params = {
            "AccessKeyId": self.access_key_id, "Action": "SendSms", "Format": "JSON",
            "PhoneNumbers": normalise_mobile(msg.phone), "RegionId": self.region_id,
            "SignName": msg.sign_name, "SignatureMethod": "HMAC-SHA1", "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0", "TemplateCode": msg.template_code,
            "TemplateParam": json.dumps(msg.params, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": self.clock().astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25", "OutId": msg.out_id,
        }
        params["Signature"] = aliyun_signature(params, self.access_key_secret, "GET")
        return params

    async def send(self, msg: SmsMessage) -> SmsSendResult:
        query = self.signed_query(msg)
        client = self.client or httpx.AsyncClient(timeout=self.timeout)
        try:
            resp = await client.get(self.endpoint, params=query)
        except httpx.TransportError as e:
            return SmsSendResult(False, None, None, "transport", type(e).__name__, retryable=True)
        finally:
            if self.client is None:
                await client.aclose()
        try:
            body = resp.json()
        except ValueError:
            body = {}
        code = str(body.get("Code") or f"HTTP{resp.status_code}")
        ok = resp.status_code == 200 and code == "OK"
        return SmsSendResult(ok, body.get("BizId"), body.get("RequestId"), code, str(body.get("Message", "")),
                             retryable=not ok and (resp.status_code >= 500 or code in RETRYABLE_CODES))

    def parse_receipts(self, body: bytes) -> list[SmsReceipt]:
        return parse_aliyun_receipts(body)


# --- local stack ------------------------------------------------------------------------------

@dataclass
class RecordingSmsProvider:
    """Sends nothing: records each message (phone masked in the file, R-46) and answers like the
    provider, so the whole flow — including receipts — runs on the local stack."""
    path: Path | None = None
    sent: list[SmsMessage] = field(default_factory=list)
    name: str = "recording"

    async def send(self, msg: SmsMessage) -> SmsSendResult:
        phone = normalise_mobile(msg.phone)
        self.sent.append(msg)
        biz_id = f"local-{len(self.sent)}"
        if self.path is not None:
            record = {**asdict(msg), "phone": mask_phone(phone), "biz_id": biz_id}
            with open(self.path, "a", encoding="utf-8") as f:
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        return SmsSendResult(True, biz_id, f"req-{len(self.sent)}", "OK", "OK")

    def receipts_json(self, now: datetime) -> bytes:
        """Provider-shaped receipts for everything recorded: all delivered."""
        t = now.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
        return json.dumps([{"phone_number": normalise_mobile(m.phone), "send_time": t, "report_time": t,
                            "success": True, "err_code": "DELIVERED", "err_msg": "用户接收成功",
                            "sms_size": "1", "biz_id": f"local-{i}", "out_id": m.out_id}
                           for i, m in enumerate(self.sent, 1)], ensure_ascii=False).encode()

    def parse_receipts(self, body: bytes) -> list[SmsReceipt]:
        return parse_aliyun_receipts(body)
