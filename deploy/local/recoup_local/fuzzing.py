"""The fuzzing gate's inputs (tests/test_fuzz_openapi.py): the hostile values of issue 14 planted
into schemathesis' cases, the identifiers the services answered with fed back into later cases,
and the events that give the consuming services real cases to be asked about.

Test support only (recoup_local is never in a production image)."""

from __future__ import annotations

import copy
import json
import uuid
from collections import Counter
from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

PLANTED: Counter = Counter()   # hostile values planted, by kind (reported at the end of the run)


# --- hostile values (issue 14: NUL, surrogates, huge integers, wrong types) -------------------

# By kind, so each kind is drawn as often as the others (NUL and surrogates are issue 14.3, huge
# integers 14.5, wrong types 14.4). URL parts take text only; a lone surrogate cannot be sent there.
HOSTILE: dict[str, list[Any]] = {
    "nul": ["\x00", "a\x00b", "%00", ["\x00"], {"\x00": "\x00"}],
    "surrogate": ["\ud800", "x\udfff", "\udfff\ud800", ["\udc00"], {"\ud800": 1}],
    "integer": [2**31, 2**63, -(2**63) - 1, 10**30, -1, 1e308, float("-0.0")],
    "type": [{}, [], [[]], {"": {}}, True, None, 0],
    "text": ["", " ", "x" * 10_000, "\u0661\u0662\u0663", "9" * 40, "1e309", "NaN",
             "../../etc/passwd", "' OR 1=1 --", "\u202e\u0041", "\U0001F600" * 100],
}


def _for_url(value: Any) -> str | None:
    if isinstance(value, (dict, list)) or value is None:
        return None
    text = str(value).lower() if isinstance(value, bool) else str(value)
    return None if any(0xD800 <= ord(c) <= 0xDFFF for c in text) else text


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON value: the value itself and each nested key or index."""
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, prefix + (i,))
    return out


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    value[path[0]] = _replace(value[path[0]], path[1:], new)
    return value


# --- real identifiers: what the services answered, fed back into path, query and body --------

KNOWN: dict[str, list[Any]] = {}   # parameter or field name -> values seen in 2xx answers
KNOWN_CAP = 20                     # per name; then frozen, so a failing input replays the same


def _learnable(key: str) -> bool:
    return key.endswith(("_id", "_ref")) or key in ("version", "name", "month", "day", "bucket")


def learn(value: Any, key: str | None = None) -> None:
    """Remember the identifiers in an answer (keys ending in _id / _ref, and a few more)."""
    if isinstance(value, dict):
        for k, v in value.items():
            learn(v, k)
    elif isinstance(value, list):
        for v in value[:50]:
            learn(v, key)
    elif key is not None and _learnable(key) and isinstance(value, (str, int)) \
            and not isinstance(value, bool) and len(str(value)) <= 64:
        pool = KNOWN.setdefault(key, [])
        if value not in pool and len(pool) < KNOWN_CAP:
            pool.append(value)


def _with_known(case: Any, which: int) -> None:
    """Every path, query or body field whose name has known values gets one of them, so the
    operation reaches real objects (a case that exists, a visit of it) instead of a 404."""
    for params in (case.path_parameters, case.query):
        if isinstance(params, dict):
            for k in params:
                if KNOWN.get(k):
                    params[k] = KNOWN[k][which % len(KNOWN[k])]

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if KNOWN.get(k) and isinstance(v, (str, int)) and not isinstance(v, bool):
                    value[k] = KNOWN[k][which % len(KNOWN[k])]
                else:
                    walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    if isinstance(case.body, (dict, list)):
        walk(case.body)


def hostile_case(case: Any) -> st.SearchStrategy:
    """Half of the inputs refer to identifiers the services answered with (see KNOWN); then a
    third pass unchanged and the others get one hostile value in one place: a query or path
    parameter, or anywhere inside a JSON body."""

    def plant(choice: tuple[bool, int, int, str, int]) -> Any:
        known, keep, where, kind, which = choice
        if known:
            _with_known(case, which)
        places: list[tuple[str, Any]] = []
        if isinstance(case.query, dict):
            places += [("query", k) for k in case.query]
        if isinstance(case.path_parameters, dict):
            places += [("path", k) for k in case.path_parameters]
        is_json = case.media_type is not None and case.media_type.split(";")[0].strip().endswith("json")
        if is_json and isinstance(case.body, (dict, list)):
            places += [("body", p) for p in _paths(case.body)]
        if keep == 0 or not places:
            return case
        location, key = places[where % len(places)]
        value = HOSTILE[kind][which % len(HOSTILE[kind])]
        if location == "body":
            body = _replace(copy.deepcopy(case.body), key, value)
            # sent as the bytes a client would send (\ud800 escaped): schemathesis' own schema
            # validator cannot hold a lone surrogate in a str
            case.body = json.dumps(body, ensure_ascii=True).encode()
        else:
            text = _for_url(value)
            if text is None or (location == "path" and (text.strip() == "" or "/" in text)):
                text = "\x00"  # not sendable there, or routes elsewhere: not this operation
            (case.query if location == "query" else case.path_parameters)[key] = text
        PLANTED[kind] += 1
        return case

    return st.tuples(st.booleans(), st.integers(0, 2), st.integers(0, 10_000),
                     st.sampled_from(sorted(HOSTILE)), st.integers(0, 10_000)).map(plant)


# --- what the consuming services are seeded with ---------------------------------------------

SEED_CASES = 12


def seed_events(client_id: str) -> list[dict]:
    """What intake and contact would have published about a dozen cases of client_id (received,
    updated, paid, contacted), so the consuming services have real cases behind their ids."""
    from recoup_local import factories

    events = []
    for i in range(SEED_CASES):
        case_id = str(uuid.uuid4())  # case ids are UUIDs (contracts.md)
        env = factories.received(case_id, client_id, dpd=30 + 20 * i, flags=["dispute"] if i == 3 else ())
        env["payload"]["addresses"] = [
            {"kind": kind, "province": "河南省", "city": "郑州市", "district": "金水区",
             "line": f"花园路 {i + 1} 号", "owner": "debtor"} for kind in ("home", "work")]
        events.append(env)
        if i % 3 == 0:
            events.append(factories.payment(case_id, client_id, amount="100.00"))
        if i % 3 == 1:
            events.append(factories.contact(case_id, client_id, ptp_due=date.today() + timedelta(days=3)))
        if i % 4 == 2:
            events.append(factories.updated(case_id, client_id, change="balance", outstanding="900.00"))
    return events
