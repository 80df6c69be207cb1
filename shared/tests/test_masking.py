"""R-46: personal data never appears unmasked in logs; display masks keep only what is needed."""

import json
import logging

from hypothesis import given, strategies as st

from recoup_shared.crypto import mask_card_number, mask_id_number, mask_phone
from recoup_shared.logging import configure_logging, get_logger, mask_text

ID18 = "410105198703150030"
ID15 = "410105870315003"
CARD = "6222020200112233446"
MOBILE = "13800138000"


def test_mask_text_masks_every_kind():
    line = f"id {ID18} old {ID15} card {CARD} tel {MOBILE} +86 139-0013-9000 land 0371-65432100"
    masked = mask_text(line)
    for secret in (ID18, ID15, CARD, MOBILE, "0013", "65432100", "13900139000"):
        assert secret not in masked.replace("-", ""), secret
    assert "410105********003" in masked or "410105********0" in masked


def test_mask_text_leaves_ordinary_numbers():
    assert mask_text("placed 13830.50 CNY on 2026-11-20, 300 cases") == \
        "placed 13830.50 CNY on 2026-11-20, 300 cases"


@given(st.from_regex(r"[1-9][0-9]{16}[0-9X]", fullmatch=True))
def test_any_18_digit_id_is_masked(id_number):
    assert id_number not in mask_text(f"debtor {id_number} called")


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_any_mobile_is_masked(mobile):
    assert mobile not in mask_text(f"call {mobile} now")


def test_display_masks():
    assert mask_id_number(ID18) == "410105************"
    assert mask_card_number(CARD) == "622202*************"
    assert mask_phone(MOBILE) == "138****8000"
    assert mask_phone("0371-65432100") == "037****2100"
    assert mask_id_number(None) is None


def test_log_lines_are_json_and_masked(tmp_path, capsys):
    log_file = tmp_path / "svc.log"
    configure_logging("test-svc", "INFO", str(log_file))
    get_logger("t").info(f"lookup {ID18}", phone=MOBILE, nested={"card": CARD, "list": [MOBILE]})
    logging.getLogger("stdlib").warning("std %s", CARD)
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["service"] == "test-svc"
    for secret in (ID18, CARD, MOBILE):
        assert secret not in text


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True), st.sampled_from([" ", "-", "%20", "+", "%2D"]))
def test_separated_and_url_encoded_numbers_are_masked(mobile, sep):
    # issue 14.7: `?phone=138 0013 8000` matched by the lookup must not reach the access log whole
    spaced = f"{mobile[:3]}{sep}{mobile[3:7]}{sep}{mobile[7:]}"
    line = mask_text(f'GET /v1/cases?phone={spaced}&x=1 HTTP/1.1')
    assert f"phone={mobile[:3]}****{mobile[-4:]}&x=1" in line


def test_separated_id_and_card_numbers_are_masked():
    for raw in ("410105 19870315 0030", "410105-198703150030", "410105%20198703150030",
                "6222 0202 0011 2233 446", "6222-0202-0011-2233-446"):
        masked = mask_text(f"q={raw}")
        assert "19870315" not in masked and "00112233" not in masked.replace(" ", "").replace("-", ""), masked
    assert mask_text("uuid 12345678-1234-1234-1234-123456789012") == "uuid 12345678-1234-1234-1234-123456789012"
