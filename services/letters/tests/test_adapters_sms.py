"""SMS with approved wording (R-27): templates bound to the provider's code, the HTTP provider against a
real local HTTP server that checks the request signature, the recording provider, receipts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from datetime import date, datetime, timezone
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, quote, urlsplit

import pytest

from recoup_letters.adapters.sms import (
    AliyunSmsProvider,
    RecordingSmsProvider,
    SmsMessage,
    SmsParamTooLong,
    SmsTemplate,
    aliyun_signature,
    normalise_mobile,
    parse_aliyun_receipts,
    sms_params,
    sms_text,
    validate_sms_template,
)
from recoup_letters.adapters.templates import TemplateRejected

SECRET = "test-secret"
TEMPLATE = SmsTemplate(sign_name="某某信用", template_code="SMS_480123456",
                       wording="${name}您好，您在${client}的欠款${amount}元已逾期，请于${date}前还款，详询${phone}。",
                       params={"name": "recipient_name", "client": "client_name", "amount": "outstanding",
                               "date": "reply_by", "phone": "agency_phone"})
VALUES = {"recipient_name": "张伟", "client_name": "某银行", "outstanding": Decimal("13830.5"),
          "reply_by": date(2026, 12, 10), "agency_phone": "400-820-8888"}


def test_signature_known_answer_from_the_providers_documentation():
    params = {"Timestamp": "2016-02-23T12:46:24Z", "Format": "XML", "AccessKeyId": "testid",
              "Action": "DescribeRegions", "SignatureMethod": "HMAC-SHA1",
              "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "Version": "2014-05-26",
              "SignatureVersion": "1.0"}
    assert aliyun_signature(params, "testsecret") == "OLeaidS1JvxuMvnyHOwuJ+uX5qY="


def test_template_binding_and_parameters():
    validate_sms_template(TEMPLATE)
    params = sms_params(TEMPLATE, VALUES)
    assert params == {"name": "张伟", "client": "某银行", "amount": "13,830.50", "date": "2026年12月10日",
                      "phone": "400-820-8888"}
    assert sms_text(TEMPLATE, params).startswith("【某某信用】张伟您好，您在某银行的欠款13,830.50元")
    with pytest.raises(SmsParamTooLong):
        sms_params(TEMPLATE, {**VALUES, "client_name": "某" * 36})


@pytest.mark.parametrize("change,code", [
    ({"params": {**TEMPLATE.params, "extra": "dpd"}}, "unused_parameter"),
    ({"wording": TEMPLATE.wording + "${card}"}, "unmapped_parameter"),
    ({"params": {**TEMPLATE.params, "name": "id_number_masked"}}, "variable_not_allowed"),
    ({"params": {**TEMPLATE.params, "name": "address_block"}}, "variable_not_allowed"),
    ({"params": {**TEMPLATE.params, "name": "password"}}, "unknown_variable"),
    ({"template_code": " "}, "binding"),
])
def test_sms_templates_refused_at_upload(change, code):
    with pytest.raises(TemplateRejected) as e:
        validate_sms_template(TEMPLATE.model_copy(update=change))
    assert code in [p.code for p in e.value.problems]


def _verify(query: dict[str, str]) -> bool:
    """The provider's side, written out from its documentation (not by calling our code)."""
    sig = query.pop("Signature")
    enc = lambda s: quote(s, safe="~")  # noqa: E731
    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(query.items()))
    string_to_sign = "GET&%2F&" + enc(canonical)
    expected = base64.b64encode(hmac.new(f"{SECRET}&".encode(), string_to_sign.encode(), hashlib.sha1).digest())
    return hmac.compare_digest(expected.decode(), sig)


class FakeDysms(BaseHTTPRequestHandler):
    received: list[dict[str, str]] = []
    mode = "ok"

    def do_GET(self):  # noqa: N802
        query = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        FakeDysms.received.append(dict(query))
        if FakeDysms.mode == "500":
            self._answer(500, {"Code": "ServiceUnavailable", "Message": "busy"})
        elif not _verify(query):
            self._answer(400, {"Code": "SignatureDoesNotMatch", "Message": "bad signature",
                               "RequestId": "r-bad"})
        elif FakeDysms.mode == "limit":
            self._answer(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控", "RequestId": "r-2"})
        elif FakeDysms.mode == "bad_number":
            self._answer(200, {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "r-3"})
        else:
            self._answer(200, {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "r-1"})

    def _answer(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # keep the test output (and any phone number) out of stderr
        pass


@pytest.fixture
def dysms():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeDysms)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeDysms.received, FakeDysms.mode = [], "ok"
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def _provider(endpoint: str, secret: str = SECRET) -> AliyunSmsProvider:
    return AliyunSmsProvider("test-key-id", secret, endpoint=endpoint,
                             clock=lambda: datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc))


