"""Policy levels: validation (all or nothing, field paths), inheritance, explanation, presets."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoup_shared.compliance import (PRESETS, LevelKind, PolicyInvalid, PolicyLevel, effective_policy,
                                      validate_level)
from recoup_shared.compliance.keys import DEFAULTS, STATIC_KEYS


def errors(raw, kind="client"):
    with pytest.raises(PolicyInvalid) as e:
        validate_level(raw, kind)
    return {(x["field"], x["reason"]) for x in e.value.errors}


def fields(raw, kind="client"):
    return {f for f, _ in errors(raw, kind)}


def test_bad_levels_are_refused_whole_with_every_field():
    raw = {
        "windows": {"mon": ["08:00-12:00", "11:00-13:00"], "tue": ["09:00-09:00"], "wed": "08-21",
                    "someday": ["08:00-21:00"]},
        "caps": {"effective_calls_per_day": -1, "visits_per_day": 1, "calls_per_moon": 3,
                 "call_attempts_per_day": True},
        "zone": {"default": "Mars/Olympus"},
        "holds": {"dispute": {}},
    }
    errs = errors(raw)
    assert {f for f, _ in errs} == {
        "windows.mon[1]", "windows.tue[0]", "windows.wed", "windows.someday", "caps.effective_calls_per_day",
        "caps.calls_per_moon", "caps.call_attempts_per_day", "zone.default", "holds.dispute"}
    assert ("caps.effective_calls_per_day", "must be >= 0") in errs
    assert ("caps.calls_per_moon", "unknown rule or key") in errs
    assert any(f == "windows.mon[1]" and "overlaps 08:00-12:00" in r for f, r in errs)
    assert ("holds.dispute", "cannot be set at the client level (only: case)") in errs
    # "visits_per_day": 1 was valid, but nothing of a bad level is kept: there is no level to keep


def test_more_bad_values():
    assert fields({"preset": "eu_gdpr"}) == {"preset"}
    assert fields({"windows": {"mon": None}}) == {"windows.mon"}                 # not nullable
    assert fields({"windows": {"fri": ["8:00-21:00"]}}) == {"windows.fri[0]"}
    assert fields({"windows": {"fri": ["08:00-25:00"]}}) == {"windows.fri[0]"}
    assert fields({"exemptions": {"inbound": ["hold"]}}) == {"exemptions.inbound[0]"}   # never exempt
    assert fields({"hold_lift_roles": {"dispute": []}}) == {"hold_lift_roles.dispute"}
    assert fields({"holds": {"dispute": {"since": "yesterday"}}}, "case") == {"holds.dispute.since"}
    assert fields({"holds": {"dispute": {"why": "x"}}}, "case") == {"holds.dispute.why"}
    assert fields({"third_parties": {"cp 1": {"knows_debt": True}}}, "case") == {"third_parties.cp 1"}
    assert fields({"third_parties": {"cp-1": {"knows": True}}}, "case") == {"third_parties.cp-1.knows"}
    assert fields({"caps": 3}) == {"caps"}
    assert fields({"windows.ref": "R-99"}) == {"windows.ref"}                     # system only
    assert fields({"debtor_windows": {"mon": ["19:00-22:00"]}}, "placement") == {"debtor_windows.mon"}
    assert fields({"caps": {"visits_per_day": 1}, "caps.visits_per_day": 2}) == {"caps.visits_per_day"}
    for kind in ("default", "debtor"):
        with pytest.raises(PolicyInvalid):
            validate_level({}, kind)


def test_valid_level_is_canonical_flat_json():
    lv = validate_level({"windows": {"mon": ["12:00-21:00", "09:00-11:30"]}, "caps.visits_per_day": 1,
                         "preset": "cn_default"}, "client", scope="icbc", version=3)
    assert lv.values == {"windows.mon": ["09:00-11:30", "12:00-21:00"], "caps.visits_per_day": 1,
                         "preset": "cn_default"}
    stored = json.loads(lv.model_dump_json())
    assert PolicyLevel.model_validate(stored) == lv
    assert PolicyLevel.stored(stored["kind"], stored["values"], scope="icbc", version=3) == lv
    assert lv.nested()["windows"] == {"mon": ["09:00-11:30", "12:00-21:00"]}
    with pytest.raises(ValueError):
        PolicyLevel.model_validate({**stored, "values": {"caps.visits_per_day": -2}})


def test_inheritance_explains_every_value():
    system = validate_level({"caps.call_attempts_per_day": 8}, "system", version=2)
    client = validate_level({"windows": {d: ["09:00-21:00"] for d in ("mon", "tue", "wed", "thu", "fri")},
                             "caps.effective_calls_per_day": 2}, "client", scope="icbc", version=5)
    placement = validate_level({"caps.effective_calls_per_day": 1}, "placement", scope="b-7", version=1)
    case = validate_level({"caps.visits_per_day": 0, "third_parties.cp-1.knows_debt": True}, "case",
                          scope="c-9", version=4)
    p = effective_policy([system, client, placement, case])
    why = {row["key"]: row for row in p.explain()}
    assert why["caps.call_attempts_per_day"] | {} == {"key": "caps.call_attempts_per_day", "value": 8,
                                                     "level": "system", "scope": None, "version": 2,
                                                     "preset": None}
    assert (why["windows.mon"]["value"], why["windows.mon"]["level"]) == (["09:00-21:00"], "client")
    assert (why["windows.sat"]["value"], why["windows.sat"]["level"]) == (["08:00-21:00"], "default")
    assert (why["caps.effective_calls_per_day"]["value"], why["caps.effective_calls_per_day"]["scope"]) == (1, "b-7")
    assert why["caps.visits_per_day"]["level"] == "case" and why["third_parties.cp-1.knows_debt"]["value"]
    assert len(p.explain()) == len(STATIC_KEYS) + 1
    json.dumps(p.explain())                                   # ships as-is in policy.changed
    with pytest.raises(ValueError):
        effective_policy([client, system])                   # order matters


def test_preset_sits_below_the_level_that_selects_it():
    client = validate_level({"preset": "us_regf", "regf.calls_per_period": 5}, "client", scope="acme")
    p = effective_policy([validate_level({"caps.visits_per_day": 4}, "system"), client])
    assert p.values["regf.conversation_quiet_days"] == 7 and p.origin("regf.conversation_quiet_days").preset == "us_regf"
    assert p.values["regf.calls_per_period"] == 5 and p.origin("regf.calls_per_period").preset is None
    assert p.values["caps.visits_per_day"] is None                      # the client's preset wins over system
    assert p.values["windows.ref"] == "12 CFR 1006.6(b)(1)(i)"
    assert p.fingerprint != effective_policy().fingerprint
    assert PRESETS["cn_default"] == {}


# --- property: the effective value comes from the most specific level that sets it ---------------

_SAMPLE_KEYS = {
    "caps.effective_calls_per_day": st.one_of(st.none(), st.integers(0, 5)),
    "caps.call_attempts_per_day": st.one_of(st.none(), st.integers(0, 12)),
    "caps.min_minutes_between_calls": st.one_of(st.none(), st.integers(1, 90)),
    "windows.mon": st.sampled_from([["08:00-21:00"], ["09:00-21:00"], [], ["09:00-12:00", "14:00-20:00"]]),
    "windows.holiday": st.sampled_from([None, [], ["10:00-18:00"]]),
    "zone.default": st.sampled_from(["Asia/Shanghai", "Asia/Urumqi", "America/New_York"]),
    "special_population.call_period_days": st.integers(1, 7),
    "visits.min_agents": st.integers(1, 3),
}
_CASE_OK = {"caps.effective_calls_per_day", "caps.call_attempts_per_day", "caps.min_minutes_between_calls"}


@st.composite
def level_sets(draw):
    levels = []
    for kind in (LevelKind.SYSTEM, LevelKind.CLIENT, LevelKind.PLACEMENT, LevelKind.CASE):
        if not draw(st.booleans()):
            continue
        allowed = [k for k in _SAMPLE_KEYS if kind != LevelKind.CASE or k in _CASE_OK]
        keys = draw(st.lists(st.sampled_from(allowed), unique=True, max_size=len(allowed)))
        values = {k: draw(_SAMPLE_KEYS[k]) for k in keys}
        levels.append(validate_level(values, kind, scope=f"{kind.value}-x", version=draw(st.integers(1, 9))))
    return levels


@settings(max_examples=200, deadline=None)
@given(level_sets())
def test_effective_value_comes_from_the_most_specific_level_that_sets_it(levels):
    p = effective_policy(levels)
    for key in _SAMPLE_KEYS:
        setters = [lv for lv in levels if key in lv.values]
        if setters:
            top = setters[-1]
            assert p.values[key] == top.values[key]
            assert (p.origin(key).level, p.origin(key).version) == (top.kind, top.version)
        else:
            assert p.values[key] == DEFAULTS[key] and p.origin(key).level == LevelKind.DEFAULT


def test_the_engine_is_pure():
    """No I/O, no web or database libraries, no clock: the services bring those."""
    import ast
    import pathlib

    import recoup_shared.compliance as pkg
    forbidden = {"fastapi", "asyncpg", "aiokafka", "starlette", "httpx", "socket", "os", "time"}
    for path in pathlib.Path(pkg.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name.split(".")[0] for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [(node.module or "").split(".")[0]]
            elif isinstance(node, ast.Attribute) and node.attr in ("now", "utcnow", "today"):
                raise AssertionError(f"{path.name}:{node.lineno} reads the clock")
            else:
                continue
            assert not forbidden.intersection(names), f"{path.name}:{node.lineno} imports {names}"
