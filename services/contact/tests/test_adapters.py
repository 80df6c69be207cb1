"""Adapters: the ARI originate against an ARI-speaking HTTP app, the webhook signature, the local
PBX's call-detail records, the report files."""

import hashlib
import io

import httpx
import orjson
import pytest
from fastapi import FastAPI, Request, Response
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from recoup_contact.adapters import reports, signing
from recoup_contact.adapters.pbx import AriPbx, LocalPbx, Originate, PbxError, local_recording


def ari_app(seen: list, status: int = 200) -> FastAPI:
    """What an Asterisk ARI answers to POST /ari/channels (the subset the adapter uses)."""
    app = FastAPI()

    @app.post("/ari/channels")
    async def channels(request: Request) -> Response:
        seen.append({"url": str(request.url), "auth": request.headers.get("authorization"),
                     "body": orjson.loads(await request.body())})
        if status >= 300:
            return Response(status_code=status)
        body = seen[-1]["body"]
        return Response(orjson.dumps({"id": body["channelId"], "state": "Down"}), media_type="application/json")

    return app


async def test_ari_originate_sends_the_number_in_the_body_never_in_the_url():
    seen: list = []
    pbx = AriPbx("http://pbx/ari", username="recoup", password="s3cret", agent_endpoint="PJSIP/{extension}",
                 context="recoup-outbound", caller_id="4008001234", ring_timeout=30, request_timeout=5,
                 transport=httpx.ASGITransport(app=ari_app(seen)))
    out = await pbx.originate(Originate(call_id="c-1", agent_extension="8001", number="13800138000", extension="801"))
    await pbx.close()
    assert out.pbx_ref == "c-1"
    [req] = seen
    assert "13800138000" not in req["url"] and req["auth"].startswith("Basic ")
    assert req["body"] == {"endpoint": "PJSIP/8001", "extension": "13800138000", "context": "recoup-outbound",
                           "priority": 1, "channelId": "c-1", "timeout": 30, "callerId": "4008001234",
                           "variables": {"RECOUP_CALL_ID": "c-1", "RECOUP_DTMF": "801"}}
    assert "13800138000" not in repr(Originate("c", "1", "13800138000"))       # never in a log line


async def test_ari_refusal_is_a_pbx_error_without_the_number():
    pbx = AriPbx("http://pbx/ari", username=None, password=None, agent_endpoint="SIP/{extension}", context="x",
                 caller_id=None, ring_timeout=30, request_timeout=5,
                 transport=httpx.ASGITransport(app=ari_app([], status=503)))
    with pytest.raises(PbxError) as e:
        await pbx.originate(Originate(call_id="c-2", agent_extension="1", number="13800138000"))
    await pbx.close()
    assert "503" in str(e.value) and "13800138000" not in str(e.value)


def test_signature_good_bad_stale_and_malformed():
    body = b'{"call_id": "x"}'
    h = signing.sign("k", body, now=1_000_000)
    ok = dict(timestamp=h[signing.TIMESTAMP_HEADER], signature=h[signing.SIGNATURE_HEADER])
    assert signing.verify("k", body, **ok, tolerance_seconds=300, now=1_000_100) is None
    assert signing.verify("other", body, **ok, tolerance_seconds=300, now=1_000_100) == "signature does not match"
    assert signing.verify("k", body + b" ", **ok, tolerance_seconds=300, now=1_000_100) == "signature does not match"
    assert "window" in signing.verify("k", body, **ok, tolerance_seconds=300, now=1_000_301)
    assert signing.verify("k", body, None, None, tolerance_seconds=300) == "missing signature headers"
    assert signing.verify("k", body, "12a", "sha256=00", tolerance_seconds=300) == "malformed timestamp"


@given(st.binary(max_size=200), st.text(min_size=1, max_size=20))
def test_a_signed_body_verifies_and_any_change_does_not(body, secret):
    h = signing.sign(secret, body, now=5_000)
    assert signing.verify(secret, body, h[signing.TIMESTAMP_HEADER], h[signing.SIGNATURE_HEADER],
                          tolerance_seconds=10, now=5_000) is None
    assert signing.verify(secret, body + b"x", h[signing.TIMESTAMP_HEADER], h[signing.SIGNATURE_HEADER],
                          tolerance_seconds=10, now=5_000) is not None


def test_the_local_pbx_reports_a_deterministic_cdr_with_the_recordings_hash():
    pbx = LocalPbx(secret="k", delay=0, answer_pct=100)
    cdr = pbx.cdr_for("call-9")
    assert cdr == {**pbx.cdr_for("call-9"), "started_at": cdr["started_at"], "ended_at": cdr["ended_at"]}
    audio = local_recording("call-9", cdr["talk_seconds"])
    assert cdr["answered"] and cdr["recording"]["sha256"] == hashlib.sha256(audio).hexdigest()
    assert cdr["recording"]["bytes"] == len(audio)
    assert LocalPbx(secret="k", delay=0, answer_pct=0).cdr_for("call-9").get("recording") is None


def test_report_files_csv_with_bom_xlsx_and_no_formula_injection():
    rows = [["622202*************", "=HYPERLINK(\"x\")", "下午再打"]]
    data = reports.write_csv(["账号", "备注", "说明"], rows)
    assert data.startswith(b"\xef\xbb\xbf") and "'=HYPERLINK" in data.decode("utf-8-sig")
    sheet = load_workbook(io.BytesIO(reports.write_xlsx(["账号", "备注", "说明"], rows))).active
    assert [c.value for c in list(sheet.iter_rows())[1]] == ["622202*************", "'=HYPERLINK(\"x\")", "下午再打"]