MESSAGE = SmsMessage("+86 138-0013-8000", TEMPLATE.sign_name, TEMPLATE.template_code,
                     sms_params(TEMPLATE, VALUES), "sms-42")


async def test_http_provider_sends_a_signed_request(dysms):
    result = await _provider(dysms).send(MESSAGE)
    assert result.accepted and result.provider_message_id == "900619746936498440^0" and result.request_id == "r-1"
    (q,) = FakeDysms.received
    assert q["Action"] == "SendSms" and q["PhoneNumbers"] == "13800138000" and q["SignName"] == "某某信用"
    assert q["TemplateCode"] == "SMS_480123456" and q["OutId"] == "sms-42"
    assert json.loads(q["TemplateParam"])["amount"] == "13,830.50"
    assert q["Timestamp"] == "2026-11-25T02:00:00Z" and q["SignatureVersion"] == "1.0"


async def test_http_provider_errors_are_classified(dysms):
    bad_secret = await _provider(dysms, "wrong").send(MESSAGE)
    assert not bad_secret.accepted and bad_secret.code == "SignatureDoesNotMatch" and not bad_secret.retryable
    FakeDysms.mode = "limit"
    limited = await _provider(dysms).send(MESSAGE)
    assert not limited.accepted and limited.retryable
    FakeDysms.mode = "bad_number"
    assert not (await _provider(dysms).send(MESSAGE)).retryable
    FakeDysms.mode = "500"
    assert (await _provider(dysms).send(MESSAGE)).retryable


async def test_http_provider_unreachable_is_retryable():
    import socket

    with socket.socket() as s:                     # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = await _provider(f"http://127.0.0.1:{port}/").send(MESSAGE)
    assert not result.accepted and result.retryable and result.code == "transport"


async def test_recording_provider_and_receipts(tmp_path):
    provider = RecordingSmsProvider(tmp_path / "sms.jsonl")
    result = await provider.send(MESSAGE)
    assert result.accepted and provider.sent == [MESSAGE]
    line = json.loads((tmp_path / "sms.jsonl").read_text(encoding="utf-8"))
    assert line["phone"] == "138****8000" and line["template_code"] == "SMS_480123456"   # masked
    (receipt,) = provider.parse_receipts(provider.receipts_json(datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)))
    assert receipt.delivered and receipt.out_id == "sms-42" and receipt.phone_masked == "138****8000"
    assert receipt.reported_at == datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        await provider.send(SmsMessage("12345", "x", "y", {}, "z"))


def test_provider_receipts_parsed():
    body = json.dumps([
        {"phone_number": "13900139000", "send_time": "2026-11-25 10:00:01", "report_time": "2026-11-25 10:00:09",
         "success": True, "err_code": "DELIVERED", "err_msg": "用户接收成功", "sms_size": "1",
         "biz_id": "900619746936498440^0", "out_id": "sms-42"},
        {"phone_number": "13900139001", "send_time": "2026-11-25 10:00:01", "report_time": "2026-11-25 10:05:00",
         "success": False, "err_code": "MK:0001", "err_msg": "空号", "biz_id": "b2", "out_id": "sms-43"}]).encode()
    ok, failed = parse_aliyun_receipts(body)
    assert ok.delivered and ok.provider_message_id == "900619746936498440^0" and ok.phone_masked == "139****9000"
    assert ok.sent_at.isoformat() == "2026-11-25T10:00:01+08:00"
    assert not failed.delivered and failed.status_code == "MK:0001"


@pytest.mark.parametrize("raw,ok", [("13800138000", True), ("+8613800138000", True), ("0086 138 0013 8000", True),
                                    ("0371-65432100", False), ("1380013800", False)])
def test_mobile_numbers(raw, ok):
    if ok:
        assert normalise_mobile(raw) == "13800138000"
    else:
        with pytest.raises(ValueError):
            normalise_mobile(raw)
