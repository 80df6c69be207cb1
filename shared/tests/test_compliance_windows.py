"""Calling windows and the debtor's local time (R-14): worked examples."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from recoup_shared.calendar import WorkingCalendar
from recoup_shared.compliance import (Attempt, Channel, Outcome, Request, SourceKind, ZoneSource, decide,
                                      effective_policy, resolve_zones, validate_level)

SH = ZoneInfo("Asia/Shanghai")
LA = ZoneInfo("America/Los_Angeles")
URUMQI = ZoneInfo("Asia/Urumqi")
CAL = WorkingCalendar()


def call(at: datetime, **kw) -> Request:
    return Request(at=at, channel=Channel.CALL, **kw)


def level(kind: str, **values):
    return validate_level(values, kind, scope=f"{kind}-1", version=1)


def shanghai():
    return resolve_zones([], "Asia/Shanghai")


def test_window_edges_in_debtor_time():
    p = effective_policy()
    z = shanghai()
    tue = datetime(2025, 6, 3, tzinfo=SH)
    assert decide(p, z, [], call(tue.replace(hour=20, minute=59, second=59))).allowed
    late = decide(p, z, [], call(tue.replace(hour=21)))
    assert not late.allowed and late.rules == ("window.outside",)
    r = late.reasons[0]
    assert r.ref == "R-14" and r.zone == "Asia/Shanghai" and "08:00-21:00" in r.detail
    assert late.next_allowed == datetime(2025, 6, 4, 8, tzinfo=SH) == r.next_allowed
    early = decide(p, z, [], call(tue.replace(hour=7, minute=59, second=59)))
    assert early.next_allowed == tue.replace(hour=8)
    assert decide(p, z, [], call(tue.replace(hour=8))).allowed


def test_client_window_from_nine():
    client = level("client", windows={d: ["09:00-21:00"] for d in ("mon", "tue", "wed", "thu", "fri",
                                                                    "sat", "sun")})
    p = effective_policy([client])
    d = decide(p, shanghai(), [], call(datetime(2025, 6, 3, 8, 30, tzinfo=SH)))
    assert not d.allowed and d.next_allowed == datetime(2025, 6, 3, 9, tzinfo=SH)


def test_public_holiday_window():
    # National Day 2025: Oct 1-8 off; Sat Oct 11 is an adjusted working day (调休).
    assert CAL.is_public_holiday(date(2025, 10, 1)) and CAL.is_public_holiday(date(2025, 10, 4))
    assert not CAL.is_public_holiday(date(2025, 10, 11))       # working Saturday
    assert not CAL.is_public_holiday(date(2025, 10, 12))       # an ordinary Sunday
    client = level("client", windows={"holiday": ["10:00-18:00"]})
    p = effective_policy([client])
    z = shanghai()
    holiday_9 = decide(p, z, [], call(datetime(2025, 10, 1, 9, tzinfo=SH)))
    assert not holiday_9.allowed and holiday_9.next_allowed == datetime(2025, 10, 1, 10, tzinfo=SH)
    assert "10:00-18:00" in holiday_9.reasons[0].detail
    evening = decide(p, z, [], call(datetime(2025, 10, 8, 18, 30, tzinfo=SH)))   # last holiday day
    assert evening.next_allowed == datetime(2025, 10, 9, 8, tzinfo=SH)            # ordinary Thursday
    assert decide(p, z, [], call(datetime(2025, 10, 11, 9, tzinfo=SH))).allowed  # working Saturday
    assert decide(p, z, [], call(datetime(2025, 10, 12, 9, tzinfo=SH))).allowed  # plain Sunday


def test_no_window_on_a_day_skips_to_the_next_open_day():
    client = level("client", windows={"sun": [], "holiday": []})
    p = effective_policy([client])
    d = decide(p, shanghai(), [], call(datetime(2025, 9, 30, 21, 30, tzinfo=SH)))   # eve of National Day
    assert d.next_allowed == datetime(2025, 10, 9, 8, tzinfo=SH)                      # holidays Oct 1-8 closed


def test_debtor_window_replaces_the_standard_one_but_not_the_blackout():
    case = level("case", debtor_windows={"tue": ["19:00-22:00"], "wed": ["06:00-09:00"]})
    p = effective_policy([case])
    z = shanghai()
    assert decide(p, z, [], call(datetime(2025, 6, 3, 21, 30, tzinfo=SH))).allowed   # asked for 21:30
    noon = decide(p, z, [], call(datetime(2025, 6, 3, 12, tzinfo=SH)))
    assert noon.next_allowed == datetime(2025, 6, 3, 19, tzinfo=SH)
    dawn = decide(p, z, [], call(datetime(2025, 6, 4, 6, 30, tzinfo=SH)))            # never 00-08
    assert not dawn.allowed and dawn.next_allowed == datetime(2025, 6, 4, 8, tzinfo=SH)
    assert p.origin("debtor_windows.tue").level == "case"


def test_server_midnight_is_not_the_debtors():
    """A debtor in Los Angeles: three connected calls on their Tuesday; at Shanghai midnight (the
    server's) it is still Tuesday 09:00 there, so the cap holds until LA midnight → 08:00 LA."""
    p = effective_policy()
    z = resolve_zones([ZoneSource(SourceKind.ADDRESS, zone="America/Los_Angeles")])
    tue = datetime(2025, 6, 3, tzinfo=LA)
    hist = [Attempt(at=tue.replace(hour=h), channel=Channel.CALL, outcome=Outcome.CONNECTED)
            for h in (8, 8, 9)]
    server_midnight = datetime(2025, 6, 4, 0, 0, tzinfo=SH)          # = Tue 09:00 in LA (PDT)
    d = decide(p, z, hist, call(server_midnight))
    assert d.rules == ("cap.effective_calls_per_day",)
    cap = d.reasons[0]
    assert cap.next_allowed == datetime(2025, 6, 4, 0, 0, tzinfo=LA)   # the debtor's midnight
    assert d.next_allowed == datetime(2025, 6, 4, 8, 0, tzinfo=LA)     # and then the window
    assert d.next_allowed.utcoffset() == timedelta(hours=-7)


def test_disagreeing_zones_allow_only_the_intersection():
    """Address in Los Angeles, phone registered in Shanghai: 08-21 in both = 08:00-12:00 Shanghai
    (17:00-21:00 LA, summer time)."""
    p = effective_policy()
    z = resolve_zones([ZoneSource(SourceKind.ADDRESS, zone="America/Los_Angeles"),
                       ZoneSource(SourceKind.CONTACT_POINT, region="CN-31")])
    assert z.names == ("America/Los_Angeles", "Asia/Shanghai") and z.disagree
    ok = decide(p, z, [], call(datetime(2025, 6, 4, 11, 59, tzinfo=SH)))
    assert ok.allowed and "zone.sources_disagree" in [n.rule for n in ok.notices]
    noon = decide(p, z, [], call(datetime(2025, 6, 4, 12, 0, tzinfo=SH)))           # 21:00 in LA
    assert not noon.allowed and noon.reasons[0].zone == "America/Los_Angeles"
    assert noon.next_allowed == datetime(2025, 6, 5, 8, 0, tzinfo=SH)
    # each source alone would have allowed a time the other forbids
    assert decide(p, resolve_zones([ZoneSource(SourceKind.ADDRESS, region="上海")]), [],
                  call(datetime(2025, 6, 4, 15, tzinfo=SH))).allowed
    assert not decide(p, z, [], call(datetime(2025, 6, 4, 15, tzinfo=SH))).allowed


def test_xinjiang_lives_by_two_clocks():
    z = resolve_zones([ZoneSource(SourceKind.ADDRESS, region="新疆维吾尔自治区乌鲁木齐市天山区")])
    assert z.names == ("Asia/Shanghai", "Asia/Urumqi")
    p = effective_policy()
    early = decide(p, z, [], call(datetime(2025, 6, 4, 9, 0, tzinfo=SH)))    # 07:00 in Ürümqi
    assert early.reasons[0].zone == "Asia/Urumqi"
    assert early.next_allowed == datetime(2025, 6, 4, 10, 0, tzinfo=SH)
    assert decide(p, z, [], call(datetime(2025, 6, 4, 20, 59, 59, tzinfo=SH))).allowed


def test_zone_resolution_order_and_fallbacks():
    client = level("client", zone={"default": "Asia/Hong_Kong"})
    p = effective_policy([client])
    assert resolve_zones([], p.default_zone).names == ("Asia/Hong_Kong",)
    unknown = resolve_zones([ZoneSource(SourceKind.ADDRESS, region="Atlantis")], p.default_zone)
    assert unknown.names == ("Asia/Hong_Kong",) and unknown.unresolved == ("address:Atlantis",)
    assert resolve_zones([ZoneSource(SourceKind.ADDRESS, region="广东省深圳市")]).names == ("Asia/Shanghai",)
    explicit = ZoneSource(SourceKind.EXPLICIT, region="新疆", zone="Asia/Tokyo")
    assert resolve_zones([explicit]).names == ("Asia/Tokyo",)                 # explicit zone wins
    assert resolve_zones([], None).names == ("Asia/Shanghai",)


def test_window_boundaries_across_dst():
    """Debtor in New York on the spring-forward day: 08:00 local is still the opening."""
    z = resolve_zones([ZoneSource(SourceKind.EXPLICIT, zone="America/New_York")])
    p = effective_policy()
    d = decide(p, z, [], call(datetime(2025, 3, 9, 6, 0, tzinfo=timezone.utc)))   # 01:00 EST
    assert d.next_allowed == datetime(2025, 3, 9, 8, 0, tzinfo=ZoneInfo("America/New_York"))
    assert d.next_allowed.utcoffset() == timedelta(hours=-4)


@pytest.mark.parametrize("bad", ["21:00-08:00", "09:00-09:00"])
def test_windows_never_cross_midnight(bad):
    from recoup_shared.compliance import PolicyInvalid
    with pytest.raises(PolicyInvalid) as e:
        validate_level({"windows": {"fri": [bad]}}, "client")
    assert e.value.errors == [{"field": "windows.fri[0]", "reason": e.value.errors[0]["reason"]}]
    assert "empty window" in e.value.errors[0]["reason"]
