"""Unit tests of the request bodies' top level (R-1, R-4, R-5): placements, repayments, updates,
recalls — lenient readers whose rows are judged one by one (pure, no stack)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from recoup_intake.rules.recalls import parse_recall_body
from recoup_intake.rules.repayments import parse_repayments_body, parse_timestamp
from recoup_intake.rules.requests import parse_placement_body, parse_placement_header
from recoup_intake.rules.updates import parse_updates_body
from recoup_intake.rules.validation import InvalidValue
from recoup_intake.settings import IntakeSettings
from recoup_shared.errors import PayloadTooLarge, UnprocessableInput

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


def _body(n: int, **kw):
    return {"placement_ref": "ZHBANK-HN-202611-001", "product": "credit_card", "placed_on": "2026-11-20",
            "cases": [{}] * n, **kw}


def test_the_default_limit_takes_100000_cases_and_refuses_more_than_200000():
    limit = IntakeSettings().max_cases_per_placement
    assert limit >= 100_000
    header, cases = parse_placement_body(_body(100_000), max_cases=limit, default_months=3)
    assert len(cases) == 100_000 and header.recall_on == date(2027, 2, 20)
    with pytest.raises(PayloadTooLarge):
        parse_placement_body(_body(limit + 1), max_cases=limit, default_months=3)


def test_placement_header_problems_are_listed_together():
    with pytest.raises(UnprocessableInput) as exc:
        parse_placement_body({"placement_ref": "", "placed_on": "2026-02-30", "cases": [], "x": 1},
                             max_cases=10, default_months=3)
    fields = {e["field"] for e in exc.value.errors}
    assert fields == {"placement_ref", "product", "placed_on", "cases", "x"}


def test_recall_on_defaults_to_placed_on_plus_months_clamped_to_the_month_end():
    def recall_on(placed_on: str, months: int = 3) -> date:
        return parse_placement_header({"placement_ref": "P", "product": "cc", "placed_on": placed_on},
                                      default_months=months).recall_on
    assert recall_on("2026-11-30") == date(2027, 2, 28)
    assert recall_on("2027-11-30") == date(2028, 2, 29)
    assert recall_on("2026-01-15", 12) == date(2027, 1, 15)


def test_timestamps_without_offset_are_shanghai_time():
    assert parse_timestamp("2026-11-20 09:30:00", SH) == datetime(2026, 11, 20, 1, 30, tzinfo=timezone.utc)
    assert parse_timestamp("2026-11-20", SH) == datetime(2026, 11, 19, 16, 0, tzinfo=timezone.utc)
    assert parse_timestamp("2026-11-20T09:30:00Z", SH) == datetime(2026, 11, 20, 9, 30, tzinfo=timezone.utc)
    assert parse_timestamp("2026-11-20T09:30:00+0800", SH) == datetime(2026, 11, 20, 1, 30, tzinfo=timezone.utc)
    for bad in ("yesterday", "2026-11-31", "20261120", 20261120, "1980-01-01"):
        with pytest.raises(InvalidValue):
            parse_timestamp(bad, SH)


def test_repayment_rows():
    body = {"repayments": [
        {"account_ref": "6222 0202 0011 2233 446", "amount": "500", "paid_at": "2026-11-20 10:00", "txn_ref": 778899},
        {"account_ref": "1", "amount": 12.345, "paid_at": "2026-11-20", "txn_ref": "a", "bank": "x"},
        {"account_ref": "1", "amount": "1.00", "paid_at": "2026-11-26", "txn_ref": "b"},
        {"account_ref": "1", "amount": "1.00", "paid_at": "2026-11-25", "txn_ref": "c", "channel": "支付宝"},
    ]}
    good, bad = parse_repayments_body(body, limit=10, tz=SH, now=NOW, future_tolerance=timedelta(days=1))
    assert [g.index for g in good] == [0, 3]
    assert good[0].account_ref == "6222020200112233446" and good[0].amount == Decimal("500.00")
    assert good[0].txn_ref == "778899" and good[3 - 2].channel == "支付宝"
    assert {(e.row, e.field) for e in bad} == {(1, "repayments[1].amount"), (1, "repayments[1].bank"),
                                               (2, "repayments[2].paid_at")}
    # the content hash ignores spelling: 500 == 500.00, +08:00 == naive Shanghai
    same = parse_repayments_body({"repayments": [
        {"account_ref": "6222020200112233446", "amount": "500.00", "paid_at": "2026-11-20T10:00:00+08:00",
         "txn_ref": "778899"}]}, limit=10, tz=SH, now=NOW, future_tolerance=timedelta(days=1))[0][0]
    assert same.content_sha256() == good[0].content_sha256()


def test_update_and_recall_bodies():
    good, bad = parse_updates_body({"updates": [
        {"account_ref": "A1", "fees": "0", "flags": ["dispute", "dispute"]},
        {"account_ref": "A2", "phones": [{"number": "138 0013 8000", "kind": "mobile"}]},
        {"account_ref": "A3", "flags": ["vip"]},
    ]}, limit=10)
    assert good[0].amounts == {"fees": Decimal("0.00")} and good[0].flags == ["dispute"]
    assert good[1].phones[0].number == "13800138000"
    assert bad[0].row == 2 and bad[0].field == "updates[2].flags[0]"
    req = parse_recall_body({"placement_ref": "P-1", "reason": " 到期 "}, limit=5)
    assert (req.placement_ref, req.reason, req.account_refs) == ("P-1", "到期", None)
    with pytest.raises(PayloadTooLarge):
        parse_recall_body({"account_refs": ["1"] * 6}, limit=5)
