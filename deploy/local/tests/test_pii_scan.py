from recoup_local.pii_scan import scan_logs, scan_text
from recoup_shared.logging import mask_text


def test_finds_each_kind_and_ignores_hashes_and_masked_values(tmp_path):
    line = ('{"id": "410105198703150030", "tel": "13800138000", "card": "6222020200112233446", '
            '"hash": "a410105198703150030b", "uuid": "018f3c1e-5b7a-7000-8000-000000000000"}')
    kinds = sorted(k for k, _ in scan_text(line))
    assert kinds == ["card_number", "id_number", "mobile"]
    assert scan_text(mask_text(line)) == []
    (tmp_path / "svc.log").write_text(line + "\nok\n", encoding="utf-8")
    assert scan_logs(tmp_path) == [f"svc.log:1: unmasked {k}" for k in ("id_number", "mobile", "card_number")]


def test_finds_numbers_written_with_separators_or_url_encoded():
    for line in ("GET /v1/cases?phone=138%200013%208000", "id 410105 19870315 0030", "card 6222-0202-0011-2233-446"):
        assert scan_text(line), line
        assert scan_text(mask_text(line)) == [], mask_text(line)
